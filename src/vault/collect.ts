/**
 * `vault.collect`: validate every value at a collection point, then encrypt and store them all
 * with their provenance, the consents given on the form and the audit entry, in one write.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { importDataKey, newDataKeyBytes, type DataKey } from '../crypto/value-cipher.js';
import { valueVersions } from '../crypto/value-state.js';
import { ConsentRequiredError, InvalidArgumentError, InvalidPersonalValueError, type InvalidValue } from '../errors.js';
import { assertSubjectId, parseValue, type AnyPolicy } from '../policy/define-policy.js';
import type { ProvenanceSource } from '../policy/spec.js';
import { consentInForce, type ConsentRecord } from '../state/consent.js';
import { consentPurposesOf } from '../policy/consent-purposes.js';
import type { StorageWrite, ValueRow } from '../storage/adapter.js';
import { applyWrites, writeAtomically } from '../storage/apply-writes.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertObject, assertText, dataKeyOf, fieldSpec, liveSubject, lookupDigest, sealValue, type VaultContext } from './context.js';
import { orderedId } from './ordered-id.js';
import { RECORD_KINDS } from './stores.js';
import type { CollectInput, Provenance } from './types.js';
import { parseMeta, type HistoryMeta, type ValueMeta } from './value-meta.js';

const SOURCES: ReadonlySet<string> = new Set<ProvenanceSource>(['subject', 'third-party', 'entrusted']);

/** Is a consent in force for `purpose` or one of its ancestors, among these events? */
function consentFor(policy: AnyPolicy, events: readonly ConsentRecord[], purpose: string, at: Date): boolean {
  return policy.lineage(purpose).some((p) => consentInForce(events, p, at));
}

