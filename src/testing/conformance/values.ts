/**
 * Conformance part `values`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { StorageTransaction, ValueRow } from '../../storage/adapter.js';
import { uid, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `values` part (called inside its `describe` block). */
export function valuesPart(ctx: SuiteContext): void {
  const { withAdapter, subjectRow, valueRow } = ctx;
  it('stores ciphertext byte-exact (every byte value) with its metadata', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const every = new Uint8Array(512);
      for (let i = 0; i < every.length; i++) every[i] = i % 256;
      const meta = JSON.stringify({ provenance: { collectionPoint: 'form', note: 'ユニコード 🦊 "quoted" \\ \n' } });
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.putValue(valueRow(s.id, 'a', { ciphertext: every, meta, lookup: 'ab'.repeat(32) }));
        await tx.putValue(valueRow(s.id, 'b'));
      });
      const rows = await adapter.transaction((tx) => tx.getValues(s.id));
      expect(rows.map((r) => r.field)).toEqual(['a', 'b']);
      const a = rows[0] as ValueRow;
      expect(a.ciphertext).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(a.ciphertext).equals(Buffer.from(every))).toBe(true);
      expect(a).toMatchObject({ subjectId: s.id, meta, lookup: 'ab'.repeat(32), version: 1 });
      expect(await adapter.transaction((tx) => tx.getValues(s.id, ['b']))).toHaveLength(1);
      expect(await adapter.transaction((tx) => tx.getValues(s.id, []))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.getValues(uid('nobody')))).toEqual([]);
    });
  });

  it('getSubjectWithValues (when the adapter has it) equals getSubject + getValues, in one call', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const bare = subjectRow();
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.insertSubject(bare);
        for (const f of ['b', 'a', 'c']) await tx.putValue(valueRow(s.id, f));
      });
      await adapter.transaction(
        async (tx) => {
          if (tx.getSubjectWithValues === undefined) return; // optional in the contract
          for (const [id, fields] of [[s.id, undefined], [s.id, ['c', 'a', 'zz']], [s.id, []], [bare.id, undefined], [bare.id, ['a']]] as const) {
            const got = await tx.getSubjectWithValues(id, fields);
            expect(got?.subject).toEqual(await tx.getSubject(id));
            expect(got?.values).toEqual(await tx.getValues(id, fields));
          }
          expect(await tx.getSubjectWithValues(uid('missing'))).toBeUndefined();
          expect((await tx.getSubjectWithValues(s.id, ['c', 'a']))?.values.map((v) => v.field)).toEqual(['a', 'c']);
        },
        { readOnly: true },
      );
    });
  });

  it('a read-only transaction reads, and refuses writes and forUpdate with StorageError, writing nothing', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      expect((await adapter.transaction((tx) => tx.getSubject(s.id), { readOnly: true }))?.id).toBe(s.id);
      const other = subjectRow();
      const attempts: ((tx: StorageTransaction) => Promise<unknown>)[] = [
        (tx) => tx.insertSubject(other),
        (tx) => tx.updateSubject({ ...s, version: 2 }, 1),
        (tx) => tx.putValue(valueRow(s.id, 'a')),
        (tx) => tx.deleteValues(s.id),
        (tx) => tx.appendHistory({ id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: s.createdAt }),
        (tx) => tx.deleteHistory(s.id),
        (tx) => tx.putRecord({ kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: s.createdAt, doc: '{}' }),
        (tx) => tx.deleteRecord('conformance', 'x'),
        (tx) => tx.appendAudit({ at: s.createdAt, action: 'read-only', actor: 'conformance', subject: s.id, decision: 'record' }),
        (tx) => tx.getSubject(s.id, { forUpdate: true }),
      ];
      for (const attempt of attempts) await expectCode(adapter.transaction(attempt, { readOnly: true }), 'STORAGE_ERROR');
      await adapter.transaction(async (tx) => {
        expect(await tx.getSubject(other.id)).toBeUndefined();
        expect((await tx.getSubject(s.id))?.version).toBe(1);
        expect(await tx.getValues(s.id)).toEqual([]);
        expect(await tx.listAudit({ subject: s.id })).toEqual([]);
      });
    });
  });

  it('putValue replaces (subject, field); deleteValues removes some or all and counts', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const replacement = new Uint8Array([9, 8, 7, 0, 1]);
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        for (const f of ['a', 'b', 'c']) await tx.putValue(valueRow(s.id, f));
        await tx.putValue(valueRow(s.id, 'a', { ciphertext: replacement, version: 2 }));
      });
      const [a] = await adapter.transaction((tx) => tx.getValues(s.id, ['a']));
      expect(Array.from(a?.ciphertext ?? [])).toEqual([9, 8, 7, 0, 1]);
      expect(a?.version).toBe(2);
      expect(await adapter.transaction((tx) => tx.deleteValues(s.id, ['a', 'missing']))).toBe(1);
      expect(await adapter.transaction((tx) => tx.deleteValues(s.id))).toBe(2);
      expect(await adapter.transaction((tx) => tx.getValues(s.id))).toEqual([]);
    });
  });
}
