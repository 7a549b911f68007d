/**
 * The request-desk API the example uses. The data-subject request module is committed but not
 * yet exported from the package root; this bridge is the one place to switch to
 * `from 'purpose-bound'` once it is.
 *
 * @module
 */
export { createRequestDesk, type RequestDesk } from '../../src/requests/request-desk.js';
export { renderDisclosure } from '../../src/requests/disclosure-report.js';
export { IdentityNotVerifiedError } from '../../src/requests/errors.js';
export type { IdentityVerifier } from '../../src/requests/identity-verifier.js';
export { isOverdue, type DueDates } from '../../src/requests/due-dates.js';
export type { Disclosure } from '../../src/requests/disclosure.js';
export type { DataSubjectRequest } from '../../src/requests/request.js';
