/**
 * `sweepRetention`: retention that executes. Destroys every stored value (and every earlier
 * value kept in the history) whose purposes' retention has all ended, crypto-shreds subjects
 * left with nothing, and removes third-party provision records past their retention.
 *
 * What is guaranteed, precisely:
 * - **In the database.** A destroyed value's ciphertext is deleted from the values table; an
 *   expired earlier value's ciphertext is removed from its history entry (the entry stays,
 *   saying who changed what when, with no value). Each destruction and its audit entry are one
 *   transaction, under the subject's row lock: the same value is never destroyed or audited
 *   twice, by repeated or concurrent sweeps.
 * - **Subjects the sweep leaves with nothing** (no value and no earlier value) are erased by `vault.erase`
 *   (with `expectedVersion`, so a value collected between the sweep's decision and the
 *   erasure is never erased): values and history deleted, the wrapped data key destroyed, and
 *   with a backup-proof keyring (`keyring.erasure === 'backup-proof'`) the per-subject secret
 *   held outside the database destroyed too; a tombstone with reference `retention:<sweepId>`.
 *   From then on reads fail with `SubjectErasedError`, and copies of the subject's ciphertexts
 *   in earlier backups cannot be decrypted (with a backup-proof keyring).
 * - **Not guaranteed: a backup of a subject that still has other live values.** When only some
 *   of a subject's values expire, their ciphertexts are deleted, but the subject's data key
 *   must live on for the rest; a backup taken before the sweep still holds the old ciphertexts,
 *   readable with that key. Keep backups no longer than your shortest retention period, or
 *   erase the subject. (Per-value keys would close this; the vault does not use them.)
 * - Subjects with an open data-subject request are held (skipped and reported): destroying
 *   data while the person waits for a disclosure would answer them with less than was held.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import { assertStoredText } from '../util/stored-text.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { expireProvisionRecords } from '../provision/provisions.js';
import { FEATURE_RECORD_KINDS } from '../vault/record-kinds.js';
import type { HistoryRow, StorageTransaction, SubjectRow, ValueRow } from '../storage/adapter.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { SubjectAlreadyErasedError, SubjectChangedError } from '../errors.js';
import type { Provenance, Vault } from '../vault/types.js';
import { valueRetention, type RetentionPurposes } from './retention-schedule.js';

/** Record kind marking a subject a sweep emptied and is about to erase. */
const PENDING_ERASURE_KIND = FEATURE_RECORD_KINDS.pendingErasure;

/**
 * Options of {@link sweepRetention}.
 *
 * @example
 * ```ts
 * await sweepRetention(vault, { now: new Date(), actor: 'cron:retention', pageSize: 500 } satisfies SweepRetentionOptions);
 * ```
 */
export interface SweepRetentionOptions {
  /** The instant to judge expiry at. */
  readonly now: Date;
  /** Who runs the sweep, for the audit log. Default `retention-sweep`. */
  readonly actor?: string;
  /** Which purposes decide a value's retention; default `collection-point` (see `valueRetention`). */
  readonly purposesFrom?: RetentionPurposes;
  /** Subjects per scanning transaction. Default 200. */
  readonly pageSize?: number;
}

/**
 * What one sweep did. Ids only.
 *
 * @example
 * ```ts
 * const { destroyed, erased, held }: RetentionSweepResult = await sweepRetention(vault, { now: new Date() });
 * ```
 */
export interface RetentionSweepResult {
  /** This sweep's id; audit entries carry it as `reference`. */
  readonly sweepId: string;
  /** Values destroyed (current values). */
  readonly destroyed: readonly { readonly subject: string; readonly field: string; readonly until: string }[];
  /** Earlier values removed from history entries. */
  readonly destroyedHistory: number;
  /** Subjects erased because nothing was left. */
  readonly erased: readonly string[];
  /** Subjects skipped because a data-subject request about them is open. */
  readonly held: readonly string[];
  /** Provision records removed. */
  readonly expiredProvisionRecords: readonly string[];
  /** History rows of erased subjects deleted (`vault.purgeErased`). */
  readonly purgedErasedHistory: number;
}

interface StoredMeta {
  readonly provenance?: Provenance;
  readonly previous?: Provenance;
  readonly restrictTo?: readonly string[];
  readonly destroyedAt?: string;
}

function meta(text: string): StoredMeta | undefined {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null ? (m as StoredMeta) : undefined;
  } catch {
    return undefined;
  }
}

