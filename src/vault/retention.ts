/**
 * `vault.retention`: what a retention job needs from the vault, and nothing more.
 *
 * - **Metadata, page by page** (`scan`, `subject`): each live subject's row version, the
 *   provenance of its stored values, its history entries (whether each still holds an earlier
 *   value, and that value's provenance) and which of some record kinds it has. Never a value,
 *   never a ciphertext; nothing is decrypted and no key is unwrapped.
 * - **Destruction at a version** (`destroy`): delete some current values of one subject and
 *   remove the earlier values of some of its history entries (the entries stay, marked
 *   `destroyedAt`), in ONE transaction under the subject's row lock, with one audit entry per
 *   value (`retention.destroy`) and per field of history (`retention.destroy-history`), and the
 *   destruction of each current value recorded in the subject's value state (so that a
 *   destroyed value put back from a backup is refused at read like a deleted one). Refused as
 *   a whole when the subject changed since the caller's scan (`SubjectChangedError`: the
 *   caller judges again on what is stored now), and left alone when the subject holds a record
 *   of one of the caller's hold kinds (e.g. an open data-subject request).
 *
 * The judgement of what has expired stays with the caller (`sweepRetention` judges with the
 * policy's retention periods); the vault only guarantees that what is destroyed is exactly what
 * the caller saw, at the moment it saw it.
 *
 * @module
 */
import { heldBy, recordKinds as kindList } from './holds.js';
import { valueVersions } from '../crypto/value-state.js';
import { InvalidArgumentError, SubjectChangedError } from '../errors.js';
import { assertSubjectId } from '../policy/define-policy.js';
import type { HistoryRow, StorageTransaction, SubjectRow, SubjectState, SubjectStateQuery } from '../storage/adapter.js';
import { subjectStatesThrough } from '../storage/subject-states.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertObject, assertText, dataKeyOf, liveSubject, type VaultContext } from './context.js';
import { isVaultRecordKind } from './record-kinds.js';
import type { Provenance } from './types.js';
import { isPurposeList } from './value-meta.js';

/** Subjects per `scan` page: default and most. */
const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

/**
 * A stored current value, as `vault.retention` shows it: its field and provenance, no value.
 *
 * @example
 * ```ts
 * const info: StoredValueInfo = { field: 'email', provenance: { collectionPoint: 'inquiry', collectedAt: '2026-01-10T09:00:00.000Z', noticeVersion: '2020-09', source: 'subject', verifiedAt: '2026-01-10T09:00:00.000Z' } };
 * ```
 */
export interface StoredValueInfo {
  readonly field: string;
  /** Absent when the stored metadata cannot be read (a job should then keep the value: never destroy on a guess). */
  readonly provenance?: Provenance;
  /** The purposes entrusted data is bound to, if any. */
  readonly restrictTo?: readonly string[];
}

/**
 * A history entry, as `vault.retention` shows it: no value.
 *
 * @example
 * ```ts
 * const live = (meta: SubjectMetadata): StoredHistoryInfo[] => meta.history.filter((h) => h.holdsValue);
 * ```
 */
export interface StoredHistoryInfo {
  readonly id: string;
  readonly field: string;
  readonly changedAt: string;
  /** Does the entry still hold an earlier value (`false`: an addition, or already destroyed)? */
  readonly holdsValue: boolean;
  /** Provenance of the earlier value; absent for an addition or unreadable metadata. */
  readonly previous?: Provenance;
  readonly restrictTo?: readonly string[];
}

/**
 * One live subject's stored metadata, of one moment.
 *
 * @example
 * ```ts
 * const meta: SubjectMetadata | undefined = await vault.retention.subject(subject, { recordKinds: ['request-open'] });
 * const held = meta?.records.includes('request-open') ?? false;
 * ```
 */
export interface SubjectMetadata {
  readonly subject: string;
  /** The subject row's version: pass it to `destroy` as `expectedVersion`. */
  readonly version: number;
  /** Current values, ordered by field. */
  readonly values: readonly StoredValueInfo[];
  /** History entries, oldest first. */
  readonly history: readonly StoredHistoryInfo[];
  /** Which of the asked `recordKinds` the subject has at least one record of. */
  readonly records: readonly string[];
}

