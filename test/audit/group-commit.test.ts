/**
 * Group commit on every adapter: concurrent appends are written in few batches (counted through
 * a wrapper around the adapter's writeBatch), each caller gets its own entry, a batch never
 * exceeds maxBatch, an append alone is written at once as a batch of one, a failed batch
 * rejects exactly its callers (fail closed) and none of their entries is stored, and a
 * malformed input fails alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AuditWriteError, createGroupCommitAuditLog, InvalidArgumentError, verifyAuditLog, type AuditEntryInput, type StorageAdapter, type StorageWrite } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sqlTargets } from '../security/fixtures/targets.js';

const { targets, close } = sqlTargets('pb_audit_gc');
afterAll(close);

const input = (i: number, actor = `staff:${i}`): AuditEntryInput => ({
  at: '2026-12-01T10:00:00.000Z',
  action: 'read',
  actor,
  subject: `s${i % 5}`,
  field: 'email',
  purpose: 'contact',
  decision: 'allow',
});

/** The adapter with its writeBatch counted (and optionally made to fail on some calls). */
function counting(adapter: StorageAdapter, failOn: (call: number) => boolean = () => false) {
  const batches: number[] = [];
  const wrapped: StorageAdapter = {
    kind: adapter.kind,
    location: adapter.location,
    capabilities: adapter.capabilities,
    open: () => adapter.open(),
    close: () => adapter.close(),
    schemaVersion: () => adapter.schemaVersion(),
    transaction: (fn, options) => adapter.transaction(fn, options),
    async writeBatch(writes: readonly StorageWrite[]) {
      batches.push(writes.length);
      if (failOn(batches.length)) throw new Error('the database went away');
      return (adapter.writeBatch as NonNullable<StorageAdapter['writeBatch']>)(writes);
    },
  };
  return { wrapped, batches };
}

const stores: { name: string; create(): Promise<StorageAdapter> }[] = [
  {
    name: 'memory',
    async create() {
      const a = memoryAdapter();
      await a.open();
      return a;
    },
  },
  ...targets.map((t) => ({
    name: t.name,
    async create() {
      const { adapter } = await t.create();
      await adapter.open();
      return adapter;
    },
  })),
];

describe.each(stores)('group commit on $name', (store) => {
  it('an append alone is written at once, as a batch of one', async () => {
    const { wrapped, batches } = counting(await store.create());
    const log = createGroupCommitAuditLog({ adapter: wrapped });
    const e = await log.append(input(1));
    expect(e).toMatchObject({ seq: 1, actor: 'staff:1' });
    expect(batches).toEqual([1]);
  });

  it('concurrent appends share batches; each caller gets its own entry; the log verifies', async () => {
    const { wrapped, batches } = counting(await store.create());
    const log = createGroupCommitAuditLog({ adapter: wrapped, maxBatch: 16 });
    const singles = Array.from({ length: 64 }, (_, i) => log.append(input(i)));
    const many = log.appendMany(Array.from({ length: 10 }, (_, i) => input(100 + i, 'batch-reader')));
    const got = await Promise.all(singles);
    got.forEach((e, i) => expect(e.actor).toBe(`staff:${i}`));
    const group = await many;
    expect(group.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => (group[0]?.seq ?? 0) + i)); // one caller's entries are consecutive
    expect(new Set([...got, ...group].map((e) => e.seq)).size).toBe(74);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(74);
    expect(batches.length).toBe(5); // 74 entries in batches of at most 16, the first one full
    expect(Math.max(...batches)).toBeLessThanOrEqual(16);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: 74 });
  });

  it('callers released together by one batch all join the next (none goes ahead alone)', async () => {
    // 16 callers, each appending 5 times in turn: every round is ONE batch of 16. Without the
    // gathering microtask the first caller of each round went alone and the other 15 followed
    // in a second batch: twice the transactions (measured on SQLite: batches of 1 and 31).
    const { wrapped, batches } = counting(await store.create());
    const log = createGroupCommitAuditLog({ adapter: wrapped });
    await Promise.all(
      Array.from({ length: 16 }, async (_, caller) => {
        for (let round = 0; round < 5; round++) await log.append(input(caller * 10 + round));
      }),
    );
    expect(batches).toEqual([16, 16, 16, 16, 16]);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: 80 });
  });

  it('a failed batch rejects exactly its callers (fail closed) and stores none of their entries', async () => {
    const { wrapped, batches } = counting(await store.create(), (call) => call === 2);
    const log = createGroupCommitAuditLog({ adapter: wrapped, maxBatch: 8 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => log.append(input(i))));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.length).toBe(batches[1]);
    const stored = await log.entries();
    const allowed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(stored.map((e) => e.actor).sort()).toEqual(allowed.map((e) => e.actor).sort());
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: allowed.length });
  });

  it('a malformed input fails alone; a closed log refuses appends', async () => {
    const log = createGroupCommitAuditLog({ adapter: await store.create() });
    const good = log.append(input(1));
    await expect(log.append({ ...input(2), details: { n: Number.NaN } })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(log.append({ ...input(3), actor: 7 as unknown as string })).rejects.toThrow(/input\.actor/);
    expect((await good).seq).toBe(1);
    await log.close();
    await expect(log.append(input(4))).rejects.toBeInstanceOf(AuditWriteError);
  });
});
