/**
 * The fast statement path of the PGlite adapter: each SQL text of the adapter is parsed and
 * planned ONCE per PGlite instance as a named prepared statement, and every execution is then
 * ONE call into PGlite's WebAssembly (`Bind`, `Describe`, `Execute`, `Sync` in one message)
 * instead of the six calls and the fresh plan of `client.query()`.
 *
 * It speaks PGlite's wire-protocol API (`execProtocol`, `protocol.serialize`,
 * `parse.parseResults`) and takes PGlite's own two locks the way `client.query()` does, so a
 * statement never runs inside (or interleaved with) another caller's transaction on a shared
 * instance. Those locks (`_runExclusiveTransaction`, `_runExclusiveQuery`) are declared by
 * PGlite but not documented; {@link pgliteStatementRunner} checks that they exist and returns
 * `undefined` otherwise, and the adapter then uses `client.query()` (correct, slower).
 *
 * Statements are kept per instance (a `WeakMap` keyed by the client), named `pb_` and 24 hex
 * digits of the SHA-256 of their text, so two adapters on one instance, or an adapter closed
 * and opened again, reuse them. At most {@link MAX_PREPARED_PER_CLIENT} are kept per instance;
 * beyond that (and for DDL) a statement is parsed as the unnamed statement on every call, still
 * in two calls instead of six. When PostgreSQL reports a statement gone (`DEALLOCATE ALL` or
 * `DISCARD ALL` by another user of the instance) the instance's statements are forgotten and
 * prepared again: at once in autocommit, and by running the transaction again once inside one
 * (the error has aborted it).
 *
 * Written against `@electric-sql/pglite` 0.5.x.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { SqlValue } from './sql/dialect.js';
import type { SqlExecutor, SqlRow } from './sql/executor.js';

/** @internal how many named statements are kept per PGlite instance. */
export const MAX_PREPARED_PER_CLIENT = 256;

/** OID of `bytea`: such parameters are sent in binary, as they are, not hex-encoded. */
const BYTEA_OID = 17;

/** SQLSTATE `invalid_sql_statement_name`: the named statement does not exist (any more). */
const NO_SUCH_STATEMENT = '26000';

/** DDL runs once: never worth a named statement. */
const ONE_OFF = /^\s*(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE|TRUNCATE)\b/i;

type WireValue = string | Uint8Array | null;
type Parser = (text: string, typeId: number) => unknown;
type Serializer = (value: unknown) => string;

/** One result of `parse.parseResults`. */
interface WireResult {
  readonly rows: SqlRow[];
  readonly affectedRows?: number;
  readonly rowCount?: number;
  readonly command?: string;
}

/**
 * @internal the message builders and decoders of `@electric-sql/pglite` (its `protocol` and
 * `parse` exports) the fast path needs.
 */
export interface PGliteProtocol {
  readonly serialize: {
    parse(options: { name?: string; text: string; types?: number[] }): Uint8Array;
    bind(options: { statement?: string; values?: WireValue[] }): Uint8Array;
    describe(options: { type: 'S' | 'P'; name?: string }): Uint8Array;
    execute(options?: Record<string, never>): Uint8Array;
    close(options: { type: 'S' | 'P'; name?: string }): Uint8Array;
    sync(): Uint8Array;
  };
  parseResults(messages: unknown[], parsers: Record<number | string, Parser>): WireResult[];
  parseDescribeStatementResults(messages: unknown[]): number[];
  /** PGlite's own `bytea` parser, when it could be found (see `byteaParsers`). */
  readonly defaultByteaParser?: Parser | undefined;
}

