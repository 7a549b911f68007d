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

/**
 * @internal apply `writes` in order through `tx`; resolves to the appended audit entries.
 * @throws InvalidArgumentError for a write of an unknown kind (naming `writes[i]`)
 */
export async function applyWrites(tx: StorageTransaction, writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
  if (!Array.isArray(writes)) throw new InvalidArgumentError('writes', 'must be an array of writes');
  const appended: AuditEntry[] = [];
  // Consecutive audit entries go in one appendAuditMany where the transaction has it (one head update).
  let pending: AuditEntryInput[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const inputs = pending;
    pending = [];
    if (inputs.length > 1 && typeof tx.appendAuditMany === 'function') appended.push(...(await tx.appendAuditMany(inputs)));
    else for (const input of inputs) appended.push(await tx.appendAudit(input));
  };
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i] as StorageWrite;
    if (typeof w !== 'object' || w === null) throw new InvalidArgumentError(`writes[${i}]`, 'must be a write');
    if (w.op === 'appendAudit') {
      if (typeof w.entry !== 'object' || w.entry === null) throw new InvalidArgumentError(`writes[${i}].entry`, 'must be an audit entry');
      pending.push(w.entry);
      continue;
    }
    if (pending.length > 0) await flush();
    switch (w.op) {
      case 'insertSubject':
        await tx.insertSubject(w.row);
        break;
      case 'putValue':
        await tx.putValue(w.row);
        break;
      case 'appendHistory':
        await tx.appendHistory(w.row);
        break;
      case 'putRecord':
        await tx.putRecord(w.row);
        break;
      default:
        throw new InvalidArgumentError(`writes[${i}].op`, "must be 'insertSubject', 'putValue', 'appendHistory', 'putRecord' or 'appendAudit'");
    }
  }
  await flush();
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
