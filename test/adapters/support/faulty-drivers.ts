/**
 * Fault-injecting wrappers around the real drivers: a better-sqlite3 `Database` and a `pg`
 * `Pool` that pass every call through, except the statements a test chose, which throw the
 * error the driver itself would throw (better-sqlite3's `SqliteError` with its result code,
 * pg's `DatabaseError` with a SQLSTATE, Node's network errors). The wrappers also record what
 * reached the driver (statement texts, prepares, client releases) so a test can check that a
 * failed transaction was rolled back and its connection handled, never how long anything took.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BetterSqlite3Like, BetterSqlite3StatementLike } from 'purpose-bound/adapters/sqlite';
import type { PgPoolClientLike, PgPoolLike } from 'purpose-bound/adapters/postgres';

/** One planned failure: statements whose text matches `when` throw `error()` (`times` of them). */
interface Fault {
  readonly when: (sql: string) => boolean;
  readonly error: () => unknown;
  remaining: number;
}

/** Chooses which statements fail, and records what the driver was sent. */
export class FaultPlan {
  readonly #faults: Fault[] = [];
  /** Every statement text sent to the driver, in order (failed ones included). */
  readonly sent: string[] = [];

  /** The next `times` statements matching `when` (a substring, or a predicate) throw `error()`. */
  fail(when: string | RegExp | ((sql: string) => boolean), error: () => unknown, times = 1): this {
    const test = typeof when === 'function' ? when : typeof when === 'string' ? (sql: string) => sql.includes(when) : (sql: string) => when.test(sql);
    this.#faults.push({ when: test, error, remaining: times });
    return this;
  }

  /** Forget the faults not yet used up. */
  clear(): void {
    this.#faults.length = 0;
  }

  /** Statements sent whose text matches. */
  count(when: string | RegExp): number {
    return this.sent.filter((sql) => (typeof when === 'string' ? sql.includes(when) : when.test(sql))).length;
  }

  /** Called by a wrapper before the driver runs `sql`: throws the planned error, if any. */
  check(sql: string): void {
    this.sent.push(sql);
    const fault = this.#faults.find((f) => f.remaining > 0 && f.when(sql));
    if (fault === undefined) return;
    fault.remaining--;
    throw fault.error();
  }
}

/** An error as better-sqlite3 throws it for a failed statement. */
export function sqliteError(code: string, message = `failed (${code})`): Error {
  return new Database.SqliteError(message, code);
}

/** A better-sqlite3 `Database` whose statements fail as planned; `prepares` counts `prepare` calls by text. */
export function faultySqlite(db: Database.Database, plan: FaultPlan): BetterSqlite3Like & { readonly prepares: Map<string, number> } {
  const prepares = new Map<string, number>();
  const wrapStatement = (sql: string, stmt: Database.Statement): BetterSqlite3StatementLike => ({
    all: (...params: unknown[]) => {
      plan.check(sql);
      return stmt.all(...params);
    },
    run: (...params: unknown[]) => {
      plan.check(sql);
      return stmt.run(...params);
    },
  });
  return {
    get open() {
      return db.open;
    },
    get name() {
      return db.name;
    },
    get memory() {
      return db.memory;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    prepares,
    prepare(source: string) {
      prepares.set(source, (prepares.get(source) ?? 0) + 1);
      return wrapStatement(source, db.prepare(source));
    },
    pragma: (source, options) => db.pragma(source, options),
    close: () => {
      plan.check('<close>');
      return db.close();
    },
  };
}

/** An error as pg throws it for a statement the server refused (`DatabaseError` with its SQLSTATE and fields). */
export function pgError(code: string, message = `failed (${code})`, fields: { constraint?: string; table?: string } = {}): Error {
  return Object.assign(new pg.DatabaseError(message, message.length, 'error'), { code, severity: 'ERROR' }, fields);
}

/** A Node network error (`ECONNRESET`, `ECONNREFUSED`, ...). */
export function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:5432`), { code, errno: -1, syscall: 'connect' });
}

/** A `pg` pool whose clients' statements fail as planned. */
export interface FaultyPool extends PgPoolLike {
  /** How each client was released: `true` (destroyed) or `false`, in order. */
  readonly releases: boolean[];
  /** The named (prepared) statements sent: `name text`. */
  readonly named: Set<string>;
  /** Make the next `times` checkouts fail with `error()`. */
  failConnect(error: () => unknown, times?: number): void;
}

/** Wrap a real `pg.Pool`: statements go through `plan` first (`text` of named statements too). */
export function faultyPool(pool: pg.Pool, plan: FaultPlan): FaultyPool {
  const releases: boolean[] = [];
  const named = new Set<string>();
  let connectFaults: { error: () => unknown; remaining: number } | undefined;
  return {
    releases,
    named,
    options: pool.options as NonNullable<PgPoolLike['options']>,
    failConnect(error, times = 1) {
      connectFaults = { error, remaining: times };
    },
    async connect(): Promise<PgPoolClientLike> {
      if (connectFaults !== undefined && connectFaults.remaining > 0) {
        connectFaults.remaining--;
        throw connectFaults.error();
      }
      const client = await pool.connect();
      return {
        async query(query: string | { readonly name?: string; readonly text: string; readonly values?: unknown[] }, values?: unknown[]) {
          plan.check(typeof query === 'string' ? query : query.text);
          if (typeof query !== 'string' && query.name !== undefined) named.add(`${query.name} ${query.text}`);
          return (typeof query === 'string' ? client.query(query, values) : client.query(query as pg.QueryConfig)) as Promise<{
            rows: unknown[];
            rowCount: number | null;
          }>;
        },
        on: (event: 'error', listener: (error: Error) => void) => client.on(event, listener),
        removeListener: (event: 'error', listener: (error: Error) => void) => client.removeListener(event, listener),
        release(destroy?: boolean | Error) {
          releases.push(destroy === true || destroy instanceof Error);
          client.release(destroy);
        },
      };
    },
    end: () => pool.end(),
  };
}
