/**
 * The small interface every SQL driver is reduced to: run a statement, get rows or a count.
 *
 * @module
 */
import type { AdapterCapabilities } from '../../storage/adapter.js';
import type { TransactionScope } from '../../storage/transaction-scope.js';
import type { SqlDialect, SqlValue } from './dialect.js';

/** @internal one row as the driver returns it. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** @internal runs statements on one connection inside one transaction. */
export interface SqlExecutor {
  /** Rows of a query. */
  all(sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]>;
  /** Run a statement; resolves to the number of rows it changed. */
  run(sql: string, params: readonly SqlValue[]): Promise<number>;
}

/**
 * @internal runs statements synchronously on one connection inside one transaction: an
 * in-process driver (better-sqlite3), see `SqlDriver.transactionNow`.
 */
export interface SyncSqlExecutor {
  /** Rows of a query. */
  all(sql: string, params: readonly SqlValue[]): readonly SqlRow[];
  /** Run a statement; the number of rows it changed. */
  run(sql: string, params: readonly SqlValue[]): number;
}

/** @internal how a driver error should surface. */
export interface DriverFailure {
  /**
   * `unavailable`: the database cannot be reached or used; `conflict`: a lock could not be
   * had in time; `retry`: the whole transaction can be retried (serialisation failure,
   * deadlock); `error`: anything else.
   */
  readonly kind: 'unavailable' | 'conflict' | 'retry' | 'error';
  /** SQLSTATE, SQLite or errno code, when the driver gave one. */
  readonly code?: string;
  /** A description safe to show (never parameters, never the driver's message when it could echo them). */
  readonly safeMessage?: string;
}

/** @internal how a driver transaction may share its connection. */
export interface DriverTransactionOptions {
  /**
   * The transaction writes only the audit tables (`pb_audit`, `pb_audit_node`, `pb_audit_head`):
   * a one-connection driver may let `single` reads of other tables run between its statements,
   * since what they read is what is committed (SQLite: the connection holds the write lock, so
   * nothing else commits meanwhile; a rollback changes nothing they read).
   */
  readonly auditOnly?: boolean;
}

/** @internal what an SQL adapter needs from its driver. */
export interface SqlDriver {
  readonly kind: string;
  readonly location: string;
  readonly capabilities: AdapterCapabilities;
  readonly dialect: SqlDialect;
  /** Create or check the connection(s). */
  connect(): Promise<void>;
  /** Release what `connect` created (and the user's client only when asked). */
  disconnect(): Promise<void>;
  /**
   * Run `body` in one transaction on one connection; commit when it resolves. `readOnly`: the
   * body only reads (the SQL transaction rejects writes before they reach the driver), so the
   * driver takes no write lock (SQLite: deferred BEGIN, one snapshot) or runs the statements in
   * autocommit without BEGIN/COMMIT round trips (PostgreSQL, PGlite: each sees what was
   * committed when it started, as plain reads in READ COMMITTED do).
   */
  transaction<T>(body: (exec: SqlExecutor) => Promise<T>, readOnly: boolean, options?: DriverTransactionOptions): Promise<T>;
  /**
   * Optional: the scope that refuses a transaction started inside another and bounds the waits
   * behind one (`transaction-scope.ts`), when several adapters share one queue of transactions
   * (SQLite: one per database file in the process). Shared, a transaction of one adapter started
   * inside another's on the same file is refused instead of waiting for it forever. Without it
   * each adapter has its own.
   */
  readonly transactionScope?: TransactionScope;
  /**
   * Optional: run ONE read statement on its own, never inside (or interleaved with) another
   * transaction of this adapter, cheaper than a read-only transaction — except an audit-only
   * one (`DriverTransactionOptions.auditOnly`), since it never reads the audit tables. Without
   * it the adapter runs the statement in a read-only transaction.
   */
  single?(sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]>;
  /**
   * Does one statement of data-modifying CTEs exist (PostgreSQL)? Then `writeBatch` sends the
   * whole batch as one statement in autocommit; otherwise it applies the writes one by one in a
   * write transaction.
   */
  readonly batchStatements?: boolean;
  /**
   * PostgreSQL server: commit audit-only batches lazily and make them durable with a separate
   * synchronous commit before reporting success (the head lock is then not held across an
   * fsync). Not for PGlite (one connection, no concurrent appenders to serialise).
   */
  readonly lazyAuditCommit?: boolean;
  /**
   * Optional, for an in-process driver that never asks for a retry (better-sqlite3): run
   * `body` synchronously in one write transaction, committed when it returns and rolled back
   * when it throws, if the connection is free right now (nothing running or queued on the
   * driver's queue of transactions: on SQLite, that of every adapter on the same file in this
   * process); `undefined`, with nothing run, when it is not (the caller then queues through
   * `transaction`). Only the SDK's own bodies run here (a write batch), never caller code, so
   * nothing can start a transaction inside one or interleave with it. It saves the promise and
   * async-function machinery of one awaited call per statement.
   */
  transactionNow?<T>(body: (exec: SyncSqlExecutor) => T): { readonly value: T } | undefined;
  /** Taken first in the migration transaction so two processes do not migrate at once. */
  migrationLock(exec: SqlExecutor): Promise<void>;
  classify(error: unknown): DriverFailure;
  /** How many times a transaction is attempted when the database asks for a retry. */
  readonly maxAttempts: number;
  /** Optional: `StorageAdapter.scrub` (remove copies of deleted data from journals and free pages). */
  scrub?(): Promise<void>;
}
