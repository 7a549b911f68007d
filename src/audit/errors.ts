/**
 * Errors of the audit log's checkpoints and proofs.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from '../errors.js';

/**
 * A checkpoint, signed note or key could not be used: malformed, signed by no trusted key, a
 * signature that does not verify, or a checkpoint of another log (`origin`). `problem` says
 * which in words; the message never repeats the input beyond a key name.
 *
 * @example
 * ```ts
 * import { CheckpointError, openCheckpoint } from 'purpose-bound';
 *
 * try {
 *   openCheckpoint(noteText, { verifierKey });
 * } catch (error) {
 *   if (error instanceof CheckpointError) console.error(error.problem); // e.g. 'no signature by a trusted key'
 * }
 * ```
 */
export class CheckpointError extends PurposeBoundError {
  /** What is wrong, in words (no input is repeated). */
  readonly problem: string;
  constructor(problem: string, options?: PurposeBoundErrorOptions) {
    super('CHECKPOINT_INVALID', `Checkpoint rejected: ${problem}`, options);
    this.problem = problem;
  }
}

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
