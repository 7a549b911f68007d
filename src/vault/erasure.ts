/**
 * Erasure (APPI Art. 35, GDPR Art. 17): crypto-shredding a subject in one transaction, the
 * deferred purge of its now-unreadable history, and the erasure record.
 *
 * @module
 */
import { heldBy, recordKinds } from './holds.js';
import { erasureGuarantee } from '../crypto/subject-upgrade.js';
import { InvalidArgumentError, SubjectNotFoundError } from '../errors.js';
import { assertSubjectId } from '../policy/define-policy.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertObject, assertText, type VaultContext } from './context.js';
import { SubjectAlreadyErasedError, SubjectChangedError, SubjectHeldError } from '../errors.js';
import { parseDoc, RECORD_KINDS } from './stores.js';
import type { ErasureRecord } from './types.js';

/** @internal the input of `vault.erase`. */
export interface EraseInput {
  readonly actor: string;
  readonly reference: string;
  readonly expectedVersion?: number;
  readonly purge?: 'deferred' | 'now';
  readonly unlessHeldBy?: readonly string[];
}

/** @internal `vault.erase`. */
export async function erase(ctx: VaultContext, subject: string, input: EraseInput): Promise<ErasureRecord> {
  const { adapter, keyring: kr, keyCache } = ctx;
  assertSubjectId(subject, 'subject');
  assertObject(input, 'input');
  assertText(input.actor, 'input.actor', 200);
  assertText(input.reference, 'input.reference', 200);
  if (input.expectedVersion !== undefined && !Number.isSafeInteger(input.expectedVersion))
    throw new InvalidArgumentError('input.expectedVersion', 'must be an integer row version');
  if (input.purge !== undefined && input.purge !== 'deferred' && input.purge !== 'now') throw new InvalidArgumentError('input.purge', "must be 'deferred' or 'now'");
  const holds = recordKinds(input.unlessHeldBy, 'input.unlessHeldBy');
  if (input.unlessHeldBy !== undefined && holds.length === 0) throw new InvalidArgumentError('input.unlessHeldBy', 'must be a non-empty array of record kinds');
  const purgeNow = input.purge === 'now';
  const erasedAt = ctx.clock().toISOString();
  const record: ErasureRecord = Object.freeze({ subject, erasedAt, actor: input.actor, reference: input.reference });
  let guarantee: 'backup-proof' | 'live-only' = 'live-only';
  keyCache.delete(subject);
  await retryOnConflict(() =>
    adapter.transaction(async (tx) => {
      const row = await tx.getSubject(subject, { forUpdate: true });
      if (row === undefined) throw new SubjectNotFoundError(subject);
      if (row.erasedAt !== null) throw new SubjectAlreadyErasedError(subject, row.erasedAt);
      if (input.expectedVersion !== undefined && row.version !== input.expectedVersion) throw new SubjectChangedError(subject);
      // Under the subject's lock: a record written for it (an open request, under the same lock
      // through vault.records.transaction) either committed before this check or waits for it.
      const held = await heldBy(tx, subject, holds);
      if (held.length > 0) throw new SubjectHeldError(subject, held);
      // Current values: at most one row per field of the policy, so this is bounded by the
      // policy, not by how much the subject accumulated. Earlier values kept in the history
      // are unreadable from the shredding below on; deleting them is housekeeping, done by
      // purgeErased() (the retention sweep runs it) unless `purge: 'now'` asks for it here.
      // Either way erasing costs the same whatever the subject's history holds.
      const values = await tx.deleteValues(subject);
      const history = purgeNow ? await tx.deleteHistory(subject) : 0;
      if (!purgeNow) await tx.putRecord({ kind: RECORD_KINDS.purge, id: subject, subjectId: subject, createdAt: erasedAt, doc: '{}' });
      // Crypto-shredding: the live wrapped data key is destroyed here; with a keyring that
      // holds per-subject erasure secrets (keyring.erasure === 'backup-proof'), `shred`
      // below also makes every older copy of the wrapped key useless.
      await tx.updateSubject({ ...row, wrappedKey: null, erasedAt, erasureRef: input.reference, version: row.version + 1 }, row.version);
      await tx.putRecord({ kind: RECORD_KINDS.erasure, id: subject, subjectId: subject, createdAt: erasedAt, doc: JSON.stringify(record) });
      await tx.appendAudit({
        at: erasedAt,
        action: 'erase',
        actor: input.actor,
        subject,
        decision: 'record',
        reference: input.reference,
        details: { values, history, historyPurge: purgeNow ? 'done' : 'deferred', keyring: (guarantee = erasureGuarantee(kr, row)) },
      });
      // Last step before commit: destroy the key material held outside the database, so
      // backups taken before now cannot be decrypted either. If it fails, nothing commits;
      // if the commit fails after it, the values are already unreadable and a retried
      // erase completes the tombstone (shred is idempotent).
      if (kr.shred !== undefined) await kr.shred(subject);
    }),
  );
  keyCache.delete(subject);
  ctx.erasures.remember(subject, erasedAt);
  // Live-only: the database's wrapped key was all that protected the values, so copies of it the
  // engine keeps (a write-ahead log, free pages) are removed now. The erasure has committed: a
  // scrub that cannot run now (another connection holds the log) does not undo it.
  if (guarantee === 'live-only' && typeof adapter.scrub === 'function') await adapter.scrub().catch(() => undefined);
  return record;
}

/** @internal `vault.purgeErased`. */
export async function purgeErased(
  ctx: VaultContext,
  input: { readonly limit?: number; readonly actor?: string } = {},
): Promise<{ readonly subjects: number; readonly rows: number; readonly remaining: number }> {
  const { adapter } = ctx;
  assertObject(input, 'input');
  const limit = input.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('input.limit', 'must be a positive integer');
  const actor = input.actor ?? 'erasure-purge';
  assertText(actor, 'input.actor', 200);
  const pending = await adapter.transaction((tx) => tx.listRecords(RECORD_KINDS.purge), { readOnly: true });
  let subjects = 0;
  let rows = 0;
  for (const job of pending.slice(0, limit)) {
    await retryOnConflict(() =>
      adapter.transaction(async (tx) => {
        // Claim the job first: a concurrent purger that got here earlier leaves nothing to do.
        if (!(await tx.deleteRecord(RECORD_KINDS.purge, job.id))) return;
        const n = await tx.deleteHistory(job.id);
        await tx.appendAudit({ at: ctx.clock().toISOString(), action: 'erase.purge', actor, subject: job.id, decision: 'record', details: { history: n } });
        subjects++;
        rows += n;
      }),
    );
  }
  return Object.freeze({ subjects, rows, remaining: Math.max(0, pending.length - limit) });
}

/** @internal `vault.erasure`. */
export async function erasure(ctx: VaultContext, subject: string): Promise<ErasureRecord | undefined> {
  const { adapter } = ctx;
  assertSubjectId(subject, 'subject');
  const row = await adapter.transaction((tx) => tx.getRecord(RECORD_KINDS.erasure, subject), { readOnly: true });
  return row === undefined ? undefined : parseDoc<ErasureRecord>(row);
}
