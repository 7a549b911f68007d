/**
 * The vault's operations on stored values other than reads: provenance, corrections and
 * additions (APPI Art. 34), deletions, the change history, verification of accuracy (§6), the
 * stale-value report and look-ups through the blind index.
 *
 * @module
 */
import { InvalidArgumentError, SubjectNotFoundError } from '../errors.js';
import { assertSubjectId, parseValue } from '../policy/define-policy.js';
import type { SubjectRow, SubjectState } from '../storage/adapter.js';
import { assertChange, assertText, dataKeyOf, fieldSpec, liveSubject, lookupDigest, readSubjectStates, sealValue, writeSubject, type VaultContext } from './context.js';
import { ValueNotFoundError } from '../errors.js';
import { orderedId } from './ordered-id.js';
import type { ChangeInput, HistoryEntry, Provenance } from './types.js';
import { parseHistoryMeta, parseMeta, type HistoryMeta, type ValueMeta } from './value-meta.js';

/** Subjects per transaction when scanning (the stale-value report). */
const PAGE = 200;

async function correctValues(ctx: VaultContext, subject: string, entries: readonly (readonly [string, unknown])[], change: ChangeInput): Promise<void> {
  const { policy } = ctx;
  assertSubjectId(subject, 'subject');
  assertChange(change);
  const parsed = entries.map(([field, value]) => {
    const spec = fieldSpec(ctx, field);
    return { field, spec, value: parseValue(spec.schema, field, value) };
  });
  const at = ctx.clock().toISOString();
  await writeSubject(ctx, subject, async (tx, row, versionsOf) => {
    const dk = await dataKeyOf(ctx, row);
    const versions = versionsOf(dk);
    const olds = new Map(
      (
        await tx.getValues(
          subject,
          parsed.map((p) => p.field),
        )
      ).map((r) => [r.field, r]),
    );
    for (const { field, spec, value: parsedValue } of parsed) {
      const old = olds.get(field);
      const oldMeta = old === undefined ? undefined : parseMeta(old);
      const historyId = orderedId();
      const h: HistoryMeta = {
        change: old === undefined ? 'addition' : 'correction',
        actor: change.actor,
        reason: change.reason,
        ...(change.requestId !== undefined && { requestId: change.requestId }),
        ...(oldMeta !== undefined && { previous: oldMeta.provenance }),
        ...(oldMeta?.restrictTo !== undefined && { restrictTo: oldMeta.restrictTo }),
      };
      await tx.appendHistory({ id: historyId, subjectId: subject, field, ciphertext: old?.ciphertext ?? null, meta: JSON.stringify(h), changedAt: at });
      const provenance: Provenance =
        oldMeta === undefined
          ? { collectionPoint: 'correction', collectedAt: at, noticeVersion: policy.version, source: 'subject', verifiedAt: at, updatedAt: at }
          : { ...oldMeta.provenance, verifiedAt: at, updatedAt: at };
      const meta: ValueMeta = { provenance, ...(oldMeta?.restrictTo !== undefined && { restrictTo: oldMeta.restrictTo }) };
      const version = versions.next(field, old);
      await tx.putValue({
        subjectId: subject,
        field,
        ciphertext: sealValue(dk, subject, field, version, parsedValue, oldMeta?.restrictTo),
        lookup: await lookupDigest(ctx, field, spec.lookup, parsedValue),
        meta: JSON.stringify(meta),
        updatedAt: at,
        version,
      });
      await tx.appendAudit({
        at,
        action: old === undefined ? 'value.add' : 'value.correct',
        actor: change.actor,
        subject,
        field,
        decision: 'record',
        ...(change.requestId !== undefined && { reference: change.requestId }),
        details: { history: historyId },
      });
    }
  });
}

/** @internal `vault.provenance`. */
export async function provenance(ctx: VaultContext, subject: string): Promise<Readonly<Record<string, Provenance>>> {
  assertSubjectId(subject, 'subject');
  // The subject row and its values in one statement: an erasure is seen whole or not at all.
  const [state] = await readSubjectStates(ctx, { subjects: [subject], recordKinds: [] });
  liveSubject(subject, state?.subject);
  const values = (state as SubjectState).values;
  const out: Record<string, Provenance> = {};
  for (const v of values) out[v.field] = Object.freeze({ ...parseMeta(v).provenance });
  return Object.freeze(out);
}

/** @internal `vault.exists`. */
export async function exists(ctx: VaultContext, subject: string): Promise<boolean> {
  const { adapter } = ctx;
  assertSubjectId(subject, 'subject');
  return (await adapter.transaction((tx) => tx.getSubject(subject), { readOnly: true })) !== undefined;
}

/** @internal `vault.correct`. */
export async function correct(ctx: VaultContext, subject: string, field: string, value: unknown, change: ChangeInput): Promise<void> {
  await correctValues(ctx, subject, [[field, value]], change);
}

/** @internal `vault.correctMany`. */
export async function correctMany(ctx: VaultContext, subject: string, values: unknown, change: ChangeInput): Promise<void> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new InvalidArgumentError('values', 'must be an object of new values by field id');
  const entries = Object.entries(values);
  if (entries.length === 0) throw new InvalidArgumentError('values', 'must hold at least one field');
  await correctValues(ctx, subject, entries, change);
}

