/**
 * Errors of the data-subject request workflow.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';
import type { RequestKind, RequestState } from './request.js';

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

/**
 * The person's identity has not been verified (本人確認, APPI Art. 37): nothing is disclosed
 * or changed. Thrown when a request is executed before verification, and when the verifier
 * refuses (`reason` is the verifier's code).
 *
 * @example
 * ```ts
 * await desk.disclose(id, { actor: 'dpo' }); // IdentityNotVerifiedError before desk.verifyIdentity()
 * ```
 */
export class IdentityNotVerifiedError extends PurposeBoundError {
  readonly requestId: string;
  /** The verifier's reason code, when a verification attempt failed. */
  readonly reason: string | undefined;
  constructor(requestId: string, reason?: string) {
    super(
      'IDENTITY_NOT_VERIFIED',
      reason === undefined
        ? `Request "${requestId}": the person's identity has not been verified (APPI Art. 37); nothing was disclosed or changed`
        : `Request "${requestId}": identity verification failed (${reason}); nothing was disclosed or changed`,
    );
    this.requestId = requestId;
    this.reason = reason;
  }
}

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
    super('REQUEST_STATE', `Request "${requestId}" is a ${kind} request; this operation answers ${expected.join(' or ')} requests`);
    this.requestId = requestId;
    this.kind = kind;
    this.expected = Object.freeze([...expected]);
  }
}
