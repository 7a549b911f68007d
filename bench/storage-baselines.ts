/**
 * Baselines of the storage benchmark (`bench/cases/storage.ts`): the raw driver with plaintext
 * rows (a), the raw driver with node:crypto AES-256-GCM under a per-subject key (b), and (c) the
 * vault's own work written by hand on the raw driver (the same tables and indexes, a wrapped
 * data key, a blind index, an authenticated value state, an RFC 6962 Merkle-tree audit entry
 * with its stored nodes and head, in one transaction; reads group-committed like the vault's),
 * on SQLite, PGlite and PostgreSQL, with the vault's transaction shape (one transaction per
 * subject).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface RawTx {
  run(sql: string, params: unknown[]): Promise<void>;
  get(sql: string, params: unknown[]): Promise<Record<string, unknown> | undefined>;
}
type Row = Record<string, unknown>;
/** A raw driver on a fresh table namespace. */
export interface RawDriver {
  readonly bytes: string;
  /** The 64-bit integer column type the vault's schema uses (SQLite: INTEGER, so that `seq INTEGER PRIMARY KEY` is the rowid, no separate index). */
  readonly int64: string;
  readonly q: (sql: string) => string;
  /** qualified table name */
  readonly t: (name: string) => string;
  exec(sql: string): Promise<void>;
  tx(fn: (tx: RawTx) => Promise<void>): Promise<void>;
  get(sql: string, params: unknown[]): Promise<Record<string, unknown> | undefined>;
  all(sql: string, params: unknown[]): Promise<Row[]>;
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
  // One connection: concurrent callers take turns for a transaction, as any hand-written code must.
  let tail: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>): Promise<void> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    bytes: 'BLOB',
    int64: 'INTEGER',
    q: (s) => s,
    t: (n) => n,
    exec: async (sql) => void db.exec(sql),
    tx: (fn) =>
      serial(async () => {
        stmt('BEGIN IMMEDIATE').run();
        try {
          await fn({
            run: async (sql, params) => void stmt(sql).run(...bind(params)),
            get: async (sql, params) => stmt(sql).get(...bind(params)) as Record<string, unknown> | undefined,
          });
          stmt('COMMIT').run();
        } catch (e) {
          if (db.inTransaction) stmt('ROLLBACK').run();
          throw e;
        }
      }),
    get: async (sql, params) => stmt(sql).get(...bind(params)) as Record<string, unknown> | undefined,
    all: async (sql, params) => stmt(sql).all(...bind(params)) as Row[],
    close: async () => void db.close(),
  };
}

export function pgliteRaw(client: PGlite, schema: string): RawDriver {
  return {
    bytes: 'BYTEA',
    int64: 'BIGINT',
    q: numbered,
    t: (n) => `${schema}.${n}`,
    exec: async (sql) => void (await client.exec(sql)),
    tx: (fn) =>
      client.transaction(async (tx) =>
        fn({
          run: async (sql, params) => void (await tx.query(sql, params)),
          get: async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params)).rows[0],
        }),
      ),
    get: async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows[0],
    all: async (sql, params) => (await client.query<Row>(sql, params)).rows,
    close: async () => undefined,
  };
}

export function postgresRaw(pool: pg.Pool, schema: string): RawDriver {
  return {
    bytes: 'BYTEA',
    int64: 'BIGINT',
    q: numbered,
    t: (n) => `${schema}.${n}`,
    exec: async (sql) => void (await pool.query(sql)),
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await fn({
          run: async (sql, params) => void (await c.query(sql, params)),
          get: async (sql, params) => (await c.query(sql, params)).rows[0] as Record<string, unknown> | undefined,
        });
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      } finally {
        c.release();
      }
    },
    get: async (sql, params) => (await pool.query(sql, params)).rows[0] as Record<string, unknown> | undefined,
    all: async (sql, params) => (await pool.query(sql, params)).rows as Row[],
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

