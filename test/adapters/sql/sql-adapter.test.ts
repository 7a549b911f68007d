/**
 * The shared engine of the SQL adapters (`src/adapters/sql/sql-adapter.ts`) on SQLite and
 * PostgreSQL, through the fault-injecting wrappers: what an unavailable database's `cause`
 * holds (code and redacted message, each only when the driver gave one; no cause when it gave
 * neither), lazy opening on the fast paths, migration in one write transaction, a newer
 * schema refused naming the migration, nested batches refused naming `writeBatch`, a failed
 * BEGIN of a batch naming it, an empty batch sending nothing, and a failed rollback reported as
 * a named error rather than the driver's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  IntegrityError,
  InvalidArgumentError,
  StorageConflictError,
  StorageError,
  StorageUnavailableError,
  type StorageAdapter,
  type StorageWrite,
  verifyAuditLog,
} from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { selectedTargets } from '../../security/fixtures/targets.js';
import { audit, subject } from '../support/fault-rows.js';
import { FaultPlan, faultyPool, faultySqlite, networkError, pgError, sqliteError } from '../support/faulty-drivers.js';
import { DATABASE_URL, uniqueSchema } from '../support/postgres-env.js';
import { WRITE_AUDIT_BATCH_DEFERRED } from '../../../src/storage/deferred-audit.js';
import { DEFAULT_WAIT_MS } from '../../../src/storage/transaction-scope.js';
import { failure } from '../support/failure.js';

const pools: pg.Pool[] = [];
const schemas: { pool: pg.Pool; schema: string }[] = [];
afterAll(async () => {
  for (const { pool, schema } of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  for (const p of pools) await p.end().catch(() => undefined);
});

/** An error of `code` whose message is not a string (the driver gave a code only). */
const codeOnly = (code: string): Error => Object.assign(Object.create(Error.prototype) as Error, { code, message: 7 });

interface Faulty {
  readonly name: 'sqlite' | 'postgres';
  /** A new adapter over a faulty connection (not opened); `raw` runs SQL on its database directly (`t` names a table). */
  create(): { adapter: StorageAdapter; plan: FaultPlan; reopen(): StorageAdapter; raw(sql: (t: (table: string) => string) => string): Promise<void> };
  /** The text of the statement that starts a write transaction. */
  readonly begin: RegExp;
  /** Unavailable-class errors: with code and message, with a code only, and without a code (the text then stated by the adapter). */
  readonly unavailable: {
    readonly full: () => Error;
    readonly fullCause: string;
    readonly code: () => Error;
    readonly codeCause: string;
    readonly closed: () => Error;
    readonly closedCause: string;
  };
  /** An ordinary statement error and its code. */
  readonly error: () => Error;
}

let n = 0;
const faulty = selectedTargets<Faulty>([
  {
    name: 'sqlite',
    create() {
      const plan = new FaultPlan();
      const db = new Database(':memory:');
      return {
        adapter: sqliteAdapter({ database: faultySqlite(db, plan) }),
        plan,
        reopen: () => sqliteAdapter({ database: db }),
        raw: async (sql) => {
          db.exec(sql((table) => table));
        },
      };
    },
    begin: /^BEGIN IMMEDIATE$/,
    unavailable: {
      full: () => sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error password=hunter2'),
      fullCause: 'SQLITE_IOERR_WRITE: disk I/O error password=[redacted]',
      code: () => codeOnly('SQLITE_IOERR'),
      codeCause: 'SQLITE_IOERR',
      closed: () => new TypeError('The database connection is not open'),
      closedCause: 'the database connection is closed',
    },
    error: () => sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed'),
  },
  {
    name: 'postgres',
    create() {
      const real = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      real.on('error', () => undefined);
      pools.push(real);
      const schema = uniqueSchema(`pb_sqladapter_${++n}`);
      schemas.push({ pool: real, schema });
      const plan = new FaultPlan();
      return {
        adapter: postgresAdapter({ pool: faultyPool(real, plan), schema, maxAttempts: 2 }),
        plan,
        reopen: () => postgresAdapter({ pool: real, schema }),
        raw: async (sql) => {
          await real.query(sql((table) => `"${schema}".${table}`));
        },
      };
    },
    begin: /^BEGIN/,
    unavailable: {
      full: () => networkError('ECONNRESET'),
      fullCause: 'ECONNRESET: network error ECONNRESET',
      code: () => pgError('57P01', 'terminating connection due to administrator command'),
      codeCause: '57P01',
      closed: () => new Error('Connection terminated unexpectedly'),
      closedCause: 'Connection terminated',
    },
    error: () => pgError('23514', 'new row violates check constraint'),
  },
]);

