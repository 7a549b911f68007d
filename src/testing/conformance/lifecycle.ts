/**
 * Conformance part `lifecycle`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { SubjectRow } from '../../storage/adapter.js';
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
    const error: unknown = await adapter
      .transaction((tx) => tx.getSubject('s-1'))
      .then(
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

  it('capability flags match behaviour: frozen; persistent ⇒ a reopen shows the data; concurrentWriters ⇒ a second connection', async () => {
    const adapter = await options.createAdapter();
    try {
      const caps = adapter.capabilities;
      expect(Object.isFrozen(caps)).toBe(true);
      expect(adapter.capabilities).toEqual(caps);
      if (caps.concurrentWriters && !options.concurrent && options.skip?.concurrency === undefined) {
        throw new Error(
          `${options.name} declares concurrentWriters but the suite was given no \`concurrent\` connection to check it (pass one, or skip 'concurrency' with the reason)`,
        );
      }
      if (caps.persistent && !options.reopen && options.skip?.migrations === undefined) {
        throw new Error(`${options.name} declares persistent storage but the suite was given no \`reopen\` to check it`);
      }
    } finally {
      await quietClose(adapter);
    }
    if (adapter.capabilities.persistent && options.reopen) {
      const first = await options.createAdapter();
      await first.open();
      const row = subjectRow();
      await first.transaction((tx) => tx.insertSubject(row));
      await quietClose(first);
      const again = await options.reopen(first);
      try {
        await again.open();
        expect(await again.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ id: row.id });
      } finally {
        await quietClose(again);
      }
    }
    if (adapter.capabilities.concurrentWriters && options.concurrent) {
      await withAdapter(async (a, track) => {
        const b = track(await (options.concurrent as NonNullable<typeof options.concurrent>)(a));
        await b.open();
        const rows = [subjectRow(), subjectRow()];
        await Promise.all([a.transaction((tx) => tx.insertSubject(rows[0] as SubjectRow)), b.transaction((tx) => tx.insertSubject(rows[1] as SubjectRow))]);
        for (const r of rows) expect(await a.transaction((tx) => tx.getSubject(r.id))).toMatchObject({ id: r.id });
      });
    }
  });
}