/** The members of a PGlite instance (0.5.x) the fast path uses. */
interface ProtocolClient {
  readonly closed: boolean;
  readonly serializers: Record<number | string, Serializer | undefined>;
  readonly parsers: Record<number | string, Parser>;
  execProtocol(message: Uint8Array, options: { syncToFs: boolean }): Promise<{ readonly messages: unknown[] }>;
  transaction<T>(callback: (tx: unknown) => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * @internal PGlite's protocol helpers taken from its module namespace (`protocol.serialize`,
 * `parse`, `types.parsers`); `undefined` when one of the members the fast path needs is missing
 * or not a function (another version of the package).
 * @param mod - the module namespace of `@electric-sql/pglite`
 * @example
 * ```ts
 * const protocol = pgliteProtocolOf(await import('@electric-sql/pglite'));
 * ```
 */
export function pgliteProtocolOf(mod: unknown): PGliteProtocol | undefined {
  const m = (mod ?? {}) as {
    protocol?: { serialize?: Partial<PGliteProtocol['serialize']> };
    parse?: Partial<Pick<PGliteProtocol, 'parseResults' | 'parseDescribeStatementResults'>>;
    types?: { parsers?: Record<number, Parser | undefined> };
  };
  const s = m.protocol?.serialize;
  const p = m.parse;
  if (s === undefined || p === undefined) return undefined;
  const builders = [s.parse, s.bind, s.describe, s.execute, s.close, s.sync];
  if (!builders.every((f) => typeof f === 'function')) return undefined;
  if (typeof p.parseResults !== 'function' || typeof p.parseDescribeStatementResults !== 'function') return undefined;
  return {
    serialize: s as PGliteProtocol['serialize'],
    parseResults: p.parseResults,
    parseDescribeStatementResults: p.parseDescribeStatementResults,
    defaultByteaParser: m.types?.parsers?.[BYTEA_OID],
  };
}

/**
 * @internal load PGlite's protocol helpers; `undefined` when the package (or a version with
 * these exports) is not there.
 * @example
 * ```ts
 * const protocol = await loadPGliteProtocol();
 * ```
 */
export async function loadPGliteProtocol(): Promise<PGliteProtocol | undefined> {
  return pgliteProtocolOf(await import('@electric-sql/pglite').catch(() => undefined));
}

function isProtocolClient(client: unknown): client is ProtocolClient {
  const c = client as Partial<Record<keyof ProtocolClient, unknown>> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.execProtocol === 'function' &&
    typeof c.transaction === 'function' &&
    typeof c._runExclusiveTransaction === 'function' &&
    typeof c._runExclusiveQuery === 'function' &&
    typeof c.serializers === 'object' &&
    c.serializers !== null &&
    typeof c.parsers === 'object' &&
    c.parsers !== null
  );
}

/** A statement prepared on one instance: its name and the types PostgreSQL chose for its parameters. */
interface Prepared {
  readonly name: string;
  readonly types: readonly number[];
}

/** The prepared statements of one PGlite instance, by SQL text. */
const registries = new WeakMap<object, Map<string, Prepared>>();

function registryOf(client: object): Map<string, Prepared> {
  let registry = registries.get(client);
  if (registry === undefined) registries.set(client, (registry = new Map()));
  return registry;
}

