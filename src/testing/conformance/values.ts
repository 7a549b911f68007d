/**
 * Conformance part `values`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { StorageTransaction, ValueRow } from '../../storage/adapter.js';
import { uid, type SuiteContext } from './support.js';

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
          for (const [id, fields] of [
            [s.id, undefined],
            [s.id, ['c', 'a', 'zz']],
            [s.id, []],
            [bare.id, undefined],
            [bare.id, ['a']],
          ] as const) {
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

  it('readOnly is a hint: a read-only transaction reads; a write in it either runs or is refused with StorageError, and a refused one writes nothing', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      expect((await adapter.transaction((tx) => tx.getSubject(s.id), { readOnly: true }))?.id).toBe(s.id);
      const other = subjectRow();
      const kind = uid('ro').replace(/-/g, '_');
      const attempts: ((tx: StorageTransaction) => Promise<unknown>)[] = [
        (tx) => tx.insertSubject(other),
        (tx) => tx.putValue(valueRow(s.id, 'a')),
        (tx) => tx.appendHistory({ id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: s.createdAt }),
        (tx) => tx.putRecord({ kind, id: uid('r'), subjectId: s.id, createdAt: s.createdAt, doc: '{}' }),
        (tx) => tx.appendAudit({ at: s.createdAt, action: 'read-only', actor: 'conformance', subject: s.id, decision: 'record' }),
        (tx) => tx.deleteRecord(kind, 'x'),
        (tx) => tx.deleteHistory(uid('nobody')),
        (tx) => tx.deleteValues(uid('nobody')),
        (tx) => tx.getSubject(s.id, { forUpdate: true }),
      ];
      let refused = 0;
      for (const attempt of attempts) {
        const outcome = await adapter.transaction(attempt, { readOnly: true }).then(
          () => 'ran',
          (e: unknown) => e,
        );
        if (outcome === 'ran') continue; // the hint was not taken: allowed by the contract
        expect(outcome).toMatchObject({ code: 'STORAGE_ERROR', operation: expect.any(String) });
        refused++;
      }
      const after = await adapter.transaction(async (tx) => ({
        other: await tx.getSubject(other.id),
        values: await tx.getValues(s.id),
        history: await tx.listHistory(s.id),
        records: await tx.listRecords(kind),
        audit: await tx.listAudit({ subject: s.id }),
      }));
      const landed = [after.other !== undefined, after.values.length > 0, after.history.length > 0, after.records.length > 0, after.audit.length > 0].filter(Boolean).length;
      // Each of the first five attempts writes one thing; every refused one of them wrote nothing.
      const refusedWriters = 5 - landed;
      expect(refusedWriters).toBeGreaterThanOrEqual(0);
      expect(refused).toBeGreaterThanOrEqual(refusedWriters);
      expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.version).toBe(1);
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

  it('round-trips updatedAt and the value state exactly; deleteValues with an empty field list deletes nothing', async () => {
    await withAdapter(async (adapter) => {
      const s = { ...subjectRow(), valueState: '{"opaque":"state \\u00e9 🦊"}' };
      const updatedAt = '2026-03-04T05:06:07.089Z';
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.putValue(valueRow(s.id, 'a', { updatedAt, version: 7 }));
        await tx.putValue(valueRow(s.id, 'b'));
      });
      const [a] = await adapter.transaction((tx) => tx.getValues(s.id, ['a']));
      expect(a).toMatchObject({ updatedAt, version: 7 });
      expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.valueState).toBe(s.valueState);
      expect((await adapter.transaction((tx) => tx.listSubjects({ after: s.id.slice(0, -1), limit: 50 }))).find((r) => r.id === s.id)?.valueState).toBe(s.valueState);
      await adapter.transaction((tx) => tx.updateSubject({ ...s, valueState: 'replaced', version: 2 }, 1));
      expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.valueState).toBe('replaced');
      await adapter.transaction(async (tx) => {
        if (tx.getSubjectWithValues !== undefined) expect((await tx.getSubjectWithValues(s.id))?.subject.valueState).toBe('replaced');
      });
      if (adapter.getSubjectWithValues !== undefined) expect((await adapter.getSubjectWithValues(s.id))?.subject.valueState).toBe('replaced');
      await adapter.transaction((tx) => tx.updateSubject({ ...s, valueState: null, version: 3 }, 2));
      expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.valueState ?? null).toBeNull();
      expect(await adapter.transaction((tx) => tx.deleteValues(s.id, []))).toBe(0);
      expect((await adapter.transaction((tx) => tx.getValues(s.id))).map((v) => v.field)).toEqual(['a', 'b']);
    });
  });

  it('returns copies: changing a returned row or a row after it was written changes nothing stored', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const written = valueRow(s.id, 'a', { ciphertext: new Uint8Array([1, 2, 3, 4]) });
      const history = { id: uid('h'), subjectId: s.id, field: 'a', ciphertext: new Uint8Array([5, 6]), meta: '{}', changedAt: s.createdAt };
      const key = Buffer.from(s.wrappedKey as Uint8Array);
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.putValue(written);
        await tx.appendHistory(history);
      });
      written.ciphertext.fill(0);
      history.ciphertext.fill(0);
      (s.wrappedKey as Uint8Array).fill(0);
      for (let round = 0; round < 2; round++) {
        const got = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(s.id), values: await tx.getValues(s.id), history: await tx.listHistory(s.id) }));
        expect(Array.from(got.values[0]?.ciphertext ?? [])).toEqual([1, 2, 3, 4]);
        expect(Array.from(got.history[0]?.ciphertext ?? [])).toEqual([5, 6]);
        expect(Buffer.from(got.subject?.wrappedKey ?? []).equals(key)).toBe(true);
        // Scribble over what was returned; the next round must read the stored bytes again.
        got.values[0]?.ciphertext.fill(9);
        got.history[0]?.ciphertext?.fill(9);
        got.subject?.wrappedKey?.fill(9);
        try {
          (got.values[0] as { field: string }).field = 'scribbled';
        } catch {
          // frozen rows are fine too
        }
      }
      expect((await adapter.transaction((tx) => tx.getValues(s.id))).map((v) => v.field)).toEqual(['a']);
    });
  });

  it('orders what it lists (values by field, lookups by subject id) and answers for what does not exist', async () => {
    await withAdapter(async (adapter) => {
      const prefix = uid('ord');
      const ids = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
      const digest = 'ef'.repeat(32);
      await adapter.transaction(async (tx) => {
        for (const id of ids) {
          await tx.insertSubject(subjectRow(id));
          await tx.putValue(valueRow(id, 'email', { lookup: digest }));
        }
        for (const f of ['d', 'b', 'c', 'a']) await tx.putValue(valueRow(ids[0] as string, f));
      });
      await adapter.transaction(async (tx) => {
        expect((await tx.getValues(ids[0] as string)).map((v) => v.field)).toEqual(['a', 'b', 'c', 'd', 'email']);
        expect((await tx.getValues(ids[0] as string, ['d', 'a', 'c'])).map((v) => v.field)).toEqual(['a', 'c', 'd']);
        expect(await tx.findByLookup('email', digest)).toEqual([...ids].sort());
        // A value without a lookup digest is in no index, not even under the text "null".
        expect(await tx.findByLookup('a', 'null')).toEqual([]);
        expect(await tx.findByLookup('email', 'null')).toEqual([]);
        const nobody = uid('nobody');
        expect(await tx.deleteValues(nobody)).toBe(0);
        expect(await tx.deleteValues(nobody, ['a'])).toBe(0);
        expect(await tx.deleteHistory(nobody)).toBe(0);
        expect(await tx.listHistory(nobody)).toEqual([]);
        expect(await tx.getRecord(uid('nokind'), 'x')).toBeUndefined();
        expect(await tx.listRecords(uid('nokind'))).toEqual([]);
        expect(await tx.deleteRecord(uid('nokind'), 'x')).toBe(false);
      });
      await adapter.transaction(async (tx) => {
        await tx.deleteValues(ids[0] as string, ['email']);
        await tx.putValue(valueRow(ids[1] as string, 'email', { lookup: null }));
      });
      expect(await adapter.transaction((tx) => tx.findByLookup('email', digest))).toEqual([ids[2]]);
    });
  });
}
