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
      const s = subjectRow();
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        for (const f of ['c', 'a', 'b']) await tx.putValue(valueRow(s.id, f));
      });
      for (const fields of [undefined, ['a'], ['c', 'a'], [], ['missing']]) {
        const inTx = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(s.id), values: await tx.getValues(s.id, fields) }));
        expect(await adapter.getSubjectWithValues(s.id, fields)).toEqual(inTx);
      }
      expect(await adapter.getSubjectWithValues(uid('missing'))).toBeUndefined();
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
        { op: 'appendAudit', entry: { at, action: 'consent.grant', actor: 'conformance', subject: s.id, purpose: 'service', basis: 'consent', reference: 'ref-1', reason: 'x', decision: 'record' } },
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
      const after = await adapter.transaction(async (tx) => ({ record: await tx.getRecord(record.kind, record.id), values: await tx.getValues(s.id), audit: await tx.listAudit() }));
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
