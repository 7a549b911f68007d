/**
 * The PostgreSQL adapter when the server or the connection fails. Real failures where the
 * server can be made to produce them (a deadlock between two connections, a unique violation,
 * a lock timeout, a backend terminated mid-transaction); injected ones, through a wrapper
 * around a real `pg.Pool`, for the rest (serialisation failures on COMMIT, lost connections,
 * pool exhaustion, failed rollbacks). What the adapter promises: the named error and code,
 * retries only where the server asks for them, a rollback that leaves nothing half-written, no
 * value or parameter in any message, and a broken connection never handed back to the pool.
 */
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityError, StorageConflictError, StorageError, StorageUnavailableError, type StorageAdapter, type SubjectRow } from 'purpose-bound';
import { postgresAdapter, type PostgresAdapterOptions } from 'purpose-bound/adapters/postgres';
import { checkAuditNodes } from './support/audit-nodes.js';
import { audit, SECRET, subject, value } from './support/fault-rows.js';
import { FaultPlan, faultyPool, networkError, pgError, type FaultyPool } from './support/faulty-drivers.js';
import { DATABASE_URL, uniqueSchema } from './support/postgres-env.js';
import { failure } from './support/failure.js';

const raw = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
const prefix = uniqueSchema('pbf');
const schemas: string[] = [];
const pools: pg.Pool[] = [];
beforeAll(async () => {
  await raw.query('SELECT 1'); // fails (never skips) without a server
});
afterAll(async () => {
  for (const p of pools) await p.end().catch(() => undefined);
  for (const s of schemas) await raw.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await raw.end();
});
let n = 0;

const exposed = (error: unknown): string => inspect(error, { depth: Infinity, showHidden: true });
interface Setup {
  readonly adapter: StorageAdapter;
  readonly plan: FaultPlan;
  readonly pool: FaultyPool;
  readonly schema: string;
  /** Rows of a table of this schema, read on a connection of its own. */
  readonly rows: (table: string) => Promise<Record<string, unknown>[]>;
}

/** An opened adapter on a schema of its own, over a faulty pool; `query` is appended to the connection string. */
async function fresh(options: Partial<PostgresAdapterOptions> = {}, query = ''): Promise<Setup> {
  const schema = `${prefix}_${++n}`;
  schemas.push(schema);
  const real = new pg.Pool({ connectionString: `${DATABASE_URL}${query}`, max: 2 });
  pools.push(real);
  const plan = new FaultPlan();
  const pool = faultyPool(real, plan);
  const adapter = postgresAdapter({ pool, schema, maxAttempts: 3, ...options });
  await adapter.open();
  const rows = async (table: string) => (await raw.query(`SELECT * FROM ${schema}.${table}`)).rows as Record<string, unknown>[];
  return { adapter, plan, pool, schema, rows };
}

