/**
 * Baselines of the storage benchmark (`bench/cases/storage.ts`): the raw driver with plaintext
 * rows (a), and the raw driver with node:crypto AES-256-GCM under a per-subject key (b), on
 * SQLite, PGlite and PostgreSQL, with the vault's transaction shape (one transaction per subject).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface RawTx {
  run(sql: string, params: unknown[]): Promise<void>;
}
/** A raw driver on a fresh table namespace. */
export interface RawDriver {
  readonly bytes: string;
  readonly q: (sql: string) => string;
  /** qualified table name */
  readonly t: (name: string) => string;
  exec(sql: string): Promise<void>;
  tx(fn: (tx: RawTx) => Promise<void>): Promise<void>;
  get(sql: string, params: unknown[]): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

const numbered = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

export function sqliteRaw(filename: string): RawDriver {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const bind = (p: unknown[]) => p.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
  return {
    bytes: 'BLOB',
    q: (s) => s,
    t: (n) => n,
    exec: async (sql) => void db.exec(sql),
    async tx(fn) {
      stmt('BEGIN IMMEDIATE').run();
      try {
        await fn({ run: async (sql, params) => void stmt(sql).run(...bind(params)) });
        stmt('COMMIT').run();
      } catch (e) {
        if (db.inTransaction) stmt('ROLLBACK').run();
        throw e;
      }
    },
    get: async (sql, params) => stmt(sql).get(...bind(params)) as Record<string, unknown> | undefined,
    close: async () => void db.close(),
  };
}

export function pgliteRaw(client: PGlite, schema: string): RawDriver {
  return {
    bytes: 'BYTEA',
    q: numbered,
    t: (n) => `${schema}.${n}`,
    exec: async (sql) => void (await client.exec(sql)),
    tx: (fn) => client.transaction(async (tx) => fn({ run: async (sql, params) => void (await tx.query(sql, params)) })),
    get: async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows[0],
    close: async () => undefined,
  };
}

export function postgresRaw(pool: pg.Pool, schema: string): RawDriver {
  return {
    bytes: 'BYTEA',
    q: numbered,
    t: (n) => `${schema}.${n}`,
    exec: async (sql) => void (await pool.query(sql)),
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await fn({ run: async (sql, params) => void (await c.query(sql, params)) });
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      } finally {
        c.release();
      }
    },
    get: async (sql, params) => (await pool.query(sql, params)).rows[0] as Record<string, unknown> | undefined,
    close: async () => undefined,
  };
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export function people(n: number): Person[] {
  return Array.from({ length: n }, (_, i) => ({ id: `p${String(i).padStart(6, '0')}`, name: `山田 花子 ${i}`, email: `user${i}@example.jp` }));
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** (a) plaintext rows: collect (one transaction per subject) and read one field per subject; ops/s. */
export async function plaintext(raw: RawDriver, rows: readonly Person[]): Promise<{ write: number; read: number }> {
  const t = raw.t('bench_plain');
  await raw.exec(`CREATE TABLE ${t} (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)`);
  const ins = raw.q(`INSERT INTO ${t} (id, name, email) VALUES (?, ?, ?)`);
  const sel = raw.q(`SELECT email FROM ${t} WHERE id = ?`);
  let t0 = performance.now();
  for (const p of rows) await raw.tx((tx) => tx.run(ins, [p.id, p.name, p.email]));
  const write = rows.length / seconds(t0);
  let sink = 0;
  t0 = performance.now();
  for (const p of rows) sink += String((await raw.get(sel, [p.id]))?.['email']).length;
  const read = rows.length / seconds(t0);
  if (sink === 0) throw new Error('nothing read');
  return { write, read };
}

function encrypt(key: Buffer, aad: string, text: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}
function decrypt(key: Buffer, aad: string, blob: Uint8Array): string {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
}

/** (b) the limit: the same rows, AES-256-GCM encrypted under a per-subject key (one transaction per subject). */
export async function encrypted(raw: RawDriver, rows: readonly Person[]): Promise<{ write: number; read: number }> {
  const t = raw.t('bench_enc');
  await raw.exec(`CREATE TABLE ${t} (id TEXT PRIMARY KEY, dk ${raw.bytes} NOT NULL, name ${raw.bytes} NOT NULL, email ${raw.bytes} NOT NULL)`);
  const ins = raw.q(`INSERT INTO ${t} (id, dk, name, email) VALUES (?, ?, ?, ?)`);
  const sel = raw.q(`SELECT dk, email FROM ${t} WHERE id = ?`);
  let t0 = performance.now();
  for (const p of rows) {
    const key = randomBytes(32);
    await raw.tx((tx) => tx.run(ins, [p.id, key, encrypt(key, `${p.id}/name`, p.name), encrypt(key, `${p.id}/email`, p.email)]));
  }
  const write = rows.length / seconds(t0);
  let sink = 0;
  t0 = performance.now();
  for (const p of rows) {
    const r = await raw.get(sel, [p.id]);
    const dk = r!['dk'] as Uint8Array;
    sink += decrypt(Buffer.from(dk), `${p.id}/email`, r!['email'] as Uint8Array).length;
  }
  const read = rows.length / seconds(t0);
  if (sink === 0) throw new Error('nothing read');
  return { write, read };
}
