/**
 * `sweepRetention`: retention that executes. Destroys every stored value (and every earlier
 * value kept in the history) whose purposes' retention has all ended, crypto-shreds subjects
 * left with nothing, and removes third-party provision records past their retention.
 *
 * What is guaranteed, precisely:
 * - **In the database.** A destroyed value's ciphertext is deleted from the values table; an
 *   expired earlier value's ciphertext is removed from its history entry (the entry stays,
 *   saying who changed what when, with no value). The sweep judges from the stored metadata
 *   (`vault.retention.scan`: provenance, no value, nothing decrypted) and destroys through
 *   `vault.retention.destroy`: each destruction and its audit entries are one transaction,
 *   under the subject's row lock, at the subject version the sweep judged. A subject changed
 *   in between (a correction, a collection, another sweep) is judged again on what is stored
 *   now, so the same value is never destroyed or audited twice and a new value is never
 *   destroyed on an old judgement. A destroyed value is recorded as deleted in the subject's
 *   value state (this needs the subject's data key, never a value's decryption), so a copy put
 *   back from a backup is refused at read.
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
 *   data while the person waits for a disclosure would answer them with less than was held. A
 *   request opened between a subject's destruction and its erasure holds the erasure too
 *   (checked under the subject's lock in the erasing transaction); a later sweep erases it
 *   once the request is closed.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, SubjectAlreadyErasedError, SubjectChangedError, SubjectErasedError, SubjectHeldError, SubjectNotFoundError } from '../errors.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { expireProvisionRecords } from '../provision/provisions.js';
import { assertStoredText } from '../util/stored-text.js';
import { FEATURE_RECORD_KINDS } from '../vault/record-kinds.js';
import type { SubjectMetadata } from '../vault/retention.js';
import type { Vault } from '../vault/types.js';
import { valueRetention, type RetentionPurposes } from './retention-schedule.js';

/** Record kind marking a subject a sweep emptied and is about to erase. */
const PENDING_ERASURE_KIND = FEATURE_RECORD_KINDS.pendingErasure;
/** The record kinds the sweep looks at: open requests hold a subject; a pending erasure is finished. */
const KINDS = [FEATURE_RECORD_KINDS.openRequest, PENDING_ERASURE_KIND] as const;
/** Times a subject is judged again after it changed under the sweep. */
const STALE_ATTEMPTS = 8;

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
  /** Subjects skipped (or, when a request was opened in between, destroyed but not erased) because a data-subject request about them is open. */
  readonly held: readonly string[];
  /** Provision records removed. */
  readonly expiredProvisionRecords: readonly string[];
  /** History rows of erased subjects deleted (`vault.purgeErased`). */
  readonly purgedErasedHistory: number;
}

interface Plan {
  readonly values: { readonly field: string; readonly until: string }[];
  readonly history: Set<string>;
  /** Nothing encrypted would remain. */
  readonly empty: boolean;
}

/** What is expired for one subject, judged from its metadata. Rows with unreadable metadata are kept (never destroyed on a guess). */
function plan(policy: AnyPolicy, meta: SubjectMetadata, now: number, purposesFrom: RetentionPurposes): Plan {
  const out: Plan['values'] = [];
  for (const v of meta.values) {
    if (v.provenance === undefined) continue;
    const r = valueRetention(policy, v.field, v.provenance, { ...(v.restrictTo !== undefined && { restrictTo: v.restrictTo }), purposesFrom });
    if (r !== undefined && Date.parse(r.until) <= now) out.push({ field: v.field, until: r.until });
  }
  const expiredHistory = new Set<string>();
  let liveHistory = 0;
  for (const h of meta.history) {
    if (!h.holdsValue) continue;
    const r = h.previous === undefined ? undefined : valueRetention(policy, h.field, h.previous, { ...(h.restrictTo !== undefined && { restrictTo: h.restrictTo }), purposesFrom });
    // An earlier value is never kept longer than the value that replaced it would have been.
    if (r !== undefined && Date.parse(r.until) <= now) expiredHistory.add(h.id);
    else liveHistory++;
  }
  return { values: out, history: expiredHistory, empty: meta.values.length === out.length && liveHistory === 0 };
}

