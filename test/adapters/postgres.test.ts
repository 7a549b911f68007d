import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, SCHEMA_VERSION, StorageUnavailableError, verifyAuditLog } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { runAdapterConformance } from 'purpose-bound/testing';
import { adapterContract, type Harness } from './support/contract.js';
import { DATABASE_URL, uniqueSchema } from './support/postgres-env.js';
import { rowsToBytes, TABLES_OF_SCHEMA } from './support/raw-dump.js';

// Fails (never skips) when the server is unreachable: the first query in beforeAll throws.
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const prefix = uniqueSchema('pbt');
const schemas: string[] = [];
beforeAll(async () => {
  await pool.query('SELECT 1');
});
afterAll(async () => {
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await pool.end();
});
let n = 0;

const harness: Harness = {
  name: 'postgres',
  concurrent: true,
  async fresh(prepare) {
    const schema = `${prefix}_${++n}`;
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA ${schema}`);
    const raw = async (sql: string) => (await pool.query(sql)).rows as Record<string, unknown>[];
    const t = (name: string) => `${schema}.${name}`;
    if (prepare) await prepare(raw, t);
    // each adapter creates (and ends) its own pool: `another()` is a second pool
    return { adapter: postgresAdapter({ connectionString: DATABASE_URL, schema }), raw, t, another: () => postgresAdapter({ connectionString: DATABASE_URL, schema }) };
  },
};

adapterContract(harness);

// The published conformance suite in a schema of its own; `concurrent` is a second pool.
const conformanceSchema = `${prefix}_conformance`;
schemas.push(conformanceSchema);
runAdapterConformance({
  name: 'postgres',
  createAdapter: async () => postgresAdapter({ connectionString: DATABASE_URL, schema: conformanceSchema, max: 4 }),
  rawDump: async () => {
    const tables = (await pool.query<{ table_name: string }>(TABLES_OF_SCHEMA, [conformanceSchema])).rows;
    const rows: Record<string, unknown>[] = [];
    for (const { table_name } of tables) rows.push(...((await pool.query(`SELECT * FROM ${conformanceSchema}."${table_name}"`)).rows as Record<string, unknown>[]));
    return rowsToBytes(rows);
  },
  concurrent: async () => postgresAdapter({ connectionString: DATABASE_URL, schema: conformanceSchema, max: 4 }),
  reopen: async () => postgresAdapter({ connectionString: DATABASE_URL, schema: conformanceSchema }),
});

describe('postgres adapter specifics', () => {
  it('never shows the password: location, message, cause and inspect output of an unreachable server', async () => {
    const adapter = postgresAdapter({ connectionString: 'postgres://app:S3cretPassw0rd@127.0.0.1:1/db?sslmode=disable&password=S3cretPassw0rd' });
    expect(adapter.location).toBe('postgres://app@127.0.0.1:1/db');
    const error = await adapter.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'postgres', location: 'postgres://app@127.0.0.1:1/db' });
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain('S3cretPassw0rd');
    await adapter.close();
  });

  it('refuses a wrong password as unavailable, without echoing it', async () => {
    const url = new URL(DATABASE_URL);
    url.password = 'definitely-Wrong-pw-123';
    const adapter = postgresAdapter({ connectionString: url.toString() });
    const error = await adapter.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain('definitely-Wrong-pw-123');
    await adapter.close();
  });

  it('uses a pool you pass, describes it without its password, and leaves it open on close unless asked', async () => {
    const schema = `${prefix}_given`;
    schemas.push(schema);
    const own = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const adapter = postgresAdapter({ pool: own, schema });
    const u = new URL(DATABASE_URL);
    expect(adapter.location).toBe(`postgres://${u.username}@${u.hostname}:${u.port || 5432}${u.pathname}#${schema}`);
    const described = postgresAdapter({ pool: new pg.Pool({ connectionString: 'postgres://u:Pool-Secret-9@db.internal:6543/app' }) });
    expect(described.location).toBe('postgres://u@db.internal:6543/app');
    await adapter.transaction((tx) => tx.listSubjects());
    await adapter.close();
    expect((await own.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const closing = postgresAdapter({ pool: own, schema, closeClient: true });
    await closing.open();
    await closing.close();
    await expect(own.query('SELECT 1')).rejects.toThrow();
  });

  it('migrates once when many adapters open the same new schema at once', async () => {
    const schema = `${prefix}_race`;
    schemas.push(schema);
    const adapters = Array.from({ length: 6 }, () => postgresAdapter({ connectionString: DATABASE_URL, schema, max: 1 }));
    await Promise.all(adapters.map((a) => a.open()));
    expect((await pool.query(`SELECT version FROM ${schema}.pb_schema ORDER BY version`)).rows.map((r) => r.version).at(-1)).toBe(SCHEMA_VERSION);
    await Promise.all(adapters.map((a) => a.close()));
  });

  it('keeps one linear chain and no lost update with 8 pools writing at once', async () => {
    const schema = `${prefix}_load`;
    schemas.push(schema);
    const workers = Array.from({ length: 8 }, () => postgresAdapter({ connectionString: DATABASE_URL, schema, max: 2 }));
    await workers[0]!.transaction((tx) => tx.insertSubject({ id: 'counter', keyId: 'k', wrappedKey: null, createdAt: 'c', erasedAt: null, erasureRef: null, version: 0 }));
    const perWorker = 15;
    let conflicts = 0;
    await Promise.all(
      workers.map(async (w, k) => {
        for (let i = 0; i < perWorker; i++) {
          // read-modify-write under a row lock: never a conflict, never a lost increment
          await w
            .transaction(async (tx) => {
              const row = await tx.getSubject('counter', { forUpdate: true });
              await tx.updateSubject({ ...row!, version: row!.version + 1 }, row!.version);
              await tx.appendAudit({ at: new Date().toISOString(), action: 'inc', actor: `w${k}`, decision: 'record', details: { i } });
            })
            .catch(() => conflicts++);
        }
      }),
    );
    expect(conflicts).toBe(0);
    const final = await workers[0]!.transaction((tx) => tx.getSubject('counter'));
    expect(final?.version).toBe(8 * perWorker);
    const entries = await workers[0]!.transaction((tx) => tx.listAudit());
    expect(await verifyAuditLog(entries)).toMatchObject({ valid: true, entries: 8 * perWorker });
    await Promise.all(workers.map((w) => w.close()));
  });

  it('rejects malformed options with a named error', () => {
    expect(() => postgresAdapter({} as never)).toThrow(InvalidArgumentError);
    expect(() => postgresAdapter({ connectionString: DATABASE_URL, schema: 'a-b' })).toThrow(InvalidArgumentError);
    expect(() => postgresAdapter({ connectionString: DATABASE_URL, max: 0 })).toThrow(InvalidArgumentError);
  });
});
