/**
 * When a request must be answered. APPI asks for answers "without delay" (遅滞なく, Art. 33(1),
 * 34(2), 35(2)) and sets no number of days; the SDK's default is 14 days (`P14D`), a common
 * internal target in Japan and well inside GDPR's one month (Art. 12(3)). Set your own per kind.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { addDuration, parseDuration, type Duration } from '../util/duration.js';
import { OPEN_STATES, REQUEST_KINDS, type DataSubjectRequest, type RequestKind } from './request.js';

/**
 * The default time to answer a request: 14 days.
 *
 * @example
 * ```ts
 * createRequestDesk({ vault, verifier, dueIn: DEFAULT_DUE_IN }); // 'P14D'
 * ```
 */
export const DEFAULT_DUE_IN = 'P14D';

/**
 * Time to answer, as an ISO 8601 duration: one for every kind, or per kind with a default.
 *
 * @example
 * ```ts
 * const due: DueDates = { default: 'P14D', erasure: 'P7D', disclosure: 'P1M' };
 * ```
 */
export type DueDates = string | ({ readonly default?: string } & { readonly [K in RequestKind]?: string });

/** @internal parsed due dates. */
export interface DueDatePlan {
  dueAt(kind: RequestKind, receivedAt: Date): string;
}

function parse(text: unknown, argument: string): Duration {
  const d = typeof text === 'string' ? parseDuration(text) : undefined;
  if (d === undefined) throw new InvalidArgumentError(argument, 'must be an ISO 8601 duration such as P14D or P1M');
  return d;
}

/**
 * Parse a due-date setting once.
 *
 * @param due - one duration, or per kind with a default (default `P14D`)
 * @throws InvalidArgumentError when a duration is not ISO 8601 or a kind is unknown
 * @example
 * ```ts
 * dueDatePlan({ default: 'P14D', erasure: 'P7D' }).dueAt('erasure', new Date('2026-01-01')); // '2026-01-08T00:00:00.000Z'
 * ```
 */
export function dueDatePlan(due: DueDates = DEFAULT_DUE_IN): DueDatePlan {
  let byKind: Map<RequestKind, Duration>;
  let fallback: Duration;
  if (typeof due === 'string') {
    fallback = parse(due, 'options.dueIn');
    byKind = new Map();
  } else {
    if (typeof due !== 'object' || due === null) throw new InvalidArgumentError('options.dueIn', 'must be a duration or an object of durations by request kind');
    fallback = parse(due.default ?? DEFAULT_DUE_IN, 'options.dueIn.default');
    byKind = new Map();
    for (const [key, value] of Object.entries(due)) {
      if (key === 'default') continue;
      if (!(REQUEST_KINDS as readonly string[]).includes(key)) throw new InvalidArgumentError('options.dueIn', `has an unknown request kind; known: ${REQUEST_KINDS.join(', ')}`);
      byKind.set(key as RequestKind, parse(value, `options.dueIn.${key}`));
    }
  }
  return Object.freeze({
    dueAt(kind: RequestKind, receivedAt: Date): string {
      return addDuration(receivedAt, byKind.get(kind) ?? fallback).toISOString();
    },
  });
}

/**
 * Is the request still open after its due date?
 *
 * @param request - a stored request
 * @param now - the instant to judge at
 * @example
 * ```ts
 * isOverdue(request, new Date()); // true when open and dueAt has passed
 * ```
 */
export function isOverdue(request: Pick<DataSubjectRequest, 'state' | 'dueAt'>, now: Date): boolean {
  return OPEN_STATES.has(request.state) && Date.parse(request.dueAt) < now.getTime();
}
