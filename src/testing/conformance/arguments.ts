/**
 * Conformance part `arguments`: malformed arguments are refused with `InvalidArgumentError`
 * naming the argument (`code: 'INVALID_ARGUMENT'`, `argument`), before anything is written.
 * The names are part of the contract (docs/adapters.md, "Argument names").
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { StorageAdapter, StorageTransaction } from '../../storage/adapter.js';
import { uid, type SuiteContext } from './support.js';

/** Registers the tests of the `arguments` part (called inside its `describe` block). */
export function argumentsPart(ctx: SuiteContext): void {
  const { withAdapter, subjectRow, valueRow } = ctx;
  const auditInput = () => ({ at: new Date().toISOString(), action: 'conformance.arguments', actor: 'conformance', decision: 'record' as const });

  it('transaction methods refuse malformed rows and options with InvalidArgumentError naming the argument, writing nothing', async () => {
    await withAdapter(async (adapter) => {
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      const bad = 42 as never;
      const at = new Date().toISOString();
      const history = { id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: at };
      const record = { kind: 'conformance', id: uid('r'), subjectId: null, createdAt: at, doc: '{}' };
      const cases: [string, (tx: StorageTransaction) => Promise<unknown>][] = [
        ['id', (tx) => tx.getSubject(bad)],
        ['row.id', (tx) => tx.insertSubject({ ...subjectRow(), id: bad })],
        ['row.keyId', (tx) => tx.insertSubject({ ...subjectRow(), keyId: bad })],
        ['row.wrappedKey', (tx) => tx.insertSubject({ ...subjectRow(), wrappedKey: 'not bytes' as never })],
        ['row.createdAt', (tx) => tx.insertSubject({ ...subjectRow(), createdAt: bad })],
        ['row.version', (tx) => tx.insertSubject({ ...subjectRow(), version: -1 })],
        ['row.valueState', (tx) => tx.insertSubject({ ...subjectRow(), valueState: bad })],
        ['row.id', (tx) => tx.updateSubject({ ...s, id: bad }, 1)],
        ['expectedVersion', (tx) => tx.updateSubject({ ...s, version: 2 }, 'one' as never)],
        ['row.version', (tx) => tx.updateSubject({ ...s, version: 1.5 }, 1)],
        ['options.limit', (tx) => tx.listSubjects({ limit: -1 })],
        ['options.after', (tx) => tx.listSubjects({ after: bad })],
        ['subjectId', (tx) => tx.getValues(bad)],
        ['fields', (tx) => tx.getValues(s.id, 'a' as never)],
        ['fields[0]', (tx) => tx.getValues(s.id, [bad])],
        ['row.subjectId', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), subjectId: bad })],
        ['row.field', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), field: bad })],
        ['row.ciphertext', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), ciphertext: 'text' as never })],
        ['row.meta', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), meta: bad })],
        ['row.updatedAt', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), updatedAt: bad })],
        ['row.version', (tx) => tx.putValue({ ...valueRow(s.id, 'a'), version: -1 })],
        ['subjectId', (tx) => tx.deleteValues(bad)],
        ['fields[0]', (tx) => tx.deleteValues(s.id, [bad])],
        ['field', (tx) => tx.findByLookup(bad, 'ab')],
        ['digest', (tx) => tx.findByLookup('a', bad)],
        ['row.id', (tx) => tx.appendHistory({ ...history, id: bad })],
        ['row.subjectId', (tx) => tx.appendHistory({ ...history, subjectId: bad })],
        ['row.field', (tx) => tx.appendHistory({ ...history, field: bad })],
        ['row.ciphertext', (tx) => tx.appendHistory({ ...history, ciphertext: 'text' as never })],
        ['row.meta', (tx) => tx.appendHistory({ ...history, meta: bad })],
        ['row.changedAt', (tx) => tx.appendHistory({ ...history, changedAt: bad })],
        ['subjectId', (tx) => tx.listHistory(bad)],
        ['subjectId', (tx) => tx.deleteHistory(bad)],
        ['row.kind', (tx) => tx.putRecord({ ...record, kind: bad })],
        ['row.id', (tx) => tx.putRecord({ ...record, id: bad })],
        ['row.subjectId', (tx) => tx.putRecord({ ...record, subjectId: bad })],
        ['row.createdAt', (tx) => tx.putRecord({ ...record, createdAt: bad })],
        ['row.doc', (tx) => tx.putRecord({ ...record, doc: bad })],
        ['kind', (tx) => tx.getRecord(bad, 'x')],
        ['id', (tx) => tx.getRecord('conformance', bad)],
        ['kind', (tx) => tx.listRecords(bad)],
        ['options.subjectId', (tx) => tx.listRecords('conformance', { subjectId: bad })],
        ['kind', (tx) => tx.deleteRecord(bad, 'x')],
        ['id', (tx) => tx.deleteRecord('conformance', bad)],
        ['query.limit', (tx) => tx.listAudit({ limit: -1 })],
        ['input', (tx) => tx.appendAudit(null as never)],
        ['input', (tx) => tx.appendAudit('entry' as never)],
      ];
      // appendAuditMany is optional: asked only of an adapter that offers it.
      if (await adapter.transaction(async (tx) => typeof tx.appendAuditMany === 'function')) {
        const many = (tx: StorageTransaction) => tx.appendAuditMany as NonNullable<StorageTransaction['appendAuditMany']>;
        cases.push(['inputs', (tx) => many(tx).call(tx, null as never)], ['inputs[1]', (tx) => many(tx).call(tx, [auditInput(), null as never])]);
      }
      const auditsBefore = await adapter.transaction((tx) => tx.listAudit({ action: 'conformance.arguments' }));
      const wrong: string[] = [];
      for (const [argument, call] of cases) {
        const error = await adapter.transaction(call).then(
          () => undefined,
          (e: unknown) => e as { code?: unknown; argument?: unknown },
        );
        if (error?.code !== 'INVALID_ARGUMENT' || error.argument !== argument) wrong.push(`${argument}: got ${String(error?.code)} ${String(error?.argument)}`);
      }
      expect(wrong).toEqual([]);
      // Nothing of the refused writes landed.
      await adapter.transaction(async (tx) => {
        expect(await tx.getValues(s.id)).toEqual([]);
        expect(await tx.listHistory(s.id)).toEqual([]);
        expect(await tx.getRecord('conformance', record.id)).toBeUndefined();
        expect((await tx.getSubject(s.id))?.version).toBe(1);
        // appendAuditMany([valid, null]) appended neither entry.
        expect(await tx.listAudit({ action: 'conformance.arguments' })).toEqual(auditsBefore);
      });
    });
  });

  it('getAuditNodes and getAuditEntries (where offered) refuse malformed references as refs[i] / seqs[i], never echoing them', async () => {
    await withAdapter(async (adapter) => {
      await adapter.transaction((tx) => tx.appendAudit(auditInput()));
      // A distinctive value in a malformed reference: no error message may quote it.
      const echo = 'conformance-node-ref-7f3a';
      const offered = await adapter.transaction(async (tx) => ({ nodes: typeof tx.getAuditNodes === 'function', entries: typeof tx.getAuditEntries === 'function' }));
      const cases: [string, (tx: StorageTransaction) => Promise<unknown>][] = [];
      if (offered.nodes) {
        const nodes = (tx: StorageTransaction, refs: unknown) => (tx.getAuditNodes as NonNullable<StorageTransaction['getAuditNodes']>).call(tx, refs as never);
        cases.push(
          ['refs', (tx) => nodes(tx, echo)],
          ['refs[1]', (tx) => nodes(tx, [{ level: 1, index: 0 }, null])],
          ['refs[0]', (tx) => nodes(tx, [echo])],
          ['refs[0]', (tx) => nodes(tx, [undefined])],
          ['refs[0]', (tx) => nodes(tx, [{ level: 1.5, index: 0 }])],
          [
            'refs[1]',
            (tx) =>
              nodes(tx, [
                { level: 1, index: 0 },
                { level: 1, index: echo },
              ]),
          ],
          ['refs[0]', (tx) => nodes(tx, [{ index: 0 }])],
        );
      }
      if (offered.entries) {
        const entries = (tx: StorageTransaction, seqs: unknown) => (tx.getAuditEntries as NonNullable<StorageTransaction['getAuditEntries']>).call(tx, seqs as never);
        cases.push(
          ['seqs', (tx) => entries(tx, echo)],
          ['seqs[1]', (tx) => entries(tx, [1, echo])],
          ['seqs[0]', (tx) => entries(tx, [1.5])],
          ['seqs[0]', (tx) => entries(tx, [-1])],
        );
      }
      const wrong: string[] = [];
      for (const [argument, call] of cases) {
        const error = await adapter.transaction(call).then(
          () => undefined,
          (e: unknown) => e as { code?: unknown; argument?: unknown; message?: unknown },
        );
        if (error?.code !== 'INVALID_ARGUMENT' || error.argument !== argument) wrong.push(`${argument}: got ${String(error?.code)} ${String(error?.argument)}`);
        else if (String(error.message).includes(echo)) wrong.push(`${argument}: the message quotes the argument's value`);
      }
      expect(wrong).toEqual([]);
      // Well-formed references still read: a missing node or entry is undefined, not an error.
      if (offered.nodes)
        expect(await adapter.transaction((tx) => (tx.getAuditNodes as NonNullable<StorageTransaction['getAuditNodes']>).call(tx, [{ level: 60, index: 0 }]))).toEqual([undefined]);
      if (offered.entries)
        expect(await adapter.transaction((tx) => (tx.getAuditEntries as NonNullable<StorageTransaction['getAuditEntries']>).call(tx, [Number.MAX_SAFE_INTEGER]))).toEqual([
          undefined,
        ]);
    });
  });

  it('writeBatch (where offered) refuses a missing write and a missing audit entry, naming them, writing nothing', async () => {
    await withAdapter(async (adapter) => {
      if (adapter.writeBatch === undefined) return;
      const at = new Date().toISOString();
      const record = { kind: 'conformance', id: uid('r'), subjectId: null, createdAt: at, doc: '{}' };
      for (const [argument, writes] of [
        ['writes[1]', [{ op: 'putRecord', row: record }, null]],
        [
          'writes[1].entry',
          [
            { op: 'putRecord', row: record },
            { op: 'appendAudit', entry: null },
          ],
        ],
      ] as const) {
        await expect(adapter.writeBatch(writes as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument });
      }
      expect(await adapter.transaction((tx) => tx.getRecord('conformance', record.id))).toBeUndefined();
    });
  });

  it('transaction() refuses a non-function, non-object options and a non-boolean readOnly; a closed adapter is StorageUnavailableError', async () => {
    await withAdapter(async (adapter) => {
      const call = (fn: unknown, options?: unknown) =>
        (adapter.transaction as (fn: unknown, options?: unknown) => Promise<unknown>)(fn, options).then(
          () => undefined,
          (e: unknown) => e as { code?: unknown; argument?: unknown },
        );
      expect(await call('not a function')).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'fn' });
      expect(await call(async () => 1, 'fast')).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options' });
      expect(await call(async () => 1, null)).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options' });
      expect(await call(async () => 1, { readOnly: 'yes' })).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.readOnly' });
      expect(await adapter.transaction(async () => 'fine', {})).toBe('fine');
    });
    const closed: StorageAdapter = await ctx.options.createAdapter();
    await closed.open();
    await closed.close();
    await expect(closed.schemaVersion()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
}
