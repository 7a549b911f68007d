/**
 * `IdentityNotVerifiedError`: code `IDENTITY_NOT_VERIFIED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

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