/**
 * Options of `vault.retention.scan`.
 *
 * @example
 * ```ts
 * const options: RetentionScanOptions = { after: 'sub_41aa', limit: 500, recordKinds: ['request-open'] };
 * ```
 */
export interface RetentionScanOptions {
  /** Start after this subject id (exclusive): the previous page's `next`. */
  readonly after?: string;
  /** Subjects to look at (live or erased) in this page; default 200, at most 1,000. */
  readonly limit?: number;
  /** Record kinds to report in `SubjectMetadata.records`. Default none. */
  readonly recordKinds?: readonly string[];
}

/**
 * One page of `vault.retention.scan`.
 *
 * @example
 * ```ts
 * let page: RetentionPage | undefined;
 * do page = await vault.retention.scan({ ...(page?.next !== undefined && { after: page.next }) });
 * while (page.next !== undefined);
 * ```
 */
export interface RetentionPage {
  /** The live subjects of the page, by id (erased ones are left out). */
  readonly subjects: readonly SubjectMetadata[];
  /** The `after` of the next page; `undefined` when this was the last. */
  readonly next: string | undefined;
}

/**
 * Input of `vault.retention.destroy`.
 *
 * @example
 * ```ts
 * const input: RetentionDestroyInput = {
 *   expectedVersion: 7, values: [{ field: 'email', until: '2027-01-10T09:00:00.000Z' }], history: [],
 *   unlessHeldBy: ['request-open'], actor: 'retention-sweep', reference: 'retention:1',
 * };
 * ```
 */
export interface RetentionDestroyInput {
  /** The subject's version the caller judged at (`SubjectMetadata.version`). */
  readonly expectedVersion: number;
  /** Current values to destroy, each with the instant its retention ended (audited). */
  readonly values?: readonly { readonly field: string; readonly until: string }[];
  /** History entries whose earlier value to destroy (ids of entries that hold one). */
  readonly history?: readonly string[];
  /** Destroy nothing when the subject has a record of one of these kinds (checked under the lock). */
  readonly unlessHeldBy?: readonly string[];
  /** A record of a feature kind to put in the same transaction, with id and subject = the subject (e.g. a pending erasure). */
  readonly record?: { readonly kind: string; readonly doc: string };
  /** Who destroys, for the audit log. */
  readonly actor: string;
  /** Audit reference (e.g. `retention:<sweepId>`). */
  readonly reference: string;
  /** The instant recorded in the audit entries and history entries; default the vault's clock. */
  readonly at?: Date;
}

/**
 * What `vault.retention.destroy` did.
 *
 * @example
 * ```ts
 * const r: RetentionDestroyResult = await vault.retention.destroy(subject, { expectedVersion: 7, values: [], actor: 'job', reference: 'r1' });
 * if (r.status === 'held') console.log(r.heldBy);
 * ```
 */
export type RetentionDestroyResult =
  | {
      readonly status: 'destroyed';
      /** The subject's version now (e.g. for `vault.erase(..., { expectedVersion })`). */
      readonly version: number;
      readonly values: number;
      readonly history: number;
    }
  | { readonly status: 'held'; readonly heldBy: readonly string[] };

/**
 * The vault's retention primitives (see the module docs).
 *
 * @example
 * ```ts
 * const meta = await vault.retention.subject(subject);
 * if (meta !== undefined) {
 *   await vault.retention.destroy(subject, {
 *     expectedVersion: meta.version, values: [{ field: 'email', until: new Date().toISOString() }],
 *     actor: 'retention-job', reference: 'retention:2026-12',
 *   });
 * }
 * ```
 */
