/**
 * `SubjectNotFoundError`: code `SUBJECT_NOT_FOUND`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * No subject with this id is stored.
 *
 * @example
 * ```ts
 * await vault.read('nobody', 'email'); // SubjectNotFoundError
 * ```
 */
export class SubjectNotFoundError extends PurposeBoundError {
  readonly subject: string;
  constructor(subject: string) {
    super('SUBJECT_NOT_FOUND', `No subject "${subject}" is stored`);
    this.subject = subject;
  }
}
