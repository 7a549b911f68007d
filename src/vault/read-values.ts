/**
 * The vault's reads: one decision per read, decided against the subject's state as stored,
 * audited, and only then decrypted.
 *
 * For one subject or a hundred: ONE statement (`getSubjectStates`, where the adapter has it)
 * fetches the encrypted values together with the subject row (its tombstone) and its consent
 * and suspension records; the decision is made in memory for each (subject, field); every
 * decision, allowed or denied, is appended to the audit log in one batch; only the allowed
 * values are then decrypted, after their entries are durable. A denied read decrypts nothing
 * and unwraps no key; an audit failure returns nothing (fail closed).
 *
 * @module
 */
import type { AuditEntryInput } from '../audit/audit-entry.js';
import { AuditWriteError, InvalidArgumentError, PurposeBoundError, PurposeNotAllowedError, SubjectNotFoundError } from '../errors.js';
import { decisionTableOf, purposeDecision, readEntry, snapshotDenial, type DecisionState } from '../guard/decision.js';
import type { ReadRequest } from '../guard/input-checks.js';
import { sealPersonalField, type PersonalField } from '../personal-field.js';
import { assertSubjectId } from '../policy/define-policy.js';
import type { ConsentRecord } from '../state/consent.js';
import type { SuspensionRecord } from '../state/suspension.js';
import type { RecordRow, SubjectState, ValueRow } from '../storage/adapter.js';
import { readValueState } from '../crypto/value-state.js';
import { dataKeyOf, fieldSpec, liveSubject, openCurrentValue, openValue, readSubjectStates, type VaultContext } from './context.js';
import { ValueNotFoundError } from '../errors.js';
import { parseDoc, RECORD_KINDS } from './stores.js';
import { parseHistoryMeta, parseMeta } from './value-meta.js';

/** The record kinds a read decision needs, sorted as `getSubjectStates` returns them. */
const DECISION_RECORDS: readonly string[] = [RECORD_KINDS.consent, RECORD_KINDS.suspension].sort();

/** Most subjects one batch read takes (one statement, one audit batch). */
export const READ_BATCH_MAX = 1_000;

/** @internal which fields of which subject to read. */
export interface ReadTarget {
  readonly subject: string;
  readonly fields: readonly string[];
}

/** @internal the outcome of a read for one subject: every asked value, or the denial. */
export type ReadOutcome =
  | { readonly subject: string; readonly ok: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly subject: string; readonly ok: false; readonly error: PurposeBoundError };

/**
 * What a read does with a field that holds nothing for the request:
 * `one` (a single read): no stored value is a `ValueNotFoundError`;
 * `many` (a batch): no stored value is left out, neither decided nor audited;
 * `all` (every field the purpose may read): the same, and so is a value bound by entrustment to
 * other purposes (it is not among the fields the purpose may read).
 */
type Missing = 'one' | 'many' | 'all';

function decisionState(state: SubjectState): DecisionState {
  if (state.subject.erasedAt !== null) return { erasedAt: state.subject.erasedAt, consents: [], suspensions: [] };
  const consents: ConsentRecord[] = [];
  const suspensions: SuspensionRecord[] = [];
  for (const r of state.records as readonly RecordRow[]) {
    if (r.kind === RECORD_KINDS.consent) consents.push(parseDoc<ConsentRecord>(r));
    else if (r.kind === RECORD_KINDS.suspension) suspensions.push(parseDoc<SuspensionRecord>(r));
  }
  return { erasedAt: null, consents, suspensions };
}

function valueRowOf(state: SubjectState, field: string): ValueRow | undefined {
  for (const v of state.values) if (v.field === field) return v;
  return undefined;
}

function auditWriteError(cause: unknown): AuditWriteError {
  return new AuditWriteError({ cause: cause instanceof PurposeBoundError ? cause : undefined });
}

/**
 * @internal decide, audit and (once allowed and audited) decrypt the reads of `targets` for one
 * request. Outcomes follow the order of `targets`.
 */
