/**
 * A failed statement names the operation that failed: every `StorageTransaction` method, the
 * adapter's one-statement reads and the migration on open, on SQLite and PostgreSQL. The
 * statement is made to fail with the driver's own error through the fault-injecting wrappers;
 * the `StorageError` then carries the method's name as `operation` (what a user's logs and
 * alerts key on) and the driver's code, and the next transaction works.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError, type StorageAdapter, type StorageTransaction } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { selectedTargets } from '../../security/fixtures/targets.js';
import { audit, subject, value } from '../support/fault-rows.js';
import { FaultPlan, faultyPool, faultySqlite, pgError, sqliteError } from '../support/faulty-drivers.js';
import { DATABASE_URL, uniqueSchema } from '../support/postgres-env.js';
import { failure } from '../support/failure.js';

const pools: pg.Pool[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  for (const p of pools) await p.end().catch(() => undefined);
});

interface Faulty {
  readonly name: 'sqlite' | 'postgres';
  /** A driver error that is neither a conflict nor "unavailable", and its code. */
  readonly error: () => Error;
  readonly code: string;
  /** A new adapter over a faulty connection; `open` false leaves it unopened. */
  create(open?: boolean): Promise<{ adapter: StorageAdapter; plan: FaultPlan }>;
}

let n = 0;
const faulty: readonly Faulty[] = selectedTargets<Faulty>([
  {
    name: 'sqlite',
    error: () => sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed'),
    code: 'SQLITE_CONSTRAINT_CHECK',
    async create(open = true) {
      const plan = new FaultPlan();
      const adapter = sqliteAdapter({ database: faultySqlite(new Database(':memory:'), plan), closeClient: true });
      if (open) await adapter.open();
      return { adapter, plan };
    },
  },
  {
    name: 'postgres',
    error: () => pgError('23514', 'new row violates check constraint'),
    code: '23514',
    async create(open = true) {
      const real = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      pools.push(real);
      const schema = uniqueSchema(`pb_opnames_${++n}`);
      cleanups.push(async () => {
        await real.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      });
      const plan = new FaultPlan();
      const adapter = postgresAdapter({ pool: faultyPool(real, plan), schema });
      if (open) await adapter.open();
      return { adapter, plan };
    },
  },
]);

/** Statement text matchers, for both dialects (`?` or `$n`, tables bare or schema-qualified). */
const P = '(\\?|\\$\\d+)';
const T = (table: string) => `("[^"]+"\\.)?${table}`;
const re = (source: string) => new RegExp(source, 's');

type Setup = (tx: StorageTransaction) => Promise<unknown>;
const none: Setup = async () => undefined;

