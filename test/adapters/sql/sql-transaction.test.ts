/**
 * The SQL `StorageTransaction` (`src/adapters/sql/sql-transaction.ts`) at its edges, on SQLite,
 * PGlite and PostgreSQL: rows that are not objects refused by name, empty lists, value order,
 * every column through the one-statement reads, records of subjects that are not there,
 * argument names of the audit reads, a transaction used after it ended, conflicts that name
 * the row, audit batches stored whole, and (SQLite, whose columns hold any type) tampered
 * column types.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  IntegrityError,
  InvalidArgumentError,
  StorageConflictError,
  StorageError,
  type AuditEntryInput,
  type RecordRow,
  type StorageAdapter,
  type StorageTransaction,
  type SubjectRow,
  type ValueRow,
  verifyAuditLog,
} from 'purpose-bound';
import { groupCommitAuditLogOf } from '../../../src/audit/group-commit.js';
import { sqlTargets } from '../../security/fixtures/targets.js';

const { targets, close } = sqlTargets('pb_sql_tx');
afterAll(close);

type Tx = Required<StorageTransaction>;

const subject = (id: string, extra: Partial<SubjectRow> = {}): SubjectRow => ({
  id,
  keyId: 'kek-1',
  wrappedKey: new Uint8Array([1, 2, 3]),
  createdAt: '2026-12-01T00:00:00.000Z',
  erasedAt: null,
  erasureRef: null,
  version: 1,
  ...extra,
});
const value = (subjectId: string, field: string, extra: Partial<ValueRow> = {}): ValueRow => ({
  subjectId,
  field,
  ciphertext: new Uint8Array(Buffer.from(`${field}-ciphertext`)),
  lookup: `lookup-${field}`,
  meta: JSON.stringify({ field }),
  updatedAt: '2026-12-01T00:00:00.000Z',
  version: 1,
  ...extra,
});
const audit = (i: number): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor: `staff:${i}`, decision: 'allow' });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

async function argumentOf(p: Promise<unknown>): Promise<string | undefined> {
  const error = await rejection(p);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  return (error as InvalidArgumentError).argument;
}

describe.each(targets)('SQL transaction edges on $name', (target) => {
  async function opened(): Promise<{ adapter: StorageAdapter; raw: Awaited<ReturnType<typeof target.create>>['raw'] }> {
    const { adapter, raw } = await target.create();
    await adapter.open();
    return { adapter, raw };
  }

  it('a row that is not an object is refused naming its first member, before any statement', async () => {
    const { adapter } = await opened();
    const bad = null as unknown as never;
    expect(await argumentOf(adapter.transaction((tx) => tx.insertSubject(bad)))).toBe('row.id');
    expect(await argumentOf(adapter.transaction((tx) => tx.putValue(bad)))).toBe('row.subjectId');
    expect(await argumentOf(adapter.transaction((tx) => tx.appendHistory(bad)))).toBe('row.id');
    expect(await argumentOf(adapter.transaction((tx) => tx.putRecord(bad)))).toBe('row.kind');
    expect(await adapter.transaction((tx) => tx.listSubjects())).toEqual([]);
    await adapter.close();
  });

  it('getSubject for update reads the row in a write transaction and is refused in a read-only one', async () => {
    const { adapter } = await opened();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    expect(await adapter.transaction((tx) => tx.getSubject('s1', { forUpdate: true }))).toEqual(subject('s1'));
    expect(await adapter.transaction((tx) => tx.getSubject('absent', { forUpdate: true }))).toBeUndefined();
    const error = await rejection(adapter.transaction((tx) => tx.getSubject('s1', { forUpdate: true }), { readOnly: true }));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('getSubject');
    await adapter.close();
  });

  it('a record whose subjectId is left out is stored with none', async () => {
    const { adapter } = await opened();
    const row = { kind: 'consent', id: 'r1', createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' } as unknown as RecordRow;
    await adapter.transaction((tx) => tx.putRecord(row));
    expect(await adapter.transaction((tx) => tx.getRecord('consent', 'r1'))).toEqual({ ...row, subjectId: null });
    await adapter.close();
  });

  it('values come back ordered by field whatever order they were written in, through every read', async () => {
    const { adapter } = await opened();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      for (const f of ['phone', 'email', 'address', 'name']) await tx.putValue(value('s1', f));
    });
    // Rewritten after the others (moves it last in a heap).
    await adapter.transaction((tx) => tx.putValue(value('s1', 'address', { version: 2 })));
    const fields = (values: readonly ValueRow[] | undefined) => values?.map((v) => v.field);
    const all = ['address', 'email', 'name', 'phone'];
    const asked = ['phone', 'address', 'name'];
    await adapter.transaction(async (tx) => {
      expect(fields(await tx.getValues('s1'))).toEqual(all);
      expect(fields(await tx.getValues('s1', asked))).toEqual(['address', 'name', 'phone']);
      expect(fields((await (tx as Tx).getSubjectWithValues('s1'))?.values)).toEqual(all);
      expect(fields((await (tx as Tx).getSubjectWithValues('s1', asked))?.values)).toEqual(['address', 'name', 'phone']);
      expect(fields((await (tx as Tx).getSubjectStates({ subjects: ['s1'], recordKinds: [] }))[0]?.values)).toEqual(all);
    });
    expect(fields((await adapter.getSubjectWithValues?.('s1'))?.values)).toEqual(all);
    expect(fields((await adapter.getSubjectWithValues?.('s1', asked))?.values)).toEqual(['address', 'name', 'phone']);
    expect(fields((await adapter.getSubjectStates?.({ subjects: ['s1'], fields: asked, recordKinds: [] }))?.[0]?.values)).toEqual(['address', 'name', 'phone']);
    await adapter.close();
  });

  it('the one-statement reads return every column the row reads return (erasure, lookup, value state)', async () => {
    const { adapter } = await opened();
    const erased = subject('s1', { erasedAt: '2026-12-02T00:00:00.000Z', erasureRef: 'req_9', wrappedKey: null, version: 3, valueState: 'state-1' });
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(erased);
      await tx.putValue(value('s1', 'email'));
      await tx.putValue(value('s1', 'phone', { lookup: null }));
      await tx.putRecord({ kind: 'consent', id: 'r1', subjectId: 's1', createdAt: '2026-12-01T00:00:00.000Z', doc: '{"a":1}' });
    });
    const { row, values } = await adapter.transaction(async (tx) => ({ row: await tx.getSubject('s1'), values: await tx.getValues('s1') }));
    expect(row).toEqual(erased);
    const record = await adapter.transaction((tx) => tx.getRecord('consent', 'r1'));
    for (const read of [(tx: StorageTransaction) => (tx as Tx).getSubjectWithValues('s1'), (tx: StorageTransaction) => (tx as Tx).getSubjectWithValues('s1', ['phone', 'email'])]) {
      expect(await adapter.transaction(read)).toEqual({ subject: row, values });
    }
    expect(await adapter.getSubjectWithValues?.('s1', ['email'])).toEqual({ subject: row, values: values.filter((v) => v.field === 'email') });
    const states = await adapter.transaction((tx) => (tx as Tx).getSubjectStates({ subjects: ['s1'], recordKinds: ['consent'] }));
    expect(states).toEqual([{ subject: row, values, records: [record] }]);
    expect(await adapter.getSubjectStates?.({ subjects: ['s1'], fields: ['email'], recordKinds: ['consent'] })).toEqual([
      { subject: row, values: values.filter((v) => v.field === 'email'), records: [record] },
    ]);
    await adapter.close();
  });

  it('a record of a subject id with no subject row is no state; the other subjects are returned', async () => {
    const { adapter } = await opened();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.putRecord({ kind: 'consent', id: 'r-ghost', subjectId: 'ghost', createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' });
      await tx.putRecord({ kind: 'consent', id: 'r-1', subjectId: 's1', createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' });
    });
    const query = { subjects: ['ghost', 's1'], recordKinds: ['consent'] };
    for (const states of [await adapter.transaction((tx) => (tx as Tx).getSubjectStates(query)), await adapter.getSubjectStates?.(query)]) {
      expect(states?.map((s) => [s.subject.id, s.records.map((r) => r.id)])).toEqual([['s1', ['r-1']]]);
    }
    await adapter.close();
  });

  it('empty lists read and change nothing: limit 0, no fields, no subjects, no audit inputs', async () => {
    const { adapter } = await opened();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.putValue(value('s1', 'email'));
      await tx.appendAudit(audit(1));
    });
    const head = await adapter.transaction((tx) => (tx as Tx).auditTreeHead());
    await adapter.transaction(async (tx) => {
      expect(await tx.listSubjects({ limit: 0 })).toEqual([]);
      expect(await tx.getValues('s1', [])).toEqual([]);
      expect(await (tx as Tx).getSubjectStates({ subjects: [], recordKinds: ['consent'] })).toEqual([]);
      expect(await (tx as Tx).getSubjectWithValues('s1', [])).toEqual({ subject: subject('s1'), values: [] });
      expect(await tx.deleteValues('s1', [])).toBe(0);
      expect(await (tx as Tx).appendAuditMany([])).toEqual([]);
    });
    expect(await adapter.getSubjectWithValues?.('s1', [])).toEqual({ subject: subject('s1'), values: [] });
    expect(await adapter.getSubjectStates?.({ subjects: [], recordKinds: ['consent'] })).toEqual([]);
    expect(await adapter.transaction((tx) => tx.getValues('s1'))).toHaveLength(1);
    expect(await adapter.transaction((tx) => (tx as Tx).auditTreeHead())).toEqual(head);
    await adapter.close();
  });

  it('argument names of the reads and audit calls', async () => {
    const { adapter } = await opened();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    const tx = <T>(fn: (tx: Tx) => Promise<T>) => adapter.transaction((t) => fn(t as Tx));
    expect(await argumentOf(tx((t) => t.getSubjectWithValues('s1', 'email' as unknown as string[])))).toBe('fields');
    await tx((t) => t.getSubjectWithValues('s1', ['email'])); // the one-field statement, now built
    expect(await argumentOf(tx((t) => t.getSubjectWithValues('s1', [42 as unknown as string])))).toBe('fields[0]');
    expect(await argumentOf(tx((t) => t.getSubjectWithValues('s1', ['email', 42 as unknown as string])))).toBe('fields[1]');
    for (const key of ['subject', 'actor', 'field', 'purpose', 'action', 'decision'] as const) {
      expect(await argumentOf(tx((t) => t.listAudit({ [key]: 5 } as never)))).toBe(`query.${key}`);
    }
    expect(await argumentOf(tx((t) => t.listAudit({ fromSeq: -1 })))).toBe('query.fromSeq');
    expect(await argumentOf(tx((t) => t.getAuditNodes('x' as never)))).toBe('refs');
    expect(await argumentOf(tx((t) => t.getAuditNodes([{ level: 0, index: 0 }, undefined as never])))).toBe('refs[1]');
    expect(await argumentOf(tx((t) => t.getAuditNodes([{ level: 0, index: 0.5 }])))).toBe('refs[0]');
    expect(await argumentOf(tx((t) => t.getAuditEntries('x' as never)))).toBe('seqs');
    expect(await argumentOf(tx((t) => t.getAuditEntries([1, 1.5])))).toBe('seqs[1]');
    expect(await argumentOf(tx((t) => t.appendAuditMany([{ ...audit(1), at: 1 } as never])))).toBe('inputs[0].at');
    // One input of appendAuditMany is still inputs[0] (only appendAudit's is `input`).
    expect(await argumentOf(tx((t) => t.appendAuditMany([null as never])))).toBe('inputs[0]');
    expect(await argumentOf(tx((t) => t.getSubjectWithValues(42 as never)))).toBe('id');
    expect(await argumentOf(Promise.resolve(adapter.getSubjectWithValues?.(42 as never)))).toBe('id');
    expect(await argumentOf(tx((t) => t.appendAudit({ ...audit(1), at: 1 } as never)))).toBe('input.at');
    await adapter.close();
  });

  it('the audit reads of a transaction that has ended are refused, naming the call', async () => {
    const { adapter } = await opened();
    await adapter.transaction((tx) => tx.appendAudit(audit(1)));
    let kept: Tx | undefined;
    await adapter.transaction(async (tx) => {
      kept = tx as Tx;
    });
    const ended = kept as Tx;
    for (const [operation, call] of [
      ['getAuditEntries', () => ended.getAuditEntries([1])],
      ['getAuditNodes', () => ended.getAuditNodes([{ level: 0, index: 0 }])],
      ['auditTreeHead', () => ended.auditTreeHead()],
      ['appendAuditMany', () => ended.appendAuditMany([audit(2)])],
    ] as const) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).operation).toBe(operation);
    }
    expect(await adapter.transaction((tx) => tx.listAudit())).toHaveLength(1);
    await adapter.close();
  });

  it('a write in a read-only transaction is refused naming the call', async () => {
    const { adapter } = await opened();
    const error = await rejection(adapter.transaction((tx) => (tx as Tx).appendAuditMany([audit(1)]), { readOnly: true }));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('appendAuditMany');
    await adapter.close();
  });

  it('a conflict names the row: a subject that exists, a subject not at the expected version, a history row that exists', async () => {
    const { adapter } = await opened();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('subject-a'));
      await tx.appendHistory({ id: 'history-7', subjectId: 'subject-a', field: 'email', ciphertext: null, meta: '{}', changedAt: '2026-12-01T00:00:00.000Z' });
    });
    const inserted = await rejection(adapter.transaction((tx) => tx.insertSubject(subject('subject-a'))));
    expect(inserted).toBeInstanceOf(StorageConflictError);
    expect((inserted as Error).message).toContain('"subject-a"');
    const updated = await rejection(adapter.transaction((tx) => tx.updateSubject(subject('subject-a', { version: 5 }), 4)));
    expect(updated).toBeInstanceOf(StorageConflictError);
    expect((updated as Error).message).toMatch(/"subject-a".*version 4/);
    const history = await rejection(
      adapter.transaction((tx) =>
        tx.appendHistory({ id: 'history-7', subjectId: 'subject-a', field: 'email', ciphertext: null, meta: '{}', changedAt: '2026-12-01T00:00:00.000Z' }),
      ),
    );
    expect(history).toBeInstanceOf(StorageConflictError);
    expect((history as Error).message).toContain('"history-7"');
    await adapter.close();
  });

  it.each([1, 2, 65])('an audit batch of %i entries is stored whole, in order, and verifies', async (count) => {
    const { adapter } = await opened();
    const entries = await adapter.transaction((tx) => (tx as Tx).appendAuditMany(Array.from({ length: count }, (_, i) => audit(i))));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(await adapter.transaction((tx) => tx.listAudit())).toEqual(entries);
    expect(await verifyAuditLog(groupCommitAuditLogOf(adapter))).toMatchObject({ valid: true, entries: count });
    await adapter.close();
  });
});

// SQLite only: a column holds a value of any type bound to it, whatever its declared type.
describe.each(targets.filter((t) => t.name === 'sqlite'))('SQL transaction on $name: tampered column types', (target) => {
  it('a byte column holding text is an IntegrityError, for every read of it', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.putValue(value('s1', 'email'));
    });
    await raw.run(`UPDATE ${raw.t('pb_values')} SET ciphertext = ? WHERE subject_id = ?`, ['not bytes', 's1']);
    for (const read of [(tx: StorageTransaction): Promise<unknown> => tx.getValues('s1'), (tx: StorageTransaction): Promise<unknown> => (tx as Tx).getSubjectWithValues('s1')]) {
      const error = await rejection(adapter.transaction(read));
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).message).toMatch(/byte column/);
    }
    await adapter.close();
  });

  it('a text column holding a BLOB reads back as a string', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    await raw.run(`UPDATE ${raw.t('pb_subjects')} SET key_id = ? WHERE id = ?`, [Buffer.from('kek-9'), 's1']);
    expect((await adapter.transaction((tx) => tx.getSubject('s1')))?.keyId).toBe('kek-9');
    await adapter.close();
  });
});
