/**
 * `SubjectHeldError`: code `SUBJECT_HELD`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * `vault.erase(..., { unlessHeldBy })` found the subject holding a record of one of the given
 * kinds (e.g. an open data-subject request, `'request-open'`), checked under the subject's lock
 * in the erasure's own transaction. Nothing was erased. The retention sweep leaves such a
 * subject for its next run.
 *
 * @example
 * ```ts
 * try {
 *   await vault.erase(subject, { actor: 'retention-sweep', reference: 'retention:1', unlessHeldBy: ['request-open'] });
 * } catch (error) {
 *   if (error instanceof SubjectHeldError) console.log(error.heldBy); // ['request-open']
 * }
 * ```
 */
export class SubjectHeldError extends PurposeBoundError {
  readonly subject: string;
  /** The kinds of record that hold the subject. */
  readonly heldBy: readonly string[];
  constructor(subject: string, heldBy: readonly string[]) {
    super('SUBJECT_HELD', `Subject "${subject}" is held by a record of kind ${heldBy.map((k) => `"${k}"`).join(', ')}; it was not erased`);
    this.subject = subject;
    this.heldBy = Object.freeze([...heldBy]);
  }
}