describe.each(faulty)('SQL adapter engine on $name', (target) => {
  it.each(['full', 'code', 'closed'] as const)('an unavailable database (%s): StorageUnavailableError whose cause states exactly what the driver safely gave', async (kind) => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const make = target.unavailable[kind];
    const expected = target.unavailable[`${kind === 'full' ? 'full' : kind}Cause` as 'fullCause' | 'codeCause' | 'closedCause'];
    plan.fail(/FROM .*pb_subjects WHERE id = /, make);
    const error = await failure(adapter.transaction((tx) => tx.getSubject('s1')));
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as { cause?: Error }).cause?.message).toBe(expected);
    await adapter.close();
  });

  it('a failed BEGIN of the migration with an error of no known kind: a StorageError of the migration with no cause (nothing of the driver shown); the next open works', async () => {
    const { adapter, plan } = target.create();
    plan.fail(target.begin, () => new Error('something odd password=hunter2'));
    const error = await failure(adapter.open());
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('migrate the schema');
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(error).not.toHaveProperty('cause');
    await adapter.open();
    await adapter.close();
  });

  it('the fast paths and a batch open the adapter lazily (no open() first)', async () => {
    for (const call of [
      (a: StorageAdapter) => a.getSubjectWithValues?.('s1'),
      (a: StorageAdapter) => a.getSubjectStates?.({ subjects: ['s1'], recordKinds: [] }),
      (a: StorageAdapter) => a.writeBatch?.([{ op: 'appendAudit', entry: audit() }]),
    ]) {
      const { adapter } = target.create();
      await call(adapter);
      expect(await adapter.schemaVersion()).toBeGreaterThan(0);
      await adapter.close();
    }
  });

  it('open migrates in one write transaction: its statements between BEGIN and COMMIT', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const begin = plan.sent.findIndex((s) => target.begin.test(s));
    const create = plan.sent.findIndex((s) => /^CREATE TABLE IF NOT EXISTS .*pb_schema/s.test(s));
    const commit = plan.sent.findIndex((s, i) => i > create && /^COMMIT/.test(s));
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(begin).toBeLessThan(create);
    expect(plan.sent.slice(begin + 1, commit).some((s) => /^(BEGIN|COMMIT)/.test(s))).toBe(false);
    expect(plan.sent.slice(begin, commit).some((s) => /pb_audit_head/.test(s))).toBe(true);
    await adapter.close();
  });

  it('a database at a newer schema is refused by the migration, naming the version', async () => {
    const { adapter, reopen, raw } = target.create();
    await adapter.open();
    await adapter.close();
    await raw((t) => `INSERT INTO ${t('pb_schema')} (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')`);
    const newer = reopen();
    const error = await failure(newer.open());
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'migrate the schema' });
    expect((error as Error).message).toMatch(/schema version 99\b.*upgrade purpose-bound/);
    await newer.close();
  });

  it('a batch started inside a transaction of the same adapter is refused naming writeBatch; nothing is written', async () => {
    const { adapter } = target.create();
    await adapter.open();
    const error = await failure(adapter.transaction(async () => adapter.writeBatch?.([{ op: 'appendAudit', entry: audit() }])));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('writeBatch');
    expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
    await adapter.close();
  });

  it('a batch with an entry that is not an object is refused naming it, before anything is written', async () => {
    const { adapter } = target.create();
    await adapter.open();
    for (const bad of [null, undefined, 'appendAudit', 7]) {
      const error = await failure(Promise.resolve(adapter.writeBatch?.([{ op: 'appendAudit', entry: audit() }, bad as unknown as StorageWrite])));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('writes[1]');
    }
    expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
    await adapter.close();
  });

  it('an empty batch sends no statement', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const before = plan.sent.length;
    expect(await adapter.writeBatch?.([])).toEqual([]);
    expect(plan.sent.slice(before)).toEqual([]);
    await adapter.close();
  });

  it('a driver that throws something that is not an Error (null) gives the named StorageError of the operation, never a raw TypeError', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    plan.fail(/FROM .*pb_subjects WHERE id = /, () => null);
    const error = await failure(adapter.transaction((tx) => tx.getSubject('s1')));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('getSubject');
    expect(await adapter.transaction((tx) => tx.getSubject('s1'))).toBeUndefined();
    await adapter.close();
  });

  it('close() while open() is in flight waits for the open: the open succeeds, and the adapter is closed after it', async () => {
    const { adapter } = target.create();
    const opened = adapter.open();
    const closed = adapter.close();
    await expect(opened).resolves.toBeUndefined();
    await expect(closed).resolves.toBeUndefined();
    const error = await failure(adapter.transaction((tx) => tx.getSubject('s1')));
    expect(error).toBeInstanceOf(StorageUnavailableError);
  });

  it('schemaVersion() inside a transaction of the same adapter is refused naming its operation, not left waiting', async () => {
    const { adapter } = target.create();
    await adapter.open();
    const error = await failure(adapter.transaction(async () => await adapter.schemaVersion()));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('read the schema version');
    expect(await adapter.schemaVersion()).toBeGreaterThan(0);
    await adapter.close();
  });

  it('getSubjectStates for no subjects answers [] without sending a statement', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const before = plan.sent.length;
    expect(await adapter.getSubjectStates?.({ subjects: [], recordKinds: ['consent'] })).toEqual([]);
    expect(plan.sent.slice(before)).toEqual([]);
    await adapter.close();
  });

  it('empty lists send no statement inside a transaction: limit 0, no fields, no subjects, no audit inputs', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    let before = plan.sent.length;
    await adapter.transaction(async () => undefined);
    const empty = plan.sent.slice(before); // BEGIN and COMMIT only
    before = plan.sent.length;
    await adapter.transaction(async (tx) => {
      expect(await tx.listSubjects({ limit: 0 })).toEqual([]);
      expect(await tx.getValues('s1', [])).toEqual([]);
      expect(await tx.deleteValues('s1', [])).toBe(0);
      expect(await tx.getSubjectStates?.({ subjects: [], recordKinds: ['consent'] })).toEqual([]);
      expect(await tx.appendAuditMany?.([])).toEqual([]);
    });
    expect(plan.sent.slice(before)).toEqual(empty);
    await adapter.close();
  });

  it('a batch whose statement fails with an ordinary error is a StorageError of writeBatch', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    // SQLite applies a batch in a transaction (its BEGIN fails); PostgreSQL sends it as one statement.
    plan.fail((sql) => target.begin.test(sql) || /^WITH /.test(sql), target.error);
    const error = await failure(
      Promise.resolve(
        adapter.writeBatch?.([
          { op: 'insertSubject', row: subject('s2') },
          { op: 'appendAudit', entry: audit() },
        ]),
      ),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('writeBatch');
    expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
    await adapter.close();
  });
});

