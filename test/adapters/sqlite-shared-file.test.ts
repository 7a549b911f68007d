/**
 * Two SQLite adapters of one process on one database file share the file's queue of
 * transactions (better-sqlite3 waits for a lock synchronously, so they must never wait on each
 * other's connection): they share its nested-transaction scope too, so a transaction (or a
 * one-statement read) of one started inside the other's transaction is refused at once instead
 * of waiting for that transaction forever, and one started beside it just waits its turn.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError } from 'purpose-bound';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-shared-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** `p`, or a rejection after `ms` (a hang fails the test instead of stalling it). */
function within<T>(p: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

async function twoOnOneFile(busyTimeoutMs?: number) {
  const file = path.join(dir, `shared-${++n}.db`);
  const a = sqliteAdapter({ filename: file, ...(busyTimeoutMs !== undefined && { busyTimeoutMs }) });
  const b = sqliteAdapter({ filename: file, ...(busyTimeoutMs !== undefined && { busyTimeoutMs }) });
  await a.open();
  await b.open();
  return { a, b, close: async () => Promise.all([a.close(), b.close()]) };
}

describe('two SQLite adapters on one file', () => {
  it("refuses a transaction of one started inside the other's, at once (it used to wait forever)", async () => {
    const { a, b, close } = await twoOnOneFile();
    const nested = a.transaction(async () => b.transaction(async (tx) => tx.listSubjects()));
    const error = await within(nested).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/started inside another one/);
    // and a one-statement read of the other adapter, too
    const read = a.transaction(async () => b.getSubjectStates?.({ subjects: ['s1'], recordKinds: [] }));
    await expect(within(read)).rejects.toBeInstanceOf(StorageError);
    // both adapters still work afterwards
    await a.transaction(async (tx) => tx.listSubjects());
    await b.transaction(async (tx) => tx.listSubjects());
    await close();
  });

  it("lets a transaction of one started beside the other's (not inside it) wait its turn and run", async () => {
    const { a, b, close } = await twoOnOneFile();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = a.transaction(async () => {
      order.push('a begins');
      await held;
      order.push('a ends');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = b.transaction(async (tx) => {
      order.push('b runs');
      return tx.listSubjects();
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['a begins']); // b waits for a
    release();
    await within(Promise.all([first, second]));
    expect(order).toEqual(['a begins', 'a ends', 'b runs']);
    await close();
  });

  it("queues a write batch of one behind the other's open transaction instead of running it at once (no busy wait, no SQLITE_BUSY)", async () => {
    // busyTimeoutMs 0: a batch that began on its own connection while the other holds the
    // write lock would fail SQLITE_BUSY at once; it must wait for the file's queue instead.
    const { a, b, close } = await twoOnOneFile(0);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const order: string[] = [];
    const first = a.transaction(async (tx) => {
      await tx.appendAudit({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor: 'a', decision: 'allow' });
      order.push('a wrote');
      await held;
      order.push('a ends');
    });
    await new Promise((r) => setTimeout(r, 20));
    const batch = (b.writeBatch as NonNullable<typeof b.writeBatch>)([
      { op: 'appendAudit', entry: { at: '2026-12-01T00:00:00.000Z', action: 'read', actor: 'b', decision: 'allow' } },
    ]).then((entries) => (order.push('b wrote'), entries));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['a wrote']); // b's batch waits for a
    release();
    const [, entries] = await within(Promise.all([first, batch]));
    expect(order).toEqual(['a wrote', 'a ends', 'b wrote']);
    expect(entries.map((e) => [e.actor, e.seq])).toEqual([['b', 2]]);
    await close();
  });
});