/** `pb_` and 24 hex digits of the SHA-256 of the text: the same name for the same text everywhere. */
function statementName(sql: string): string {
  return `pb_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The instance's parsers with a faster `bytea` one (node's hex decoder instead of PGlite's
 * per-byte `parseInt`; the same bytes, as a `Uint8Array` of its own), used only while the
 * instance still has PGlite's default `bytea` parser (a parser you set is left alone).
 */
function byteaParsers(base: Record<number | string, Parser>, defaultParser: Parser): Record<number | string, Parser> {
  const parsers = Object.create(base) as Record<number | string, Parser>; // the instance's others, live
  parsers[BYTEA_OID] = (text, typeId) => (text.startsWith('\\x') ? new Uint8Array(Buffer.from(text.slice(2), 'hex')) : defaultParser(text, typeId)); // escape format: PGlite's parser
  return parsers;
}

/** Did PostgreSQL say a prepared statement is gone or no longer matches its plan? */
function isStaleStatement(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code === NO_SUCH_STATEMENT) return true;
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

/**
 * @internal what `run()` resolves to: the count of the command tag, i.e. rows changed by
 * INSERT/UPDATE/DELETE/MERGE and rows returned by a SELECT (also one over data-modifying CTEs),
 * as `pg`'s `rowCount`.
 */
export function countOf(result: { readonly affectedRows?: number | undefined; readonly rowCount?: number | undefined }): number {
  return result.rowCount ?? result.affectedRows ?? 0;
}

/**
 * @internal statements on one PGlite instance over its wire protocol.
 */
export interface PGliteStatementRunner {
  /**
   * Statements outside a transaction: each in autocommit under both of PGlite's locks (it waits
   * for any open transaction on the instance), synced to the data directory like
   * `client.query()` does.
   */
  readonly autocommit: SqlExecutor;
  /**
   * Run `body` in `client.transaction()` (BEGIN … COMMIT, PGlite's transaction lock held);
   * its statements skip the per-statement sync, COMMIT makes them durable. Runs `body` once
   * more when a statement of it was found deallocated by someone else.
   */
  transaction<T>(body: (exec: SqlExecutor) => Promise<T>): Promise<T>;
}

/**
 * @internal the fast statement path for `client`, or `undefined` when the instance lacks the
 * members it needs (another PGlite version).
 * @param client - a PGlite instance
 * @param protocol - PGlite's protocol helpers, from {@link loadPGliteProtocol}
 * @example
 * ```ts
 * const protocol = await loadPGliteProtocol();
 * const runner = protocol && pgliteStatementRunner(client, protocol);
 * const rows = await runner?.autocommit.all('SELECT id FROM t WHERE id = $1', ['a']);
 * ```
 */
export function pgliteStatementRunner(client: unknown, protocol: PGliteProtocol): PGliteStatementRunner | undefined {
  if (!isProtocolClient(client)) return undefined;
  const c = client;
  const wire = protocol.serialize;
  const registry = registryOf(c);
  // Bytes as they are (binary format) instead of PGlite's hex text; everything else as PGlite
  // serialises it, by the parameter's type.
  const serialize = (types: readonly number[], params: readonly SqlValue[]): WireValue[] => {
    if (params.length !== types.length) {
      throw new Error(`the statement takes ${types.length} parameters, ${params.length} were given`);
    }
    return params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = types[i] as number;
      if (type === BYTEA_OID && value instanceof Uint8Array) return value;
      const serializer = c.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
  };
  const defaultBytea = protocol.defaultByteaParser;
  let fast: { readonly base: Record<number | string, Parser>; readonly parsers: Record<number | string, Parser> } | undefined;
  const parsersNow = (): Record<number | string, Parser> => {
    const base = c.parsers;
    if (defaultBytea === undefined || base[BYTEA_OID] !== defaultBytea) return base;
    if (fast?.base !== base) fast = { base, parsers: byteaParsers(base, defaultBytea) };
    return fast.parsers;
  };
  const executeTail = concat([wire.describe({ type: 'P' }), wire.execute({}), wire.sync()]);

  /**
   * Parse (and describe) `sql` as statement `name` ('' for the unnamed one), closing a statement
   * of that name first: it may still exist after PostgreSQL found its plan stale (closing a
   * missing statement is no error). Not synced: a statement changes no data.
   */
  const prepare = async (sql: string, name: string): Promise<Prepared> => {
    const message = concat([wire.close({ type: 'S', name }), wire.parse({ name, text: sql, types: [] }), wire.describe({ type: 'S', name }), wire.sync()]);
    const { messages } = await c.execProtocol(message, { syncToFs: false });
    return { name, types: protocol.parseDescribeStatementResults(messages) };
  };

  /** One execution, the caller holding the query lock (and the transaction lock or a transaction). */
  const execute = async (sql: string, params: readonly SqlValue[], syncToFs: boolean): Promise<WireResult> => {
    if (c.closed) throw new Error('PGlite is closed');
    let statement = registry.get(sql);
    if (statement === undefined) {
      const named = registry.size < MAX_PREPARED_PER_CLIENT && !ONE_OFF.test(sql);
      statement = await prepare(sql, named ? statementName(sql) : '');
      if (named) registry.set(sql, statement);
    }
    const message = concat([wire.bind({ statement: statement.name, values: serialize(statement.types, params) }), executeTail]);
    const { messages } = await c.execProtocol(message, { syncToFs });
    const result = protocol.parseResults(messages, parsersNow())[0];
    return result ?? { rows: [], affectedRows: 0 };
  };

  const autocommitRun = (sql: string, params: readonly SqlValue[]): Promise<WireResult> =>
    c._runExclusiveTransaction(() =>
      c._runExclusiveQuery(async () => {
        try {
          return await execute(sql, params, true);
        } catch (error) {
          if (!isStaleStatement(error)) throw error;
          // Someone deallocated our statements: forget them all, prepare this one again.
          registry.clear();
          return await execute(sql, params, true);
        }
      }),
    );

  const autocommit: SqlExecutor = {
    all: async (sql, params) => (await autocommitRun(sql, params)).rows,
    run: async (sql, params) => countOf(await autocommitRun(sql, params)),
  };

  /**
   * `body` in one `client.transaction()`; calls `sawStale` when a statement of it failed because
   * its prepared statement was gone or stale (the error aborted the transaction).
   */
  const transactionOnce = async <T>(body: (exec: SqlExecutor) => Promise<T>, sawStale: () => void): Promise<T> => {
    let ended = false;
    const inTransaction = (sql: string, params: readonly SqlValue[]): Promise<WireResult> =>
      c._runExclusiveQuery(async () => {
        // never as a statement of its own once COMMIT or ROLLBACK has run
        if (ended) throw new Error('Transaction is closed');
        try {
          return await execute(sql, params, false);
        } catch (error) {
          if (isStaleStatement(error)) {
            registry.clear(); // forget them all: the transaction runs again with fresh ones
            sawStale();
          }
          throw error;
        }
      });
    const exec: SqlExecutor = {
      all: async (sql, params) => (await inTransaction(sql, params)).rows,
      run: async (sql, params) => countOf(await inTransaction(sql, params)),
    };
    try {
      return await c.transaction(() => body(exec));
    } finally {
      ended = true;
    }
  };

  return {
    autocommit,
    async transaction<T>(body: (exec: SqlExecutor) => Promise<T>): Promise<T> {
      let stale = false;
      const sawStale = (): void => {
        stale = true;
      };
      try {
        return await transactionOnce(body, sawStale);
      } catch (error) {
        if (!stale) throw error;
        return await transactionOnce(body, sawStale); // once more, with statements prepared again
      }
    },
  };
}