export interface VaultRetention {
  /**
   * One page of live subjects' metadata, in id order, read in one read-only transaction
   * (values and records of each subject in one statement where the adapter has
   * `getSubjectStates`). No value, no ciphertext, no decryption.
   *
   * @throws InvalidArgumentError for a bad `after`, `limit` or `recordKinds`
   */
  scan(options?: RetentionScanOptions): Promise<RetentionPage>;
  /** One subject's metadata, as `scan` gives it; `undefined` when it does not exist or was erased. */
  subject(subject: string, options?: { readonly recordKinds?: readonly string[] }): Promise<SubjectMetadata | undefined>;
  /**
   * Destroy some values and earlier values of one subject, all or nothing, audited (see the
   * module docs).
   *
   * @throws SubjectChangedError (`STORAGE_CONFLICT`) when the subject is no longer at
   *   `expectedVersion`: nothing is destroyed; judge again on a fresh `subject()`
   * @throws SubjectNotFoundError, SubjectErasedError
   * @throws InvalidArgumentError for bad input, a field with no current value, or a history
   *   entry that is unknown or holds no value (nothing is destroyed)
   */
  destroy(subject: string, input: RetentionDestroyInput): Promise<RetentionDestroyResult>;
}

/** The lenient view of stored metadata a retention job needs: never throws. */
interface LooseMeta {
  readonly provenance?: Provenance;
  readonly previous?: Provenance;
  readonly restrictTo?: readonly string[];
}

function looseMeta(text: string): LooseMeta {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as LooseMeta) : {};
  } catch {
    return {};
  }
}

function provenanceOf(p: unknown): Provenance | undefined {
  const o = p as Partial<Provenance> | null | undefined;
  return typeof o === 'object' && o !== null && typeof o.collectedAt === 'string' && typeof o.collectionPoint === 'string' ? Object.freeze({ ...(o as Provenance) }) : undefined;
}

function restrictToOf(r: unknown): readonly string[] | undefined {
  return isPurposeList(r) ? Object.freeze([...r]) : undefined;
}

function historyInfo(h: HistoryRow): StoredHistoryInfo {
  const m = looseMeta(h.meta);
  const previous = provenanceOf(m.previous);
  const restrictTo = restrictToOf(m.restrictTo);
  return Object.freeze({
    id: h.id,
    field: h.field,
    changedAt: h.changedAt,
    holdsValue: h.ciphertext !== null,
    ...(previous !== undefined && { previous }),
    ...(restrictTo !== undefined && { restrictTo }),
  });
}

function metadataOf(state: SubjectState, history: readonly HistoryRow[], recordKinds: readonly string[]): SubjectMetadata {
  const held = new Set(state.records.map((r) => r.kind));
  return Object.freeze({
    subject: state.subject.id,
    version: state.subject.version,
    values: Object.freeze(
      state.values.map((v) => {
        const m = looseMeta(v.meta);
        const provenance = provenanceOf(m.provenance);
        const restrictTo = restrictToOf(m.restrictTo);
        return Object.freeze({ field: v.field, ...(provenance !== undefined && { provenance }), ...(restrictTo !== undefined && { restrictTo }) });
      }),
    ),
    history: Object.freeze(history.map(historyInfo)),
    records: Object.freeze(recordKinds.filter((k) => held.has(k))),
  });
}

const isLive = (row: SubjectRow): boolean => row.erasedAt === null && row.wrappedKey !== null;

function statesIn(tx: StorageTransaction, query: SubjectStateQuery): Promise<SubjectState[]> {
  return typeof tx.getSubjectStates === 'function' ? tx.getSubjectStates(query) : subjectStatesThrough(tx, query);
}

async function metadataIn(tx: StorageTransaction, subjects: readonly string[], recordKinds: readonly string[]): Promise<SubjectMetadata[]> {
  if (subjects.length === 0) return [];
  const out: SubjectMetadata[] = [];
  for (const state of await statesIn(tx, { subjects, recordKinds })) {
    if (!isLive(state.subject)) continue;
    out.push(metadataOf(state, await tx.listHistory(state.subject.id), recordKinds));
  }
  return out;
}

/** A checked destroy input. */
interface DestroyPlan {
  readonly expectedVersion: number;
  readonly values: readonly { readonly field: string; readonly until: string }[];
  readonly history: ReadonlySet<string>;
  readonly holds: readonly string[];
  readonly record: { readonly kind: string; readonly doc: string } | undefined;
  readonly actor: string;
  readonly reference: string;
  readonly at: string;
}

