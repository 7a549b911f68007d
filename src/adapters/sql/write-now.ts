/**
 * `writeBatch` on an in-process driver whose connection is free (SQLite through
 * better-sqlite3, see `SqlDriver.transactionNow`): the same writes, in the same order, with the
 * same checks, statements and errors as `applyWrites` through a `SqlTransaction`, run
 * synchronously in one write transaction.
 *
 * Awaited one by one, a collect's five statements cost about fifty promises and the
 * async-function resumptions behind them (each statement goes through the write method, the
 * transaction's statement runner and the driver's executor). Run synchronously, the whole batch
 * costs none; measured on SQLite at `synchronous = FULL`, 13–33 µs of main-thread CPU per
 * collect (see CHANGELOG and issue 12's closing note).
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../../audit/audit-entry.js';
import type { WriteStep } from '../../storage/apply-writes.js';
import type { SqlRow, SyncSqlExecutor } from './executor.js';
import { auditAppendStatements, auditBodies, checkHeadMoved, checkRowWritten, rowWriteStatement, type FailureWrapper, type SqlStatements } from './sql-transaction.js';

/** Run one statement, a driver failure named by the operation that ran it (as `SqlTransaction` names it). */
function runNow(exec: SyncSqlExecutor, wrap: FailureWrapper, op: string, sql: string, params: Parameters<SyncSqlExecutor['run']>[1]): number {
  try {
    return exec.run(sql, params);
  } catch (error) {
    throw wrap(op, error);
  }
}

/** Append consecutive audit entries: the head read under the write lock, the entries chained and stored, the head moved once. */
function appendNow(exec: SyncSqlExecutor, s: SqlStatements, wrap: FailureWrapper, inputs: readonly AuditEntryInput[]): AuditEntry[] {
  const op = inputs.length === 1 ? 'appendAudit' : 'appendAuditMany';
  const bodies = auditBodies(op, inputs);
  let head: SqlRow | undefined;
  try {
    [head] = exec.all(s.auditHead, []);
  } catch (error) {
    throw wrap(op, error);
  }
  const { entries, statements } = auditAppendStatements(s, head, bodies);
  let changed = 0;
  for (const [sql, params] of statements) changed = runNow(exec, wrap, op, sql, params);
  checkHeadMoved(changed);
  return entries;
}

/**
 * @internal apply the `steps` of a batch (`writeSteps`, checked before the transaction began)
 * in order through `exec`, inside the driver's write transaction; the appended audit entries.
 * @throws InvalidArgumentError for a malformed row (naming its member), StorageConflictError
 *   for a subject or history row that exists, IntegrityError for a missing audit head, and what
 *   `wrap` makes of a driver failure
 */
export function applyWritesNow(exec: SyncSqlExecutor, s: SqlStatements, wrap: FailureWrapper, steps: readonly WriteStep[]): AuditEntry[] {
  const appended: AuditEntry[] = [];
  for (const step of steps) {
    if (step.op === 'appendAudits') {
      appended.push(...appendNow(exec, s, wrap, step.entries));
      continue;
    }
    const [sql, params] = rowWriteStatement(s, step);
    checkRowWritten(step, runNow(exec, wrap, step.op, sql, params));
  }
  return appended;
}
