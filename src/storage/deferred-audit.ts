/**
 * An internal hook between the group-commit audit log and an adapter that commits audit-only
 * batches lazily (the built-in PostgreSQL adapter): the batch written WITHOUT its sync, so the
 * log can write the next batch while the previous one's synchronous commit is in flight. The
 * log tells no caller of a batch anything before a `syncAudit` that started after the batch
 * committed has completed (the WAL is flushed in order, so that sync makes the batch durable).
 *
 * Not part of the storage contract: adapters without it are written through `writeBatch`.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import type { StorageWrite } from './adapter.js';

/** @internal the property (a symbol, so no adapter has it by accident) holding the hook. */
export const WRITE_AUDIT_BATCH_DEFERRED: unique symbol = Symbol.for('purpose-bound.writeAuditBatchDeferred');

/** @internal what the hook resolves to: the entries, and whether they are durable already. */
export interface DeferredAuditWrite {
  readonly entries: AuditEntry[];
  /** `false`: committed lazily; durable only after the next `syncAudit` completes. */
  readonly durable: boolean;
}

/** @internal the hook: an audit-only batch, written at once, its sync left to the caller. */
export type DeferredAuditWriter = (writes: readonly StorageWrite[]) => Promise<DeferredAuditWrite>;