function checkDestroy(ctx: VaultContext, input: RetentionDestroyInput): DestroyPlan {
  assertObject(input, 'input');
  if (!Number.isSafeInteger(input.expectedVersion)) throw new InvalidArgumentError('input.expectedVersion', 'must be an integer row version');
  assertText(input.actor, 'input.actor', 200);
  assertText(input.reference, 'input.reference', 200);
  if (input.at !== undefined && (!(input.at instanceof Date) || Number.isNaN(input.at.getTime()))) throw new InvalidArgumentError('input.at', 'must be a valid Date');
  const values = input.values ?? [];
  if (!Array.isArray(values)) throw new InvalidArgumentError('input.values', 'must be an array of { field, until }');
  const fields = new Set<string>();
  values.forEach((v: unknown, i) => {
    assertObject(v, `input.values[${i}]`);
    assertText(v['field'], `input.values[${i}].field`, 200);
    assertText(v['until'], `input.values[${i}].until`, 64);
    if (Number.isNaN(Date.parse(v['until']))) throw new InvalidArgumentError(`input.values[${i}].until`, 'must be an ISO 8601 instant');
    if (fields.has(v['field'])) throw new InvalidArgumentError(`input.values[${i}].field`, 'names a field twice');
    fields.add(v['field']);
  });
  const history = input.history ?? [];
  if (!Array.isArray(history)) throw new InvalidArgumentError('input.history', 'must be an array of history entry ids');
  history.forEach((id: unknown, i) => {
    assertText(id, `input.history[${i}]`, 200);
  });
  let record: DestroyPlan['record'];
  if (input.record !== undefined) {
    assertObject(input.record, 'input.record');
    const { kind, doc } = input.record;
    if (typeof kind !== 'string' || kind === '') throw new InvalidArgumentError('input.record.kind', 'must be a record kind');
    if (isVaultRecordKind(kind)) throw new InvalidArgumentError('input.record.kind', `"${kind}" records change only through the vault and its guard`);
    if (typeof doc !== 'string') throw new InvalidArgumentError('input.record.doc', 'must be a JSON string');
    record = { kind, doc };
  }
  return {
    expectedVersion: input.expectedVersion,
    values: values.map((v) => ({ field: v.field, until: v.until })),
    history: new Set(history),
    holds: kindList(input.unlessHeldBy, 'input.unlessHeldBy'),
    record,
    actor: input.actor,
    reference: input.reference,
    at: (input.at ?? ctx.clock()).toISOString(),
  };
}

/** Outcomes decided under the lock that must not be retried as conflicts. */
type Locked = { readonly kind: 'stale' } | { readonly kind: 'done'; readonly result: RetentionDestroyResult };