/** A promise and its resolver. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    fire = r;
  });
  return { promise, fire };
}

describe('postgres adapter: failures the server produces', () => {
  it('a real deadlock between two connections is retried: both transactions commit, the victim ran twice', async () => {
    const a = await fresh();
    const b = postgresAdapter({ connectionString: DATABASE_URL, schema: a.schema, max: 1 });
    await a.adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.insertSubject(subject('s2'));
    });
    const aHas = signal();
    const bHas = signal();
    let runs = 0;
    const bump = async (tx: Parameters<Parameters<StorageAdapter['transaction']>[0]>[0], id: string) => {
      const row = (await tx.getSubject(id, { forUpdate: true })) as SubjectRow;
      await tx.updateSubject({ ...row, version: row.version + 1 }, row.version);
    };
    await Promise.all([
      a.adapter.transaction(async (tx) => {
        runs++;
        await bump(tx, 's1');
        aHas.fire();
        await bHas.promise;
        await bump(tx, 's2');
      }),
      b.transaction(async (tx) => {
        runs++;
        await bump(tx, 's2');
        bHas.fire();
        await aHas.promise;
        await bump(tx, 's1');
      }),
    ]);
    expect(runs).toBe(3);
    expect((await a.rows('pb_subjects')).map((r) => [r['id'], Number(r['version'])]).sort()).toEqual([
      ['s1', 3],
      ['s2', 3],
    ]);
    await b.close();
    await a.adapter.close();
  });

  it('a real unique violation is a StorageError naming constraint and table, never the duplicated value', async () => {
    const { adapter, schema, rows } = await fresh();
    await raw.query(`CREATE UNIQUE INDEX one_lookup ON ${schema}.pb_values (lookup)`);
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.insertSubject(subject('s2'));
      await tx.putValue(value('s1', 'email'));
    });
    const error = await failure(
      adapter.transaction(async (tx) => {
        await tx.appendAudit(audit());
        await tx.putValue(value('s2', 'email'));
      }),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', operation: 'putValue', driverCode: '23505' });
    expect((error as Error).message).toBe(`postgres adapter at ${adapter.location} failed to putValue (23505): constraint one_lookup, table pb_values`);
    expect(exposed(error)).not.toContain(SECRET);
    expect(await rows('pb_audit')).toEqual([]);
    // The one-statement batch: an insertSubject of an existing id is a conflict, and nothing of the batch lands.
    const batch = await failure(
      adapter.writeBatch!([
        { op: 'putRecord', row: { kind: 'k', id: 'r1', subjectId: null, createdAt: 'c', doc: '{}' } },
        { op: 'insertSubject', row: subject('s1') },
      ]),
    );
    expect(batch).toBeInstanceOf(StorageConflictError);
    expect(exposed(batch)).not.toContain('s1"');
    expect(await rows('pb_records')).toEqual([]);
    await adapter.close();
  });

  it('a real lock timeout is a StorageConflictError and is not retried', async () => {
    const { adapter, schema } = await fresh({}, '?options=-c%20lock_timeout%3D150');
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    const holder = await raw.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${schema}.pb_subjects WHERE id = 's1' FOR UPDATE`);
      let runs = 0;
      const error = await failure(
        adapter.transaction(async (tx) => {
          runs++;
          await tx.getSubject('s1', { forUpdate: true });
        }),
      );
      expect(error).toBeInstanceOf(StorageConflictError);
      expect((error as Error).message).toContain('55P03');
      expect(runs).toBe(1);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    await adapter.close();
  });

  it('a backend terminated while a statement waits is StorageUnavailableError; the connection is destroyed and the next transaction runs', async () => {
    const app = `pbfault_${process.pid}_${++n}`;
    const { adapter, schema, pool, rows } = await fresh({}, `?application_name=${app}`);
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    const holder = await raw.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${schema}.pb_subjects WHERE id = 's1' FOR UPDATE`);
      const waiting = failure(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(subject('s2'));
          await tx.getSubject('s1', { forUpdate: true }); // waits for the holder's lock
        }),
      );
      for (let i = 0; i < 100; i++) {
        const r = await raw.query(`SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [app]);
        if (r.rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const error = await waiting;
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ adapter: 'postgres', location: adapter.location });
      expect(pool.releases.at(-1)).toBe(true);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await rows('pb_subjects')).map((r) => r['id'])).toEqual(['s1']);
    await adapter.transaction((tx) => tx.insertSubject(subject('s3')));
    expect(pool.releases.at(-1)).toBe(false);
    await adapter.close();
  });

  it('a connection the server ends while the transaction awaits something else is no uncaught error: the transaction fails unavailable, the client is destroyed', async () => {
    const app = `pbidle_${process.pid}_${++n}`;
    const { adapter, pool, rows } = await fresh({}, `?application_name=${app}`);
    const error = await failure(
      adapter.transaction(async (tx) => {
        await tx.insertSubject(subject('s1'));
        await raw.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
        await new Promise((resolve) => setTimeout(resolve, 200)); // the 'error' event arrives meanwhile
        await tx.insertSubject(subject('s2'));
      }),
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(pool.releases.at(-1)).toBe(true);
    expect(await rows('pb_subjects')).toEqual([]);
    await adapter.transaction((tx) => tx.insertSubject(subject('s3')));
    await adapter.close();
  });
});

describe('postgres adapter: injected failures', () => {
  it('a serialisation failure at COMMIT is retried; the body runs again and its writes land once', async () => {
    const { adapter, plan, rows } = await fresh();
    plan.fail(
      (sql) => sql === 'COMMIT',
      () => pgError('40001', 'could not serialize access due to concurrent update'),
    );
    let runs = 0;
    await adapter.transaction(async (tx) => {
      runs++;
      await tx.insertSubject(subject('s1'));
    });
    expect(runs).toBe(2);
    expect(plan.count('ROLLBACK')).toBe(1);
    expect((await rows('pb_subjects')).map((r) => r['id'])).toEqual(['s1']);
    await adapter.close();
  });

  it('retries at most maxAttempts times, then a StorageConflictError with the SQLSTATE', async () => {
    const { adapter, plan, rows } = await fresh();
    plan.fail('INSERT INTO', () => pgError('40P01', 'deadlock detected'), 10);
    let runs = 0;
    const error = await failure(
      adapter.transaction(async (tx) => {
        runs++;
        await tx.insertSubject(subject('s1'));
      }),
    );
    expect(error).toBeInstanceOf(StorageConflictError);
    expect((error as Error).message).toContain('40P01');
    expect(runs).toBe(3);
    expect(await rows('pb_subjects')).toEqual([]);
    // maxAttempts 1: never retried.
    const once = await fresh({ maxAttempts: 1 });
    once.plan.fail(
      (sql) => sql === 'COMMIT',
      () => pgError('40001'),
      10,
    );
    let onceRuns = 0;
    const e1 = await failure(
      once.adapter.transaction(async (tx) => {
        onceRuns++;
        await tx.insertSubject(subject('s1'));
      }),
    );
    expect(e1).toMatchObject({ code: 'STORAGE_CONFLICT' });
    expect((e1 as Error).message).toContain('40001');
    expect(onceRuns).toBe(1);
    await adapter.close();
    await once.adapter.close();
  });

  it.each([
    ['08006', 'connection failure'],
    ['08003', 'connection does not exist'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['3D000', 'database "x" does not exist'],
    ['28P01', 'password authentication failed for user "app"'],
  ])('SQLSTATE %s mid-transaction: StorageUnavailableError, rolled back, the connection destroyed', async (code, message) => {
    const { adapter, plan, pool, rows } = await fresh();
    plan.fail('INSERT INTO', () => pgError(code, message), 1);
    let runs = 0;
    const error = await failure(
      adapter.transaction(async (tx) => {
        runs++;
        await tx.appendAudit(audit());
        await tx.insertSubject(subject('s1'));
      }),
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(((error as Error).cause as Error).message).toBe(code);
    expect(runs).toBe(1);
    expect(pool.releases.at(-1)).toBe(true);
    expect(await rows('pb_audit')).toEqual([]);
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    expect(pool.releases.at(-1)).toBe(false);
    await adapter.close();
  });

  it.each([
    ['ECONNRESET', 'network error ECONNRESET'],
    ['EPIPE', 'network error EPIPE'],
    ['ETIMEDOUT', 'network error ETIMEDOUT'],
  ])('a network error %s mid-transaction: unavailable, the cause says which, the connection destroyed', async (code, cause) => {
    const { adapter, plan, pool } = await fresh();
    plan.fail('INSERT INTO', () => networkError(code));
    const error = await failure(adapter.transaction((tx) => tx.insertSubject(subject('s1'))));
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(((error as Error).cause as Error).message).toBe(`${code}: ${cause}`);
    expect(pool.releases.at(-1)).toBe(true);
    await adapter.close();
  });

  it.each(['Connection terminated unexpectedly', 'Client has encountered a connection error and is not queryable', 'Client was closed and is not queryable'])(
    'pg reporting "%s" (no code) is unavailable',
    async (message) => {
      const { adapter, plan, pool } = await fresh();
      plan.fail('INSERT INTO', () => new Error(message));
      const error = await failure(adapter.transaction((tx) => tx.insertSubject(subject('s1'))));
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(pool.releases.at(-1)).toBe(true);
      await adapter.close();
    },
  );

  it('an error that echoes values gives only its SQLSTATE and identifiers; the connection goes back to the pool', async () => {
    const { adapter, plan, pool } = await fresh();
    plan.fail('INSERT INTO', () => pgError('22P02', `invalid input syntax for type integer: "${SECRET}"`));
    const e1 = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect((e1 as Error).message).toBe(`postgres adapter at ${adapter.location} failed to putValue (22P02)`);
    expect(pool.releases.at(-1)).toBe(false);
    plan.fail('INSERT INTO', () => pgError('23505', `Key (lookup)=(${SECRET}) already exists`, { constraint: 'pb_values_lookup', table: 'pb_values' }));
    const e2 = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect((e2 as Error).message).toBe(`postgres adapter at ${adapter.location} failed to putValue (23505): constraint pb_values_lookup, table pb_values`);
    plan.fail('INSERT INTO', () => pgError('23514', `new row violates check constraint: ${SECRET}`, { table: 'pb_values' }));
    expect((await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))))) as Error).toMatchObject({
      message: `postgres adapter at ${adapter.location} failed to putValue (23514): table pb_values`,
    });
    // Not a SQLSTATE, not a known pg message: an error without a code, the text withheld.
    plan.fail('INSERT INTO', () => Object.assign(new Error(`bad ${SECRET}`), { code: 'E_WEIRD' }));
    const e3 = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect(e3).toMatchObject({ code: 'STORAGE_ERROR', driverCode: undefined, message: `postgres adapter at ${adapter.location} failed to putValue` });
    for (const e of [e1, e2, e3]) expect(exposed(e)).not.toContain(SECRET);
    await adapter.close();
  });

  it('a failed ROLLBACK destroys the connection and reports the original error', async () => {
    const { adapter, plan, pool } = await fresh();
    plan.fail('INSERT INTO', () => pgError('23514', 'check violation', { table: 'pb_subjects' }));
    plan.fail('ROLLBACK', () => networkError('ECONNRESET'));
    const error = await failure(adapter.transaction((tx) => tx.insertSubject(subject('s1'))));
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', driverCode: '23514' });
    expect(pool.releases.at(-1)).toBe(true);
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    await adapter.close();
  });

  it('a caller error is rolled back and passed through; the connection goes back to the pool', async () => {
    const { adapter, plan, pool, rows } = await fresh();
    const mine = new Error('caller failed');
    expect(
      await failure(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(subject('s1'));
          throw mine;
        }),
      ),
    ).toBe(mine);
    expect(plan.count('ROLLBACK')).toBe(1);
    expect(pool.releases.at(-1)).toBe(false);
    expect(await rows('pb_subjects')).toEqual([]);
    await adapter.close();
  });

  it('a read-only transaction sends neither BEGIN nor ROLLBACK; a failure there destroys only a broken connection', async () => {
    const { adapter, plan, pool } = await fresh();
    const before = plan.sent.length;
    plan.fail('FROM', () => pgError('42P01', 'relation does not exist'));
    expect(await failure(adapter.transaction((tx) => tx.listSubjects(), { readOnly: true }))).toMatchObject({ code: 'STORAGE_ERROR', driverCode: '42P01' });
    expect(pool.releases.at(-1)).toBe(false);
    plan.fail('FROM', () => pgError('57P01', 'terminating connection'));
    expect(await failure(adapter.transaction((tx) => tx.listSubjects(), { readOnly: true }))).toBeInstanceOf(StorageUnavailableError);
    expect(pool.releases.at(-1)).toBe(true);
    expect(plan.sent.slice(before).filter((sql) => /^(BEGIN|COMMIT|ROLLBACK)$/.test(sql))).toEqual([]);
    await adapter.close();
  });

  it('a pool that cannot connect: StorageUnavailableError whose cause names the code, never the driver text', async () => {
    const { adapter, pool } = await fresh();
    const cases: [() => unknown, string][] = [
      [() => networkError('ECONNREFUSED'), 'ECONNREFUSED: network error ECONNREFUSED'],
      [() => pgError('53300', 'sorry, too many clients already'), '53300'],
      [() => new Error('timeout exceeded when trying to connect'), 'timeout exceeded when trying to connect'],
      [() => new Error(`connect failed for ${SECRET}`), 'could not connect'],
    ];
    for (const [error, cause] of cases) {
      pool.failConnect(error);
      const e = await failure(adapter.transaction((tx) => tx.listSubjects()));
      expect(e).toBeInstanceOf(StorageUnavailableError);
      expect(((e as Error).cause as Error).message).toBe(cause);
      expect(exposed(e)).not.toContain(SECRET);
    }
    // A pool failing on the first open: the adapter stays closed to use, and opens on a later try.
    await adapter.close();
    const later = await fresh();
    await later.adapter.close();
    const real = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pools.push(real);
    const flaky = faultyPool(real, new FaultPlan());
    flaky.failConnect(() => networkError('ECONNREFUSED'));
    const reopening = postgresAdapter({ pool: flaky, schema: later.schema });
    expect(await failure(reopening.open())).toBeInstanceOf(StorageUnavailableError);
    await reopening.open();
    expect(await reopening.schemaVersion()).toBeGreaterThan(0);
    await reopening.close();
  });

  it('the one-statement reads and the batch retry a serialisation failure, and classify the rest', async () => {
    const { adapter, plan, rows } = await fresh();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    const read = adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>;
    plan.fail('LEFT JOIN', () => pgError('40001'));
    expect((await read('s1'))?.subject.id).toBe('s1');
    expect(plan.count('LEFT JOIN')).toBe(2);
    plan.fail('LEFT JOIN', () => pgError('57P01'));
    expect(await failure(read('s1'))).toBeInstanceOf(StorageUnavailableError);
    plan.fail('LEFT JOIN', () => pgError('40001'), 5);
    expect(await failure(read('s1'))).toBeInstanceOf(StorageConflictError);
    plan.clear();

    const record = { kind: 'k', id: 'r1', subjectId: null, createdAt: 'c', doc: '{}' };
    plan.fail('WITH ', () => pgError('40P01'));
    const entries = await adapter.writeBatch!([
      { op: 'putRecord', row: record },
      { op: 'appendAudit', entry: audit() },
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1]);
    expect((await rows('pb_records')).length).toBe(1);
    plan.fail('WITH ', () => pgError('23502', 'null value in column "seq"', { table: 'pb_audit' }));
    expect(await failure(adapter.writeBatch!([{ op: 'appendAudit', entry: audit() }]))).toBeInstanceOf(IntegrityError);
    plan.fail('WITH ', () => pgError('23502', 'null value', { table: 'pb_records' }));
    expect(await failure(adapter.writeBatch!([{ op: 'appendAudit', entry: audit() }]))).toMatchObject({ code: 'STORAGE_ERROR', operation: 'writeBatch', driverCode: '23502' });
    plan.fail('WITH ', () => pgError('23505', `Key (id)=(${SECRET}) already exists`));
    const dup = await failure(adapter.writeBatch!([{ op: 'putRecord', row: { ...record, id: 'r2' } }]));
    expect(dup).toBeInstanceOf(StorageConflictError);
    expect(exposed(dup)).not.toContain(SECRET);
    plan.fail('WITH ', () => networkError('ECONNRESET'));
    expect(await failure(adapter.writeBatch!([{ op: 'putRecord', row: { ...record, id: 'r3' } }]))).toBeInstanceOf(StorageUnavailableError);
    expect((await rows('pb_records')).map((r) => r['id'])).toEqual(['r1']);
    expect((await rows('pb_audit')).length).toBe(1);
    await adapter.close();
  });

  it('a batch that writes one value or record twice runs as a transaction (last write wins); otherwise as one statement', async () => {
    const { adapter, plan, rows } = await fresh();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    const v = value('s1', 'email');
    const record = { kind: 'k', id: 'r1', subjectId: null, createdAt: 'c', doc: '{"n":1}' };
    for (const [writes, statements] of [
      [
        [
          { op: 'putValue', row: { ...v, version: 1 } },
          { op: 'putValue', row: { ...v, version: 2 } },
        ],
        ['BEGIN'],
      ],
      [
        [
          { op: 'putRecord', row: record },
          { op: 'putRecord', row: { ...record, doc: '{"n":2}' } },
        ],
        ['BEGIN'],
      ],
      [
        [
          { op: 'putValue', row: { ...v, version: 3 } },
          { op: 'putValue', row: { ...v, field: 'name', version: 3 } },
          { op: 'putRecord', row: { ...record, id: 'r2' } },
          { op: 'putRecord', row: { ...record, kind: 'k2' } },
        ],
        ['WITH '],
      ],
    ] as const) {
      const before = plan.sent.length;
      await adapter.writeBatch!(writes as never);
      const sent = plan.sent.slice(before);
      expect(sent.some((sql) => sql === 'BEGIN')).toBe(statements[0] === 'BEGIN');
      expect(sent.some((sql) => sql.startsWith('WITH '))).toBe(statements[0] === 'WITH ');
    }
    const values = await rows('pb_values');
    expect(values.map((r) => [r['field'], Number(r['version'])]).sort()).toEqual([
      ['email', 3],
      ['name', 3],
    ]);
    expect((await rows('pb_records')).map((r) => [r['kind'], r['id'], r['doc']]).sort()).toEqual([
      ['k', 'r1', '{"n":2}'],
      ['k', 'r2', '{"n":1}'],
      ['k2', 'r1', '{"n":1}'],
    ]);
    await adapter.close();
  });

  it('a lazily committed audit batch is synced before it resolves; a failed sync is reported, not swallowed', async () => {
    const { adapter, plan } = await fresh();
    const before = plan.sent.length;
    await adapter.writeBatch!([
      { op: 'appendAudit', entry: audit('a') },
      { op: 'appendAudit', entry: audit('b') },
    ]);
    const sent = plan.sent.slice(before);
    expect(sent.length).toBe(2);
    expect(sent[0]).toContain('true)'); // committed lazily ...
    expect(sent[1]).not.toContain('WITH '); // ... then made durable by a statement of its own
    // One entry, or entries with other writes: one synchronous statement, no sync after it.
    const one = plan.sent.length;
    await adapter.writeBatch!([{ op: 'appendAudit', entry: audit('c') }]);
    expect(plan.sent.length - one).toBe(1);
    plan.fail(
      (sql) => sql === sent[1],
      () => pgError('58030', 'could not fsync'),
    );
    expect(
      await failure(
        adapter.writeBatch!([
          { op: 'appendAudit', entry: audit('d') },
          { op: 'appendAudit', entry: audit('e') },
        ]),
      ),
    ).toMatchObject({ code: 'STORAGE_ERROR', operation: 'syncAudit', driverCode: '58030' });
    // lazyAuditCommit false: never a separate sync.
    const eager = await fresh({ lazyAuditCommit: false });
    const at = eager.plan.sent.length;
    await eager.adapter.writeBatch!([
      { op: 'appendAudit', entry: audit('a') },
      { op: 'appendAudit', entry: audit('b') },
    ]);
    expect(eager.plan.sent.length - at).toBe(1);
    expect(eager.plan.sent.at(-1)).toContain('false)');
    await adapter.close();
    await eager.adapter.close();
  });

  it('stores the completed subtrees of the audit tree (appended in one statement)', async () => {
    const { adapter, plan } = await fresh();
    await checkAuditNodes(adapter);
    plan.fail('pb_audit_node', () => pgError('57P01'));
    expect(await failure(adapter.transaction((tx) => tx.getAuditNodes!([{ level: 1, index: 0 }])))).toBeInstanceOf(StorageUnavailableError);
    await adapter.close();
  });

  it('runs its statements as named prepared statements, one name per text, unless preparedStatements is false', async () => {
    // Many adapters of one process on schemas of their own (each with its own statement texts
    // and migration DDL) first: they must not use up the names of the next one.
    for (let i = 0; i < 18; i++) {
      const other = await fresh();
      await other.adapter.transaction((tx) => tx.getSubject('x'));
      await other.adapter.close();
    }
    const { adapter, pool } = await fresh();
    for (let i = 0; i < 3; i++) await adapter.transaction((tx) => tx.getSubject(`s${i}`));
    const names = [...pool.named].map((entry) => entry.split(' ')[0] as string);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => /^pb_[0-9a-f]{24}$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect([...pool.named].filter((entry) => entry.includes('FROM') && entry.includes('pb_subjects') && entry.includes('WHERE id = $1')).length).toBe(1);
    await adapter.close();
    const plain = await fresh({ preparedStatements: false });
    await plain.adapter.transaction((tx) => tx.getSubject('s1'));
    expect(plain.pool.named.size).toBe(0);
    await plain.adapter.close();
  });
});

describe('postgres adapter: options', () => {
  const fakePool = (options?: Record<string, unknown>) => ({ connect: async () => Promise.reject(new Error('unused')), end: async () => undefined, ...(options && { options }) });

  it('describes a pool you pass from its options, never with the password', () => {
    expect(postgresAdapter({ pool: fakePool({ host: 'db', port: 5433, database: 'app', user: 'u', password: 'Pw-9' }) }).location).toBe('postgres://u@db:5433/app');
    expect(postgresAdapter({ pool: fakePool({ port: '6000' }) }).location).toBe('postgres://localhost:6000');
    expect(postgresAdapter({ pool: fakePool({ host: 7, port: {}, database: null, user: 1 }) }).location).toBe('postgres://localhost');
    expect(postgresAdapter({ pool: fakePool() }).location).toBe('postgres://localhost');
    expect(postgresAdapter({ pool: fakePool({ connectionString: 'postgres://a:Pw-9@h/d' }), schema: 'tenant_1' }).location).toBe('postgres://a@h/d#tenant_1');
  });

  it('names the option it refuses', () => {
    const refused = (options: unknown) => {
      try {
        postgresAdapter(options as never);
        return undefined;
      } catch (error) {
        const { argument, message } = error as { argument?: string; message: string };
        expect(message).toMatch(new RegExp(`^${(argument ?? '').replace('.', '\\.')} (must|takes) \\S+ \\S+`));
        return argument;
      }
    };
    const url = 'postgres://u@h/d';
    expect(refused(null)).toBe('options');
    expect(refused({ pool: fakePool(), connectionString: url })).toBe('options');
    expect(refused({ pool: {} })).toBe('options.pool');
    expect(refused({ pool: null })).toBe('options.pool');
    expect(refused({})).toBe('options.connectionString');
    expect(refused({ connectionString: '' })).toBe('options.connectionString');
    expect(refused({ connectionString: url, max: 1.5 })).toBe('options.max');
    expect(refused({ connectionString: url, maxAttempts: 0 })).toBe('options.maxAttempts');
    expect(refused({ connectionString: url, preparedStatements: 'yes' })).toBe('options.preparedStatements');
    expect(refused({ connectionString: url, lazyAuditCommit: 1 })).toBe('options.lazyAuditCommit');
    expect(refused({ connectionString: url, schema: '1abc' })).toBe('options.schema');
    expect(refused({ connectionString: url, schema: 'a'.repeat(64) })).toBe('options.schema');
    expect(refused({ connectionString: url, schema: `_${'a'.repeat(62)}`, max: 1, maxAttempts: 1 })).toBeUndefined();
  });

  it('a pool it creates is ended on close; a pool you pass only with closeClient', async () => {
    const schema = `${prefix}_${++n}`;
    schemas.push(schema);
    const own = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 1 });
    await own.open();
    await own.close();
    await own.close(); // twice: nothing more
    const real = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pools.push(real);
    const plan = new FaultPlan();
    const given = faultyPool(real, plan);
    let ended = 0;
    const counted = { ...given, connect: () => given.connect(), end: async () => void ended++ };
    const kept = postgresAdapter({ pool: counted, schema });
    await kept.open();
    await kept.close();
    expect(ended).toBe(0);
    const closing = postgresAdapter({ pool: counted, schema, closeClient: true });
    await closing.open();
    await closing.close();
    expect(ended).toBe(1);
  });
});