function encrypt(key: Buffer, aad: string, text: string | Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([typeof text === 'string' ? c.update(text, 'utf8') : c.update(text), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}
function decryptBytes(key: Buffer, aad: string, blob: Uint8Array): Buffer {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([d.update(b.subarray(28)), d.final()]);
}
function decrypt(key: Buffer, aad: string, blob: Uint8Array): string {
  return decryptBytes(key, aad, blob).toString('utf8');
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

/**
 * The audit tree by hand, as RFC 6962 defines it: a leaf hash `SHA-256(0x00 || data)`, an inner
 * node `SHA-256(0x01 || left || right)`; the head keeps the log's size and its frontier (the
 * roots of the perfect subtrees, largest first), and every subtree an append completes is
 * stored as a node row, so proofs read O(log n) stored hashes.
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const leafHash = (data: string): Buffer => createHash('sha256').update(LEAF_PREFIX).update(data).digest();
const nodeHash = (left: Buffer, right: Buffer): Buffer => createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

/** Append leaf number `size` to `frontier`; the completed subtrees go to `nodes` as [level, index, hex]. */
function treeAppend(size: number, frontier: Buffer[], leaf: Buffer, nodes: (string | number)[]): void {
  let node = leaf;
  let index = size;
  let level = 0;
  while (index % 2 === 1) {
    node = nodeHash(frontier.pop() as Buffer, node);
    index = (index - 1) / 2;
    level++;
    nodes.push(level, index, node.toString('hex'));
  }
  frontier.push(node);
}
const frontierOf = (text: unknown): Buffer[] =>
  String(text) === ''
    ? []
    : String(text)
        .split(',')
        .map((h) => Buffer.from(h, 'hex'));
const frontierText = (frontier: readonly Buffer[]): string => frontier.map((h) => h.toString('hex')).join(',');

/** The value state by hand: each field's current version, authenticated under a key derived from the data key. */
const stateKeyOf = (dk: Buffer): Buffer => Buffer.from(hkdfSync('sha256', dk, Buffer.alloc(0), 'c/value-state/v1', 32));
const stateMac = (stateKey: Buffer, subject: string, versions: string): string => createHmac('sha256', stateKey).update(`${subject}\0${versions}`).digest('hex');

/** The audit tables and their statements, shared by the collects and the reads of `sameWorkStore()`. */
interface AuditByHand {
  /** Append entries (JSON without seq/hash, their columns) in one transaction, chained and in the tree. */
  append(tx: RawTx, entries: readonly AuditRow[]): Promise<void>;
}
interface AuditRow {
  readonly at: string;
  readonly action: string;
  readonly subject: string;
  readonly field: string | null;
  readonly purpose: string | null;
  readonly decision: string;
  /** The entry's JSON members other than seq, e.g. `"action":"read",…` (sorted keys, as canonical JSON). */
  readonly members: (seq: number) => string;
}

function auditByHand(raw: RawDriver): AuditByHand {
  const t = raw.t;
  const q = raw.q;
  const lock = raw.bytes === 'BYTEA' ? ' FOR UPDATE' : '';
  const head = q(`SELECT seq, hash, frontier FROM ${t('c_head')} WHERE id = 1${lock}`);
  const insAudit = q(
    `INSERT INTO ${t('c_audit')} (seq, at, action, actor, subject, field, purpose, decision, prev_hash, hash, entry) VALUES (?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const moveHead = q(`UPDATE ${t('c_head')} SET seq = ?, hash = ?, frontier = ? WHERE id = 1`);
  const insNodes = new Map<number, string>();
  const nodesStatement = (n: number) => {
    let sql = insNodes.get(n);
    if (sql === undefined) insNodes.set(n, (sql = q(`INSERT INTO ${t('c_audit_node')} (level, idx, hash) VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')}`)));
    return sql;
  };
  return {
    async append(tx, entries) {
      const h = (await tx.get(head, [])) as Row;
      let seq = Number(h['seq']);
      let prev = String(h['hash']);
      const frontier = frontierOf(h['frontier']);
      const nodes: (string | number)[] = [];
      for (const e of entries) {
        const entry = `{${e.members(seq + 1)}}`;
        const leaf = leafHash(`${prev}\n${entry}`);
        treeAppend(seq, frontier, leaf, nodes);
        seq++;
        const hash = leaf.toString('hex');
        await tx.run(insAudit, [seq, e.at, e.action, e.subject, e.field, e.purpose, e.decision, prev, hash, entry]);
        prev = hash;
      }
      for (let i = 0; i < nodes.length; i += 300) await tx.run(nodesStatement(Math.min(300, nodes.length - i) / 3), nodes.slice(i, i + 300));
      await tx.run(moveHead, [seq, prev, frontierText(frontier)]);
    },
  };
}

/** Run `fn` over `items` with `callers` concurrent callers; operations (items) per second. */
export async function concurrently<T>(items: readonly T[], callers: number, fn: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(callers, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
  return items.length / seconds(t0);
}

/** What the read figures of (b) and (c) are measured at. */
export interface ReadFigures {
  /** One field of one subject per call, one caller. */
  readonly one: number;
  /** The same with 32 concurrent callers. */
  readonly many: number;
  /** Subjects per second read 100 per call (one field each), one caller. */
  readonly batch: number;
}

const CALLERS = 32;
const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * (b) at the read shapes of the guarded read: a point select of the encrypted e-mail and its
 * data key, and an AES-256-GCM decryption, at 1 and 32 callers; and 100 subjects per select.
 * (Reads the table `encrypted()` wrote.)
 */
export async function encryptedReads(raw: RawDriver, rows: readonly Person[]): Promise<ReadFigures> {
  const t = raw.t('bench_enc');
  const sel = raw.q(`SELECT dk, email FROM ${t} WHERE id = ?`);
  let sink = 0;
  const readOne = async (p: Person) => {
    const r = (await raw.get(sel, [p.id]))!;
    sink += decrypt(Buffer.from(r['dk'] as Uint8Array), `${p.id}/email`, r['email'] as Uint8Array).length;
  };
  const one = await concurrently(rows, 1, readOne);
  const many = await concurrently(rows, CALLERS, readOne);
  const selMany = raw.q(`SELECT id, dk, email FROM ${t} WHERE id IN (${inList(BATCH_SIZE)})`);
  const pages = pagesOf(rows);
  const batchPages = await concurrently(pages, 1, async (page) => {
    for (const r of await raw.all(
      selMany,
      page.map((p) => p.id),
    ))
      sink += decrypt(Buffer.from(r['dk'] as Uint8Array), `${String(r['id'])}/email`, r['email'] as Uint8Array).length;
  });
  if (sink === 0) throw new Error('nothing read');
  return { one, many, batch: batchPages * BATCH_SIZE };
}

/**
 * (c) the vault's work by hand: what a careful developer would write on the raw driver for the
 * same guarantees, as a store the benchmark drives in turns with the vault (collect in chunks,
 * reads in rounds, see `bench/cases/storage.ts`), so that both meet the same load on a shared
 * machine.
 *
 * Per collect, one transaction: the input checked, the subject row with its data key wrapped by
 * a KEK (AES-256-GCM) and its value state (each field's version, HMAC under a key derived from
 * the data key by HKDF), both values encrypted under the data key with the version and the
 * purposes the entrusted data is bound to in the associated data (and the purposes in the
 * metadata), the e-mail's HMAC blind index, and an audit entry chained to the locked
 * head, its leaf (SHA-256 with the RFC 6962 prefix) added to the Merkle tree (completed subtrees
 * stored, the frontier kept in the head). Same tables and indexes as the vault's schema.
 *
 * Per guarded read, what a careful developer would write for the vault's guarantee: ONE
 * statement for the value, the subject row (its tombstone and value state) and the subject's
 * consent and suspension records; the decision in memory (not erased, no suspension of the
 * purpose, the purpose allowed); the audit entry chained to the locked head and added to the
 * Merkle tree in one transaction (durable before the value exists in clear), entries of
 * concurrent callers written together (one transaction for all that arrived while the previous
 * one committed: a group commit); then the data key unwrapped (cached by wrapped key with its
 * state key, as the vault does), the value state authenticated and the value's version checked
 * against it, and the value decrypted. 100 subjects per statement with their 100 entries in one
 * audit transaction for the batch read.
 */
export interface SameWorkStore {
  /** Collect `rows`, one transaction per subject; the subjects' ids, in order, and the seconds it took. */
  collect(rows: readonly Person[]): Promise<{ readonly ids: readonly string[]; readonly seconds: number }>;
  /** Read the e-mail of each of `ids` (guarded, audited) with `callers` concurrent callers; seconds. */
  read(ids: readonly string[], callers: number): Promise<number>;
  /** The same, `BATCH_SIZE` subjects per statement and audit batch, one caller; seconds. */
  readPages(ids: readonly string[]): Promise<number>;
}

/** Subjects per call of the batch read (the vault's `readMany`, (b) and (c)). */
export const BATCH_SIZE = 100;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** The purposes the benchmark's collection point (`entrustedSeminar`) entrusts its data for. */
const ENTRUSTED_FOR = ['entrustedOperation'];
/** The purpose restriction as the associated data binds it (sorted: the list is a set). */
const restrictionAad = (purposes: readonly string[]): string => `\0restrict:${[...purposes].sort().join(',')}`;

export async function sameWorkStore(raw: RawDriver): Promise<SameWorkStore> {
  const t = raw.t;
  await raw.exec(
    `CREATE TABLE ${t('c_subjects')} (id TEXT PRIMARY KEY, key_id TEXT NOT NULL, wrapped_key ${raw.bytes}, created_at TEXT NOT NULL, erased_at TEXT, version INTEGER NOT NULL, value_state TEXT)`,
  );
  await raw.exec(
    `CREATE TABLE ${t('c_values')} (subject_id TEXT NOT NULL, field TEXT NOT NULL, ciphertext ${raw.bytes} NOT NULL, lookup TEXT, meta TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (subject_id, field))`,
  );
  await raw.exec(`CREATE INDEX c_values_lookup ON ${t('c_values')} (field, lookup)`);
  await raw.exec(
    `CREATE TABLE ${t('c_audit')} (seq ${raw.int64} PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, subject TEXT, field TEXT, purpose TEXT, decision TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, entry TEXT NOT NULL)`,
  );
  for (const c of ['subject', 'actor', 'purpose', 'field', 'action']) await raw.exec(`CREATE INDEX c_audit_${c} ON ${t('c_audit')} (${c}, seq)`);
  await raw.exec(`CREATE TABLE ${t('c_head')} (id INTEGER PRIMARY KEY, seq ${raw.int64} NOT NULL, hash TEXT NOT NULL, frontier TEXT NOT NULL)`);
  await raw.exec(`CREATE TABLE ${t('c_audit_node')} (level INTEGER NOT NULL, idx ${raw.int64} NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))`);
  await raw.exec(`CREATE TABLE ${t('c_records')} (kind TEXT NOT NULL, id TEXT NOT NULL, subject_id TEXT, created_at TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, id))`);
  await raw.exec(`CREATE INDEX c_records_subject ON ${t('c_records')} (kind, subject_id)`);
  await raw.exec(`INSERT INTO ${t('c_head')} (id, seq, hash, frontier) VALUES (1, 0, '${'0'.repeat(64)}', '')`);
  const kek = randomBytes(32);
  const indexKey = randomBytes(32);
  const q = raw.q;
  const auditTables = auditByHand(raw);
  const insSubject = q(`INSERT INTO ${t('c_subjects')} (id, key_id, wrapped_key, created_at, erased_at, version, value_state) VALUES (?, ?, ?, ?, NULL, 1, ?)`);
  const insValue = q(`INSERT INTO ${t('c_values')} (subject_id, field, ciphertext, lookup, meta, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)`);

  // Data keys cached by subject and wrapped key with their state keys, filled at collect (as the
  // vault's data-key cache is).
  const keys = new Map<string, { dk: Buffer; stateKey: Buffer }>();
  const keyOf = (id: string, wrapped: Uint8Array) => `${id}\0${Buffer.from(wrapped).toString('base64')}`;
  const collectOne = async (p: Person): Promise<string> => {
    if (typeof p.name !== 'string' || p.name.length === 0 || p.name.length > 200) throw new Error('invalid name');
    if (typeof p.email !== 'string' || !EMAIL.test(p.email)) throw new Error('invalid email');
    const id = randomUUID();
    const at = new Date().toISOString();
    const dk = randomBytes(32);
    const wrapped = encrypt(kek, `wrap\0kek-1\0${id}`, dk);
    const versions = '{"email":1,"name":1}';
    const stateKey = stateKeyOf(dk);
    const valueState = `{"f":${versions},"mac":"${stateMac(stateKey, id, versions)}"}`;
    const lookup = createHmac('sha256', indexKey)
      .update(`email\0${p.email.normalize('NFKC').trim().toLowerCase()}`)
      .digest('hex');
    // Entrusted data (§11) is bound to the purposes it was entrusted for: in the metadata, and
    // in the associated data so that widening them there makes decryption fail.
    const meta = JSON.stringify({
      provenance: { collectionPoint: 'entrustedSeminar', collectedAt: at, noticeVersion: '1', source: 'entrusted', verifiedAt: at },
      restrictTo: ENTRUSTED_FOR,
    });
    const restricted = restrictionAad(ENTRUSTED_FOR);
    await raw.tx(async (tx) => {
      await tx.run(insSubject, [id, 'kek-1', wrapped, at, valueState]);
      await tx.run(insValue, [id, 'email', encrypt(dk, `${id}/email/1${restricted}`, p.email), lookup, meta, at]);
      await tx.run(insValue, [id, 'name', encrypt(dk, `${id}/name/1${restricted}`, p.name), null, meta, at]);
      await auditTables.append(tx, [
        {
          at,
          action: 'collect',
          subject: id,
          field: null,
          purpose: null,
          decision: 'record',
          members: (seq) =>
            `"action":"collect","actor":"bench","at":"${at}","decision":"record","details":{"collectionPoint":"entrustedSeminar","fields":"email,name","noticeVersion":"1","source":"entrusted"},"seq":${seq},"subject":"${id}"`,
        },
      ]);
    });
    keys.set(keyOf(id, wrapped), { dk, stateKey });
    return id;
  };

  const state = (n: number) =>
    q(`SELECT s.id, s.wrapped_key, s.erased_at, s.value_state, v.ciphertext, v.meta, v.version, r.kind, r.doc FROM ${t('c_subjects')} s
       LEFT JOIN ${t('c_values')} v ON v.subject_id = s.id AND v.field = ?
       LEFT JOIN ${t('c_records')} r ON r.subject_id = s.id AND r.kind IN ('consent', 'suspension')
       WHERE s.id ${n === 1 ? '= ?' : `IN (${inList(n)})`}`);
  const one1 = state(1);
  const oneBatch = state(BATCH_SIZE);
  /** The decision: the row to open and the purpose restriction its ciphertext is bound to. */
  const decide = (rows: readonly Row[]): { r: Row; restricted: string } => {
    const r = rows[0];
    if (r === undefined) throw new Error('no such subject');
    if (r['erased_at'] !== null && r['erased_at'] !== undefined) throw new Error('erased');
    for (const x of rows) if (x['kind'] === 'suspension' && JSON.parse(String(x['doc'])).liftedAt === undefined) throw new Error('suspended');
    const meta = JSON.parse(String(r['meta'])) as { restrictTo?: string[] };
    if (meta.restrictTo !== undefined && !meta.restrictTo.includes('entrustedOperation')) throw new Error('not allowed');
    return { r, restricted: meta.restrictTo === undefined ? '' : restrictionAad(meta.restrictTo) };
  };
  // Group commit by hand: entries that arrive while a transaction is in flight go in the next one.
  let pending: { subjects: readonly string[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushing = false;
  const writeAudit = (subjects: readonly string[]) => {
    const at = new Date().toISOString();
    return raw.tx((tx) =>
      auditTables.append(
        tx,
        subjects.map((subject) => ({
          at,
          action: 'read',
          subject,
          field: 'email',
          purpose: 'entrustedOperation',
          decision: 'allow',
          members: (seq: number) =>
            `"action":"read","actor":"bench","at":"${at}","basis":"purpose","decision":"allow","field":"email","purpose":"entrustedOperation","seq":${seq},"subject":"${subject}"`,
        })),
      ),
    );
  };
  const drain = async () => {
    flushing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await writeAudit(batch.flatMap((b) => b.subjects));
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    flushing = false;
  };
  const audit = (subjects: readonly string[]) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ subjects, resolve, reject });
      if (!flushing) void drain();
    });
  const open = ({ r, restricted }: { r: Row; restricted: string }): string => {
    const id = String(r['id']);
    const wrapped = r['wrapped_key'] as Uint8Array;
    const cacheKey = keyOf(id, wrapped);
    let key = keys.get(cacheKey);
    if (key === undefined) {
      const dk = decryptBytes(kek, `wrap\0kek-1\0${id}`, wrapped);
      keys.set(cacheKey, (key = { dk, stateKey: stateKeyOf(dk) }));
    }
    const valueState = JSON.parse(String(r['value_state'])) as { f: Record<string, number>; mac: string };
    const expected = Buffer.from(stateMac(key.stateKey, id, JSON.stringify(valueState.f)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(valueState.mac, 'hex'))) throw new Error('value state edited');
    const version = Number(r['version']);
    if (valueState.f['email'] !== version) throw new Error('replayed value');
    return decrypt(key.dk, `${id}/email/${version}${restricted}`, r['ciphertext'] as Uint8Array);
  };
  let sink = 0;
  const readOne = async (id: string) => {
    const r = decide(await raw.all(one1, ['email', id]));
    await audit([id]);
    sink += open(r).length;
  };
  const readPage = async (page: readonly string[]) => {
    const rows = await raw.all(oneBatch, ['email', ...page]);
    const bySubject = new Map<string, Row[]>();
    for (const r of rows) {
      const id = String(r['id']);
      const list = bySubject.get(id) ?? [];
      list.push(r);
      bySubject.set(id, list);
    }
    const allowed = page.map((id) => decide(bySubject.get(id) ?? []));
    await audit(page);
    for (const r of allowed) sink += open(r).length;
  };
  const checked = (seconds: number): number => {
    if (sink === 0) throw new Error('nothing read');
    return seconds;
  };

  return {
    async collect(rows) {
      const ids: string[] = [];
      const t0 = performance.now();
      for (const p of rows) ids.push(await collectOne(p));
      return { ids, seconds: seconds(t0) };
    },
    async read(ids, callers) {
      return checked(ids.length / (await concurrently(ids, callers, readOne)));
    },
    async readPages(ids) {
      const pages = pagesOf(ids);
      return checked(pages.length / (await concurrently(pages, 1, readPage)));
    },
  };
}

/** `ids` in pages of `BATCH_SIZE` (a short last page is left out). */
export function pagesOf<T>(ids: readonly T[]): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i + BATCH_SIZE <= ids.length; i += BATCH_SIZE) pages.push(ids.slice(i, i + BATCH_SIZE));
  return pages;
}
