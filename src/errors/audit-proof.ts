/**
 * `AuditProofError`: code `AUDIT_PROOF_UNAVAILABLE`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * A proof could not be produced: the tree size or entry asked for is not in the log, or the
 * stored tree disagrees with the entries (tampered nodes or head).
 *
 * @example
 * ```ts
 * import { AuditProofError } from 'purpose-bound';
 *
 * try {
 *   await proofs.inclusion(10_000, 5);
 * } catch (error) {
 *   if (error instanceof AuditProofError) console.error(error.message);
 * }
 * ```
 */
export class AuditProofError extends PurposeBoundError {
  constructor(what: string, options?: PurposeBoundErrorOptions) {
    super('AUDIT_PROOF_UNAVAILABLE', `No audit proof: ${what}`, options);
  }
}
