/**
 * The shared engine of the SQL adapters: open/migrate once, run transactions with retries,
 * turn driver failures into the SDK's named errors without the driver's text or parameters.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrityError, InvalidArgumentError, PurposeBoundError, StorageConflictError, StorageError, StorageUnavailableError } from '../../errors.js';
import type { AuditEntry } from '../../audit/audit-entry.js';
import type {
  AdapterCapabilities,
  StorageAdapter,
  StorageTransaction,
  StorageWrite,
  SubjectState,
  SubjectStateQuery,
  SubjectWithValues,
  TransactionOptions,
} from '../../storage/adapter.js';
import type { DriverTransactionOptions, SqlDriver, SqlExecutor, SqlRow } from './executor.js';
import type { SqlValue } from './dialect.js';
import { applyMigrations, ensureSchemaTable, LATEST_VERSION, readSchemaVersion } from './migrations.js';
import { redactSecrets } from './redact.js';
import { buildStatements, SqlTransaction, subjectStatesFromRows, subjectStatesStatement, subjectWithValuesFromRows, subjectWithValuesStatement } from './sql-transaction.js';
import { appendedEntries, compilePostgresBatch } from './write-batch.js';
import { AUDIT_HEAD_SQLSTATE, AUDIT_SYNC_CLEANUP_EVERY, auditSyncCleanupStatement, auditSyncStatement } from './audit-append-function.js';
import { applySteps, writeSteps } from '../../storage/apply-writes.js';
import { checkSubjectStateQuery } from '../../storage/subject-states.js';
import { applyWritesNow } from './write-now.js';
import { createTransactionScope } from '../../storage/transaction-scope.js';
import { WRITE_AUDIT_BATCH_DEFERRED, type DeferredAuditWriter } from '../../storage/deferred-audit.js';

const RETRYABLE = Symbol('purpose-bound.retryable');

/** @internal a safe `cause` for an unavailable database: code and redacted, shortened message. */
function safeCause(code: string | undefined, message: string | undefined): Error | undefined {
  if (code === undefined && message === undefined) return undefined;
  const text = [code, message === undefined ? undefined : redactSecrets(message).slice(0, 200)].filter(Boolean).join(': ');
  return new Error(text);
}

/** @internal options shared by the SQL adapters. */
export interface SqlAdapterInternals {
  /** Schema to create (PostgreSQL dialects only; `undefined` for SQLite). */
  readonly schema: string | undefined;
}

/**
 * @internal build a `StorageAdapter` from a driver. The adapter opens lazily on first use, too,
 * so `open()` is only needed to surface connection errors early.
 */
