/**
 * Conformance part `subjects`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { uid, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `subjects` part (called inside its `describe` block). */
export function subjectsPart(ctx: SuiteContext): void {
  const { withAdapter, subjectRow } = ctx;
  it('insert, get, and duplicate insert → StorageConflictError', async () => {
    await withAdapter(async (adapter) => {
      const row = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(row));
      const got = await adapter.transaction((tx) => tx.getSubject(row.id));
      expect(got).toBeDefined();
      expect(Buffer.from(got?.wrappedKey ?? []).equals(Buffer.from(row.wrappedKey ?? []))).toBe(true);
      expect(got).toMatchObject({ keyId: 'kek-1', createdAt: row.createdAt, erasedAt: null, erasureRef: null, version: 1 });
      await expectCode(
        adapter.transaction((tx) => tx.insertSubject(row)),
        'STORAGE_CONFLICT',
      );
      expect(await adapter.transaction((tx) => tx.getSubject(uid('missing')))).toBeUndefined();
    });
  });

  it('update checks the expected version (optimistic concurrency)', async () => {
    await withAdapter(async (adapter) => {
      const row = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(row));
      await adapter.transaction((tx) => tx.updateSubject({ ...row, keyId: 'kek-2', version: 2 }, 1));
      await expectCode(
        adapter.transaction((tx) => tx.updateSubject({ ...row, version: 3 }, 1)),
        'STORAGE_CONFLICT',
      );
      await expectCode(
        adapter.transaction((tx) => tx.updateSubject({ ...subjectRow(), version: 2 }, 1)),
        'STORAGE_CONFLICT',
      );
      expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ keyId: 'kek-2', version: 2 });
      // A tombstone: no key, erasure time and reference.
      await adapter.transaction((tx) => tx.updateSubject({ ...row, wrappedKey: null, erasedAt: '2026-01-02T00:00:00.000Z', erasureRef: 'req-1', version: 3 }, 2));
      expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ wrappedKey: null, erasedAt: '2026-01-02T00:00:00.000Z', erasureRef: 'req-1', version: 3 });
    });
  });

  it('lists subjects ordered by id, paginated with after/limit', async () => {
    await withAdapter(async (adapter) => {
      const prefix = uid('list');
      const ids = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
      await adapter.transaction(async (tx) => {
        for (const id of ids) await tx.insertSubject(subjectRow(id));
      });
      const page1 = await adapter.transaction((tx) => tx.listSubjects({ after: `${prefix}-`, limit: 2 }));
      expect(page1.map((r) => r.id)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      const page2 = await adapter.transaction((tx) => tx.listSubjects({ after: `${prefix}-b`, limit: 2 }));
      expect(page2[0]?.id).toBe(`${prefix}-c`);
      const all = await adapter.transaction((tx) => tx.listSubjects());
      const mine = all.map((r) => r.id).filter((id) => id.startsWith(prefix));
      expect(mine).toEqual([...ids].sort());
      const sorted = all.map((r) => r.id);
      expect(sorted).toEqual([...sorted].sort());
    });
  });

  it('lists ids in byte order, the same on every adapter (upper case before lower, ASCII before other scripts)', async () => {
    await withAdapter(async (adapter) => {
      const prefix = uid('order');
      const ids = ['b', 'a', 'c', 'B', 'é', '_', '0'].map((x) => `${prefix}-${x}`);
      await adapter.transaction(async (tx) => {
        for (const id of ids) await tx.insertSubject(subjectRow(id));
      });
      const listed = (await adapter.transaction((tx) => tx.listSubjects({ after: prefix, limit: 1000 }))).map((r) => r.id).filter((id) => id.startsWith(`${prefix}-`));
      const bytes = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
      expect(listed).toEqual(bytes);
      expect(listed.map((id) => id.slice(prefix.length + 1))).toEqual(['0', 'B', '_', 'a', 'b', 'c', 'é']);
    });
  });
}
