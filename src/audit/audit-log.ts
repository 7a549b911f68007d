/**
 * The audit log interface and its in-memory implementation.
 *
 * @module
 */
import type { MaybePromise } from '../util/maybe-promise.js';
import { chainAuditEntry, type AuditEntry, type AuditEntryInput } from './audit-entry.js';

/**
 * Filters for reading the log (all optional, combined with AND). Entries come in `seq` order.
 *
 * @example
 * ```ts
 * import type { AuditQuery } from 'purpose-bound';
 *
 * // Every refused read of one person's data, for an inquiry from that person.
 * const query: AuditQuery = { subject: 'sub_9f2c', action: 'read', decision: 'deny' };
 * const refused = await audit.entries(query);
 * ```
 */
export interface AuditQuery {
  readonly subject?: string;
  readonly actor?: string;
  readonly field?: string;
  readonly purpose?: string;
  readonly action?: string;
  readonly decision?: AuditEntry['decision'];
  /** Only entries with `seq >= fromSeq`. */
  readonly fromSeq?: number;
  /** At most this many entries. */
  readonly limit?: number;
}

/**
 * Where audit entries go. Implementations must append atomically and keep the chain linear
 * under concurrent appends (the storage adapters lock the head in the appending transaction).
 *
 * @example
 * ```ts
 * const log: AuditLog = createMemoryAuditLog();
 * await log.append({ at: new Date().toISOString(), action: 'read', actor: 'a', decision: 'allow' });
 * ```
 */
export interface AuditLog {
  append(input: AuditEntryInput): MaybePromise<AuditEntry>;
  entries(query?: AuditQuery): MaybePromise<readonly AuditEntry[]>;
}

/** @internal does an entry match a query? (shared by the memory log and adapters that filter in memory) */
export function matchesAuditQuery(e: AuditEntry, q: AuditQuery): boolean {
  return (
    (q.subject === undefined || e.subject === q.subject) &&
    (q.actor === undefined || e.actor === q.actor) &&
    (q.field === undefined || e.field === q.field) &&
    (q.purpose === undefined || e.purpose === q.purpose) &&
    (q.action === undefined || e.action === q.action) &&
    (q.decision === undefined || e.decision === q.decision) &&
    (q.fromSeq === undefined || e.seq >= q.fromSeq)
  );
}

/**
 * An in-memory, hash-chained audit log (the default of `createGuard`). Appends are synchronous,
 * so the chain cannot fork within one process.
 *
 * @example
 * ```ts
 * const audit = createMemoryAuditLog();
 * const guard = createGuard({ policy, audit });
 * // ...
 * (await verifyAuditLog(audit)).valid; // true
 * ```
 */
export function createMemoryAuditLog(): AuditLog {
  const log: AuditEntry[] = [];
  return {
    append(input: AuditEntryInput): AuditEntry {
      const entry = chainAuditEntry(input, log[log.length - 1]);
      log.push(entry);
      return entry;
    },
    entries(query?: AuditQuery): readonly AuditEntry[] {
      if (!query) return [...log];
      const out: AuditEntry[] = [];
      for (const e of log) {
        if (matchesAuditQuery(e, query)) out.push(e);
        if (query.limit !== undefined && out.length >= query.limit) break;
      }
      return out;
    },
  };
}
