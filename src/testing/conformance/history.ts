/**
 * Conformance part `history`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { uid, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `history` part (called inside its `describe` block). */
export function historyPart(ctx: SuiteContext): void {
  const { withAdapter, subjectRow } = ctx;
  it('appends, lists oldest first, deletes per subject; duplicate id conflicts', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const other = subjectRow();
      const h = (id: string, changedAt: string, ciphertext: Uint8Array | null) => ({ id, subjectId: s.id, field: 'a', ciphertext, meta: '{"change":"correction"}', changedAt });
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.insertSubject(other);
        await tx.appendHistory(h(uid('h1'), '2026-01-01T00:00:00.000Z', new Uint8Array([1, 2, 3])));
        await tx.appendHistory(h(uid('h2'), '2026-01-02T00:00:00.000Z', null));
        await tx.appendHistory({ ...h(uid('h3'), '2026-01-03T00:00:00.000Z', null), subjectId: other.id });
      });
      const list = await adapter.transaction((tx) => tx.listHistory(s.id));
      expect(list.map((r) => r.changedAt)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
      expect(Array.from(list[0]?.ciphertext ?? [])).toEqual([1, 2, 3]);
      expect(list[1]?.ciphertext).toBeNull();
      await expectCode(
        adapter.transaction((tx) => tx.appendHistory(list[0] as never)),
        'STORAGE_CONFLICT',
      );
      expect(await adapter.transaction((tx) => tx.deleteHistory(s.id))).toBe(2);
      expect(await adapter.transaction((tx) => tx.listHistory(s.id))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.listHistory(other.id))).toHaveLength(1);
    });
  });

  it('lists history oldest first by changedAt, ties in append order, whatever the ids', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const prefix = uid('h');
      const t1 = '2026-01-02T00:00:00.000Z';
      const t2 = '2026-01-03T00:00:00.000Z';
      const rows = [
        [`${prefix}-z`, t1],
        [`${prefix}-a`, t1],
        [`${prefix}-m`, t2],
        [`${prefix}-b`, t2],
        [`${prefix}-y`, '2026-01-01T00:00:00.000Z'], // appended last, but the oldest (another process's clock)
      ] as const;
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        for (const [id, at] of rows.slice(0, 2)) await tx.appendHistory({ id, subjectId: s.id, field: 'a', ciphertext: new Uint8Array([1]), meta: '{}', changedAt: at });
      });
      await adapter.transaction(async (tx) => {
        for (const [id, at] of rows.slice(2)) await tx.appendHistory({ id, subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: at });
      });
      expect((await adapter.transaction((tx) => tx.listHistory(s.id))).map((r) => r.id)).toEqual([`${prefix}-y`, `${prefix}-z`, `${prefix}-a`, `${prefix}-m`, `${prefix}-b`]);
    });
  });
}