/** [operation, the statement it sends, rows it needs first, the call]. */
const cases: readonly [string, RegExp, Setup, (tx: StorageTransaction) => Promise<unknown>][] = [
  ['getSubject', re(`^SELECT id, key_id.* FROM ${T('pb_subjects')} WHERE id = ${P}$`), none, (tx) => tx.getSubject('s1')],
  ['insertSubject', re(`^INSERT INTO ${T('pb_subjects')}`), none, (tx) => tx.insertSubject(subject('s1'))],
  ['updateSubject', re(`^UPDATE ${T('pb_subjects')} SET`), (tx) => tx.insertSubject(subject('s1')), (tx) => tx.updateSubject(subject('s1', 2), 1)],
  ['listSubjects', re(`FROM ${T('pb_subjects')} ORDER BY id LIMIT`), none, (tx) => tx.listSubjects()],
  ['listSubjects', re(`FROM ${T('pb_subjects')} WHERE id > ${P} ORDER BY id LIMIT`), none, (tx) => tx.listSubjects({ after: 's0', limit: 5 })],
  ['getValues', re(`FROM ${T('pb_values')} WHERE subject_id = ${P} ORDER BY field`), none, (tx) => tx.getValues('s1')],
  ['getValues', re(`FROM ${T('pb_values')}\\s+WHERE subject_id = ${P} AND field IN`), none, (tx) => tx.getValues('s1', ['email', 'phone'])],
  ['getSubjectWithValues', re('LEFT JOIN'), none, (tx) => tx.getSubjectWithValues?.('s1') ?? Promise.reject(new Error('no getSubjectWithValues'))],
  ['getSubjectStates', re('^SELECT 0 AS part'), none, (tx) => tx.getSubjectStates?.({ subjects: ['s1'], recordKinds: [] }) ?? Promise.reject(new Error('no getSubjectStates'))],
  ['putValue', re(`^INSERT INTO ${T('pb_values')}`), (tx) => tx.insertSubject(subject('s1')), (tx) => tx.putValue(value('s1', 'email'))],
  ['deleteValues', re(`^DELETE FROM ${T('pb_values')} WHERE subject_id = ${P}$`), none, (tx) => tx.deleteValues('s1')],
  ['deleteValues', re(`^DELETE FROM ${T('pb_values')} WHERE subject_id = ${P} AND field IN`), none, (tx) => tx.deleteValues('s1', ['email'])],
  ['findByLookup', re('AND lookup = '), none, (tx) => tx.findByLookup('email', 'digest')],
  [
    'appendHistory',
    re(`^INSERT INTO ${T('pb_history')}`),
    none,
    (tx) => tx.appendHistory({ id: 'h1', subjectId: 's1', field: 'email', ciphertext: null, meta: '{}', changedAt: '2026-12-01T00:00:00.000Z' }),
  ],
  ['listHistory', re(`^SELECT id, subject_id, field, ciphertext, meta, changed_at FROM ${T('pb_history')}`), none, (tx) => tx.listHistory('s1')],
  ['deleteHistory', re(`^DELETE FROM ${T('pb_history')}`), none, (tx) => tx.deleteHistory('s1')],
  [
    'putRecord',
    re(`^INSERT INTO ${T('pb_records')}`),
    none,
    (tx) => tx.putRecord({ kind: 'consent', id: 'r1', subjectId: null, createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' }),
  ],
  ['getRecord', re(`FROM ${T('pb_records')} WHERE kind = ${P} AND id = `), none, (tx) => tx.getRecord('consent', 'r1')],
  ['listRecords', re(`FROM ${T('pb_records')} WHERE kind = ${P} ORDER BY`), none, (tx) => tx.listRecords('consent')],
  ['listRecords', re(`FROM ${T('pb_records')} WHERE kind = ${P} AND subject_id = `), none, (tx) => tx.listRecords('consent', { subjectId: 's1' })],
  ['deleteRecord', re(`^DELETE FROM ${T('pb_records')}`), none, (tx) => tx.deleteRecord('consent', 'r1')],
  ['appendAudit', re(`(^INSERT INTO ${T('pb_audit')} )|pb_audit_append`), none, (tx) => tx.appendAudit(audit())],
  [
    'appendAuditMany',
    re(`(^INSERT INTO ${T('pb_audit')} )|pb_audit_append`),
    none,
    (tx) => tx.appendAuditMany?.([audit(), audit('other')]) ?? Promise.reject(new Error('no appendAuditMany')),
  ],
  ['listAudit', re(`FROM ${T('pb_audit')}( WHERE .*)? ORDER BY seq`), none, (tx) => tx.listAudit({ actor: 'staff' })],
  ['auditTreeHead', re(`FROM ${T('pb_audit_head')} WHERE id = 1$`), none, (tx) => tx.auditTreeHead?.() ?? Promise.reject(new Error('no auditTreeHead'))],
  ['getAuditNodes', re(`FROM ${T('pb_audit_node')} WHERE`), none, (tx) => tx.getAuditNodes?.([{ level: 0, index: 0 }]) ?? Promise.reject(new Error('no getAuditNodes'))],
  ['getAuditEntries', re(`FROM ${T('pb_audit')} WHERE seq IN`), none, (tx) => tx.getAuditEntries?.([1]) ?? Promise.reject(new Error('no getAuditEntries'))],
];

describe.each(faulty)('operation names on $name', (target) => {
  it.each(cases)('%s: a failed statement is a StorageError naming the operation and the driver code; the next transaction works', async (operation, statement, setup, call) => {
    const { adapter, plan } = await target.create();
    await adapter.transaction(setup);
    const before = plan.sent.length;
    plan.fail((sql) => statement.test(sql), target.error);
    const error = await failure(adapter.transaction(call));
    expect(
      plan.sent.slice(before).some((sql) => statement.test(sql)),
      'the call sent the statement the case fails',
    ).toBe(true);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation, driverCode: target.code });
    plan.clear();
    await adapter.transaction(call);
    await adapter.close();
  });

  it.each([
    ['getSubjectWithValues', re('LEFT JOIN'), (a: StorageAdapter) => a.getSubjectWithValues?.('s1')],
    ['getSubjectStates', re('^SELECT 0 AS part'), (a: StorageAdapter) => a.getSubjectStates?.({ subjects: ['s1'], recordKinds: ['consent'] })],
  ] as const)('the adapter fast path %s names its operation', async (operation, statement, call) => {
    const { adapter, plan } = await target.create();
    plan.fail((sql) => statement.test(sql), target.error);
    const error = await failure(Promise.resolve(call(adapter)));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation, driverCode: target.code });
    await adapter.close();
  });

  it('schemaVersion: a failed read is a StorageError of "read the schema version"', async () => {
    const { adapter, plan } = await target.create();
    plan.fail(/SELECT MAX\(version\) AS v FROM/, target.error);
    const error = await failure(adapter.schemaVersion());
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'read the schema version', driverCode: target.code });
    expect(await adapter.schemaVersion()).toBeGreaterThan(0);
    await adapter.close();
  });

  it.each([
    ['the first statement of the migration transaction', re('^(BEGIN|SELECT pg_advisory_xact_lock)')],
    ['the read of the schema version', re(`FROM ${T('pb_schema')}`)],
  ])('open: a failure of %s is a StorageError of "migrate the schema"; a second open succeeds', async (_name, statement) => {
    const { adapter, plan } = await target.create(false);
    plan.fail((sql) => statement.test(sql), target.error);
    const error = await failure(adapter.open());
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'migrate the schema', driverCode: target.code });
    await adapter.open();
    expect(await adapter.transaction((tx) => tx.listSubjects())).toEqual([]);
    await adapter.close();
  });
});
