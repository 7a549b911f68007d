/**
 * Helpers for authors of a `StorageAdapter`: the two pieces every adapter needs and the
 * built-in ones share, so a new adapter filters audit entries and applies write batches exactly
 * as the conformance suite expects.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { matchesAuditQuery, type AuditQuery } from '../audit/audit-log.js';
import type { StorageTransaction, StorageWrite } from './adapter.js';
import { applyWrites } from './apply-writes.js';

/**
 * Does an audit entry match a `listAudit` query? Every given member must match (`subject`,
 * `actor`, `field`, `purpose`, `action`, `decision` by equality, `fromSeq` as `seq >= fromSeq`).
 * `limit` is not part of the match: apply it AFTER filtering, to the entries in `seq` order
 * (`listAudit({ actor, limit: 2 })` is the first two entries OF THAT ACTOR).
 *
 * @param entry - a stored audit entry
 * @param query - the query given to `listAudit` (may be empty)
 * @returns whether the entry belongs to the result (before `limit`)
 * @example
 * ```ts
 * import { auditQueryMatches, type AuditEntry, type AuditQuery } from 'purpose-bound';
 *
 * function listAudit(all: readonly AuditEntry[], query: AuditQuery = {}): AuditEntry[] {
 *   const hits = all.filter((e) => auditQueryMatches(e, query));
 *   return query.limit === undefined ? hits : hits.slice(0, query.limit);
 * }
 * ```
 */
export function auditQueryMatches(entry: AuditEntry, query: AuditQuery): boolean {
  return matchesAuditQuery(entry, query);
}

/**
 * Apply the writes of a `writeBatch` one by one through a transaction, in order: how an adapter
 * without a one-statement batch implements `writeBatch` (the memory adapter does; SQLite does
 * when its connection is busy). Run it inside `adapter.transaction` so the batch is all or
 * nothing. The shape of every write is checked before the first is applied; consecutive audit
 * entries go through `appendAuditMany` where the transaction has it (one head update).
 *
 * @param tx - the transaction to write through
 * @param writes - the batch
 * @returns the audit entries appended, in order
 * @throws InvalidArgumentError (argument `writes`, `writes[i]`, `writes[i].op` or `writes[i].entry`) for a malformed batch, before any write
 * @example
 * ```ts
 * import { applyWritesInTransaction, type AuditEntry, type StorageAdapter, type StorageWrite } from 'purpose-bound';
 *
 * function writeBatch(adapter: StorageAdapter, writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
 *   return adapter.transaction((tx) => applyWritesInTransaction(tx, writes));
 * }
 * ```
 */
export function applyWritesInTransaction(tx: StorageTransaction, writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
  return applyWrites(tx, writes);
}