interface Plan {
  readonly values: { readonly field: string; readonly until: string }[];
  readonly history: Set<string>;
  /** Nothing encrypted would remain. */
  readonly empty: boolean;
}

/** What is expired for one subject, judged from its rows. Rows with unreadable metadata are kept (never destroyed on a guess). */
function plan(policy: AnyPolicy, values: readonly ValueRow[], history: readonly HistoryRow[], now: number, purposesFrom: RetentionPurposes): Plan {
  const out: Plan['values'] = [];
  for (const v of values) {
    const m = meta(v.meta);
    if (m?.provenance === undefined) continue;
    const r = valueRetention(policy, v.field, m.provenance, { ...(m.restrictTo !== undefined && { restrictTo: m.restrictTo }), purposesFrom });
    if (r !== undefined && Date.parse(r.until) <= now) out.push({ field: v.field, until: r.until });
  }
  const expiredHistory = new Set<string>();
  let liveHistory = 0;
  for (const h of history) {
    if (h.ciphertext === null) continue;
    const m = meta(h.meta);
    const r =
      m?.previous === undefined ? undefined : valueRetention(policy, h.field, m.previous, { ...(m.restrictTo !== undefined && { restrictTo: m.restrictTo }), purposesFrom });
    // An earlier value is never kept longer than the value that replaced it would have been.
    if (r !== undefined && Date.parse(r.until) <= now) expiredHistory.add(h.id);
    else liveHistory++;
  }
  return { values: out, history: expiredHistory, empty: values.length === out.length && liveHistory === 0 };
}

async function hasOpenRequest(tx: StorageTransaction, subject: string): Promise<boolean> {
  return (await tx.listRecords(FEATURE_RECORD_KINDS.openRequest, { subjectId: subject })).length > 0;
}

/**
 * Run one retention sweep.
 *
 * @param vault - the vault whose values and provision records are swept
 * @param options - `now`, and optionally the actor, the purpose rule and the page size
 * @returns what was destroyed, erased, held and expired
 * @throws InvalidArgumentError when `now` is not a valid Date
 * @example
 * ```ts
 * // nightly
 * const result = await sweepRetention(vault, { now: new Date() });
 * log.info({ destroyed: result.destroyed.length, erased: result.erased.length }); // ids and counts only
 * ```
 */
