/**
 * Bringing a subject written by an older release up to the current storage guarantees, during
 * `vault.rotateKeys`:
 *
 * - a data key wrapped by the KEK alone (format 1, written before a subject-secret store was
 *   configured) is re-wrapped into the backup-proof format when the keyring is backup-proof, so
 *   erasing the subject also defeats backups taken after the re-wrap;
 * - values encrypted without their version (format 1) are re-encrypted with it (format 2), and
 *   the subject gets a complete value state, so replayed copies are refused at read.
 *
 * @module
 */
import type { Keyring } from './keyring.js';
import type { StorageTransaction, SubjectRow, ValueRow } from '../storage/adapter.js';
import { IntegrityError, PurposeBoundError } from '../errors.js';
import { decryptValue, encryptValue, valueHeader, type DataKey } from './value-cipher.js';
import { readValueState, sealValueState } from './value-state.js';

/**
 * @internal the erasure guarantee of one subject's data key: what `vault.erase` records. A
 * `backup-proof` keyring still gives only `live-only` for a key wrapped before it had a
 * subject-secret store (until `rotateKeys` re-wrapped it).
 */
export function erasureGuarantee(keyring: Keyring, row: SubjectRow): 'backup-proof' | 'live-only' {
  const ring = keyring.erasure ?? 'live-only';
  if (ring === 'live-only' || row.wrappedKey === null || keyring.erasureOf === undefined) return ring;
  return keyring.erasureOf(row.wrappedKey);
}

/**
 * @internal does `rotateKeys` re-wrap this subject's key: wrapped by another KEK than the
 * current one, or by the KEK alone while the keyring is backup-proof.
 */
export function needsRewrap(keyring: Keyring, row: SubjectRow): boolean {
  if (row.wrappedKey === null) return false;
  if (row.keyId !== keyring.currentKeyId) return true;
  return keyring.erasure === 'backup-proof' && erasureGuarantee(keyring, row) === 'live-only';
}

/**
 * @internal re-encrypt a subject's format-1 values into format 2 (same data key, the version of
 * each row bound in) and give the complete value state to store with the row (`valueState`
 * undefined when the state is complete already). Every value is decrypted and re-encrypted before
 * the first is written, so a value that fails (damaged, tampered) leaves every value as it was:
 * `failed` is then true and the key is re-wrapped all the same (the damage is reported at read).
 */
export async function upgradeValues(tx: StorageTransaction, dk: DataKey, row: SubjectRow): Promise<{ readonly valueState?: string; readonly failed: boolean }> {
  let rewritten: ValueRow[];
  let valueState: string | undefined;
  try {
    const state = readValueState(dk, row);
    if (state?.complete === true) return { failed: false };
    const live = new Map(state?.live ?? []);
    const deleted = new Map(state?.deleted ?? []);
    rewritten = [];
    for (const value of await tx.getValues(row.id)) {
      const header = valueHeader(value.ciphertext);
      if (header?.format === 2) {
        // Written since the upgrade began: the partial state must already name it.
        if (live.get(value.field) !== header.version) throw new IntegrityError('a versioned value is not the one its value state names', { subject: row.id, field: value.field });
        continue;
      }
      const restrictTo = restrictionOf(value);
      const plain = decryptValue(dk, row.id, value.field, value.ciphertext, restrictTo);
      const version = Math.max(1, value.version, (deleted.get(value.field) ?? 0) + 1);
      rewritten.push({ ...value, ciphertext: encryptValue(dk, row.id, value.field, version, plain, restrictTo), version });
      live.set(value.field, version);
      deleted.delete(value.field);
    }
    valueState = sealValueState(dk, row.id, live, deleted, true);
  } catch (error) {
    if (error instanceof PurposeBoundError) return { failed: true };
    throw error;
  }
  for (const value of rewritten) await tx.putValue(value);
  return { valueState, failed: false };
}

/** The purpose restriction in a value's metadata (authenticated by the ciphertext's associated data). */
function restrictionOf(value: ValueRow): readonly string[] | undefined {
  try {
    const meta = JSON.parse(value.meta) as { restrictTo?: unknown };
    return Array.isArray(meta.restrictTo) ? (meta.restrictTo as string[]) : undefined;
  } catch {
    throw new IntegrityError('stored value metadata is not valid', { subject: value.subjectId, field: value.field });
  }
}
