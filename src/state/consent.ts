/**
 * Consent records (本人の同意) and the in-memory registry.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { MaybePromise } from '../util/maybe-promise.js';

/**
 * One consent event: a grant or a withdrawal, for one subject and purpose, with the notice
 * version the person saw. The latest event for a (subject, purpose) decides.
 *
 * @example
 * ```ts
 * const record: ConsentRecord = {
 *   id: 'c1', subject: 's1', purpose: 'newsletter', state: 'granted',
 *   at: '2026-11-24T10:00:00.000Z', noticeVersion: '2020-09', actor: 'subject',
 * };
 * ```
 */
export interface ConsentRecord {
  readonly id: string;
  readonly subject: string;
  readonly purpose: string;
  readonly state: 'granted' | 'withdrawn';
  readonly at: string;
  /** Version of the notice the person saw when consenting. */
  readonly noticeVersion: string;
  /** Who recorded it (`subject` when the person did it themself). */
  readonly actor: string;
  /** How consent was obtained: `web-form`, `paper`, `email`... */
  readonly method?: string;
  /** Optional end of validity, ISO 8601. */
  readonly expiresAt?: string;
}

/**
 * The input of a new consent event; `id` is generated.
 *
 * @example
 * ```ts
 * import { createMemoryConsentRegistry, type ConsentEvent } from 'purpose-bound';
 *
 * const consents = createMemoryConsentRegistry();
 * const withdrawal: ConsentEvent = {
 *   subject: 'sub_9f2c', purpose: 'newsletter', state: 'withdrawn',
 *   at: new Date().toISOString(), noticeVersion: '2020-09', actor: 'subject', method: 'web-form',
 * };
 * const record = await consents.record(withdrawal); // { id: '…', ...withdrawal }
 * ```
 */
export type ConsentEvent = Omit<ConsentRecord, 'id'>;

/**
 * Where consent events live. Storage adapters implement it; `createMemoryConsentRegistry()` is
 * the default.
 *
 * @example
 * ```ts
 * const consents: ConsentRegistry = createMemoryConsentRegistry();
 * ```
 */
export interface ConsentRegistry {
  record(event: ConsentEvent): MaybePromise<ConsentRecord>;
  /** Is there a grant in force (latest event is a grant, not expired at `at`)? */
  isGranted(subject: string, purpose: string, at: Date): MaybePromise<boolean>;
  /** Every event of a subject, oldest first. */
  list(subject: string): MaybePromise<readonly ConsentRecord[]>;
}

/** @internal latest-event-wins rule shared by every implementation. */
export function consentInForce(events: readonly ConsentRecord[], purpose: string, at: Date): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as ConsentRecord;
    if (e.purpose !== purpose) continue;
    if (e.state !== 'granted') return false;
    return e.expiresAt === undefined || Date.parse(e.expiresAt) > at.getTime();
  }
  return false;
}

/**
 * In-memory consent registry.
 *
 * @example
 * ```ts
 * const guard = createGuard({ policy, consents: createMemoryConsentRegistry() });
 * ```
 */
export function createMemoryConsentRegistry(): ConsentRegistry {
  const bySubject = new Map<string, ConsentRecord[]>();
  return {
    record(event) {
      const rec: ConsentRecord = Object.freeze({ ...event, id: randomUUID() });
      const list = bySubject.get(event.subject) ?? [];
      list.push(rec);
      bySubject.set(event.subject, list);
      return rec;
    },
    isGranted(subject, purpose, at) {
      const list = bySubject.get(subject);
      return list ? consentInForce(list, purpose, at) : false;
    },
    list(subject) {
      return [...(bySubject.get(subject) ?? [])];
    },
  };
}
