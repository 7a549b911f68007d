/**
 * Conformance part `atomicity`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import { PurposeBoundError } from '../../errors.js';
import type { StorageAdapter, StorageTransaction } from '../../storage/adapter.js';
import { uid, failingOn, failingPutValue, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `atomicity` part (called inside its `describe` block). */
export function atomicityPart(ctx: SuiteContext): void {
  const { options, withAdapter, vaultOn, subjectRow, valueRow } = ctx;
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

  it('rolls back updates and deletes too: a transaction that tombstones a subject, deletes its values, history and records, then throws, changes nothing', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      const kind = 'conformance_atomic';
      const history = { id: uid('h'), subjectId: s.id, field: 'a', ciphertext: new Uint8Array([1, 2, 3]), meta: '{}', changedAt: s.createdAt };
      const record = { kind, id: uid('r'), subjectId: s.id, createdAt: s.createdAt, doc: '{"k":1}' };
      const value = valueRow(s.id, 'a', { lookup: 'cd'.repeat(32) });
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.putValue(value);
        await tx.putValue(valueRow(s.id, 'b'));
        await tx.appendHistory(history);
        await tx.putRecord(record);
      });
      const snapshot = () =>
        adapter.transaction(async (tx) => ({
          subject: await tx.getSubject(s.id),
          values: await tx.getValues(s.id),
          history: await tx.listHistory(s.id),
          record: await tx.getRecord(kind, record.id),
          lookup: await tx.findByLookup('a', 'cd'.repeat(32)),
        }));
      const before = await snapshot();
      const steps: ((tx: StorageTransaction) => Promise<unknown>)[] = [
        (tx) => tx.updateSubject({ ...s, wrappedKey: null, erasedAt: new Date().toISOString(), erasureRef: 'req-x', version: 2 }, 1),
        (tx) => tx.deleteValues(s.id),
        (tx) => tx.deleteValues(s.id, ['a']),
        (tx) => tx.putValue({ ...value, ciphertext: new Uint8Array([9]), lookup: null, version: 2 }),
        (tx) => tx.deleteHistory(s.id),
        (tx) => tx.deleteRecord(kind, record.id),
        (tx) => tx.putRecord({ ...record, doc: '{"k":2}' }),
      ];
      // Each write alone, then all of them (the erase path) in one transaction.
      for (const batch of [...steps.map((step) => [step]), steps]) {
        await expect(
          adapter.transaction(async (tx) => {
            for (const step of batch) await step(tx);
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await snapshot()).toEqual(before);
      }
    });
  });

  it('an erasure that fails at its last write leaves the subject whole: key, values, records', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'not half-erased', email: 'whole@example.jp' } });
      const before = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(subject), values: await tx.getValues(subject) }));
      for (const [method, n] of [
        ['updateSubject', 1],
        ['putRecord', 2],
        ['deleteValues', 1],
        ['appendAudit', 1],
      ] as const) {
        const failing = await vaultOn(failingOn(adapter, method, n));
        await expect(failing.erase(subject, { actor: 'dpo', reference: 'req-fail' })).rejects.toThrow(`injected failure in ${method}`);
        const after = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(subject), values: await tx.getValues(subject) }));
        expect(after).toEqual(before);
        expect(await vault.erasure(subject)).toBeUndefined();
        expect(await vault.read(subject, 'text', { purpose: 'service', actor: 'c' })).toBe('not half-erased');
      }
      await vault.erase(subject, { actor: 'dpo', reference: 'req-ok' });
    });
  });

  it('uncommitted writes are invisible to a second connection and to the fast paths until commit', async () => {
    await withAdapter(async (adapter, track) => {
      if (!options.concurrent) return; // reported by the concurrency part
      const other = track(await options.concurrent(adapter));
      await other.open();
      const s = subjectRow();
      const seen: { who: string; during: boolean; found: boolean }[] = [];
      let open = true;
      const look = (who: string, read: () => Promise<unknown>): Promise<void> =>
        read().then((found) => {
          seen.push({ who, during: open, found: found !== undefined });
        });
      // The reads start from outside the transaction's async context (registered here, set off
      // from inside): a second connection's read is not a nested transaction.
      let start: () => void = () => undefined;
      const started = new Promise<void>((r) => (start = r));
      const pending = started.then(() =>
        Promise.all([
          look('second connection', () => other.transaction((t) => t.getSubject(s.id), { readOnly: true })),
          ...(other.getSubjectWithValues
            ? [look('second connection fast path', () => (other.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>)(s.id))]
            : []),
          ...(adapter.getSubjectWithValues
            ? [look('same adapter fast path', () => (adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>)(s.id))]
            : []),
        ]),
      );
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(s);
        await tx.putValue(valueRow(s.id, 'a'));
        start();
        // Give the reads every chance to run (or to wait for the commit, which is as good).
        await new Promise((r) => setTimeout(r, 30));
        open = false;
      });
      await pending;
      expect(seen.filter((r) => r.during && r.found)).toEqual([]);
      expect(await other.transaction((t) => t.getSubject(s.id))).toMatchObject({ id: s.id });
    });
  });

  it('two overlapping transactions on one connection: one rolling back does not undo the other', async () => {
    await withAdapter(async (adapter) => {
      const a = subjectRow();
      const b = subjectRow();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const first = adapter.transaction(async (tx) => {
        await tx.insertSubject(a);
        await gate;
        throw new Error('abort first');
      });
      const second = adapter.transaction(async (tx) => {
        await tx.insertSubject(b);
        await tx.appendAudit({ at: b.createdAt, action: 'overlap', actor: 'conformance', subject: b.id, decision: 'record' });
        return 'second';
      });
      // Either order is fine (serialised or concurrent); neither may hang on the other.
      setTimeout(release, 20);
      const [r1, r2] = await Promise.allSettled([first, second]);
      expect(r1).toMatchObject({ status: 'rejected' });
      expect(r2).toEqual({ status: 'fulfilled', value: 'second' });
      expect(await adapter.transaction((tx) => tx.getSubject(a.id))).toBeUndefined();
      expect(await adapter.transaction((tx) => tx.getSubject(b.id))).toMatchObject({ id: b.id });
      expect(await adapter.transaction((tx) => tx.listAudit({ subject: b.id }))).toHaveLength(1);
      expect((await verifyAuditLog(await adapter.transaction((tx) => tx.listAudit()))).valid).toBe(true);
    });
  });

  it('a transaction object used after its transaction ended is refused; a nested transaction is refused, not left hanging', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      let leaked: StorageTransaction | undefined;
      await adapter.transaction(async (tx) => {
        leaked = tx;
        await tx.insertSubject(s);
      });
      let leakedFromFailed: StorageTransaction | undefined;
      await adapter
        .transaction(async (tx) => {
          leakedFromFailed = tx;
          throw new Error('abort');
        })
        .catch(() => undefined);
      for (const late of [leaked as StorageTransaction, leakedFromFailed as StorageTransaction]) {
        const calls: [string, () => Promise<unknown>][] = [
          ['getSubject', () => late.getSubject(s.id)],
          ['insertSubject', () => late.insertSubject(subjectRow())],
          ['putValue', () => late.putValue(valueRow(s.id, 'late'))],
          ['getValues', () => late.getValues(s.id)],
          ['deleteValues', () => late.deleteValues(s.id)],
          ['listHistory', () => late.listHistory(s.id)],
          ['getRecord', () => late.getRecord('conformance', 'x')],
          ['listAudit', () => late.listAudit()],
          ['appendAudit', () => late.appendAudit({ at: s.createdAt, action: 'late', actor: 'conformance', decision: 'record' })],
        ];
        // StorageError.operation names the method that was refused (or the one it delegates to: appendAudit → appendAuditMany).
        for (const [operation, call] of calls)
          await expect(Promise.resolve().then(call)).rejects.toMatchObject({ code: 'STORAGE_ERROR', operation: expect.stringMatching(`^${operation}`) });
      }
      expect(await adapter.transaction((tx) => tx.getValues(s.id))).toEqual([]);
      const nested = adapter.transaction(() => adapter.transaction(async () => 'inner'));
      const outcome = await Promise.race([
        nested.then(
          () => 'resolved',
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r('hung'), 5000)),
      ]);
      expect(outcome).not.toBe('hung');
      expect(outcome).not.toBe('resolved');
      expect(outcome).toBeInstanceOf(PurposeBoundError);
      expect(await adapter.transaction(async () => 42)).toBe(42);
    });
  });
}
