/**
 * `AccessDeniedError`: the shared base of the three read denials (`PurposeNotAllowedError`,
 * `ConsentRequiredError`, `UseSuspendedError`), and the ids they carry.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorCode } from './base.js';

/**
 * Fields shared by the access-decision errors (`PurposeNotAllowedError`, `ConsentRequiredError`,
 * `UseSuspendedError`): ids only, never the value.
 *
 * @example
 * ```ts
 * import { ConsentRequiredError, PurposeNotAllowedError, UseSuspendedError, type AccessDenialDetails } from 'purpose-bound';
 *
 * function denial(error: unknown): AccessDenialDetails | undefined {
 *   const denied = error instanceof PurposeNotAllowedError || error instanceof ConsentRequiredError || error instanceof UseSuspendedError;
 *   return denied ? { field: error.field, purpose: error.purpose, subject: error.subject } : undefined;
 * }
 * ```
 */
export interface AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
}

/**
 * A read was refused by the decision on purpose, consent or suspension of use. Catch this to
 * handle every denial alike (e.g. HTTP 403); each subclass has its own `code`. Carries the
 * field, purpose and subject ids, never the value.
 *
 * @example
 * ```ts
 * import { AccessDeniedError } from 'purpose-bound';
 *
 * try {
 *   await vault.read(subject, 'email', { purpose: 'contact', actor: 'staff:7' });
 * } catch (error) {
 *   if (error instanceof AccessDeniedError) console.warn(`denied ${error.code}: ${error.field} for ${error.purpose}`);
 *   else throw error;
 * }
 * ```
 */
export abstract class AccessDeniedError extends PurposeBoundError implements AccessDenialDetails {
  readonly field: string;
  readonly purpose: string;
  readonly subject: string;
  protected constructor(code: PurposeBoundErrorCode, message: string, details: AccessDenialDetails) {
    super(code, message);
    this.field = details.field;
    this.purpose = details.purpose;
    this.subject = details.subject;
  }
}