describe.each(faulty.filter((t) => t.name === 'sqlite'))('SQL adapter engine on $name: connect and rollback', (target) => {
  it('a connection set-up that fails with an error of no known kind is unavailable with no cause at all (nothing of the driver shown)', async () => {
    const db = new Database(':memory:');
    const plan = new FaultPlan();
    const odd = {
      ...faultySqlite(db, plan),
      open: true,
      pragma: () => {
        throw new Error('something odd password=hunter2');
      },
    };
    const error = await failure(sqliteAdapter({ database: odd }).open());
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).not.toHaveProperty('cause');
    expect(String((error as Error).message)).not.toContain('hunter2');
    db.close();
  });

  it('a fast-path read started while a batch that writes a subject runs waits for it: it never sees the rows of the batch, which then fails', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    let read: Promise<unknown> | undefined;
    // When the batch reaches its record (its subject already inserted, not committed), a read of
    // that subject starts, from outside the batch (a microtask of its own); then the audit insert fails.
    plan.fail(
      (sql) => {
        if (/^INSERT INTO pb_records/.test(sql)) queueMicrotask(() => void (read = Promise.resolve(adapter.getSubjectWithValues?.('s-batch'))));
        return false;
      },
      () => undefined,
    );
    plan.fail(/^INSERT INTO pb_audit \(/, () => sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed'));
    const error = await failure(
      Promise.resolve(
        adapter.writeBatch?.([
          { op: 'insertSubject', row: subject('s-batch') },
          { op: 'putRecord', row: { kind: 'consent', id: 'r-batch', subjectId: 's-batch', createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' } },
          { op: 'appendAudit', entry: audit() },
        ]),
      ),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(read).toBeDefined();
    expect(await read).toBeUndefined();
    expect(await adapter.transaction((tx) => tx.getSubject('s-batch'))).toBeUndefined();
    await adapter.close();
  });

  it('schemaVersion() whose promise a transaction returns (no await chain back to it) waits for the connection at most the bound, then fails naming its operation', async () => {
    const { adapter } = target.create();
    await adapter.open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // Returned from an async callback, not awaited: the async stack does not lead back to the
      // transaction callback, so only the bounded wait for the connection (which the transaction
      // holds) stops it.
      const settled = failure(adapter.transaction(async () => adapter.schemaVersion()));
      await vi.advanceTimersByTimeAsync(DEFAULT_WAIT_MS + 2);
      const error = await settled;
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ operation: 'read the schema version', message: expect.stringContaining('inside another') });
    } finally {
      vi.useRealTimers();
    }
    expect(await adapter.schemaVersion()).toBeGreaterThan(0);
    await adapter.close();
  });

  it('a scrub that fails is a StorageError naming scrub (a file database: in memory there is nothing to scrub)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-scrub-'));
    const db = new Database(join(dir, 'scrub.db'));
    try {
      const failing = {
        ...faultySqlite(db, new FaultPlan()),
        open: true,
        memory: false,
        name: db.name,
        pragma: (source: string, options?: { readonly simple?: boolean }) => {
          if (/wal_checkpoint/.test(source)) throw sqliteError('SQLITE_ERROR', 'checkpoint failed');
          return db.pragma(source, options);
        },
      };
      const adapter = sqliteAdapter({ database: failing });
      await adapter.open();
      const error = await failure(Promise.resolve(adapter.scrub?.()));
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).operation).toBe('scrub');
      await adapter.close();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a body error whose ROLLBACK fails is reported as the named error of the failed rollback, never the raw driver error', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    plan.fail(/^ROLLBACK$/, () => sqliteError('SQLITE_IOERR', 'disk I/O error'));
    const error = await failure(
      adapter.transaction(async (tx) => {
        await tx.insertSubject(subject('s1'));
        throw new Error('the caller gave up');
      }),
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as { cause?: Error }).cause?.message).toMatch(/^SQLITE_IOERR/);
    await adapter.close();
  });
});

