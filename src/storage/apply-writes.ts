/**
 * The writes of a `StorageAdapter.writeBatch`, applied one by one inside a transaction: what an
 * adapter without a one-statement batch (SQLite, memory, yours) does, and what the vault falls
 * back to when an adapter has no `writeBatch`.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import { InvalidArgumentError } from '../errors.js';
import type { StorageAdapter, StorageTransaction, StorageWrite } from './adapter.js';

/** @internal a write of one row (every `StorageWrite` but an audit entry). */
export type RowWrite = Exclude<StorageWrite, { readonly op: 'appendAudit' }>;

/** @internal one step of a batch: a row write, or a run of consecutive audit entries appended together (one head update). */
export type WriteStep = RowWrite | { readonly op: 'appendAudits'; readonly entries: readonly AuditEntryInput[] };

const ROW_OPS: ReadonlySet<string> = new Set<RowWrite['op']>(['insertSubject', 'putValue', 'appendHistory', 'putRecord']);

/**
 * @internal the steps of `writes`, in order, every write's shape checked before any is applied
 * (rows are checked where they are written).
 * @throws InvalidArgumentError for a non-array, a write that is not an object or of an unknown
 *   kind, or an audit write without an entry (naming `writes[i]`)
 */
export function writeSteps(writes: readonly StorageWrite[]): WriteStep[] {
  if (!Array.isArray(writes)) throw new InvalidArgumentError('writes', 'must be an array of writes');
  const steps: WriteStep[] = [];
  let audits: AuditEntryInput[] | undefined;
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i] as StorageWrite;
    if (typeof w !== 'object' || w === null) throw new InvalidArgumentError(`writes[${i}]`, 'must be a write');
    if (w.op === 'appendAudit') {
      if (typeof w.entry !== 'object' || w.entry === null) throw new InvalidArgumentError(`writes[${i}].entry`, 'must be an audit entry');
      if (audits === undefined) steps.push({ op: 'appendAudits', entries: (audits = []) });
      audits.push(w.entry);
      continue;
    }
    if (!ROW_OPS.has(w.op)) throw new InvalidArgumentError(`writes[${i}].op`, "must be 'insertSubject', 'putValue', 'appendHistory', 'putRecord' or 'appendAudit'");
    audits = undefined;
    steps.push(w);
  }
  return steps;
}

/** Consecutive audit entries in one appendAuditMany where the transaction has it (one head update). */
function appendAll(tx: StorageTransaction, inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
  if (inputs.length > 1 && typeof tx.appendAuditMany === 'function') return tx.appendAuditMany(inputs);
  return (async () => {
    const appended: AuditEntry[] = [];
    for (const input of inputs) appended.push(await tx.appendAudit(input));
    return appended;
  })();
}

/**
 * @internal apply `writes` in order through `tx`; resolves to the appended audit entries.
 * @throws InvalidArgumentError for a write of an unknown kind (naming `writes[i]`), before any is applied
 */
export async function applyWrites(tx: StorageTransaction, writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
  return applySteps(tx, writeSteps(writes));
}

/** @internal apply the `steps` of a batch (`writeSteps`) in order through `tx`; resolves to the appended audit entries. */
export async function applySteps(tx: StorageTransaction, steps: readonly WriteStep[]): Promise<AuditEntry[]> {
  const appended: AuditEntry[] = [];
  for (const step of steps) {
    switch (step.op) {
      case 'appendAudits':
        appended.push(...(await appendAll(tx, step.entries)));
        break;
      case 'insertSubject':
        await tx.insertSubject(step.row);
        break;
      case 'putValue':
        await tx.putValue(step.row);
        break;
      case 'appendHistory':
        await tx.appendHistory(step.row);
        break;
      case 'putRecord':
        await tx.putRecord(step.row);
        break;
    }
  }
  return appended;
}

/**
 * @internal `adapter.writeBatch(writes)` where the adapter has it, else the same writes in one
 * transaction.
 */
export function writeAtomically(adapter: StorageAdapter, writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
  if (typeof adapter.writeBatch === 'function') return adapter.writeBatch(writes);
  return adapter.transaction((tx) => applyWrites(tx, writes));
}
