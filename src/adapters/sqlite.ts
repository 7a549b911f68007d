/**
 * The SQLite storage adapter, through `better-sqlite3` (an optional peer dependency, imported
 * only when the adapter opens the file itself).
 *
 * better-sqlite3 is synchronous and one `Database` is one connection, while a transaction's
 * callback is async: the adapter runs one transaction at a time per connection (a FIFO mutex)
 * and takes the write lock up front (`BEGIN IMMEDIATE`). Other connections and processes wait
 * up to `busyTimeoutMs` for the lock (WAL journal: readers never block the writer).
 *
 * @module
 */
import path from 'node:path';
import { StorageUnavailableError } from '../errors.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { sqliteDialect, type SqlValue } from './sql/dialect.js';
import type { DriverFailure, SqlDriver, SqlExecutor, SqlRow, SyncSqlExecutor } from './sql/executor.js';
import { Mutex } from './sql/mutex.js';
import { redactSecrets } from './sql/redact.js';
import { createSqlAdapter } from './sql/sql-adapter.js';
import { createTransactionScope, type TransactionScope } from '../storage/transaction-scope.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * The part of a better-sqlite3 `Statement` the adapter uses.
 *
 * @example
 * ```ts
 * const stmt: BetterSqlite3StatementLike = db.prepare('SELECT 1 AS one');
 * ```
 */
export interface BetterSqlite3StatementLike {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { readonly changes: number };
}

/**
 * The part of a better-sqlite3 `Database` the adapter uses. Declared here so the package's
 * types do not depend on the driver's.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const database: BetterSqlite3Like = new Database('app.db');
 * ```
 */
export interface BetterSqlite3Like {
  /** Is the connection open? */
  readonly open: boolean;
  /** The file name the database was opened with. */
  readonly name: string;
  /** Is it an in-memory database? */
  readonly memory: boolean;
  /** Is a transaction open on this connection? */
  readonly inTransaction: boolean;
  prepare(source: string): BetterSqlite3StatementLike;
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
  close(): unknown;
}

/**
 * Options of {@link sqliteAdapter}.
 *
 * @example
 * ```ts
 * import { sqliteAdapter, type SqliteAdapterOptions } from 'purpose-bound/adapters/sqlite';
 *
 * // WAL with synchronous NORMAL: survives a crashed process, may lose the last commits on power loss.
 * const options: SqliteAdapterOptions = { filename: './data/personal.db', synchronous: 'NORMAL', busyTimeoutMs: 10_000 };
 * const adapter = sqliteAdapter(options);
 * await adapter.open();
 * ```
 */
export interface SqliteAdapterOptions {
  /** A better-sqlite3 `Database` you opened. Not closed by `close()` unless `closeClient` is set. */
  readonly database?: BetterSqlite3Like;
  /** File to open when no `database` is given (created if missing). Default `:memory:` (not persistent). */
  readonly filename?: string;
  /** How long to wait for another connection's write lock, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /**
   * `FULL` (default) makes every commit durable across power loss; `NORMAL` (WAL) survives a
   * crashed process but may lose the last commits on power loss, and is faster.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Set the pragmas (WAL journal, busy timeout, synchronous) on a `database` you pass. Default true. */
  readonly configure?: boolean;
  /** Close the `database` you passed when the adapter closes. Default false. */
  readonly closeClient?: boolean;
}

type DatabaseConstructor = new (filename: string) => BetterSqlite3Like;

/** Load better-sqlite3 only when the adapter must open the file itself. */
async function loadDriver(location: string): Promise<DatabaseConstructor> {
  try {
    const mod = (await import('better-sqlite3')) as unknown as { default?: DatabaseConstructor };
    if (typeof mod.default !== 'function') throw new Error('better-sqlite3 has no default export');
    return mod.default;
  } catch (error) {
    throw new StorageUnavailableError('sqlite', location, {
      cause: new Error(`the optional peer dependency better-sqlite3 could not be loaded (npm install better-sqlite3): ${(error as Error)?.message ?? ''}`.slice(0, 300)),
    });
  }
}

