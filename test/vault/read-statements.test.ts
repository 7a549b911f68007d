/**
 * What one guarded read costs in statements, counted through a wrapper around each SQL driver:
 * ONE statement reads the value and the whole state its decision needs (the subject row with
 * its tombstone, its consents and suspensions); the rest of the statements are the audit
 * append. A batch read of 100 subjects is one state statement too, and one audit batch.
 *
 * @module
 */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter, type PGliteLike } from 'purpose-bound/adapters/pglite';
import { postgresAdapter, type PgPoolClientLike, type PgPoolLike } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter, type BetterSqlite3Like } from 'purpose-bound/adapters/sqlite';
import { DATABASE_URL, uniqueSchema } from '../adapters/support/postgres-env.js';
import { clinic } from './fixtures.js';

/** The SQL text of every statement the driver executed, in order. */
type StatementLog = string[];

function bindAll<T extends object>(target: T, wrap: (key: PropertyKey, value: unknown) => unknown): T {
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t) as unknown;
      const wrapped = wrap(key, value);
      if (wrapped !== undefined) return wrapped;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** better-sqlite3, each execution of a prepared statement logged. */
function countingSqlite(log: StatementLog): BetterSqlite3Like {
  const db = new Database(':memory:');
  return bindAll(db as unknown as BetterSqlite3Like, (key, value) => {
    if (key !== 'prepare') return undefined;
    return (sql: string) => {
      const stmt = (value as (s: string) => object).call(db, sql);
      return bindAll(stmt, (k, v) =>
        k === 'all' || k === 'run' || k === 'get' || k === 'iterate'
          ? (...args: unknown[]) => {
              log.push(sql);
              return (v as (...a: unknown[]) => unknown).apply(stmt, args);
            }
          : undefined,
      );
    };
  });
}

/** A pg pool whose clients log every query. */
function countingPool(pool: pg.Pool, log: StatementLog): PgPoolLike {
  const textOf = (q: unknown): string => (typeof q === 'string' ? q : ((q as { text?: string }).text ?? ''));
  return {
    options: pool.options,
    end: () => pool.end(),
    async connect(): Promise<PgPoolClientLike> {
      const client = await pool.connect();
      return {
        query: (q: never, values?: unknown[]) => {
          log.push(textOf(q));
          return client.query(q, values as never) as never;
        },
        release: (destroy?: boolean | Error) => client.release(destroy as never),
      };
    },
  };
}

/** A PGlite whose every statement (a wire-protocol Execute, or a query) is logged with its SQL. */
function countingPGlite(client: PGlite, log: StatementLog): PGliteLike {
  const named = new Map<string, string>();
  const cstring = (b: Buffer, at: number): [string, number] => {
    const end = b.indexOf(0, at);
    return [b.toString('utf8', at, end), end + 1];
  };
  const original = client.execProtocol.bind(client);
  client.execProtocol = (async (message: Uint8Array, options: never) => {
    // Parse ('P') names a statement and gives its SQL; Bind ('B') picks it; Execute ('E') runs it.
    const b = Buffer.from(message);
    let bound = '';
    for (let at = 0; at < b.length; ) {
      const type = String.fromCharCode(b[at] as number);
      const length = b.readInt32BE(at + 1);
      const body = at + 5;
      if (type === 'P') {
        const [name, next] = cstring(b, body);
        named.set(name, cstring(b, next)[0]);
      } else if (type === 'B') {
        const [, next] = cstring(b, body);
        bound = named.get(cstring(b, next)[0]) ?? '';
      } else if (type === 'E') log.push(bound);
      at += 1 + length;
    }
    return original(message, options);
  }) as never;
  const query = client.query.bind(client);
  client.query = (async (sql: string, params?: unknown[]) => {
    log.push(sql);
    return query(sql, params as never);
  }) as never;
  return client as unknown as PGliteLike;
}

const isStateRead = (sql: string): boolean => /pb_values|pb_records|pb_subjects/.test(sql) && !/pb_audit/.test(sql);
const isAuditWrite = (sql: string): boolean => /pb_audit/.test(sql) || /^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(sql);

interface Counted {
  readonly name: string;
  readonly log: StatementLog;
  adapter(): Promise<StorageAdapter>;
}

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const schema = uniqueSchema('pbreads');
let pglite: PGlite;
let countedPGlite: PGliteLike | undefined; // wrapped once: every adapter of the file shares it
beforeAll(async () => {
  await pool.query(`CREATE SCHEMA ${schema}`); // fails (never skips) when PostgreSQL is down
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await pglite.close();
});