/** @internal `vault.collect`. */
export async function collect<Pol extends AnyPolicy>(ctx: VaultContext, input: CollectInput<Pol>): Promise<{ readonly subject: string }> {
  const { policy, adapter, keyring: kr, keyCache, audit, consents, clock } = ctx;
  const policyId = policy.id;
  assertObject(input, 'input');
  assertText(input.actor, 'input.actor', 200);
  const pointId = input.collectionPoint as unknown;
  if (typeof pointId !== 'string') throw new InvalidArgumentError('input.collectionPoint', 'must be a collection point id');
  const point = policy.collectionPoint(pointId);
  assertObject(input.values, 'input.values');
  const source = input.source ?? point.source ?? 'subject';
  if (!SOURCES.has(source)) throw new InvalidArgumentError('input.source', "must be 'subject', 'third-party' or 'entrusted'");
  const noticeVersion = input.noticeVersion ?? policy.version;
  assertText(noticeVersion, 'input.noticeVersion', 100);
  const consent = (input as { consent?: unknown }).consent;
  if (consent !== undefined) {
    assertObject(consent, 'input.consent');
    if (consent['method'] !== undefined) assertText(consent['method'], 'input.consent.method', 100);
  }
  const givenSubject = input.subject;
  if (givenSubject !== undefined) assertSubjectId(givenSubject, 'input.subject');
  const subject = givenSubject ?? randomUUID();

  // 1. Validate every value before anything is written, and report every invalid one at once.
  const pointFields = new Set<string>(point.fields);
  const parsed = new Map<string, unknown>();
  const invalid: InvalidValue[] = [];
  for (const field of Object.keys(input.values)) {
    const raw = (input.values as Record<string, unknown>)[field];
    if (raw === undefined) continue;
    const spec = fieldSpec(ctx, field, 'input.values');
    if (!pointFields.has(field)) throw new InvalidArgumentError(`input.values.${field}`, `is not collected at collection point "${pointId}"`);
    try {
      parsed.set(field, parseValue(spec.schema, field, raw));
    } catch (error) {
      if (!(error instanceof InvalidPersonalValueError)) throw error;
      invalid.push(...error.invalid);
    }
  }
  const optional = new Set<string>(point.optional ?? []);
  for (const field of point.fields as readonly string[]) {
    if (!parsed.has(field) && !optional.has(field) && !invalid.some((v) => v.field === field)) {
      invalid.push({ field, rules: [{ path: '', rule: `required(collection point ${pointId})` }] });
    }
  }
  if (invalid.length > 0) {
    const [first, ...more] = invalid as [InvalidValue, ...InvalidValue[]];
    throw new InvalidPersonalValueError(first.field, first.rules, more);
  }
  if (parsed.size === 0) throw new InvalidArgumentError('input.values', 'must hold at least one value');

  const now = clock();
  const at = now.toISOString();
  const announced = point.purposes as readonly string[];
  // 2. Special-care personal information (APPI Art. 20(2)) needs the person's consent to its
  // acquisition for the announced purposes; data received under entrustment is exempt
  // (Art. 20(2)(viii) with Art. 27(5)(i)).
  if (source !== 'entrusted' && consent === undefined) {
    let events: readonly ConsentRecord[] | undefined;
    for (const field of parsed.keys()) {
      if (policy.field(field).category !== 'special-care') continue;
      const forField = announced.filter((p) => policy.isAllowed(field, p));
      events ??= givenSubject === undefined ? [] : await consents.list(subject);
      for (const purpose of forField.length > 0 ? forField : announced) {
        if (consentFor(policy, events, purpose, now)) continue;
        const error = new ConsentRequiredError({ field, purpose, subject });
        await audit.append({
          at,
          action: 'collect',
          actor: input.actor,
          subject,
          field,
          purpose,
          basis: 'consent',
          decision: 'deny',
          reason: error.code,
          details: { collectionPoint: pointId },
        });
        throw error;
      }
    }
  }

  const restrictTo = source === 'entrusted' ? [...announced] : undefined;
  const provenance: Provenance = { collectionPoint: pointId, collectedAt: at, noticeVersion, source, verifiedAt: at };
  const meta = JSON.stringify({ provenance, ...(restrictTo !== undefined && { restrictTo }) } satisfies ValueMeta);
  const fields = [...parsed.keys()].sort();

  // 3. Atomically: subject, values, history of replaced values, consents, audit.
  const consentWrites = (): StorageWrite[] => {
    if (consent === undefined) return [];
    return consentPurposesOf(policy, announced, fields).flatMap((purpose): StorageWrite[] => {
      // issue 13: only consent-based purposes (and APPI Art. 20(2) special-care acquisition)
      const rec: ConsentRecord = {
        id: orderedId(),
        subject,
        purpose,
        state: 'granted',
        at,
        noticeVersion,
        actor: input.actor,
        ...(consent['method'] !== undefined && { method: consent['method'] as string }),
      };
      return [
        { op: 'putRecord', row: { kind: RECORD_KINDS.consent, id: rec.id, subjectId: subject, createdAt: at, doc: JSON.stringify(rec) } },
        {
          op: 'appendAudit',
          entry: { at, action: 'consent.grant', actor: input.actor, subject, purpose, decision: 'record', details: { consent: rec.id, noticeVersion, collectionPoint: pointId } },
        },
      ];
    });
  };
  /** The encrypted value of `field`, with its blind index and this collection's provenance. */
  const valueWrite = async (dk: DataKey, field: string, version: number): Promise<StorageWrite> => {
    const value = parsed.get(field);
    const ciphertext = sealValue(dk, subject, field, version, value, restrictTo);
    const lookup = await lookupDigest(ctx, field, policy.field(field).lookup, value);
    return { op: 'putValue', row: { subjectId: subject, field, ciphertext, lookup, meta, updatedAt: at, version } };
  };
  const collectAudit: StorageWrite = {
    op: 'appendAudit',
    entry: { at, action: 'collect', actor: input.actor, subject, decision: 'record', details: { collectionPoint: pointId, fields: fields.join(','), source, noticeVersion } },
  };

  if (givenSubject === undefined) {
    // A new subject (fresh random id): nothing to read first, so the whole collection is one
    // batch of writes; one statement on PostgreSQL and PGlite.
    const bytes = newDataKeyBytes();
    const wrappedKey = await kr.wrapKey(kr.currentKeyId, bytes, subject);
    const dk = importDataKey(bytes);
    const versions = valueVersions(dk, subject, undefined);
    const writes: StorageWrite[] = [];
    for (const field of fields) writes.push(await valueWrite(dk, field, versions.next(field, undefined)));
    writes.unshift({
      op: 'insertSubject',
      row: { id: subject, keyId: kr.currentKeyId, wrappedKey, createdAt: at, erasedAt: null, erasureRef: null, version: 1, valueState: versions.seal() },
    });
    writes.push(...consentWrites(), collectAudit);
    await retryOnConflict(() => writeAtomically(adapter, writes));
    keyCache.set(subject, kr.currentKeyId, wrappedKey, dk);
    return Object.freeze({ subject });
  }

  await retryOnConflict(() =>
    adapter.transaction(async (tx) => {
      let dk: DataKey;
      let existing: Map<string, ValueRow> = new Map();
      let wrappedKey: Uint8Array | undefined;
      const row = await tx.getSubject(subject, { forUpdate: true });
      if (row === undefined) {
        const bytes = newDataKeyBytes();
        wrappedKey = await kr.wrapKey(kr.currentKeyId, bytes, subject);
        dk = importDataKey(bytes);
      } else {
        liveSubject(subject, row);
        dk = await dataKeyOf(ctx, row);
        existing = new Map((await tx.getValues(subject, fields)).map((r) => [r.field, r]));
      }
      // Replay detection: the versions written go into the subject row (value state).
      const versions = valueVersions(dk, subject, row);
      const writes: StorageWrite[] = [];
      for (const field of fields) {
        const old = existing.get(field);
        if (old !== undefined) {
          const oldMeta = parseMeta(old);
          const h: HistoryMeta = {
            change: 'correction',
            actor: input.actor,
            reason: `collected again at collection point ${pointId}`,
            previous: oldMeta.provenance,
            ...(oldMeta.restrictTo !== undefined && { restrictTo: oldMeta.restrictTo }),
          };
          writes.push({ op: 'appendHistory', row: { id: orderedId(), subjectId: subject, field, ciphertext: old.ciphertext, meta: JSON.stringify(h), changedAt: at } });
        }
        writes.push(await valueWrite(dk, field, versions.next(field, old)));
      }
      writes.push(...consentWrites(), collectAudit);
      if (row === undefined) {
        await tx.insertSubject({
          id: subject,
          keyId: kr.currentKeyId,
          wrappedKey: wrappedKey as Uint8Array,
          createdAt: at,
          erasedAt: null,
          erasureRef: null,
          version: 1,
          valueState: versions.seal(),
        });
      } else {
        await tx.updateSubject({ ...row, version: row.version + 1, valueState: versions.seal() }, row.version);
      }
      await applyWrites(tx, writes);
    }),
  );
  return Object.freeze({ subject });
}