/**
 * One mutex per database file in this process. better-sqlite3 waits for another connection's
 * lock synchronously (busy_timeout blocks the thread), so two connections of one process must
 * never wait on each other: their transactions queue here instead. Other processes wait on
 * the file lock. The file's transaction scope goes with it: a transaction of one adapter
 * started inside another adapter's transaction on the same file would wait for it forever,
 * and is refused instead.
 */
const fileMutexes = new Map<string, { mutex: Mutex; scope: TransactionScope; users: number }>();

function acquireMutex(location: string, memory: boolean): { mutex: Mutex; scope: TransactionScope; release: () => void } {
  if (memory) return { mutex: new Mutex(), scope: createTransactionScope(), release: () => undefined };
  let entry = fileMutexes.get(location);
  if (!entry) {
    entry = { mutex: new Mutex(), scope: createTransactionScope(), users: 0 };
    fileMutexes.set(location, entry);
  }
  entry.users++;
  const e = entry;
  let released = false;
  return {
    mutex: e.mutex,
    scope: e.scope,
    release: () => {
      if (released) return;
      released = true;
      if (--e.users === 0 && fileMutexes.get(location) === e) fileMutexes.delete(location);
    },
  };
}

/** SQLite result codes that mean the file cannot be used at all. */
const UNAVAILABLE = /^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|READONLY|PERM|AUTH|MISUSE)/;

function classify(error: unknown): DriverFailure {
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? redactSecrets(e.message).slice(0, 200) : undefined;
  if (e instanceof TypeError && typeof e.message === 'string' && /database connection is not open/i.test(e.message)) {
    return { kind: 'unavailable', safeMessage: 'the database connection is closed' };
  }
  if (code === undefined) return { kind: 'error' };
  if (UNAVAILABLE.test(code)) return { kind: 'unavailable', code, ...(message !== undefined && { safeMessage: message }) };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'conflict', code };
  // SQLite's own messages name tables and columns, never bound parameter values.
  return { kind: 'error', code, ...(message !== undefined && { safeMessage: message }) };
}

/** better-sqlite3 binds Buffers; a Uint8Array view becomes one without copying. */
function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
}

/**
 * A storage adapter on an SQLite file through better-sqlite3. It creates its tables on `open()`
 * (versioned migrations, recorded in `pb_schema`) and stores only ciphertext and metadata.
 *
 * @param options - a `database` you opened, or a `filename` to open (default in memory)
 * @returns an adapter; call `open()` (or let `createVault` do it)
 * @throws InvalidArgumentError for malformed options
 * @example
 * ```ts
 * import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
 * const adapter = sqliteAdapter({ filename: './data/personal.db' });
 * const vault = await createVault({ policy, adapter, keyring });
 * ```
 */