export async function readValues(ctx: VaultContext, targets: readonly ReadTarget[], request: ReadRequest, missing: Missing): Promise<ReadOutcome[]> {
  const table = decisionTableOf(ctx.policy);
  const now = ctx.clock();
  const at = now.toISOString();
  const entries: AuditEntryInput[] = [];
  const outcomes: (ReadOutcome | { subject: string; allowed: { field: string; row: ValueRow; restrictTo: readonly string[] | undefined }[]; state: SubjectState })[] = [];

  // What can be decided without the subject's state (an unknown purpose, a field that does not
  // allow it, an exception the policy does not announce) is, without reading anything.
  let needState = false;
  const early = targets.map((t) => {
    for (const field of t.fields) {
      const decided = purposeDecision(table, request, t.subject, field, undefined);
      if (decided instanceof PurposeBoundError) return decided;
    }
    needState = true;
    return undefined;
  });
  const fields = new Set<string>();
  for (const t of targets) for (const f of t.fields) fields.add(f);
  const states = needState ? await readSubjectStates(ctx, { subjects: targets.map((t) => t.subject), fields: [...fields], recordKinds: DECISION_RECORDS }) : [];
  const bySubject = new Map<string, SubjectState>();
  for (const s of states) bySubject.set(s.subject.id, s);

  for (let i = 0; i < targets.length; i++) {
    const { subject, fields: asked } = targets[i] as ReadTarget;
    /** The subject's read denied: each decided field audited with its own reason, or the subject's. */
    const deny = (error: PurposeBoundError, fields: readonly string[], reasons?: ReadonlyMap<string, string>): void => {
      for (const field of fields) entries.push({ ...readEntry(table, request, at, subject, field), decision: 'deny', reason: reasons?.get(field) ?? error.code });
      outcomes.push({ subject, ok: false, error });
    };
    const earlyDenial = early[i];
    if (earlyDenial !== undefined) {
      deny(earlyDenial, asked);
      continue;
    }
    const state = bySubject.get(subject);
    if (state === undefined) {
      deny(new SubjectNotFoundError(subject), asked);
      continue;
    }
    const dstate = decisionState(state);
    const allowed: { field: string; row: ValueRow; restrictTo: readonly string[] | undefined }[] = [];
    let first: PurposeBoundError | undefined;
    const reasons = new Map<string, string>();
    const decided: string[] = [];
    for (const field of asked) {
      const row = valueRowOf(state, field);
      if (row === undefined && missing !== 'one' && dstate.erasedAt === null) continue;
      decided.push(field);
      const restrictTo = row === undefined ? undefined : parseMeta(row).restrictTo;
      const purpose = purposeDecision(table, request, subject, field, restrictTo === undefined ? undefined : new Set(restrictTo));
      if (missing === 'all' && restrictTo !== undefined && purpose instanceof PurposeNotAllowedError) {
        decided.pop(); // bound to other purposes: not a field this purpose may read
        continue;
      }
      let denial = purpose instanceof PurposeBoundError ? purpose : snapshotDenial(request, purpose, subject, field, dstate, now);
      if (denial === undefined && row === undefined) denial = new ValueNotFoundError(subject, field);
      if (denial !== undefined) {
        first ??= denial;
        reasons.set(field, denial.code);
      } else if (row !== undefined) allowed.push({ field, row, restrictTo });
    }
    if (first !== undefined) {
      deny(first, decided, reasons);
      continue;
    }
    for (const { field } of allowed) entries.push({ ...readEntry(table, request, at, subject, field), decision: 'allow' });
    outcomes.push({ subject, allowed, state });
  }

  // Every decision is durable before any value exists in clear.
  if (entries.length > 0) {
    try {
      await ctx.audit.appendMany(entries);
    } catch (cause) {
      throw auditWriteError(cause);
    }
  }

  const out: ReadOutcome[] = [];
  for (const o of outcomes) {
    if (!('allowed' in o)) {
      out.push(o);
      continue;
    }
    const values: Record<string, unknown> = {};
    if (o.allowed.length > 0) {
      const subjectRow = liveSubject(o.subject, o.state.subject);
      const dk = await dataKeyOf(ctx, subjectRow);
      const valueState = readValueState(dk, subjectRow);
      for (const { field, row, restrictTo } of o.allowed) values[field] = openCurrentValue(dk, subjectRow, row, restrictTo, valueState);
    }
    out.push({ subject: o.subject, ok: true, values: Object.freeze(values) });
  }
  return out;
}

