/**
 * Conformance part `atomicity`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import { uid, failingPutValue, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `atomicity` part (called inside its `describe` block). */
export function atomicityPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn, subjectRow, valueRow } = ctx;
  it('a transaction that throws leaves nothing: subject, values, history, records, audit', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const kind = 'conformance_atomic';
      const before = (await adapter.transaction((tx) => tx.listAudit())).length;
      await expect(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(s);
          await tx.putValue(valueRow(s.id, 'a'));
          await tx.appendHistory({ id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: s.createdAt });
          await tx.putRecord({ kind, id: s.id, subjectId: s.id, createdAt: s.createdAt, doc: '{}' });
          await tx.appendAudit({ at: s.createdAt, action: 'collect', actor: 'conformance', subject: s.id, decision: 'record' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await adapter.transaction(async (tx) => {
        expect(await tx.getSubject(s.id)).toBeUndefined();
        expect(await tx.getValues(s.id)).toEqual([]);
        expect(await tx.listHistory(s.id)).toEqual([]);
        expect(await tx.getRecord(kind, s.id)).toBeUndefined();
        expect(await tx.listAudit({ subject: s.id })).toEqual([]);
        expect((await tx.listAudit()).length).toBe(before);
      });
      // The chain continues from the committed head, not from the rolled-back entry.
      await adapter.transaction((tx) => tx.appendAudit({ at: s.createdAt, action: 'after-rollback', actor: 'conformance', decision: 'record' }));
      expect((await verifyAuditLog(await adapter.transaction((tx) => tx.listAudit()))).valid).toBe(true);
    });
  });

  it('a collect that fails mid-way (third value) leaves no subject, value or audit entry', async () => {
    await withAdapter(async (adapter) => {
      const failing = await vaultOn(failingPutValue(adapter, 3));
      const subject = uid('atomic');
      await expect(
        failing.collect({ subject, collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email: 'hana@example.jp', count: 3, flag: true } }),
      ).rejects.toThrow('injected failure');
      const vault = await vaultOn(adapter);
      expect(await vault.exists(subject)).toBe(false);
      await adapter.transaction(async (tx) => {
        expect(await tx.getValues(subject)).toEqual([]);
        expect(await tx.listAudit({ subject })).toEqual([]);
      });
    });
  });

  it('a correction that fails mid-way keeps the old value and no history entry', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'before' } });
      const failing = await vaultOn(failingPutValue(adapter, 1));
      await expect(failing.correct(subject, 'text', 'after', { actor: 'dpo', reason: 'request' })).rejects.toThrow('injected failure');
      expect(await vault.read(subject, 'text', { purpose: 'service', actor: 'c' })).toBe('before');
      expect(await vault.history(subject)).toEqual([]);
    });
  });

  it('invalid input writes nothing (every value is validated before the transaction)', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const subject = uid('invalid');
      await expectCode(
        vault.collect({ subject, collectionPoint: 'form', actor: 'conformance', values: { text: 'ok', email: 'not an e-mail', count: 1 } }),
        'INVALID_PERSONAL_VALUE',
      );
      expect(await vault.exists(subject)).toBe(false);
    });
  });
}
