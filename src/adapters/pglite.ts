/**
 * The PGlite storage adapter: PostgreSQL compiled to WebAssembly, embedded in the process, in
 * memory or in a data directory. No server to run: the default of the README demo. The driver,
 * `@electric-sql/pglite`, is an optional peer dependency imported only when the adapter
 * creates the instance itself.
 *
 * @module
 */
import path from 'node:path';
import { InvalidArgumentError, StorageUnavailableError } from '../errors.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { postgresDialect, type SqlValue } from './sql/dialect.js';
import type { SqlDriver, SqlExecutor, SqlRow } from './sql/executor.js';
import { classifyPostgresError } from './sql/postgres-errors.js';
import { createSqlAdapter } from './sql/sql-adapter.js';
import { countOf, loadPGliteProtocol, pgliteStatementRunner, type PGliteStatementRunner } from './pglite-statements.js';

/**
 * What the adapter needs of a query runner: a PGlite instance or its transaction object.
 *
 * @example
 * ```ts
 * const runner: PGliteQueryable = await PGlite.create();
 * ```
 */
export interface PGliteQueryable {
  query<T>(query: string, params?: unknown[]): Promise<{ readonly rows: T[]; readonly affectedRows?: number; readonly rowCount?: number }>;
}

/**
 * The part of a `PGlite` instance the adapter uses. Declared here so the package's types do not
 * depend on the driver's.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * const client: PGliteLike = await PGlite.create('./data/pg');
 * ```
 */
