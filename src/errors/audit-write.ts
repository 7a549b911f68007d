/**
 * `AuditWriteError`: code `AUDIT_WRITE_FAILED`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * The audit log could not record a decision. The guarded operation fails closed: no value is
 * returned when its read could not be audited.
 *
 * @example
 * ```ts
 * // an AuditLog whose append() rejects makes guard.read() throw AuditWriteError
 * ```
 */
export class AuditWriteError extends PurposeBoundError {
  constructor(options?: PurposeBoundErrorOptions) {
    super('AUDIT_WRITE_FAILED', 'The audit log could not record the decision; the operation was not performed', options);
  }
}
