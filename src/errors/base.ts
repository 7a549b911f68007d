/**
 * `PurposeBoundError`, the base of every error, and the error codes.
 *
 * @module
 */

const BRAND = Symbol.for('purpose-bound.error');

/**
 * Stable, documented error codes. Match on `error.code`, never on the message.
 *
 * @example
 * ```ts
 * import { isPurposeBoundError, type PurposeBoundErrorCode } from 'purpose-bound';
 *
 * const httpStatus: Partial<Record<PurposeBoundErrorCode, number>> = {
 *   PURPOSE_NOT_ALLOWED: 403, CONSENT_REQUIRED: 403, USE_SUSPENDED: 403, SUBJECT_ERASED: 410, STORAGE_UNAVAILABLE: 503,
 * };
 * const status = isPurposeBoundError(error) ? (httpStatus[error.code] ?? 500) : 500;
 * ```
 */
export type PurposeBoundErrorCode =
  | 'POLICY_INVALID'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_PURPOSE'
  | 'INVALID_PERSONAL_VALUE'
  | 'PURPOSE_NOT_ALLOWED'
  | 'CONSENT_REQUIRED'
  | 'USE_SUSPENDED'
  | 'EXCEPTION_NOT_PERMITTED'
  | 'SUBJECT_ERASED'
  | 'SUBJECT_NOT_FOUND'
  | 'FIELD_NOT_ISSUED'
  | 'AUDIT_WRITE_FAILED'
  | 'CHECKPOINT_INVALID'
  | 'AUDIT_PROOF_UNAVAILABLE'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CONFLICT'
  | 'STORAGE_ERROR'
  | 'KEY_UNAVAILABLE'
  | 'INTEGRITY_ERROR'
  | 'VENDOR_NOT_ALLOWED'
  | 'REQUEST_STATE'
  | 'REQUEST_KIND'
  | 'REQUEST_NOT_FOUND'
  | 'IDENTITY_NOT_VERIFIED'
  | 'ALREADY_ERASED'
  | 'SUBJECT_HELD'
  | 'VALUE_NOT_FOUND'
  | 'TRANSLATION_MISSING'
  | 'PROSE_MISSING'
  | 'POLICY_MISMATCH'
  | 'CONSENT_NOT_THE_BASIS'
  | 'PUBLISHED_ITEMS_MISSING'
  | 'FOREIGN_PROVISION_REFUSED'
  | 'BREACH_INVALID';

/**
 * Options every SDK error accepts.
 *
 * @example
 * ```ts
 * import { StorageUnavailableError } from 'purpose-bound';
 *
 * try {
 *   await pool.query('SELECT 1');
 * } catch (driverError) {
 *   // The driver's error names the host, never a personal value: safe to keep as the cause.
 *   throw new StorageUnavailableError('postgres', 'db.internal:5432/app', { cause: driverError });
 * }
 * ```
 */
export interface PurposeBoundErrorOptions {
  /** The underlying error, if it cannot carry a personal value. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by purpose-bound.
 *
 * `instanceof` works across duplicate copies of the package (the check uses a registered
 * symbol brand, like zod 4 does).
 *
 * @example
 * ```ts
 * import { PurposeBoundError } from 'purpose-bound';
 * try {
 *   await guard.read(email, { purpose: 'contact', actor: 'staff:42' });
 * } catch (error) {
 *   if (error instanceof PurposeBoundError) console.error(error.code); // e.g. USE_SUSPENDED
 * }
 * ```
 */
export class PurposeBoundError extends Error {
  /** Stable machine-readable code. */
  readonly code: PurposeBoundErrorCode;

  constructor(code: PurposeBoundErrorCode, message: string, options?: PurposeBoundErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (this === PurposeBoundError) return (value as Record<symbol, unknown>)[BRAND] === true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Type guard for SDK errors, optionally narrowed to one code.
 *
 * @example
 * ```ts
 * if (isPurposeBoundError(error, 'CONSENT_REQUIRED')) askForConsent();
 * ```
 */
export function isPurposeBoundError(value: unknown, code?: PurposeBoundErrorCode): value is PurposeBoundError {
  return value instanceof PurposeBoundError && (code === undefined || value.code === code);
}