/** @internal one field of one subject: its value, or the denial thrown. */
export async function readOne(ctx: VaultContext, subject: string, field: string, request: ReadRequest): Promise<unknown> {
  assertSubjectId(subject, 'subject');
  fieldSpec(ctx, field);
  const [outcome] = await readValues(ctx, [{ subject, fields: [field] }], request, 'one');
  const o = outcome as ReadOutcome;
  if (!o.ok) throw o.error;
  return o.values[field];
}

/** @internal many subjects, some fields each, one request: one statement, one audit batch. */
export async function readMany(ctx: VaultContext, subjects: unknown, fields: unknown, request: ReadRequest): Promise<ReadOutcome[]> {
  if (!Array.isArray(subjects)) throw new InvalidArgumentError('subjects', 'must be an array of subject ids');
  if (subjects.length > READ_BATCH_MAX) throw new InvalidArgumentError('subjects', `must hold at most ${READ_BATCH_MAX} subject ids (read larger sets in pages)`);
  subjects.forEach((s, i) => assertSubjectId(s, `subjects[${i}]`));
  if (!Array.isArray(fields) || fields.length === 0) throw new InvalidArgumentError('fields', 'must be a non-empty array of field ids');
  const unique = [...new Set(fields as unknown[])];
  unique.forEach((f, i) => fieldSpec(ctx, f, `fields[${i}]`));
  if (subjects.length === 0) return [];
  return readValues(
    ctx,
    (subjects as string[]).map((subject) => ({ subject, fields: unique as string[] })),
    request,
    'many',
  );
}

/** @internal every stored value of a subject that the request's purpose may read. */
export async function readAll(ctx: VaultContext, subject: string, request: ReadRequest): Promise<Readonly<Record<string, unknown>>> {
  assertSubjectId(subject, 'subject');
  const table = decisionTableOf(ctx.policy);
  const candidates = (ctx.policy.fieldIds as readonly string[]).filter((f) => !(purposeDecision(table, request, subject, f, undefined) instanceof PurposeBoundError));
  if (candidates.length === 0) {
    // Nothing this purpose may read: say whether the subject is there at all, and stop.
    const [state] = await readSubjectStates(ctx, { subjects: [subject], fields: [], recordKinds: [] });
    liveSubject(subject, state?.subject);
    return Object.freeze({});
  }
  const [outcome] = await readValues(ctx, [{ subject, fields: candidates }], request, 'all');
  const o = outcome as ReadOutcome;
  if (!o.ok) throw o.error;
  return o.values;
}

/**
 * @internal a handle on one field of one subject: no value, no I/O. Only this vault's guard
 * reads it, through `readOne`.
 */
export function issueField(ctx: VaultContext, subject: string, field: string): PersonalField {
  assertSubjectId(subject, 'subject');
  fieldSpec(ctx, field);
  return sealPersonalField({ kind: 'handle', value: undefined, field, subject, policyId: ctx.policy.id, issuer: ctx.issuer, restrictTo: undefined });
}

/**
 * @internal an earlier value kept in the history, read like the field it was: decided for the
 * request (with the purposes it was bound to), audited (with the history entry's id), then
 * decrypted.
 */