describe.each(faulty.filter((t) => t.name === 'postgres'))('SQL adapter engine on $name: retries and batch failures', (target) => {
  it('a one-statement read failing with a serialization failure is attempted maxAttempts (2) times, no more', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const read = /LEFT JOIN/;
    plan.fail(
      (sql) => read.test(sql),
      () => pgError('40001', 'could not serialize access'),
      2,
    );
    const before = plan.count(read);
    const error = await failure(Promise.resolve(adapter.getSubjectWithValues?.('s1')));
    expect(error).toBeInstanceOf(StorageConflictError);
    expect(plan.count(read) - before).toBe(2);
    plan.fail(
      (sql) => read.test(sql),
      () => pgError('40001', 'could not serialize access'),
      1,
    );
    expect(await adapter.getSubjectWithValues?.('s1')).toBeUndefined(); // the second attempt succeeds
    await adapter.close();
  });

  it.each([
    ['a duplicate key', () => pgError('23505', 'duplicate key value violates unique constraint', { table: 'pb_subjects' }), StorageConflictError],
    ['a NULL audit seq (the head row is missing)', () => pgError('23502', 'null value in column "seq"', { table: 'pb_audit' }), IntegrityError],
    ['a NULL in another table', () => pgError('23502', 'null value in column "doc"', { table: 'pb_records' }), StorageError],
    ['another error of the audit table', () => pgError('23514', 'new row violates check constraint', { table: 'pb_audit' }), StorageError],
    ['something that is not an Error (null)', (): unknown => null, StorageError],
  ] as const)('a batch statement failing with %s is the matching named error', async (_name, error, expected) => {
    const { adapter, plan } = target.create();
    await adapter.open();
    plan.fail(/^WITH /, error);
    const thrown = await failure(
      Promise.resolve(
        adapter.writeBatch?.([
          { op: 'insertSubject', row: subject('s1') },
          { op: 'appendAudit', entry: audit() },
        ]),
      ),
    );
    expect(thrown).toBeInstanceOf(expected);
    if (expected === StorageError) {
      expect(thrown).not.toBeInstanceOf(IntegrityError);
      expect((thrown as StorageError).operation).toBe('writeBatch');
    }
    await adapter.close();
  });

  it('an audit append in a transaction is ONE statement (pb_audit_append), however many entries', async () => {
    const { adapter, plan } = target.create();
    await adapter.open();
    const before = plan.sent.length;
    const entries = await adapter.transaction(async (tx) => [await tx.appendAudit(audit('a')), ...((await tx.appendAuditMany?.([audit('b'), audit('c'), audit('d')])) ?? [])]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const sent = plan.sent.slice(before).filter((sql) => !/^(BEGIN|COMMIT)/.test(sql));
    expect(sent).toHaveLength(2);
    for (const sql of sent) expect(sql).toMatch(/pb_audit_append\(/);
    expect((await verifyAuditLog(await adapter.transaction((tx) => tx.listAudit()))).valid).toBe(true);
    await adapter.close();
  });

  it('syncAudit() inside a transaction of the same adapter is refused naming syncAudit', async () => {
    const { adapter } = target.create();
    await adapter.open();
    const error = await failure(
      adapter.transaction(async () => {
        await adapter.syncAudit?.();
      }),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'syncAudit', message: expect.stringContaining('inside another') });
    await adapter.syncAudit?.();
    await adapter.close();
  });

  it('a failed clean-up of pb_audit_sync at open is a StorageError naming it; the next open works', async () => {
    const { adapter, plan } = target.create();
    plan.fail(/^DELETE FROM .*pb_audit_sync/, () => pgError('23514', 'check'));
    const error = await failure(adapter.open());
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).operation).toBe('clean pb_audit_sync');
    await adapter.open();
    expect(plan.count(/^DELETE FROM .*pb_audit_sync/)).toBe(2);
    await adapter.close();
  });
});

