/**
 * `StorageConflictError`: code `STORAGE_CONFLICT`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * A concurrent writer changed the same record first; retry the operation.
 *
 * @example
 * ```ts
 * // two writers updating one subject: one succeeds, the other gets StorageConflictError
 * ```
 */
export class StorageConflictError extends PurposeBoundError {
  constructor(what: string, options?: PurposeBoundErrorOptions) {
    super('STORAGE_CONFLICT', `Concurrent update of ${what}; retry`, options);
  }
}