export async function readHistoryValue(ctx: VaultContext, subject: string, historyId: unknown, request: ReadRequest): Promise<unknown> {
  assertSubjectId(subject, 'subject');
  if (typeof historyId !== 'string' || historyId === '') throw new InvalidArgumentError('historyId', 'must be a history entry id');
  const found = await ctx.adapter.transaction(
    async (tx) => {
      const row = await tx.getSubject(subject);
      if (row === undefined) return undefined;
      const history = row.erasedAt === null ? (await tx.listHistory(subject)).find((h) => h.id === historyId) : undefined;
      const records: RecordRow[] = [];
      for (const kind of DECISION_RECORDS) records.push(...(await tx.listRecords(kind, { subjectId: subject })));
      return { state: { subject: row, values: [], records } satisfies SubjectState, history };
    },
    { readOnly: true },
  );
  if (found === undefined) throw new SubjectNotFoundError(subject);
  const { state, history } = found;
  if (state.subject.erasedAt === null && history === undefined) throw new InvalidArgumentError('historyId', `must be the id of a history entry of subject "${subject}"`);
  const table = decisionTableOf(ctx.policy);
  const field = history?.field ?? 'unknown';
  const now = ctx.clock();
  const entry = { ...readEntry(table, request, now.toISOString(), subject, field), details: { history: historyId } };
  const meta = history === undefined ? undefined : parseHistoryMeta(subject, history.field, history.meta);
  const restrictTo = meta?.restrictTo;
  const purpose = purposeDecision(table, request, subject, field, restrictTo === undefined ? undefined : new Set(restrictTo));
  let denial = purpose instanceof PurposeBoundError ? purpose : snapshotDenial(request, purpose, subject, field, decisionState(state), now);
  if (denial === undefined && (history?.ciphertext === null || !ctx.policy.hasField(field))) denial = new ValueNotFoundError(subject, field, 'earlier value');
  try {
    await ctx.audit.append(denial === undefined ? { ...entry, decision: 'allow' } : { ...entry, decision: 'deny', reason: denial.code });
  } catch (cause) {
    throw auditWriteError(cause);
  }
  if (denial !== undefined) throw denial;
  const dk = await dataKeyOf(ctx, liveSubject(subject, state.subject));
  return openValue(dk, subject, field, (history as { ciphertext: Uint8Array }).ciphertext, restrictTo);
}

/** @internal one value as a disclosure to the person reads it: the value and the purposes it is bound to. */
export interface DisclosedRead {
  readonly field: string;
  readonly value: unknown;
  readonly restrictTo: readonly string[] | undefined;
}

/**
 * @internal every stored value of a subject, for the person's own disclosure request (APPI
 * Art. 33, GDPR Art. 15): not a use for a purpose of the policy, so no purpose decides it;
 * the request desk calls it only for a verified request of the subject. Each value's read is
 * audited (`basis`, `reference` = the request) before anything is decrypted. An erased or
 * unknown subject has nothing to disclose: an empty list.
 */
export async function readForDisclosure(
  ctx: VaultContext,
  subject: string,
  input: { readonly actor: string; readonly basis: string; readonly reference: string },
): Promise<readonly DisclosedRead[]> {
  assertSubjectId(subject, 'subject');
  const [state] = await readSubjectStates(ctx, { subjects: [subject], recordKinds: [] });
  if (state === undefined || state.subject.erasedAt !== null || state.subject.wrappedKey === null) return [];
  const rows = state.values.filter((v) => ctx.policy.hasField(v.field)); // a field an earlier policy version had is not readable
  if (rows.length === 0) return [];
  const at = ctx.clock().toISOString();
  try {
    await ctx.audit.appendMany(
      rows.map((v) => ({ at, action: 'read', actor: input.actor, subject, field: v.field, basis: input.basis, reference: input.reference, decision: 'allow' as const })),
    );
  } catch (cause) {
    throw auditWriteError(cause);
  }
  const dk = await dataKeyOf(ctx, state.subject);
  const valueState = readValueState(dk, state.subject);
  return rows.map((v) => {
    const restrictTo = parseMeta(v).restrictTo;
    return Object.freeze({ field: v.field, value: openCurrentValue(dk, state.subject, v, restrictTo, valueState), restrictTo });
  });
}