describe('SQL adapter engine: what each driver offers', () => {
  it('SQLite: no deferred audit writer (its commits are durable), scrub, and a syncAudit that sends nothing', async () => {
    const plan = new FaultPlan();
    const adapter = sqliteAdapter({ database: faultySqlite(new Database(':memory:'), plan), closeClient: true });
    expect(WRITE_AUDIT_BATCH_DEFERRED in adapter).toBe(false);
    expect(typeof adapter.scrub).toBe('function');
    await adapter.open();
    const before = plan.sent.length;
    await adapter.syncAudit?.();
    expect(plan.sent.slice(before)).toEqual([]);
    await adapter.close();
  });

  it.each(faulty.filter((t) => t.name === 'postgres'))(
    '$name: a deferred audit writer only with lazyAuditCommit, no scrub; syncAudit opens lazily and names its operation when it fails',
    async () => {
      const real = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      real.on('error', () => undefined);
      pools.push(real);
      const schema = uniqueSchema(`pb_sqladapter_sync_${++n}`);
      schemas.push({ pool: real, schema });
      const plan = new FaultPlan();
      const lazy = postgresAdapter({ pool: faultyPool(real, plan), schema });
      expect(WRITE_AUDIT_BATCH_DEFERRED in lazy).toBe(true);
      expect(WRITE_AUDIT_BATCH_DEFERRED in postgresAdapter({ pool: real, schema, lazyAuditCommit: false })).toBe(false);
      expect(lazy.scrub).toBeUndefined();
      await lazy.syncAudit?.(); // not opened before: opens
      expect(plan.count('pb_audit_sync')).toBeGreaterThan(0);
      plan.fail(/^INSERT INTO .*pb_audit_sync/, () => pgError('23514', 'check'));
      const error = await failure(Promise.resolve(lazy.syncAudit?.()));
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).operation).toBe('syncAudit');
      await lazy.close();
    },
  );
});