/** Is there anything for the sweep to do about this subject? */
function actionable(p: Plan, meta: SubjectMetadata): boolean {
  return p.values.length > 0 || p.history.size > 0 || (p.empty && meta.records.includes(PENDING_ERASURE_KIND));
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
  const now = options.now.getTime();
  const sweepId = randomUUID();
  const reference = `retention:${sweepId}`;

  const destroyed: { subject: string; field: string; until: string }[] = [];
  const erased: string[] = [];
  const held: string[] = [];
  let destroyedHistory = 0;

  /**
   * Destroy what expired of one subject through the vault, at the version it was judged at; a
   * subject that changed meanwhile (a correction, a collection, another sweep) is judged again
   * on what is stored now. `undefined`: nothing (left) to do.
   */
  async function destroyExpired(first: SubjectMetadata): Promise<{ status: 'held' } | { status: 'destroyed'; plan: Plan; version: number } | undefined> {
    let meta: SubjectMetadata | undefined = first;
    for (let attempt = 1; meta !== undefined; attempt++) {
      const p = plan(policy, meta, now, purposesFrom);
      if (!actionable(p, meta)) return undefined;
      const destroysSomething = p.values.length > 0 || p.history.size > 0;
      try {
        const r = await vault.retention.destroy(meta.subject, {
          expectedVersion: meta.version,
          values: p.values,
          history: [...p.history],
          unlessHeldBy: [FEATURE_RECORD_KINDS.openRequest],
          // Remembered in the same transaction, so an interrupted sweep's erasure is finished by the next one.
          ...(p.empty && destroysSomething && { record: { kind: PENDING_ERASURE_KIND, doc: JSON.stringify({ sweepId, reference }) } }),
          actor,
          reference,
          at: options.now,
        });
        return r.status === 'held' ? { status: 'held' } : { status: 'destroyed', plan: p, version: r.version };
      } catch (error) {
        if (error instanceof SubjectErasedError || error instanceof SubjectNotFoundError) return undefined; // erased meanwhile
        if (!(error instanceof SubjectChangedError) || attempt >= STALE_ATTEMPTS) throw error;
      }
      meta = await vault.retention.subject(first.subject, { recordKinds: KINDS });
    }
    return undefined;
  }

  // 1. Find candidates, page by page, from the stored metadata (no value is read or decrypted).
  let after: string | undefined;
  for (;;) {
    const page = await vault.retention.scan({ ...(after !== undefined && { after }), limit: pageSize, recordKinds: KINDS });
    // 2. Destroy, one subject per transaction, at the version judged (judged again when it changed).
    for (const meta of page.subjects) {
      if (!actionable(plan(policy, meta, now, purposesFrom), meta)) continue;
      const done = await destroyExpired(meta);
      if (done === undefined) continue;
      if (done.status === 'held') {
        held.push(meta.subject);
        continue;
      }
      for (const v of done.plan.values) destroyed.push({ subject: meta.subject, field: v.field, until: v.until });
      destroyedHistory += done.plan.history.size;
      // Nothing encrypted is left: crypto-shred the subject through the vault (which also
      // destroys key material held outside the database), unless it changed in between.
      if (!done.plan.empty) continue;
      const outcome = await eraseIfUnchanged(vault, meta.subject, { actor, reference, expectedVersion: done.version });
      if (outcome === 'erased') erased.push(meta.subject);
      else if (outcome === 'held') held.push(meta.subject);
    }
    if (page.next === undefined) break;
    after = page.next;
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
 * Erase through the vault when the subject is still as the sweep left it and holds no open
 * request. A subject that received a value meanwhile (`SubjectChangedError`) or was erased by
 * someone else is left alone; both are normal outcomes of concurrency, not failures. A subject
 * for which a request was opened in between (`SubjectHeldError`) is held: its pending-erasure
 * record stays, so a later sweep erases it once the request is closed.
 */
async function eraseIfUnchanged(
  vault: Vault<AnyPolicy>,
  subject: string,
  input: { actor: string; reference: string; expectedVersion: number },
): Promise<'erased' | 'held' | 'left'> {
  let outcome: 'erased' | 'held' | 'left' = 'left';
  try {
    await vault.erase(subject, { ...input, unlessHeldBy: [FEATURE_RECORD_KINDS.openRequest] });
    outcome = 'erased';
  } catch (error) {
    if (error instanceof SubjectHeldError) return 'held';
    if (!(error instanceof SubjectChangedError || error instanceof SubjectAlreadyErasedError)) throw error;
  }
  await vault.records.transaction(undefined, (tx) => tx.deleteRecord(PENDING_ERASURE_KIND, subject));
  return outcome;
}