export function sqliteAdapter(options: SqliteAdapterOptions = {}): StorageAdapter {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { database: given, filename, busyTimeoutMs = 5000, synchronous = 'FULL', configure = true, closeClient = false } = options;
  if (given !== undefined && (typeof given !== 'object' || given === null || typeof given.prepare !== 'function')) {
    throw new InvalidArgumentError('options.database', 'must be a better-sqlite3 Database');
  }
  if (given !== undefined && filename !== undefined) throw new InvalidArgumentError('options', 'takes either database or filename, not both');
  if (filename !== undefined && (typeof filename !== 'string' || filename.length === 0)) throw new InvalidArgumentError('options.filename', 'must be a non-empty string');
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new InvalidArgumentError('options.busyTimeoutMs', 'must be a non-negative integer');
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new InvalidArgumentError('options.synchronous', "must be 'FULL' or 'NORMAL'");

  const file = given ? given.name : (filename ?? ':memory:');
  const memory = given ? given.memory : file === ':memory:' || file === '';
  const location = memory ? ':memory:' : path.resolve(file);
  let db: BetterSqlite3Like | undefined;
  const statements = new Map<string, BetterSqlite3StatementLike>();
  const { mutex, scope, release } = acquireMutex(location, memory);
  /** Set while this connection runs an audit-only batch: `single` reads may run between its statements. */
  let readsMayPass = false;

  const prepared = (sql: string): BetterSqlite3StatementLike => {
    if (!db?.open) throw new TypeError('The database connection is not open');
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };

  const execNow: SyncSqlExecutor = {
    all: (sql, params) => prepared(sql).all(...bind(params)) as SqlRow[],
    run: (sql, params) => prepared(sql).run(...bind(params)).changes,
  };
  const exec: SqlExecutor = {
    all: async (sql, params) => execNow.all(sql, params),
    run: async (sql, params) => execNow.run(sql, params),
  };

  const driver: SqlDriver = {
    kind: 'sqlite',
    location,
    capabilities: { persistent: !memory, concurrentWriters: !memory },
    dialect: sqliteDialect,
    maxAttempts: 1,
    transactionScope: scope,
    async connect() {
      if (given) {
        if (!given.open) throw new TypeError('The database connection is not open');
        db = given;
        if (!configure) return;
      } else {
        const Database = await loadDriver(location);
        db = new Database(memory ? ':memory:' : location);
      }
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (!memory) db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      // Deleted and overwritten content (an erased subject's wrapped data key) is zeroed in the
      // database pages instead of staying in free space; `scrub` then clears the WAL.
      db.pragma('secure_delete = ON');
    },
    async scrub() {
      if (memory) return;
      await mutex.run(async () => {
        if (!db?.open) throw new TypeError('The database connection is not open');
        // TRUNCATE: copy every WAL frame into the database file, then cut the WAL to zero
        // bytes, so the frames that held the erased key's page are gone from the disk. Another
        // connection's open read transaction makes it "busy": then the frames stay.
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
        if (result !== undefined && result.busy !== 0) {
          throw Object.assign(new Error('another connection holds the write-ahead log'), { code: 'SQLITE_BUSY' });
        }
      });
    },
    async disconnect() {
      statements.clear();
      await mutex.run(async () => {
        if (db && (!given || closeClient) && db.open) db.close();
        db = undefined;
      });
      release();
    },
    transaction(body, readOnly, options) {
      return mutex.run(async () => {
        // A write transaction takes the database write lock up front (BEGIN IMMEDIATE), so two
        // writers never deadlock upgrading read locks. A read-only one (writes are refused above
        // the driver) begins deferred: its first SELECT opens a WAL read snapshot kept to
        // COMMIT (stronger than the contract asks), and it never waits for, or blocks, another
        // connection's writer. (Autocommit SELECTs measured no faster in-process: each takes
        // the same WAL read lock that the deferred BEGIN takes once.)
        prepared(readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE').run();
        readsMayPass = options?.auditOnly === true;
        try {
          const result = await body(exec);
          prepared('COMMIT').run();
          return result;
        } catch (error) {
          if (db?.open && db.inTransaction) prepared('ROLLBACK').run();
          throw error;
        } finally {
          readsMayPass = false;
        }
      });
    },
    transactionNow(body) {
      // better-sqlite3 is synchronous: with nothing of this file's queue running or waiting,
      // the whole transaction runs to completion right now, and nothing can interleave with it.
      if (!mutex.idle) return undefined;
      prepared('BEGIN IMMEDIATE').run();
      try {
        const value = body(execNow);
        prepared('COMMIT').run();
        return { value };
      } catch (error) {
        if (db?.open && db.inTransaction) prepared('ROLLBACK').run();
        throw error;
      }
    },
    single(sql, params) {
      // better-sqlite3 is synchronous: with no transaction of this adapter open or queued, the
      // statement runs to completion right now and nothing can interleave with it (no
      // BEGIN/COMMIT needed: one statement is its own snapshot). Otherwise it queues behind them,
      // so it never reads a write transaction's uncommitted rows on this shared connection.
      // While an audit-only batch holds the connection, a read of the other tables need not
      // wait for it: nothing it reads is uncommitted (see DriverTransactionOptions.auditOnly).
      if (!mutex.idle && !readsMayPass) return mutex.run(async () => exec.all(sql, params));
      try {
        return Promise.resolve(execNow.all(sql, params));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async migrationLock() {
      // BEGIN IMMEDIATE already holds the database's write lock.
    },
    classify,
  };
  return createSqlAdapter(driver, { schema: undefined });
}