async function destroyLocked(ctx: VaultContext, tx: StorageTransaction, subject: string, plan: DestroyPlan): Promise<Locked> {
  const row = liveSubject(subject, await tx.getSubject(subject, { forUpdate: true }));
  if (row.version !== plan.expectedVersion) return { kind: 'stale' };
  const held = await heldBy(tx, subject, plan.holds);
  if (held.length > 0) return { kind: 'done', result: Object.freeze({ status: 'held', heldBy: Object.freeze(held) }) };
  if (plan.values.length === 0 && plan.history.size === 0 && plan.record === undefined) {
    return { kind: 'done', result: Object.freeze({ status: 'destroyed', version: row.version, values: 0, history: 0 }) };
  }
  // Everything asked for must be there as the caller saw it (the version says it is): a
  // mismatch is the caller's mistake, refused before anything is written.
  const fields = plan.values.map((v) => v.field);
  const stored = new Set((fields.length === 0 ? [] : await tx.getValues(subject, fields)).map((v) => v.field));
  plan.values.forEach((v, i) => {
    if (!stored.has(v.field)) throw new InvalidArgumentError(`input.values[${i}].field`, 'has no current value for this subject');
  });
  const history = plan.history.size === 0 ? [] : await tx.listHistory(subject);
  const holding = new Set(history.filter((h) => h.ciphertext !== null).map((h) => h.id));
  [...plan.history].forEach((id, i) => {
    if (!holding.has(id)) throw new InvalidArgumentError(`input.history[${i}]`, 'is not a history entry of this subject that holds a value');
  });

  // The destroyed values are recorded as deleted in the value state, like `deleteValue`: a
  // copy put back later (from a backup) is refused at read. This needs the data key (an unwrap
  // or the cache), never a value's decryption.
  let valueState: string | undefined;
  if (fields.length > 0) {
    const versions = valueVersions(await dataKeyOf(ctx, row), subject, row);
    for (const f of fields) versions.delete(f);
    valueState = versions.seal();
  }
  await tx.updateSubject({ ...row, version: row.version + 1, ...(valueState !== undefined && { valueState }) }, row.version);
  if (plan.record !== undefined) await tx.putRecord({ kind: plan.record.kind, id: subject, subjectId: subject, createdAt: plan.at, doc: plan.record.doc });
  if (fields.length > 0) await tx.deleteValues(subject, fields);
  if (plan.history.size > 0) {
    // The adapter deletes history per subject: rewrite it with the destroyed values removed.
    await tx.deleteHistory(subject);
    for (const h of history) {
      if (!plan.history.has(h.id)) await tx.appendHistory(h);
      else await tx.appendHistory({ ...h, ciphertext: null, meta: JSON.stringify({ ...looseMeta(h.meta), destroyedAt: plan.at }) });
    }
  }
  const { at, actor, reference } = plan;
  for (const v of plan.values) {
    await tx.appendAudit({ at, action: 'retention.destroy', actor, subject, field: v.field, decision: 'record', reference, details: { until: v.until } });
  }
  const byField = new Map<string, number>();
  for (const h of history) if (plan.history.has(h.id)) byField.set(h.field, (byField.get(h.field) ?? 0) + 1);
  for (const [field, n] of byField) {
    await tx.appendAudit({ at, action: 'retention.destroy-history', actor, subject, field, decision: 'record', reference, details: { entries: n } });
  }
  return { kind: 'done', result: Object.freeze({ status: 'destroyed', version: row.version + 1, values: fields.length, history: plan.history.size }) };
}

/** @internal `vault.retention` over the vault's context. */
export function vaultRetention(ctx: VaultContext): VaultRetention {
  const { adapter } = ctx;
  return Object.freeze({
    async scan(options: RetentionScanOptions = {}): Promise<RetentionPage> {
      assertObject(options as unknown, 'options');
      if (options.after !== undefined) assertSubjectId(options.after, 'options.after');
      const limit = options.limit ?? DEFAULT_PAGE;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new InvalidArgumentError('options.limit', `must be an integer from 1 to ${MAX_PAGE}`);
      const recordKinds = kindList(options.recordKinds, 'options.recordKinds');
      const { after } = options;
      return adapter.transaction(
        async (tx) => {
          const rows = await tx.listSubjects({ ...(after !== undefined && { after }), limit });
          const subjects = await metadataIn(
            tx,
            rows.filter(isLive).map((r) => r.id),
            recordKinds,
          );
          const last = rows[rows.length - 1];
          return Object.freeze({ subjects: Object.freeze(subjects), next: rows.length < limit || last === undefined ? undefined : last.id });
        },
        { readOnly: true },
      );
    },

    async subject(subject: string, options: { readonly recordKinds?: readonly string[] } = {}): Promise<SubjectMetadata | undefined> {
      assertSubjectId(subject, 'subject');
      assertObject(options as unknown, 'options');
      const recordKinds = kindList(options.recordKinds, 'options.recordKinds');
      const [meta] = await adapter.transaction((tx) => metadataIn(tx, [subject], recordKinds), { readOnly: true });
      return meta;
    },

    async destroy(subject: string, input: RetentionDestroyInput): Promise<RetentionDestroyResult> {
      assertSubjectId(subject, 'subject');
      const plan = checkDestroy(ctx, input);
      const outcome = await retryOnConflict(() => adapter.transaction((tx) => destroyLocked(ctx, tx, subject, plan)));
      if (outcome.kind === 'stale') throw new SubjectChangedError(subject, 'destroyed');
      return outcome.result;
    },
  });
}
