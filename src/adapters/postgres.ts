/**
 * The PostgreSQL storage adapter, through `pg` (an optional peer dependency, imported only when
 * the adapter creates the pool itself). Many connections and processes may write at once:
 * subject rows are locked with `SELECT … FOR UPDATE`, the audit chain's head row is locked in
 * every appending transaction so the chain stays linear, and transactions the server aborts
 * for a serialisation failure or deadlock are retried.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, StorageUnavailableError } from '../errors.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { postgresDialect, type SqlValue } from './sql/dialect.js';
import type { SqlDriver, SqlExecutor, SqlRow } from './sql/executor.js';
import { classifyPostgresError } from './sql/postgres-errors.js';
import { redactConnectionString } from './sql/redact.js';
import { createSqlAdapter } from './sql/sql-adapter.js';

/**
 * The part of a `pg` `PoolClient` the adapter uses.
 *
 * @example
 * ```ts
 * const client: PgPoolClientLike = await pool.connect();
 * ```
 */
export interface PgPoolClientLike {
  query(
    query: string | { readonly name?: string; readonly text: string; readonly values?: unknown[] },
    values?: unknown[],
  ): Promise<{ readonly rows: unknown[]; readonly rowCount: number | null }>;
  release(destroy?: boolean | Error): void;
  /**
   * pg's `Client` is an event emitter: while the adapter holds a client it listens for its
   * `error` event (a connection the server ends between two statements of a transaction), which
   * would otherwise be thrown as an uncaught exception. Optional for other client shapes.
   */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes the listener `on` added when the client goes back to the pool. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The part of a `pg` `Pool` the adapter uses. Declared here so the package's types do not
 * depend on the driver's.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PgPoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
  /** pg's pool options, read (never their password) to describe where the data is. */
  readonly options?: {
    readonly host?: unknown;
    readonly port?: unknown;
    readonly database?: unknown;
    readonly user?: unknown;
    readonly connectionString?: unknown;
  };
}

/**
 * Options of {@link postgresAdapter}.
 *
 * @example
 * ```ts
 * import { postgresAdapter, type PostgresAdapterOptions } from 'purpose-bound/adapters/postgres';
 *
 * const options: PostgresAdapterOptions = { connectionString: process.env.DATABASE_URL!, schema: 'privacy', max: 20 };
 * const adapter = postgresAdapter(options);
 * await adapter.open();
 * ```
 */
export interface PostgresAdapterOptions {
  /** A `pg.Pool` you created. Not ended by `close()` unless `closeClient` is set. */
  readonly pool?: PgPoolLike;
  /** Connection string for a pool the adapter creates, e.g. `postgres://app:secret@db:5432/app`. */
  readonly connectionString?: string;
  /** PostgreSQL schema for the tables (created if missing). Default `public`. */
  readonly schema?: string;
  /** Size of a pool the adapter creates. Default 10. */
  readonly max?: number;
  /** Attempts of a transaction the server aborts with a serialisation failure or deadlock. Default 5. */
  readonly maxAttempts?: number;
  /** End the `pool` you passed when the adapter closes. Default false. */
  readonly closeClient?: boolean;
  /**
   * Run the adapter's statements as named prepared statements, planned once per connection
   * instead of on every call. Default true. Set false behind a pooler that does not keep
   * prepared statements across transactions (PgBouncer in transaction mode before 1.21, or
   * without `max_prepared_statements`).
   */
  readonly preparedStatements?: boolean;
  /**
   * Commit a batch of audit entries alone (the group-commit audit log's writes) without waiting
   * for the WAL flush, then make it durable with a separate synchronous commit before any caller
   * is told: the head row's lock, which every appender of every process waits for, is then held
   * for the statement only, not across an fsync. No caller is ever answered before its entry
   * is durable; other sessions may SEE a batch for the moment before it is (a crash in that
   * moment removes it, and nobody was told it was recorded). Default true; false commits every
   * batch synchronously in its one statement.
   */
  readonly lazyAuditCommit?: boolean;
}

type PoolConstructor = new (config: {
  connectionString: string;
  max: number;
}) => PgPoolLike & {
  on(event: 'error', listener: (error: Error) => void): unknown;
};

async function loadDriver(location: string): Promise<PoolConstructor> {
  try {
    const mod = (await import('pg')) as unknown as { default?: { Pool?: PoolConstructor }; Pool?: PoolConstructor };
    const Pool = mod.default?.Pool ?? mod.Pool;
    if (typeof Pool !== 'function') throw new Error('pg exports no Pool');
    return Pool;
  } catch (error) {
    throw new StorageUnavailableError('postgres', location, {
      cause: new Error(`the optional peer dependency pg could not be loaded (npm install pg): ${(error as Error)?.message ?? ''}`.slice(0, 300)),
    });
  }
}

/** Where a pool you passed points, from its options (user, host, port, database; never the password). */
function describePool(pool: PgPoolLike): string {
  const o = pool.options ?? {};
  if (typeof o.connectionString === 'string') return redactConnectionString(o.connectionString);
  const user = typeof o.user === 'string' ? `${o.user}@` : '';
  const host = typeof o.host === 'string' ? o.host : 'localhost';
  const port = typeof o.port === 'number' || typeof o.port === 'string' ? `:${String(o.port)}` : '';
  const database = typeof o.database === 'string' ? `/${o.database}` : '';
  return `postgres://${user}${host}${port}${database}`;
}

/**
 * Statement names by SQL text, one map per adapter (its texts name its schema, so one map for
 * the process would fill up with other adapters' statements and their one-time migration DDL):
 * `pb_` and 24 hex digits of its SHA-256, the same on every connection.
 */
