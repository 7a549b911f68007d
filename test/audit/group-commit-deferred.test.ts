/**
 * Group commit over an adapter that commits audit-only batches lazily (the PostgreSQL server):
 * the next batch is written while the previous one's sync is in flight, and no caller is told
 * of an entry before the sync that followed its batch's commit has completed; a failed sync
 * fails exactly its batch's callers (fail closed). Driven through a wrapper around the memory
 * adapter whose syncs the test completes by hand, then end to end on PostgreSQL.
 *
 * @module
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupCommitAuditLog, verifyAuditLog, type AuditEntryInput, type StorageAdapter, type StorageWrite } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { WRITE_AUDIT_BATCH_DEFERRED, type DeferredAuditWriter } from '../../src/storage/deferred-audit.js';
import { DATABASE_URL, uniqueSchema } from '../adapters/support/postgres-env.js';

const input = (i: number): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor: `staff:${i}`, subject: `s${i}`, decision: 'allow' });

/** The memory adapter, its audit batches "lazy": each sync waits until the test settles it. */
async function lazyAdapter() {
  const inner = memoryAdapter();
  await inner.open();
  const writes: number[] = [];
  const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const deferred: DeferredAuditWriter = async (batch: readonly StorageWrite[]) => {
    writes.push(batch.length);
    const entries = await (inner.writeBatch as NonNullable<StorageAdapter['writeBatch']>)(batch);
    return { entries, durable: batch.length === 1 };
  };
  const adapter = Object.assign(Object.create(inner) as StorageAdapter, {
    syncAudit: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
    [WRITE_AUDIT_BATCH_DEFERRED]: deferred,
  });
  return { adapter, writes, syncs };
}

const settledState = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return state;
};

describe('group commit with lazily committed batches', () => {
  it('writes the next batch while a sync is in flight, and tells each caller only after its own sync', async () => {
    const { adapter, writes, syncs } = await lazyAdapter();
    const log = createGroupCommitAuditLog({ adapter });
    const first = log.appendMany([input(1), input(2)]);
    await settledState(first);
    expect(writes).toEqual([2]);
    expect(syncs).toHaveLength(1);
    const second = log.appendMany([input(3), input(4)]);
    expect(await settledState(second)).toBe('pending');
    expect(writes).toEqual([2, 2]); // written while the first sync is still in flight
    expect(syncs).toHaveLength(2);
    syncs[1]?.resolve();
    expect(await settledState(second)).toBe('resolved');
    expect(await settledState(first)).toBe('pending'); // its own sync has not completed
    syncs[0]?.resolve();
    expect((await first).map((e) => e.seq)).toEqual([1, 2]);
    expect((await second).map((e) => e.seq)).toEqual([3, 4]);
    await log.flush();
  });

  it('fails exactly the callers of a batch whose sync fails; flush waits for syncs in flight', async () => {
    const { adapter, syncs } = await lazyAdapter();
    const log = createGroupCommitAuditLog({ adapter });
    const failed = log.appendMany([input(1), input(2)]);
    await settledState(failed);
    const ok = log.appendMany([input(3), input(4)]);
    await settledState(ok);
    const flushed = log.flush();
    expect(await settledState(flushed)).toBe('pending');
    syncs[0]?.reject(new Error('fsync failed'));
    syncs[1]?.resolve();
    await expect(failed).rejects.toThrow('fsync failed');
    expect((await ok).map((e) => e.seq)).toEqual([3, 4]);
    await flushed;
  });

  it('keeps at most four syncs in flight: the fifth batch waits for one to complete', async () => {
    const { adapter, writes, syncs } = await lazyAdapter();
    const log = createGroupCommitAuditLog({ adapter });
    const batches = [];
    for (let i = 0; i < 6; i++) {
      batches.push(log.appendMany([input(2 * i), input(2 * i + 1)]));
      await settledState(Promise.resolve());
    }
    expect(syncs).toHaveLength(4);
    expect(writes).toHaveLength(4);
    syncs[0]?.resolve();
    await settledState(Promise.resolve());
    expect(writes).toHaveLength(5);
    for (let i = 1; i < 6; i++) {
      await settledState(Promise.resolve());
      syncs[i]?.resolve();
    }
    await Promise.all(batches);
    await log.flush();
  });
});

describe('postgresql: lazily committed batches, synced in overlap', () => {
  const schema = uniqueSchema('pbdeferred');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('256 concurrent appends all land once, in one verifiable tree, each after a sync', async () => {
    const adapter = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 10 });
    expect(typeof (adapter as { [WRITE_AUDIT_BATCH_DEFERRED]?: unknown })[WRITE_AUDIT_BATCH_DEFERRED]).toBe('function');
    const log = createGroupCommitAuditLog({ adapter });
    const entries = await Promise.all(Array.from({ length: 256 }, (_, i) => log.append(input(i))));
    expect(new Set(entries.map((e) => e.seq)).size).toBe(256);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: 256 });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.pb_audit`);
    expect(rows[0].n).toBe(256);
    await log.close();
    await adapter.close();
  });
});
