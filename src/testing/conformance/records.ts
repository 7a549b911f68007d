/**
 * Conformance part `records`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { uid, type SuiteContext } from './support.js';

/** Registers the tests of the `records` part (called inside its `describe` block). */
export function recordsPart(ctx: SuiteContext): void {
  const { withAdapter } = ctx;
  it('put/replace/get/list (by kind and subject, ordered by createdAt then id)/delete, e.g. provision records', async () => {
    await withAdapter(async (adapter) => {
      const kind = uid('provision').replace(/-/g, '_');
      const subject = uid('s');
      const doc = JSON.stringify({ recipient: 'insurer', fields: ['name'], note: '第三者提供 🦊' });
      await adapter.transaction(async (tx) => {
        await tx.putRecord({ kind, id: 'r2', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc });
        await tx.putRecord({ kind, id: 'r1', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc: '{}' });
        await tx.putRecord({ kind, id: 'r0', subjectId: null, createdAt: '2026-01-01T00:00:00.000Z', doc: '{}' });
        await tx.putRecord({ kind: `${kind}_other`, id: 'r1', subjectId: subject, createdAt: '2026-01-01T00:00:00.000Z', doc: '{}' });
      });
      expect(await adapter.transaction((tx) => tx.getRecord(kind, 'r2'))).toEqual({ kind, id: 'r2', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc });
      expect((await adapter.transaction((tx) => tx.listRecords(kind))).map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
      expect((await adapter.transaction((tx) => tx.listRecords(kind, { subjectId: subject }))).map((r) => r.id)).toEqual(['r1', 'r2']);
      // A replace replaces every member, the subject included (a record moved to another subject).
      const other = uid('s');
      const replaced = { kind, id: 'r1', subjectId: other, createdAt: '2026-01-03T00:00:00.000Z', doc: '{"v":2}' };
      await adapter.transaction((tx) => tx.putRecord(replaced));
      expect(await adapter.transaction((tx) => tx.getRecord(kind, 'r1'))).toEqual(replaced);
      expect((await adapter.transaction((tx) => tx.listRecords(kind))).map((r) => r.id)).toEqual(['r0', 'r2', 'r1']);
      expect((await adapter.transaction((tx) => tx.listRecords(kind, { subjectId: subject }))).map((r) => r.id)).toEqual(['r2']);
      expect((await adapter.transaction((tx) => tx.listRecords(kind, { subjectId: other }))).map((r) => r.id)).toEqual(['r1']);
      await adapter.transaction((tx) => tx.putRecord({ ...replaced, subjectId: null }));
      expect((await adapter.transaction((tx) => tx.getRecord(kind, 'r1')))?.subjectId).toBeNull();
      expect(await adapter.transaction((tx) => tx.deleteRecord(kind, 'r1'))).toBe(true);
      expect(await adapter.transaction((tx) => tx.deleteRecord(kind, 'r1'))).toBe(false);
      expect(await adapter.transaction((tx) => tx.getRecord(kind, 'r1'))).toBeUndefined();
      expect(await adapter.transaction((tx) => tx.getRecord(`${kind}_other`, 'r1'))).toBeDefined();
    });
  });
}