const MAX_NAMED = 512;

function statementNamer(): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= MAX_NAMED) return undefined; // unusual dynamic SQL: run it unnamed
      name = `pb_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name;
  };
}

function executor(client: PgPoolClientLike, statementName: ((sql: string) => string | undefined) | undefined): SqlExecutor {
  const query = (sql: string, params: readonly SqlValue[]) => {
    const name = statementName?.(sql);
    // pg parses a named statement once per connection and then only binds and executes it.
    return name === undefined ? client.query(sql, params as SqlValue[]) : client.query({ name, text: sql, values: params as SqlValue[] });
  };
  return {
    all: async (sql, params) => (await query(sql, params)).rows as SqlRow[],
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
  };
}

/**
 * A storage adapter on a PostgreSQL server (or any PostgreSQL-compatible cluster) through `pg`.
 * It creates its schema and tables on `open()` (versioned migrations recorded in `pb_schema`,
 * applied once under an advisory lock even when many processes start at once) and stores only
 * ciphertext and metadata.
 *
 * A transaction's `fn` may run more than once: when the server aborts it for a serialisation
 * failure or deadlock it is retried (`maxAttempts`). Keep side effects out of `fn`.
 *
 * @param options - a `pool` you created, or a `connectionString`; the `schema` to use
 * @returns an adapter; call `open()` (or let `createVault` do it)
 * @throws InvalidArgumentError for malformed options (never echoing the connection string)
 * @example
 * ```ts
 * import { postgresAdapter } from 'purpose-bound/adapters/postgres';
 * const adapter = postgresAdapter({ connectionString: process.env.DATABASE_URL!, schema: 'privacy' });
 * const vault = await createVault({ policy, adapter, keyring });
 * ```
 */
export function postgresAdapter(options: PostgresAdapterOptions): StorageAdapter {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { pool: given, connectionString, schema = 'public', max = 10, maxAttempts = 5, closeClient = false, preparedStatements = true, lazyAuditCommit = true } = options;
  if (given !== undefined && (typeof given !== 'object' || given === null || typeof given.connect !== 'function')) {
    throw new InvalidArgumentError('options.pool', 'must be a pg Pool');
  }
  if (given !== undefined && connectionString !== undefined) throw new InvalidArgumentError('options', 'takes either pool or connectionString, not both');
  if (given === undefined && (typeof connectionString !== 'string' || connectionString.length === 0)) {
    throw new InvalidArgumentError('options.connectionString', 'must be a non-empty string when no pool is given');
  }
  if (!Number.isSafeInteger(max) || max < 1) throw new InvalidArgumentError('options.max', 'must be a positive integer');
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new InvalidArgumentError('options.maxAttempts', 'must be a positive integer');
  if (typeof preparedStatements !== 'boolean') throw new InvalidArgumentError('options.preparedStatements', 'must be a boolean');
  if (typeof lazyAuditCommit !== 'boolean') throw new InvalidArgumentError('options.lazyAuditCommit', 'must be a boolean');
  const dialect = postgresDialect(schema);

  const base = given ? describePool(given) : redactConnectionString(connectionString as string);
  const location = schema === 'public' ? base : `${base}#${schema}`;
  let pool: PgPoolLike | undefined;
  const namer = preparedStatements ? statementNamer() : undefined;

  const driver: SqlDriver = {
    kind: 'postgres',
    location,
    capabilities: { persistent: true, concurrentWriters: true },
    dialect,
    maxAttempts,
    batchStatements: true,
    lazyAuditCommit,
    async connect() {
      if (given) {
        pool = given;
        return;
      }
      const Pool = await loadDriver(location);
      const created = new Pool({ connectionString: connectionString as string, max });
      // An idle connection dropped by the server is reported here; the next checkout reconnects.
      created.on('error', () => undefined);
      pool = created;
    },
    async disconnect() {
      const p = pool;
      pool = undefined;
      if (p && (!given || closeClient)) await p.end();
    },
    async transaction(body, readOnly) {
      const p = pool;
      if (!p) throw new StorageUnavailableError('postgres', location);
      let client: PgPoolClientLike;
      try {
        client = await p.connect();
      } catch (error) {
        const f = classifyPostgresError(error);
        throw new StorageUnavailableError('postgres', location, {
          cause: new Error([f.code, f.safeMessage].filter(Boolean).join(': ') || 'could not connect'),
        });
      }
      let destroy = false;
      // A connection lost while the body awaits something of its own (no query running) is
      // reported as an `error` event: without a listener Node throws it as uncaught. The next
      // statement then fails (and is classified); the client is not given back to the pool.
      const lost = (): void => {
        destroy = true;
      };
      client.on?.('error', lost);
      try {
        // Read-only (writes are refused above the driver): no BEGIN/COMMIT round trips; each
        // statement runs in autocommit and sees what was committed when it started, exactly as
        // plain reads do inside a default READ COMMITTED transaction.
        if (readOnly) return await body(executor(client, namer));
        await client.query('BEGIN');
        const result = await body(executor(client, namer));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (error instanceof StorageUnavailableError || classifyPostgresError(error).kind === 'unavailable') destroy = true;
        if (readOnly) throw error;
        try {
          await client.query('ROLLBACK');
        } catch {
          destroy = true;
        }
        throw error;
      } finally {
        client.removeListener?.('error', lost);
        client.release(destroy);
      }
    },
    async migrationLock(exec) {
      await exec.all('SELECT pg_advisory_xact_lock(hashtext($1))', [`purpose-bound:migrate:${schema}`]);
    },
    classify: classifyPostgresError,
  };
  return createSqlAdapter(driver, { schema });
}
