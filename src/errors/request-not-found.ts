/**
 * `RequestNotFoundError`: code `REQUEST_NOT_FOUND`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * No request with this id is stored.
 *
 * @example
 * ```ts
 * await desk.get('no-such-id'); // RequestNotFoundError (REQUEST_NOT_FOUND)
 * ```
 */
export class RequestNotFoundError extends PurposeBoundError {
  readonly requestId: string;
  constructor(requestId: string) {
    super('REQUEST_NOT_FOUND', `No data-subject request "${requestId}" is stored`);
    this.requestId = requestId;
  }
}
