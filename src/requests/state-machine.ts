/**
 * The request state machine: which moves are allowed, as data, and the pure function that
 * applies one.
 *
 * ```
 * received ──verify──▶ identity-verified ──start──▶ in-progress ──complete──▶ completed
 *     │                        │                         │
 *     └────────reject──────────┴──────────reject─────────┴──▶ rejected
 * ```
 *
 * Completing needs verified identity: a `received` request can never jump to `in-progress` or
 * `completed` (that is {@link IdentityNotVerifiedError}, not a mere state error).
 *
 * @module
 */
import { IdentityNotVerifiedError, RequestStateError } from '../errors.js';
import type { DataSubjectRequest, RequestState } from './request.js';

/**
 * Allowed moves: from a state, the states it may go to.
 *
 * @example
 * ```ts
 * REQUEST_TRANSITIONS['in-progress']; // ['completed', 'rejected']
 * ```
 */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = Object.freeze({
  received: Object.freeze(['identity-verified', 'rejected'] as const),
  'identity-verified': Object.freeze(['in-progress', 'rejected'] as const),
  'in-progress': Object.freeze(['completed', 'rejected'] as const),
  completed: Object.freeze([] as const),
  rejected: Object.freeze([] as const),
});

/**
 * May a request in state `from` move to `to`?
 *
 * @param from - the current state
 * @param to - the wanted state
 * @example
 * ```ts
 * canTransition('received', 'completed'); // false
 * canTransition('in-progress', 'completed'); // true
 * ```
 */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return (REQUEST_TRANSITIONS[from] as readonly RequestState[]).includes(to);
}

/**
 * Throw unless `request` may move to `to`.
 *
 * @param request - the request as stored
 * @param to - the wanted state
 * @throws IdentityNotVerifiedError when an unverified request would move past verification
 * @throws RequestStateError for every other move the state machine does not allow
 * @example
 * ```ts
 * assertTransition(request, 'completed'); // throws IdentityNotVerifiedError while 'received'
 * ```
 */
export function assertTransition(request: DataSubjectRequest, to: RequestState): void {
  if (canTransition(request.state, to)) return;
  if (request.state === 'received' && (to === 'in-progress' || to === 'completed')) throw new IdentityNotVerifiedError(request.id);
  throw new RequestStateError(request.id, request.state, `move to ${to}`);
}

/**
 * The request after one allowed move (a new frozen object; the input is unchanged).
 *
 * @param request - the request as stored
 * @param to - the new state
 * @param by - who moves it and when
 * @throws IdentityNotVerifiedError, RequestStateError as {@link assertTransition}
 * @example
 * ```ts
 * const next = applyTransition(request, 'in-progress', { actor: 'dpo', at: new Date().toISOString() });
 * ```
 */
export function applyTransition(request: DataSubjectRequest, to: RequestState, by: { readonly actor: string; readonly at: string }): DataSubjectRequest {
  assertTransition(request, to);
  return Object.freeze({
    ...request,
    state: to,
    transitions: Object.freeze([...request.transitions, Object.freeze({ from: request.state, to, at: by.at, actor: by.actor })]),
  });
}
