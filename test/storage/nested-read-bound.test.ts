/**
 * A single-statement read the async stack cannot tie to the transaction it was started in (a
 * timer callback), queued on SQLite's connection behind that transaction while the transaction
 * waits for it: a deadlock. It fails after the same bound as a nested transaction, with the same
 * named error, instead of hanging (fake timers: the bound is asserted, not the wall clock).
 *
 * @module
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { DEFAULT_WAIT_MS } from '../../src/storage/transaction-scope.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SQLite: a nested single-statement read', () => {
  it('that the transaction waits for fails with the nested-transaction error after the bound, and the adapter works on', async () => {
    const adapter = sqliteAdapter();
    await adapter.open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled: 'pending' | 'resolved' | 'rejected' = 'pending';
    const outer = adapter.transaction(
      async () =>
        new Promise((resolve, reject) => {
          // from a timer: no await chain leads back to the transaction callback
          setTimeout(() => {
            (adapter.getSubjectStates?.({ subjects: ['x'], recordKinds: [] }) ?? Promise.reject(new Error('no fast path'))).then(resolve, reject);
          }, 1);
        }),
    );
    outer.then(
      () => {
        settled = 'resolved';
      },
      () => {
        settled = 'rejected';
      },
    );
    await vi.advanceTimersByTimeAsync(DEFAULT_WAIT_MS - 1);
    expect(settled).toBe('pending'); // still waiting within the bound
    await vi.advanceTimersByTimeAsync(2);
    await expect(outer).rejects.toMatchObject({ code: 'STORAGE_ERROR', name: 'StorageError', message: expect.stringContaining('inside another') });
    vi.useRealTimers();
    // The queued read ran after the rollback (its result dropped); the adapter is usable.
    expect(await adapter.getSubjectStates?.({ subjects: ['x'], recordKinds: [] })).toEqual([]);
    expect(await adapter.transaction(async (tx) => tx.getSubject('x'))).toBeUndefined();
    await adapter.close();
  });

  it('outside any transaction is not bounded by a timer (no transaction runs: nothing to wait for)', async () => {
    const adapter = sqliteAdapter();
    await adapter.open();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    expect(await adapter.getSubjectStates?.({ subjects: ['x'], recordKinds: [] })).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    await adapter.close();
  });
});
