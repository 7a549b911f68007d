/**
 * `SubjectAlreadyErasedError`: code `ALREADY_ERASED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * `vault.erase` on a subject that was already erased. The first erasure stands; its tombstone
 * is unchanged.
 *
 * @example
 * ```ts
 * await vault.erase(subject, { actor: 'dpo', reference: 'req-1' });
 * await vault.erase(subject, { actor: 'dpo', reference: 'req-2' }); // SubjectAlreadyErasedError (ALREADY_ERASED)
 * ```
 */
export class SubjectAlreadyErasedError extends PurposeBoundError {
  readonly subject: string;
  readonly erasedAt: string;
  constructor(subject: string, erasedAt: string) {
    super('ALREADY_ERASED', `Subject "${subject}" was already erased on ${erasedAt}`);
    this.subject = subject;
    this.erasedAt = erasedAt;
  }
}
