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
 * await vault.read(subject, 'phone', { purpose: 'contact', actor: 'staff:7' }); // ValueNotFoundError when no phone was collected
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

/**
 * `vault.erase(..., { expectedVersion })` found the subject changed since the caller read it
 * (e.g. a value was collected meanwhile). Nothing was erased. Not retried automatically:
 * the caller's decision must be taken again on what is stored now.
 *
 * @example
 * ```ts
 * await vault.erase(subject, { actor: 'retention-sweep', reference: 'retention:1', expectedVersion: 4 });
 * // SubjectChangedError (STORAGE_CONFLICT) when the row is at version 5
 * ```
 */
export class SubjectChangedError extends PurposeBoundError {
  readonly subject: string;
  constructor(subject: string) {
    super('STORAGE_CONFLICT', `Subject "${subject}" changed since it was read; it was not erased`);
    this.subject = subject;
  }
}
