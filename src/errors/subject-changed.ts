/**
 * `SubjectChangedError`: code `STORAGE_CONFLICT`, a case of `StorageConflictError`.
 *
 * @module
 */
import { StorageConflictError } from './storage-conflict.js';

/**
 * `vault.erase(..., { expectedVersion })` or `vault.retention.destroy(..., { expectedVersion })`
 * found the subject changed since the caller read it (e.g. a value was collected or corrected
 * meanwhile). Nothing was erased or destroyed. Not retried automatically:
 * the caller's decision must be taken again on what is stored now.
 *
 * @example
 * ```ts
 * await vault.erase(subject, { actor: 'retention-sweep', reference: 'retention:1', expectedVersion: 4 });
 * // SubjectChangedError (STORAGE_CONFLICT) when the row is at version 5
 * ```
 */
export class SubjectChangedError extends StorageConflictError {
  readonly subject: string;
  constructor(subject: string, notDone: 'erased' | 'destroyed' = 'erased') {
    super(`subject "${subject}", which changed since it was read; it was not ${notDone}`);
    this.subject = subject;
  }
}
