/**
 * Conformance part `fast-paths`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import type { StorageAdapter, StorageWrite } from '../../storage/adapter.js';
import { uid, type SuiteContext } from './support.js';

/** Registers the tests of the `fast-paths` part (called inside its `describe` block). */
export function fastPathsPart(ctx: SuiteContext): void {
  const { options, withAdapter, subjectRow, valueRow } = ctx;
  // The optional adapter-level members: run only when the adapter has them.
  it('adapter.getSubjectWithValues (when present) equals the same read in a transaction', async () => {
    await withAdapter(async (adapter) => {
      if (adapter.getSubjectWithValues === undefined) return; // optional in the contract
      // Versions that all differ: the subject's is not one of its values'.
      const s = { ...subjectRow(), version: 7 };
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        for (const [i, f] of ['c', 'a', 'b'].entries()) await tx.putValue(valueRow(s.id, f, { version: i + 2 }));
      });
      for (const fields of [undefined, ['a'], ['c', 'a'], [], ['missing']]) {
        const inTx = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(s.id), values: await tx.getValues(s.id, fields) }));
        expect(await adapter.getSubjectWithValues(s.id, fields)).toEqual(inTx);
      }
      expect(await adapter.getSubjectWithValues(uid('missing'))).toBeUndefined();
    });
  });

  it('getSubjectStates (when present) equals getSubject + getValues + listRecords, in the order asked, in one call', async () => {
    await withAdapter(async (adapter) => {
      const a = subjectRow();
      const b = subjectRow();
      const at = new Date().toISOString();
      const rec = (kind: string, subjectId: string, i: number) => ({
        kind,
        id: uid(`${kind}-${i}`),
        subjectId,
        createdAt: `${at.slice(0, 20)}${String(i).padStart(3, '0')}Z`,
        doc: `{"i":${i}}`,
      });
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(a);
        await tx.insertSubject({ ...b, erasedAt: at, erasureRef: 'r', wrappedKey: null });
        for (const f of ['c', 'a', 'b']) await tx.putValue(valueRow(a.id, f));
        await tx.putValue(valueRow(b.id, 'a'));
        for (const [i, kind] of ['suspension', 'consent', 'consent', 'other', 'suspension'].entries()) await tx.putRecord(rec(kind, a.id, 5 - i));
        await tx.putRecord(rec('consent', b.id, 1));
      });
      const missing = uid('missing');
      const kinds = ['suspension', 'consent'];
      const expected = async (fields: readonly string[] | undefined) =>
        adapter.transaction(async (tx) => {
          const out = [];
          for (const id of [b.id, a.id]) {
            const subject = await tx.getSubject(id);
            if (subject === undefined) continue;
            const records = [...(await tx.listRecords('consent', { subjectId: id })), ...(await tx.listRecords('suspension', { subjectId: id }))];
            out.push({ subject, values: fields !== undefined && fields.length === 0 ? [] : await tx.getValues(id, fields), records });
          }
          return out;
        });
      for (const fields of [undefined, ['a'], ['c', 'a'], [], ['missing']]) {
        const query = { subjects: [b.id, missing, a.id, b.id], ...(fields !== undefined && { fields }), recordKinds: kinds };
        const want = await expected(fields);
        if (adapter.getSubjectStates !== undefined) expect(await adapter.getSubjectStates(query)).toEqual(want);
        const inTx = await adapter.transaction(async (tx) => tx.getSubjectStates?.(query), { readOnly: true });
        if (inTx !== undefined) expect(inTx).toEqual(want);
      }
      if (adapter.getSubjectStates !== undefined) {
        expect(await adapter.getSubjectStates({ subjects: [], recordKinds: kinds })).toEqual([]);
        expect((await adapter.getSubjectStates({ subjects: [a.id], recordKinds: [] }))[0]?.records).toEqual([]);
        await expect(adapter.getSubjectStates({ subjects: 'x' as never, recordKinds: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
    });
  });

  it('getSubjectStates (when present) never sees an uncommitted write of another transaction', async () => {
    await withAdapter(async (adapter) => {
      if (adapter.getSubjectStates === undefined) return; // optional in the contract
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const wrote = new Promise<void>((r) => (written = r));
      const writer = adapter.transaction(async (tx) => {
        await tx.putValue(valueRow(s.id, 'a'));
        written();
        await held;
        throw new Error('roll back');
      });
      await wrote;
      const during = adapter.getSubjectStates({ subjects: [s.id], recordKinds: [] });
      release();
      await expect(writer).rejects.toThrow('roll back');
      expect((await during)[0]?.values).toEqual([]);
    });
  });

  it('adapter.writeBatch (when present) applies every write and chains its audit entries', async () => {
    await withAdapter(async (adapter) => {
      if (adapter.writeBatch === undefined) return; // optional in the contract
      const s = subjectRow();
      const at = new Date().toISOString();
      const record = { kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: at, doc: '{"k":1}' };
      const history = { id: uid('h'), subjectId: s.id, field: 'a', ciphertext: new Uint8Array(randomBytes(20)), meta: '{"change":"correction"}', changedAt: at };
      const writes: StorageWrite[] = [
        { op: 'insertSubject', row: s },
        { op: 'putValue', row: valueRow(s.id, 'a', { lookup: 'digest-a' }) },
        { op: 'putValue', row: valueRow(s.id, 'b') },
        { op: 'appendHistory', row: history },
        { op: 'putRecord', row: record },
        { op: 'appendAudit', entry: { at, action: 'collect', actor: 'conformance', subject: s.id, decision: 'record', details: { fields: 'a,b', n: 2, ok: true, none: null } } },
        {
          op: 'appendAudit',
          entry: { at, action: 'consent.grant', actor: 'conformance', subject: s.id, purpose: 'service', basis: 'consent', reference: 'ref-1', reason: 'x', decision: 'record' },
        },
      ];
      const appended = await adapter.writeBatch(writes);
      expect(appended).toHaveLength(2);
      expect(appended[1]?.seq).toBe((appended[0]?.seq ?? 0) + 1);
      expect(appended[1]?.prevHash).toBe(appended[0]?.hash);
      const stored = await adapter.transaction(async (tx) => ({
        subject: await tx.getSubject(s.id),
        values: await tx.getValues(s.id),
        history: await tx.listHistory(s.id),
        record: await tx.getRecord(record.kind, record.id),
        audit: await tx.listAudit({ subject: s.id }),
        all: await tx.listAudit(),
      }));
      expect(stored.subject).toEqual(s);
      expect(stored.values.map((v) => v.field)).toEqual(['a', 'b']);
      expect(stored.values[0]?.lookup).toBe('digest-a');
      expect(stored.history).toEqual([history]);
      expect(stored.record).toEqual(record);
      expect(stored.audit).toEqual(appended);
      expect(await verifyAuditLog(stored.all)).toMatchObject({ valid: true, head: stored.all[stored.all.length - 1]?.hash });
      // A transaction's append continues the same chain.
      const next = await adapter.transaction((tx) => tx.appendAudit({ at, action: 'after', actor: 'conformance', decision: 'record' }));
      expect(next.prevHash).toBe(stored.all[stored.all.length - 1]?.hash);
    });
  });

  it('adapter.writeBatch (when present) is all or nothing: a duplicate subject writes none of the batch', async () => {
    await withAdapter(async (adapter) => {
      if (adapter.writeBatch === undefined) return;
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      const before = await adapter.transaction((tx) => tx.listAudit());
      const record = { kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: new Date().toISOString(), doc: '{}' };
      const error = await adapter
        .writeBatch([
          { op: 'putRecord', row: record },
          { op: 'putValue', row: valueRow(s.id, 'a') },
          { op: 'appendAudit', entry: { at: new Date().toISOString(), action: 'collect', actor: 'conformance', subject: s.id, decision: 'record' } },
          { op: 'insertSubject', row: { ...subjectRow(s.id) } },
        ])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORAGE_CONFLICT' });
      const after = await adapter.transaction(async (tx) => ({
        record: await tx.getRecord(record.kind, record.id),
        values: await tx.getValues(s.id),
        audit: await tx.listAudit(),
      }));
      expect(after.record).toBeUndefined();
      expect(after.values).toEqual([]);
      expect(after.audit).toEqual(before);
      await expect(adapter.writeBatch([{ op: 'nothing' } as unknown as StorageWrite])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes[0].op' });
      await expect(adapter.writeBatch('x' as unknown as StorageWrite[])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes' });
      expect(await adapter.writeBatch([])).toEqual([]);
    });
  });

  if (options.concurrent) {
    const concurrent = options.concurrent;
    it('adapter.writeBatch (when present) from two connections at once keeps one linear audit chain', async () => {
      await withAdapter(async (adapter, track) => {
        if (adapter.writeBatch === undefined) return;
        const second = track(await concurrent(adapter));
        await second.open();
        const actor = uid('batch');
        const per = 15;
        const appendFrom = (a: StorageAdapter, who: string) =>
          Promise.all(
            Array.from({ length: per }, (_, i) =>
              a.writeBatch!([
                { op: 'putRecord', row: { kind: 'conformance', id: uid(`${who}${i}`), subjectId: null, createdAt: new Date().toISOString(), doc: '{}' } },
                { op: 'appendAudit', entry: { at: new Date().toISOString(), action: `batch.${who}`, actor, decision: 'record' } },
              ]),
            ),
          );
        await Promise.all([appendFrom(adapter, 'a'), appendFrom(second, 'b')]);
        const all = await adapter.transaction((tx) => tx.listAudit());
        expect(all.filter((e) => e.actor === actor)).toHaveLength(2 * per);
        expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
        expect(await verifyAuditLog(all)).toMatchObject({ valid: true });
      });
    });
  }
}
