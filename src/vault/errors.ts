/**
 * Errors specific to the vault.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';

/**
 * The subject exists but has no stored value for this field (never collected, or deleted).
 *
 * @example
 * ```ts
 * await vault.read(subject, 'phone'); // ValueNotFoundError when no phone was collected
 * ```
 */
export class ValueNotFoundError extends PurposeBoundError {
  readonly subject: string;
  readonly field: string;
  constructor(subject: string, field: string, what = 'value') {
    super('VALUE_NOT_FOUND', `Subject "${subject}" has no stored ${what} for field "${field}"`);
    this.subject = subject;
    this.field = field;
  }
}

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
