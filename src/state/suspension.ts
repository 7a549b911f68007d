/**
 * Suspension of use (利用停止, APPI Art. 35) and the in-memory registry.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { MaybePromise } from '../util/maybe-promise.js';

/**
 * A suspension of use of one subject's data, for all purposes or the listed ones.
 *
 * @example
 * ```ts
 * const s: SuspensionRecord = {
 *   id: 'u1', subject: 's1', purposes: ['contact'], at: '2026-11-24T10:00:00.000Z',
 *   actor: 'dpo', reason: 'request r-17',
 * };
 * ```
 */
export interface SuspensionRecord {
  readonly id: string;
  readonly subject: string;
  /** `'all'` or the suspended purposes (their children are suspended too). */
  readonly purposes: 'all' | readonly string[];
  readonly at: string;
  readonly actor: string;
  readonly reason?: string;
  /** The data-subject request that asked for it. */
  readonly requestId?: string;
  /** Set when the suspension was lifted. */
  readonly liftedAt?: string;
  readonly liftedBy?: string;
}

/**
 * Input of a new suspension; `id` is generated, and `liftedAt`/`liftedBy` are set by `lift`.
 *
 * @example
 * ```ts
 * import { createMemorySuspensionRegistry, type SuspensionInput } from 'purpose-bound';
 *
 * const suspensions = createMemorySuspensionRegistry();
 * const input: SuspensionInput = {
 *   subject: 'sub_9f2c', purposes: ['contact'], at: new Date().toISOString(),
 *   actor: 'dpo', reason: 'APPI Art. 35 request', requestId: 'req_7c1e',
 * };
 * const record = await suspensions.suspend(input);
 * await suspensions.isSuspended('sub_9f2c', ['contact']); // true
 * ```
 */
export type SuspensionInput = Omit<SuspensionRecord, 'id' | 'liftedAt' | 'liftedBy'>;

/**
 * Where suspensions live. Storage adapters implement it.
 *
 * @example
 * ```ts
 * const suspensions: SuspensionRegistry = createMemorySuspensionRegistry();
 * ```
 */
export interface SuspensionRegistry {
  suspend(input: SuspensionInput): MaybePromise<SuspensionRecord>;
  /** Lift a suspension by id; returns the updated record, `undefined` when unknown or already lifted. */
  lift(id: string, at: string, actor: string): MaybePromise<SuspensionRecord | undefined>;
  /** Is any of `purposes` (a purpose and its ancestors) suspended for the subject? */
  isSuspended(subject: string, purposes: readonly string[]): MaybePromise<boolean>;
  list(subject: string): MaybePromise<readonly SuspensionRecord[]>;
}

/** @internal shared rule: an active suspension covering any of the purposes. */
export function suspensionCovers(records: readonly SuspensionRecord[], purposes: readonly string[]): boolean {
  for (const r of records) {
    if (r.liftedAt !== undefined) continue;
    if (r.purposes === 'all') return true;
    for (const p of purposes) if (r.purposes.includes(p)) return true;
  }
  return false;
}

/**
 * In-memory suspension registry.
 *
 * @example
 * ```ts
 * const guard = createGuard({ policy, suspensions: createMemorySuspensionRegistry() });
 * ```
 */
export function createMemorySuspensionRegistry(): SuspensionRegistry {
  const bySubject = new Map<string, SuspensionRecord[]>();
  return {
    suspend(input) {
      const rec: SuspensionRecord = Object.freeze({ ...input, purposes: input.purposes === 'all' ? 'all' : Object.freeze([...input.purposes]), id: randomUUID() });
      const list = bySubject.get(input.subject) ?? [];
      list.push(rec);
      bySubject.set(input.subject, list);
      return rec;
    },
    lift(id, at, actor) {
      for (const list of bySubject.values()) {
        const i = list.findIndex((r) => r.id === id);
        const cur = list[i];
        if (cur === undefined) continue;
        if (cur.liftedAt !== undefined) return undefined;
        const lifted = Object.freeze({ ...cur, liftedAt: at, liftedBy: actor });
        list[i] = lifted;
        return lifted;
      }
      return undefined;
    },
    isSuspended(subject, purposes) {
      const list = bySubject.get(subject);
      return list ? suspensionCovers(list, purposes) : false;
    },
    list(subject) {
      return [...(bySubject.get(subject) ?? [])];
    },
  };
}
