/**
 * Data-subject requests (APPI Art. 33–37), provision records (Art. 29), retention that
 * executes, and consent receipts (ISO/IEC TS 27560 DPV profile, Kantara v1.1).
 *
 * @module
 */
export {
  OPEN_STATES,
  REJECTION_REASONS,
  REQUEST_ARTICLES,
  REQUEST_KINDS,
  REQUEST_STATES,
  type AlternativeMeasures,
  type DataSubjectRequest,
  type IdentityCheck,
  type RejectionReason,
  type RequestKind,
  type RequestOutcome,
  type RequestRejection,
  type RequestState,
  type RequestTransition,
} from './request.js';
export { IdentityNotVerifiedError, RequestKindError, RequestNotFoundError, RequestStateError } from './errors.js';
export { applyTransition, assertTransition, canTransition, REQUEST_TRANSITIONS } from './state-machine.js';
export {
  authenticatedSubjectVerifier,
  type AuthenticatedSubjectEvidence,
  type IdentityCheckInput,
  type IdentityVerdict,
  type IdentityVerifier,
} from './identity-verifier.js';
export { DEFAULT_DUE_IN, dueDatePlan, isOverdue, type DueDatePlan, type DueDates } from './due-dates.js';
export {
  createRequestDesk,
  type ActorInput,
  type CorrectInput,
  type ReceiveInput,
  type RejectInput,
  type RequestDesk,
  type RequestDeskOptions,
} from './request-desk.js';
export type { Disclosure, DisclosedPurpose, DisclosedRequest, DisclosedValue, JsonValue } from './disclosure.js';
export { buildDisclosureDocument, renderDisclosure, type DisclosureFormat, type RenderDisclosureOptions } from './disclosure-report.js';
export { ForeignProvisionRefusedError, VendorNotAllowedError } from '../provision/errors.js';
export {
  DEFAULT_PROVISION_RECORD_RETENTION,
  effectiveKeepUntil,
  PROVISION_RECORD_KIND,
  provisionRecordKeepUntil,
  SUPPLY_TO_PERSON_RETENTION,
  type ProvisionBasis,
  type ProvisionRecord,
  type ProvisionRecordRetention,
} from '../provision/provision-record.js';
export { createProvisions, type ProvideInput, type Provision, type Provisions, type ProvisionsOptions } from '../provision/provisions.js';
export { valuePurposes, valueRetention, type RetentionPurposes, type ValueRetention } from '../retention/retention-schedule.js';
export { sweepRetention, type RetentionSweepResult, type SweepRetentionOptions } from '../retention/sweep-retention.js';
export * from '../consent-receipts/index.js';
// APPI request kinds and answers (issue #14).
export { buildRequestNoticeDocument, renderRequestNotice } from './request-notice.js';
export { SUSPENSION_GROUNDS, SUSPENSION_GROUND_ARTICLES, type RequestAgent, type SuspensionGround } from './request.js';