const sqliteLog: StatementLog = [];
const pgLog: StatementLog = [];
const pgliteLog: StatementLog = [];
const adapters: Counted[] = [
  { name: 'sqlite', log: sqliteLog, adapter: async () => sqliteAdapter({ database: countingSqlite(sqliteLog) }) },
  { name: 'postgres', log: pgLog, adapter: async () => postgresAdapter({ pool: countingPool(new pg.Pool({ connectionString: DATABASE_URL, max: 4 }), pgLog), schema }) },
  { name: 'pglite', log: pgliteLog, adapter: async () => pgliteAdapter({ client: (countedPGlite ??= countingPGlite(pglite, pgliteLog)) }) },
];

describe.each(adapters)('$name: statements per guarded read', (counted) => {
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });

  async function fixture() {
    const vault = await createVault({ policy: clinic, adapter: await counted.adapter(), keyring });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子', email: 'hana@example.jp' } });
    await vault.guard().grantConsent({ subject, purpose: 'research', actor: 'subject' });
    await vault.guard().suspend({ subject, purposes: ['reminders'], actor: 'dpo' });
    return { vault, subject };
  }

  it('reads the value and the whole decision state in ONE statement, then only appends the audit entry', async () => {
    const { vault, subject } = await fixture();
    counted.log.length = 0;
    expect(await vault.read(subject, 'email', { purpose: 'research', actor: 'staff:7' })).toBe('hana@example.jp');
    const states = counted.log.filter(isStateRead);
    expect(states).toHaveLength(1);
    expect(counted.log.filter((s) => !isStateRead(s) && !isAuditWrite(s))).toEqual([]);
    // The same for a denial (suspended via the parent purpose's child): one state read, one audit append, no more.
    counted.log.length = 0;
    await expect(vault.read(subject, 'name', { purpose: 'reminders', actor: 'staff:7' })).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    expect(counted.log.filter(isStateRead)).toHaveLength(1);
    expect(counted.log.filter((s) => !isStateRead(s) && !isAuditWrite(s))).toEqual([]);
    await vault.close();
  });

  it('32 concurrent readers: the entries of all the reads released together go in one audit batch', async () => {
    const { vault, subject } = await fixture();
    counted.log.length = 0;
    const rounds = 5;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let r = 0; r < rounds; r++) expect(await vault.read(subject, 'email', { purpose: 'research', actor: 'staff:7' })).toBe('hana@example.jp');
      }),
    );
    const batches = counted.log.filter((s) => (counted.name === 'sqlite' ? /^\s*BEGIN/i : /pb_audit_append/).test(s)).length;
    // SQLite (a synchronous driver): each round's 32 reads are released by one commit and
    // append in one turn, so one batch a round (it was 2: the first reader went alone, the
    // other 31 followed). The PostgreSQL dialects answer state reads asynchronously, one by
    // one: fewer batches than reads, not one a round (measured: 10 on PGlite, 15-16 on the server).
    if (counted.name === 'sqlite') expect(batches).toBe(rounds);
    else expect(batches).toBeLessThanOrEqual((32 * rounds) / 4);
    await vault.close();
  });

  it('reads 100 subjects in ONE state statement and appends their entries as one batch', async () => {
    const { vault } = await fixture();
    const subjects: string[] = [];
    for (let i = 0; i < 100; i++) subjects.push((await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: `n${i}` } })).subject);
    counted.log.length = 0;
    const page = await vault.readMany(subjects, ['name'], { purpose: 'care', actor: 'staff:7' });
    expect(page.map((r) => (r.ok ? r.values.name : r.error.code))).toEqual(subjects.map((_, i) => `n${i}`));
    expect(counted.log.filter(isStateRead)).toHaveLength(1);
    const writes = counted.log.filter(isAuditWrite);
    const audits = await vault.audit.entries({ action: 'read' });
    expect(audits.filter((e) => subjects.includes(e.subject as string))).toHaveLength(100);
    // The audit batch: one statement (PostgreSQL, PGlite) or one transaction (SQLite), not one per entry.
    // On the PostgreSQL server the batch commits lazily and one more (uncontended) synchronous
    // commit makes it durable before the read returns (audit group commit, docs/audit-log.md).
    if (counted.name === 'sqlite') {
      expect(writes.filter((s) => /^\s*(BEGIN|COMMIT)/i.test(s))).toHaveLength(2);
      // its 100 rows one prepared single-row INSERT each (faster per row on SQLite than a
      // multi-row VALUES list), all in that one transaction
      expect(writes.filter((s) => /^\s*INSERT INTO pb_audit\s*\(/i.test(s))).toHaveLength(100);
    } else expect(writes.filter((s) => !/pb_audit_sync/.test(s))).toHaveLength(1);
    if (counted.name === 'postgres') expect(writes.filter((s) => /pb_audit_sync/.test(s))).toHaveLength(1);
    await vault.close();
  });
});