export function createSqlAdapter(driver: SqlDriver, internals: SqlAdapterInternals): StorageAdapter {
  const statements = buildStatements(driver.dialect);
  // Transaction callbacks of this adapter (or of every adapter sharing the driver's queue): one
  // started inside another is refused (see transaction-scope.ts).
  const inTransaction = driver.transactionScope ?? createTransactionScope();
  let state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  let opening: Promise<void> | undefined;

  const unavailable = (cause?: unknown): StorageUnavailableError => new StorageUnavailableError(driver.kind, driver.location, cause === undefined ? undefined : { cause });

  /** Turn a driver error into a named SDK error. Errors already named pass through. */
  const wrap = (operation: string, error: unknown): Error => {
    if (error instanceof PurposeBoundError) return error;
    if ((error as { code?: unknown } | null)?.code === AUDIT_HEAD_SQLSTATE) {
      return new IntegrityError('the audit head row is missing or does not match its tree (pb_audit_head was tampered with)');
    }
    const f = driver.classify(error);
    switch (f.kind) {
      case 'unavailable':
        return unavailable(safeCause(f.code, f.safeMessage));
      case 'retry': {
        const e = new StorageConflictError(`${driver.kind} data (${f.code ?? 'serialization failure'})`);
        Object.defineProperty(e, RETRYABLE, { value: true });
        return e;
      }
      case 'conflict':
        return new StorageConflictError(`${driver.kind} data (${f.code ?? 'lock timeout'})`);
      default:
        return new StorageError(driver.kind, driver.location, operation, f.code, f.safeMessage);
    }
  };

  /** A failed batch statement: a duplicate key is a conflict, a NULL audit seq a missing head. */
  const batchFailure = (error: unknown): Error => {
    const e = error as { code?: unknown; table?: unknown } | null;
    if (e?.code === '23505') return new StorageConflictError(`${driver.kind} data (a row of the batch already exists)`);
    if (e?.code === '23502' && e.table === 'pb_audit') return new IntegrityError('the audit head row is missing (pb_audit_head was tampered with)');
    return wrap('writeBatch', error);
  };

  const readOnlyError = (operation: string): Error =>
    new StorageError(driver.kind, driver.location, operation, undefined, 'a write in a read-only transaction; run it in a transaction without { readOnly: true }');

  const endedError = (operation: string): Error =>
    new StorageError(driver.kind, driver.location, operation, undefined, 'the transaction has already ended; use the adapter to start a new one');

  const nestedError = (operation: string): StorageError =>
    new StorageError(
      driver.kind,
      driver.location,
      operation,
      undefined,
      'a transaction was started inside another one (or waited 10 s for the connection while one ran); use the tx you were given',
    );

  /** Inside a transaction of this adapter a new one would wait for itself (SQLite, PGlite): refuse it. */
  function refuseNested(operation: string): void {
    if (inTransaction.isInside()) throw nestedError(operation);
  }

  /** Exponential back-off with full jitter before attempt `attempt + 1`. */
  function retryPause(attempt: number): Promise<void> {
    return sleep(Math.random() * 5 * 2 ** (attempt - 1));
  }

  /**
   * `fn` in one transaction of the driver, inside this adapter's transaction scope (so that a
   * transaction started inside it is refused, and the wait for the connection is bounded).
   */
  function inDriverTransaction<T>(operation: string, readOnly: boolean, fn: (exec: SqlExecutor) => Promise<T>, scoped = true, options?: DriverTransactionOptions): Promise<T> {
    let executor: SqlExecutor | undefined;
    return inTransaction.enter(
      (start) =>
        driver.transaction(
          (exec) => {
            executor = exec;
            return start();
          },
          readOnly,
          options,
        ),
      () => fn(executor as SqlExecutor),
      () => nestedError(operation),
      // The SDK's own bodies (a write batch) start no transaction inside: outside the scope, a
      // read while one commits needs no look at the async stack.
      !scoped,
    );
  }

  /**
   * One transaction, retried when the database asks for it (serialisation failure, deadlock).
   * Errors `body` throws pass through unchanged; errors of BEGIN/COMMIT/connect are wrapped.
   */
  async function runRaw<T>(operation: string, body: (exec: SqlExecutor) => Promise<T>, readOnly = false, scoped = true, options?: DriverTransactionOptions): Promise<T> {
    refuseNested(operation);
    for (let attempt = 1; ; attempt++) {
      let bodyError: { readonly error: unknown } | undefined;
      try {
        return await inDriverTransaction(
          operation,
          readOnly,
          async (exec) => {
            try {
              return await body(exec);
            } catch (error) {
              bodyError = { error };
              throw error;
            }
          },
          scoped,
          options,
        );
      } catch (error) {
        const fromBody = bodyError !== undefined && bodyError.error === error;
        const retryable = fromBody ? (error as Record<symbol, unknown>)[RETRYABLE] === true : driver.classify(error).kind === 'retry';
        if (retryable && attempt < driver.maxAttempts) {
          await retryPause(attempt);
          continue;
        }
        if (fromBody) throw error;
        throw wrap(operation, error);
      }
    }
  }

  /**
   * ONE statement on its own, in the driver's read-only mode (no BEGIN/COMMIT on PostgreSQL and
   * PGlite), retried like a transaction. It runs no caller code, so it needs none of
   * `runRaw`'s nesting guard beyond refusing to start inside a transaction of this adapter.
   */
  async function runStatement(operation: string, sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]> {
    refuseNested(operation);
    for (let attempt = 1; ; attempt++) {
      try {
        return await inDriverTransaction(operation, true, (exec) => exec.all(sql, params));
      } catch (error) {
        if (driver.classify(error).kind === 'retry' && attempt < driver.maxAttempts) {
          await retryPause(attempt);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * One read statement on its own (the driver's synchronous `single` where it has one), refused
   * inside a transaction of this adapter: checked before the first await, where the caller's
   * async stack is whole.
   */
  function readStatement(op: string, sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]> {
    refuseNested(op);
    return (async () => {
      if (state !== 'open') await open();
      try {
        // `single` may queue behind a transaction of this adapter (SQLite): bounded like a transaction's wait.
        const single = driver.single?.bind(driver);
        return single !== undefined
          ? await inTransaction.bound(
              () => single(sql, params),
              () => nestedError(op),
            )
          : await runStatement(op, sql, params);
      } catch (error) {
        throw wrap(op, error);
      }
    })();
  }

  /** `fn` over a transaction; `scoped: false` only for the SDK's own bodies, which start no transaction inside. */
  function run<T>(operation: string, fn: (tx: SqlTransaction) => Promise<T>, readOnly: boolean, scoped = true, options?: DriverTransactionOptions): Promise<T> {
    return runRaw(
      operation,
      async (exec) => {
        const tx = new SqlTransaction(exec, driver.dialect, statements, wrap, endedError, readOnly ? readOnlyError : undefined);
        try {
          return await fn(tx);
        } finally {
          tx.end();
        }
      },
      readOnly,
      scoped,
      options,
    );
  }

  async function migrate(): Promise<void> {
    await runRaw('migrate the schema', async (exec) => {
      try {
        await driver.migrationLock(exec);
        await ensureSchemaTable(exec, driver.dialect, internals.schema);
        const current = await readSchemaVersion(exec, driver.dialect);
        if (current > LATEST_VERSION) {
          throw new StorageError(
            driver.kind,
            driver.location,
            'migrate the schema',
            undefined,
            `the database is at schema version ${current}, newer than this library's ${LATEST_VERSION}; upgrade purpose-bound`,
          );
        }
        await applyMigrations(exec, driver.dialect, current, new Date().toISOString());
      } catch (error) {
        throw wrap('migrate the schema', error);
      }
    });
  }

  async function open(): Promise<void> {
    if (state === 'open') return;
    if (state === 'closed') throw unavailable();
    if (opening) return opening;
    state = 'opening';
    opening = (async () => {
      try {
        await driver.connect();
      } catch (error) {
        if (error instanceof PurposeBoundError) throw error;
        const f = driver.classify(error);
        throw unavailable(safeCause(f.code, f.safeMessage));
      }
      await migrate();
      try {
        await cleanAuditSync();
      } catch (error) {
        throw wrap('clean pb_audit_sync', error);
      }
    })();
    try {
      await opening;
      if (state === 'opening') state = 'open';
    } catch (error) {
      if (state === 'opening') state = 'new';
      throw error;
    } finally {
      opening = undefined;
    }
  }

  /** Make every audit entry committed so far durable (PostgreSQL server: one synchronous commit; elsewhere already so). */
  async function syncAudit(): Promise<void> {
    if (driver.lazyAuditCommit !== true) return;
    if (state !== 'open') await open();
    try {
      await runStatement('syncAudit', auditSync, []);
    } catch (error) {
      throw wrap('syncAudit', error);
    }
    if (++syncs % AUDIT_SYNC_CLEANUP_EVERY === 0) await cleanAuditSync().catch(() => undefined); // housekeeping only: retried at the next interval
  }
  const auditSync = driver.dialect.sql(auditSyncStatement(driver.dialect));
  let syncs = 0;
  /** Delete the `pb_audit_sync` rows of backends that have gone (the table would otherwise grow by one row per backend ever used). */
  async function cleanAuditSync(): Promise<void> {
    if (driver.lazyAuditCommit === true) await runStatement('clean pb_audit_sync', driver.dialect.sql(auditSyncCleanupStatement(driver.dialect)), []);
  }

  /** `writeBatch` without the sync of a lazily committed batch (`durable: false` then). */
  async function writeBatchOf(writes: readonly StorageWrite[]): Promise<{ entries: AuditEntry[]; durable: boolean }> {
    if (Array.isArray(writes) && writes.length === 0) return { entries: [], durable: true };
    const batch = driver.batchStatements === true ? compilePostgresBatch(driver.dialect, writes, driver.lazyAuditCommit === true) : undefined;
    refuseNested('writeBatch');
    if (state !== 'open') await open();
    if (batch === undefined) {
      // The batch's shape is checked before any transaction begins.
      const steps = writeSteps(writes);
      if (driver.transactionNow !== undefined) {
        // An in-process driver with its connection free: the whole batch synchronously.
        let ran: { readonly value: AuditEntry[] } | undefined;
        try {
          ran = driver.transactionNow((exec) => applyWritesNow(exec, statements, wrap, steps));
        } catch (error) {
          throw wrap('writeBatch', error);
        }
        if (ran !== undefined) return { entries: ran.value, durable: true };
      }
      const auditOnly = steps.every((step) => step.op === 'appendAudits');
      return { entries: await run('writeBatch', (tx) => applySteps(tx, steps), false, false, { auditOnly }), durable: true };
    }
    // One statement in autocommit (the driver's read-only mode sends no BEGIN/COMMIT): it
    // applies whole or not at all.
    let rows: readonly SqlRow[];
    try {
      rows = await runStatement('writeBatch', batch.sql, batch.params);
    } catch (error) {
      throw batchFailure(error);
    }
    return { entries: appendedEntries(batch, rows), durable: !batch.lazy };
  }

  const adapter: StorageAdapter = {
    kind: driver.kind,
    location: driver.location,
    capabilities: Object.freeze({ ...driver.capabilities }) as AdapterCapabilities,
    open,
    async close(): Promise<void> {
      if (state === 'closed') return;
      if (opening) await opening.catch(() => undefined);
      state = 'closed';
      try {
        await driver.disconnect();
      } catch (error) {
        throw wrap('close', error);
      }
    },
    async schemaVersion(): Promise<number> {
      await open();
      return runRaw('read the schema version', async (exec) => {
        try {
          return await readSchemaVersion(exec, driver.dialect);
        } catch (error) {
          throw wrap('read the schema version', error);
        }
      });
    },
    async transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (typeof fn !== 'function') throw new InvalidArgumentError('fn', 'must be a function');
      if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError('options', 'must be an object');
      const readOnly = options?.readOnly ?? false;
      if (typeof readOnly !== 'boolean') throw new InvalidArgumentError('options.readOnly', 'must be a boolean');
      const operation = readOnly ? 'run a read-only transaction' : 'run a transaction';
      // Before the first await: the caller's async stack is whole here.
      refuseNested(operation);
      await open();
      return run(operation, fn, readOnly);
    },
    async getSubjectWithValues(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
      const [sql, params] = subjectWithValuesStatement(driver.dialect, statements, id, fields);
      const rows = await readStatement('getSubjectWithValues', sql, params);
      return subjectWithValuesFromRows(rows);
    },
    async getSubjectStates(query: SubjectStateQuery): Promise<SubjectState[]> {
      const checked = checkSubjectStateQuery(query);
      if (checked.subjects.length === 0) return [];
      const [sql, params] = subjectStatesStatement(driver.dialect, statements, checked);
      const rows = await readStatement('getSubjectStates', sql, params);
      return subjectStatesFromRows(rows, checked);
    },
    async writeBatch(writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
      const { entries, durable } = await writeBatchOf(writes);
      // A lazily committed batch is visible but not yet durable: no caller learns of it before
      // the synchronous commit after it is (the WAL is flushed in order).
      if (!durable) await syncAudit();
      return entries;
    },
    syncAudit,
    ...(driver.batchStatements === true && driver.lazyAuditCommit === true && { [WRITE_AUDIT_BATCH_DEFERRED]: writeBatchOf satisfies DeferredAuditWriter }),
    ...(driver.scrub !== undefined && {
      async scrub(): Promise<void> {
        await open();
        try {
          await (driver.scrub as () => Promise<void>)();
        } catch (error) {
          throw wrap('scrub', error);
        }
      },
    }),
  };
  return Object.freeze(adapter);
}