export interface PGliteLike extends PGliteQueryable {
  readonly closed: boolean;
  readonly waitReady: Promise<void>;
  /** The data directory, when the instance has one. */
  readonly dataDir?: string | undefined;
  transaction<T>(callback: (tx: PGliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Options of {@link pgliteAdapter}.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { pgliteAdapter, type PGliteAdapterOptions } from 'purpose-bound/adapters/pglite';
 *
 * const options: PGliteAdapterOptions = { client: await PGlite.create('./data/pg'), schema: 'privacy', closeClient: true };
 * const adapter = pgliteAdapter(options);
 * await adapter.open(); // creates the schema and runs migrations
 * ```
 */
export interface PGliteAdapterOptions {
  /** A PGlite instance you created. Not closed by `close()` unless `closeClient` is set. */
  readonly client?: PGliteLike;
  /** Data directory to open or create when no `client` is given. Default: in memory (not persistent). */
  readonly dataDir?: string;
  /** PostgreSQL schema for the tables (created if missing). Default `public`. */
  readonly schema?: string;
  /** Close the `client` you passed when the adapter closes. Default false. */
  readonly closeClient?: boolean;
  /**
   * Run the adapter's statements as named prepared statements (`pb_…`), parsed and planned once
   * per PGlite instance and then executed in one call into PGlite instead of `client.query()`'s
   * six. Default true. It relies on members PGlite 0.5 has but does not document (its two
   * locks, `execProtocol`); without them the adapter uses `client.query()`, as it does when
   * this is false.
   */
  readonly preparedStatements?: boolean;
}

type PGliteModule = { PGlite: { create(dataDir?: string): Promise<PGliteLike> } };

async function loadDriver(location: string): Promise<PGliteModule['PGlite']> {
  try {
    const mod = (await import('@electric-sql/pglite')) as unknown as PGliteModule;
    return mod.PGlite;
  } catch (error) {
    throw new StorageUnavailableError('pglite', location, {
      cause: new Error(
        `the optional peer dependency @electric-sql/pglite could not be loaded (npm install @electric-sql/pglite): ${(error as Error)?.message ?? ''}`.slice(0, 300),
      ),
    });
  }
}

/**
 * @internal an executor over `query()` of PGlite (or of a PGlite transaction): the path for
 * PGlite versions without the members the prepared-statement path needs.
 */
export function pgliteExecutor(q: PGliteQueryable): SqlExecutor {
  return {
    all: async (sql, params) => (await q.query<SqlRow>(sql, params as SqlValue[])).rows,
    run: async (sql, params) => countOf(await q.query(sql, params as SqlValue[])),
  };
}

/**
 * A storage adapter on PGlite (embedded PostgreSQL). It creates its tables on `open()`
 * (versioned migrations recorded in `pb_schema`) and stores only ciphertext and metadata.
 *
 * PGlite is a single connection in this process: transactions run one at a time
 * (`capabilities.concurrentWriters` is false). Do not open one data directory from two
 * processes at once. You may share the instance with the rest of your app: the adapter's
 * statements take PGlite's locks as `client.query()` does, so they never run inside a
 * transaction of yours, and they cope with a `DEALLOCATE ALL` of yours (prepared again).
 *
 * @param options - a `client` you created, or a `dataDir` (default: in memory); see {@link PGliteAdapterOptions}
 * @returns an adapter; call `open()` (or let `createVault` do it)
 * @throws InvalidArgumentError for malformed options
 * @example
 * ```ts
 * import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
 * const adapter = pgliteAdapter({ dataDir: './data/pg' });
 * const vault = await createVault({ policy, adapter, keyring });
 * ```
 */
export function pgliteAdapter(options: PGliteAdapterOptions = {}): StorageAdapter {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { client: given, dataDir, schema = 'public', closeClient = false, preparedStatements = true } = options;
  if (given !== undefined && (typeof given !== 'object' || given === null || typeof given.query !== 'function' || typeof given.transaction !== 'function')) {
    throw new InvalidArgumentError('options.client', 'must be a PGlite instance');
  }
  if (given !== undefined && dataDir !== undefined) throw new InvalidArgumentError('options', 'takes either client or dataDir, not both');
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir.length === 0)) throw new InvalidArgumentError('options.dataDir', 'must be a non-empty string');
  if (typeof preparedStatements !== 'boolean') throw new InvalidArgumentError('options.preparedStatements', 'must be a boolean');
  const dialect = postgresDialect(schema);

  const dir = given ? given.dataDir : dataDir;
  const persistent = typeof dir === 'string' && dir.length > 0 && !dir.startsWith('memory://');
  const base = persistent ? (/^[a-z]+:\/\//.test(dir) ? dir : path.resolve(dir)) : 'memory://';
  const location = schema === 'public' ? base : `${base}#${schema}`;
  let client: PGliteLike | undefined;
  // Named prepared statements over PGlite's wire protocol, when the instance supports them.
  let statements: PGliteStatementRunner | undefined;

  const driver: SqlDriver = {
    kind: 'pglite',
    location,
    capabilities: { persistent, concurrentWriters: false },
    dialect,
    maxAttempts: 1,
    async connect() {
      if (given) {
        await given.waitReady; // a closed client is refused by the first transaction, the migrations'
        client = given;
      } else {
        const PGlite = await loadDriver(location);
        client = await PGlite.create(persistent ? dir : undefined);
      }
      const protocol = preparedStatements ? await loadPGliteProtocol() : undefined;
      statements = protocol && pgliteStatementRunner(client, protocol);
    },
    async disconnect() {
      const c = client;
      client = undefined;
      statements = undefined;
      if (c && (!given || closeClient) && !c.closed) await c.close();
    },
    transaction(body, readOnly) {
      const c = client;
      if (!c || c.closed) return Promise.reject(new Error('PGlite is closed'));
      // Read-only (writes are refused above the driver) and the one-statement write batch: no
      // BEGIN/COMMIT, each statement runs on its own, exclusively (queued behind any open
      // transaction on the instance, the adapter's or its other users') and sees what was
      // committed before it, as plain reads in a READ COMMITTED transaction would.
      if (readOnly) return body(statements ? statements.autocommit : pgliteExecutor(c));
      if (statements) return statements.transaction(body);
      return c.transaction((tx) => body(pgliteExecutor(tx)));
    },
    single(sql, params) {
      const c = client;
      if (!c || c.closed) return Promise.reject(new Error('PGlite is closed'));
      return statements ? statements.autocommit.all(sql, params) : pgliteExecutor(c).all(sql, params);
    },
    batchStatements: true,
    // Nothing to take: PGlite runs one transaction at a time per instance (its transaction lock),
    // and a data directory is opened by one instance, so the migration transaction is exclusive.
    async migrationLock() {},
    classify: classifyPostgresError,
  };
  return createSqlAdapter(driver, { schema });
}
