/**
 * `CheckpointError`: code `CHECKPOINT_INVALID`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

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