/** @internal `vault.deleteValue`. */
export async function deleteValue(ctx: VaultContext, subject: string, field: string, change: ChangeInput): Promise<void> {
  assertSubjectId(subject, 'subject');
  fieldSpec(ctx, field);
  assertChange(change);
  const at = ctx.clock().toISOString();
  await writeSubject(ctx, subject, async (tx, row, versionsOf) => {
    const [old] = await tx.getValues(subject, [field]);
    if (old === undefined) throw new ValueNotFoundError(subject, field);
    versionsOf(await dataKeyOf(ctx, row)).delete(field);
    const oldMeta = parseMeta(old);
    const historyId = orderedId();
    const h: HistoryMeta = {
      change: 'deletion',
      actor: change.actor,
      reason: change.reason,
      ...(change.requestId !== undefined && { requestId: change.requestId }),
      previous: oldMeta.provenance,
      ...(oldMeta.restrictTo !== undefined && { restrictTo: oldMeta.restrictTo }),
    };
    await tx.appendHistory({ id: historyId, subjectId: subject, field, ciphertext: old.ciphertext, meta: JSON.stringify(h), changedAt: at });
    await tx.deleteValues(subject, [field]);
    await tx.appendAudit({
      at,
      action: 'value.delete',
      actor: change.actor,
      subject,
      field,
      decision: 'record',
      ...(change.requestId !== undefined && { reference: change.requestId }),
      details: { history: historyId },
    });
  });
}

/** @internal `vault.history`. */
export async function history(ctx: VaultContext, subject: string): Promise<readonly HistoryEntry[]> {
  const { adapter } = ctx;
  assertSubjectId(subject, 'subject');
  // Read-only. Two statements: on PostgreSQL/PGlite (no explicit transaction) an erasure
  // committing between them shows as an empty history, which is what follows the erasure.
  return adapter.transaction(
    async (tx) => {
      const row = await tx.getSubject(subject);
      if (row === undefined) throw new SubjectNotFoundError(subject);
      // An erased subject has no history any more, even before purgeErased() removed the rows.
      if (row.erasedAt !== null) return Object.freeze([]);
      const rows = await tx.listHistory(subject);
      return Object.freeze(
        rows.map((r): HistoryEntry => {
          const m = parseHistoryMeta(subject, r.field, r.meta);
          return Object.freeze({
            id: r.id,
            field: r.field,
            change: m.change,
            changedAt: r.changedAt,
            actor: m.actor,
            reason: m.reason,
            ...(m.requestId !== undefined && { requestId: m.requestId }),
            ...(m.previous !== undefined && { previous: Object.freeze({ ...m.previous }) }),
          });
        }),
      );
    },
    { readOnly: true },
  );
}

/** @internal `vault.verify`. */
export async function verify(ctx: VaultContext, subject: string, field: string, actor: string): Promise<void> {
  assertSubjectId(subject, 'subject');
  fieldSpec(ctx, field);
  assertText(actor, 'actor', 200);
  const at = ctx.clock().toISOString();
  await writeSubject(ctx, subject, async (tx) => {
    const [old] = await tx.getValues(subject, [field]);
    if (old === undefined) throw new ValueNotFoundError(subject, field);
    const meta = parseMeta(old);
    await tx.putValue({ ...old, meta: JSON.stringify({ ...meta, provenance: { ...meta.provenance, verifiedAt: at } }), version: old.version + 1 });
    await tx.appendAudit({ at, action: 'value.verify', actor, subject, field, decision: 'record' });
  });
}

/** @internal `vault.staleValues`. */
export async function staleValues(ctx: VaultContext, before: Date): Promise<readonly { readonly subject: string; readonly field: string; readonly verifiedAt: string }[]> {
  const { adapter } = ctx;
  if (!(before instanceof Date) || Number.isNaN(before.getTime())) throw new InvalidArgumentError('before', 'must be a valid Date');
  const limit = before.getTime();
  const out: { subject: string; field: string; verifiedAt: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await adapter.transaction(async (tx) => {
      const subjects = await tx.listSubjects({ ...(after !== undefined && { after }), limit: PAGE });
      for (const s of subjects) {
        if (s.erasedAt !== null) continue;
        for (const v of await tx.getValues(s.id)) {
          const verifiedAt = parseMeta(v).provenance.verifiedAt;
          if (Date.parse(verifiedAt) < limit) out.push(Object.freeze({ subject: s.id, field: v.field, verifiedAt }));
        }
      }
      return subjects;
    });
    if (page.length < PAGE) break;
    after = (page[page.length - 1] as SubjectRow).id;
  }
  return Object.freeze(out);
}

/** @internal `vault.findByLookup`. */
export async function findByLookup(ctx: VaultContext, field: string, value: unknown): Promise<readonly string[]> {
  const { adapter } = ctx;
  const spec = fieldSpec(ctx, field);
  if (spec.lookup !== true) throw new InvalidArgumentError('field', `"${field}" is not a lookup field (set lookup: true in the policy)`);
  const digest = (await lookupDigest(ctx, field, true, parseValue(spec.schema, field, value))) as string;
  return Object.freeze(await adapter.transaction((tx) => tx.findByLookup(field, digest)));
}
