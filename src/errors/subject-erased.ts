/**
 * `SubjectErasedError`: code `SUBJECT_ERASED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * The subject's data was erased (crypto-shredded). The fact of erasure is kept; the values are gone.
 *
 * @example
 * ```ts
 * await vault.read('subject-1', 'email'); // SubjectErasedError after vault.erase('subject-1')
 * ```
 */
export class SubjectErasedError extends PurposeBoundError {
  readonly subject: string;
  readonly erasedAt: string | undefined;
  constructor(subject: string, erasedAt?: string) {
    super('SUBJECT_ERASED', `Subject "${subject}" was erased${erasedAt ? ` on ${erasedAt}` : ''}; its values no longer exist`);
    this.subject = subject;
    this.erasedAt = erasedAt;
  }
}
