/**
 * `ConsentRequiredError`: code `CONSENT_REQUIRED`.
 *
 * @module
 */
import { AccessDeniedError, type AccessDenialDetails } from './access-denied.js';

/**
 * The use needs the person's consent for this purpose and none is in force (never given,
 * or withdrawn).
 *
 * @example
 * ```ts
 * await guard.readOutsidePurpose(email, { purpose: 'newsletter', actor: 'a', basis: 'consent' });
 * // ConsentRequiredError unless guard.grantConsent(...) was recorded first
 * ```
 */
export class ConsentRequiredError extends AccessDeniedError {
  constructor(d: AccessDenialDetails) {
    super('CONSENT_REQUIRED', `Using field "${d.field}" for purpose "${d.purpose}" needs the person's consent, and none is in force`, d);
  }
}