export async function sweepRetention(vault: Vault<AnyPolicy>, options: SweepRetentionOptions): Promise<RetentionSweepResult> {
  if (typeof options !== 'object' || options === null || !(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new InvalidArgumentError('options.now', 'must be a valid Date');
  }
  const actor = options.actor ?? 'retention-sweep';
  assertStoredText(actor, 'options.actor', 200, 'a non-empty string naming who runs the sweep');
  const purposesFrom = options.purposesFrom ?? 'collection-point';
  if (purposesFrom !== 'collection-point' && purposesFrom !== 'field') throw new InvalidArgumentError('options.purposesFrom', "must be 'collection-point' or 'field'");
  const pageSize = options.pageSize ?? 200;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new InvalidArgumentError('options.pageSize', 'must be a positive integer');
  const policy = vault.policy as AnyPolicy;
  const adapter = vault.adapter;
  const now = options.now.getTime();
  const at = options.now.toISOString();
  const sweepId = randomUUID();
  const reference = `retention:${sweepId}`;

  const destroyed: { subject: string; field: string; until: string }[] = [];
  const erased: string[] = [];
  const held: string[] = [];
  let destroyedHistory = 0;

  // 1. Find candidates, page by page, read-only.
  let after: string | undefined;
  for (;;) {
    const page = await adapter.transaction(async (tx) => {
      const subjects = await tx.listSubjects({ ...(after !== undefined && { after }), limit: pageSize });
      const candidates: string[] = [];
      for (const s of subjects) {
        if (s.erasedAt !== null) continue;
        const p = plan(policy, await tx.getValues(s.id), await tx.listHistory(s.id), now, purposesFrom);
        if (p.values.length > 0 || p.history.size > 0 || (await tx.getRecord(PENDING_ERASURE_KIND, s.id)) !== undefined) candidates.push(s.id);
      }
      return { subjects, candidates };
    });

    // 2. Destroy, one subject per transaction, re-judged under the subject's lock.
    for (const subject of page.candidates) {
      const done = await retryOnConflict(() =>
        adapter.transaction(async (tx) => {
          const row = await tx.getSubject(subject, { forUpdate: true });
          if (row === undefined || row.erasedAt !== null || row.wrappedKey === null) return undefined; // erased meanwhile
          if (await hasOpenRequest(tx, subject)) return 'held' as const;
          const values = await tx.getValues(subject);
          const history = await tx.listHistory(subject);
          const p = plan(policy, values, history, now, purposesFrom);
          const pending = (await tx.getRecord(PENDING_ERASURE_KIND, subject)) !== undefined;
          if (p.values.length === 0 && p.history.size === 0) {
            // Only an erasure a previous sweep decided on and did not finish.
            return pending && p.empty ? { values: [], history: 0, eraseAtVersion: row.version } : undefined;
          }
          await tx.updateSubject({ ...row, version: row.version + 1 }, row.version);
          if (p.empty) {
            // Remembered in the same transaction, so an interrupted sweep's erasure is finished by the next one.
            await tx.putRecord({ kind: PENDING_ERASURE_KIND, id: subject, subjectId: subject, createdAt: at, doc: JSON.stringify({ sweepId, reference }) });
          }
          if (p.values.length > 0)
            await tx.deleteValues(
              subject,
              p.values.map((v) => v.field),
            );
          if (p.history.size > 0) {
            // The adapter deletes history per subject: rewrite it with the expired values removed.
            await tx.deleteHistory(subject);
            for (const h of history) {
              if (!p.history.has(h.id)) await tx.appendHistory(h);
              else await tx.appendHistory({ ...h, ciphertext: null, meta: JSON.stringify({ ...(meta(h.meta) ?? {}), destroyedAt: at }) });
            }
          }
          for (const v of p.values) {
            await tx.appendAudit({ at, action: 'retention.destroy', actor, subject, field: v.field, decision: 'record', reference, details: { until: v.until } });
          }
          const byField = new Map<string, number>();
          for (const h of history) if (p.history.has(h.id)) byField.set(h.field, (byField.get(h.field) ?? 0) + 1);
          for (const [field, n] of byField) {
            await tx.appendAudit({ at, action: 'retention.destroy-history', actor, subject, field, decision: 'record', reference, details: { entries: n } });
          }
          return { values: p.values, history: p.history.size, eraseAtVersion: p.empty ? row.version + 1 : undefined };
        }),
      );
      if (done === undefined) continue;
      if (done === 'held') {
        held.push(subject);
        continue;
      }
      for (const v of done.values) destroyed.push({ subject, field: v.field, until: v.until });
      destroyedHistory += done.history;
      // Nothing encrypted is left: crypto-shred the subject through the vault (which also
      // destroys key material held outside the database), unless it changed in between.
      if (done.eraseAtVersion !== undefined && (await eraseIfUnchanged(vault, subject, { actor, reference, expectedVersion: done.eraseAtVersion }))) {
        erased.push(subject);
      }
    }
    if (page.subjects.length < pageSize) break;
    after = (page.subjects[page.subjects.length - 1] as SubjectRow).id;
  }

  // 3. Provision records past their retention.
  const { expired } = await expireProvisionRecords(vault, { now: options.now, actor });

  // 4. Housekeeping of erasures: earlier values of erased subjects (unreadable since then).
  let purgedErasedHistory = 0;
  for (;;) {
    const purge = await vault.purgeErased({ actor, limit: pageSize });
    purgedErasedHistory += purge.rows;
    if (purge.remaining === 0 || purge.subjects === 0) break;
  }
  return Object.freeze({
    sweepId,
    destroyed: Object.freeze(destroyed.map((d) => Object.freeze(d))),
    destroyedHistory,
    erased: Object.freeze(erased),
    held: Object.freeze(held),
    expiredProvisionRecords: expired,
    purgedErasedHistory,
  });
}

/**
 * Erase through the vault when the subject is still as the sweep left it. A subject that
 * received a value meanwhile (`SubjectChangedError`) or was erased by someone else is left
 * alone; both are normal outcomes of concurrency, not failures.
 */
async function eraseIfUnchanged(vault: Vault<AnyPolicy>, subject: string, input: { actor: string; reference: string; expectedVersion: number }): Promise<boolean> {
  let erased = false;
  try {
    await vault.erase(subject, input);
    erased = true;
  } catch (error) {
    if (!(error instanceof SubjectChangedError || error instanceof SubjectAlreadyErasedError)) throw error;
  }
  await vault.records.transaction(undefined, (tx) => tx.deleteRecord(PENDING_ERASURE_KIND, subject));
  return erased;
}
