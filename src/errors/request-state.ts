/**
 * `RequestStateError`: code `REQUEST_STATE`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import type { RequestState } from '../requests/request.js';

/**
 * A request was asked to move in a way its state does not allow (completing a completed
 * request, verifying a rejected one, executing a disclosure on a correction request...).
 * Nothing was changed.
 *
 * @example
 * ```ts
 * await desk.reject(id, { actor: 'dpo', reason: 'other', explanation: { en: '...' } });
 * await desk.start(id, { actor: 'dpo' }); // RequestStateError (REQUEST_STATE): request is rejected
 * ```
 */
export class RequestStateError extends PurposeBoundError {
  readonly requestId: string;
  readonly state: RequestState;
  readonly attempted: string;
  constructor(requestId: string, state: RequestState, attempted: string, detail?: string) {
    super('REQUEST_STATE', `Request "${requestId}" is ${state}; cannot ${attempted}${detail ? ` (${detail})` : ''}`);
    this.requestId = requestId;
    this.state = state;
    this.attempted = attempted;
  }
}
