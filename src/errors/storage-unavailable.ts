/**
 * `StorageUnavailableError`: code `STORAGE_UNAVAILABLE`.
 *
 * @module
 */
import { PurposeBoundError, type PurposeBoundErrorOptions } from './base.js';

/**
 * A storage adapter cannot reach its database (closed, unreachable, misconfigured).
 * `adapter` and `location` say which; `location` never holds a password.
 *
 * @example
 * ```ts
 * // StorageUnavailableError: postgres adapter at postgres://postgres@127.0.0.1:5432/pb is unavailable
 * ```
 */
export class StorageUnavailableError extends PurposeBoundError {
  readonly adapter: string;
  readonly location: string;
  constructor(adapter: string, location: string, options?: PurposeBoundErrorOptions) {
    super('STORAGE_UNAVAILABLE', `${adapter} adapter at ${location} is unavailable`, options);
    this.adapter = adapter;
    this.location = location;
  }
}
