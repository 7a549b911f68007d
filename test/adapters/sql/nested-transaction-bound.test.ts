/**
 * A transaction started from a timer callback inside a transaction of the same SQLite adapter
 * (no await chain leads back to the outer callback) never hangs on the connection the outer
 * one holds: it fails with the nested-transaction `StorageError` naming its operation (refused
 * up front, or at the latest when the bounded wait for the connection ends), the outer one with
 * it, and the adapter keeps working. Fake timers drive the bound (nothing is timed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageError, type StorageAdapter } from 'purpose-bound';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { DEFAULT_WAIT_MS } from '../../../src/storage/transaction-scope.js';

afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ['a transaction', 'run a transaction', (a: StorageAdapter) => a.transaction(async (tx) => tx.getSubject('x'))],
  ['a read-only transaction', 'run a read-only transaction', (a: StorageAdapter) => a.transaction(async (tx) => tx.getSubject('x'), { readOnly: true })],
] as const)('SQLite: %s started from a timer inside a transaction', (_what, operation, inner) => {
  it('fails with the nested-transaction error naming its operation, within the bound; the adapter works on', async () => {
    const adapter = sqliteAdapter();
    await adapter.open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let innerError: unknown;
    const outer = adapter.transaction(
      async () =>
        new Promise((resolve, reject) => {
          // from a timer: no await chain leads back to the transaction callback
          setTimeout(() => {
            inner(adapter).then(resolve, (e: unknown) => {
              innerError = e;
              reject(e);
            });
          }, 1);
        }),
    );
    const settled = outer.then(
      () => 'resolved',
      () => 'rejected',
    );
    await vi.advanceTimersByTimeAsync(DEFAULT_WAIT_MS + 2);
    expect(await settled).toBe('rejected');
    expect(innerError).toBeInstanceOf(StorageError);
    expect(innerError).toMatchObject({ operation, message: expect.stringContaining('inside another') });
    vi.useRealTimers();
    expect(await adapter.transaction(async (tx) => tx.getSubject('x'))).toBeUndefined();
    await adapter.close();
  });
});
