/**
 * Conformance part `lifecycle`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { quietClose, type SuiteContext } from './support.js';

/** Registers the tests of the `lifecycle` part (called inside its `describe` block). */
export function lifecyclePart(ctx: SuiteContext): void {
  const { options, withAdapter, subjectRow } = ctx;
  it('describes itself: kind, location and capability flags', async () => {
    const adapter = await options.createAdapter();
    try {
      expect(typeof adapter.kind).toBe('string');
      expect(adapter.kind.length).toBeGreaterThan(0);
      expect(typeof adapter.location).toBe('string');
      expect(typeof adapter.capabilities.persistent).toBe('boolean');
      expect(typeof adapter.capabilities.concurrentWriters).toBe('boolean');
      expect(adapter.location).not.toMatch(/:[^:@/]+@/); // no password in user:password@host
    } finally {
      await quietClose(adapter);
    }
  });

  it('rejects transactions after close with StorageUnavailableError naming the adapter', async () => {
    const adapter = await options.createAdapter();
    await adapter.open();
    await adapter.close();
    const error: unknown = await adapter.transaction((tx) => tx.getSubject('s-1')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', adapter: adapter.kind });
  });

  it('commits what a transaction returns and passes its result through', async () => {
    await withAdapter(async (adapter) => {
      const row = subjectRow();
      const result = await adapter.transaction(async (tx) => {
        await tx.insertSubject(row);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ id: row.id, version: 1 });
    });
  });
}
