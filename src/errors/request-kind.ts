/**
 * `RequestKindError`: code `REQUEST_KIND`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import type { RequestKind } from '../requests/request.js';

/**
 * An operation was called on a request of another kind (e.g. `desk.correct` on a disclosure
 * request). Nothing was changed.
 *
 * @example
 * ```ts
 * await desk.erase(disclosureRequestId, { actor: 'dpo' }); // RequestKindError (REQUEST_STATE)
 * ```
 */
export class RequestKindError extends PurposeBoundError {
  readonly requestId: string;
  readonly kind: RequestKind;
  readonly expected: readonly RequestKind[];
  constructor(requestId: string, kind: RequestKind, expected: readonly RequestKind[]) {
    super('REQUEST_KIND', `Request "${requestId}" is a ${kind} request; this operation answers ${expected.join(' or ')} requests`);
    this.requestId = requestId;
    this.kind = kind;
    this.expected = Object.freeze([...expected]);
  }
}
