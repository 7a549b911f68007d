/**
 * Identity verification (本人確認, APPI Art. 37) as a pluggable step: the application decides
 * how the person proves who they are (a logged-in session, a one-time code to the address on
 * file, a photo ID at the counter); the request desk refuses to disclose or change anything
 * until a verifier says yes.
 *
 * @module
 */
import type { MaybePromise } from '../util/maybe-promise.js';
import type { DataSubjectRequest } from './request.js';

/**
 * A verifier's answer. On success, `reference` is an id you can trace (a session or ticket id),
 * never a document number or other personal value: it is stored on the request. On failure,
 * `reason` is a short code (`code-mismatch`, `session-expired`), stored and audited.
 *
 * @example
 * ```ts
 * const ok: IdentityVerdict = { verified: true, reference: 'session:8f2c' };
 * const no: IdentityVerdict = { verified: false, reason: 'code-mismatch' };
 * ```
 */
export type IdentityVerdict = { readonly verified: true; readonly reference?: string } | { readonly verified: false; readonly reason: string };

/**
 * What a verifier is asked to check.
 *
 * @example
 * ```ts
 * const check = (input: IdentityCheckInput<{ code: string }>) => input.evidence.code.length === 6;
 * ```
 */
export interface IdentityCheckInput<Evidence> {
  /** The request, as stored (its `subject` is who the requester claims to be). */
  readonly request: DataSubjectRequest;
  /** What the requester presented. Never stored by the SDK. */
  readonly evidence: Evidence;
  readonly at: Date;
}

/**
 * Decides whether the requester is the person (or their legal representative) the request is
 * about. Implement it over your authentication: the SDK stores the method and the verdict,
 * never the evidence.
 *
 * @example
 * ```ts
 * const otpVerifier: IdentityVerifier<{ code: string }> = {
 *   method: 'email-one-time-code',
 *   async verify({ request, evidence }) {
 *     return (await otp.check(request.subject, evidence.code))
 *       ? { verified: true }
 *       : { verified: false, reason: 'code-mismatch' };
 *   },
 * };
 * ```
 */
export interface IdentityVerifier<Evidence = unknown> {
  /** A short id of the method, e.g. `email-one-time-code`; stored on the request and audited. */
  readonly method: string;
  verify(input: IdentityCheckInput<Evidence>): MaybePromise<IdentityVerdict>;
}

/**
 * Evidence for {@link authenticatedSubjectVerifier}: who your authentication says is logged in.
 *
 * @example
 * ```ts
 * const evidence: AuthenticatedSubjectEvidence = { authenticatedSubject: session.subject, sessionId: session.id };
 * ```
 */
export interface AuthenticatedSubjectEvidence {
  /** The subject id bound to the authenticated session. */
  readonly authenticatedSubject: string;
  /** The session or login id, kept as the verification reference. */
  readonly sessionId?: string;
}

/**
 * A verifier for self-service requests made while logged in: the request passes when the
 * subject your authentication established is the subject the request is about. Use it only
 * when your login is itself strong enough to stand as 本人確認 for what is asked (a disclosure
 * hands over every value held).
 *
 * @example
 * ```ts
 * const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
 * await desk.verifyIdentity(id, { actor: 'web', evidence: { authenticatedSubject: session.subject, sessionId: session.id } });
 * ```
 */
export function authenticatedSubjectVerifier(): IdentityVerifier<AuthenticatedSubjectEvidence> {
  return Object.freeze({
    method: 'authenticated-session',
    verify({ request, evidence }: IdentityCheckInput<AuthenticatedSubjectEvidence>): IdentityVerdict {
      if (typeof evidence !== 'object' || evidence === null || typeof evidence.authenticatedSubject !== 'string') {
        return { verified: false, reason: 'no-session' };
      }
      if (evidence.authenticatedSubject !== request.subject) return { verified: false, reason: 'subject-mismatch' };
      return typeof evidence.sessionId === 'string' && evidence.sessionId !== '' ? { verified: true, reference: evidence.sessionId.slice(0, 200) } : { verified: true };
    },
  });
}
