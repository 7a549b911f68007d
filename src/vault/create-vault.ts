/**
 * `createVault`: encrypted, provenance-tracking storage of a policy's personal values on any
 * `StorageAdapter`.
 *
 * Every value is encrypted with the subject's own data key (AES-256-GCM, associated data binding
 * subject and field) before it reaches the adapter; the data key is stored only wrapped by a
 * key-encryption key of the `Keyring`. Each operation unwraps the subject's data key at most
 * once; a bounded, short-lived cache (`dataKeyCache`) spares the unwrap for a subject used again
 * while its row still holds the same wrapped key. Erasure destroys the wrapped key
 * (crypto-shredding).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertStoredText } from '../util/stored-text.js';
import { decryptValue, encryptValue, importDataKey, newDataKeyBytes, openStoredValue, type DataKey } from '../crypto/value-cipher.js';
import { readValueState, valueVersions, type ValueState, type ValueVersions } from '../crypto/value-state.js';
import { erasureGuarantee, needsRewrap, upgradeValues } from '../crypto/subject-upgrade.js';
import {
  ConsentRequiredError,
  IntegrityError,
  InvalidArgumentError,
  InvalidPersonalValueError,
  PurposeBoundError,
  SubjectErasedError,
  SubjectNotFoundError,
  UnknownFieldError,
} from '../errors.js';
import { createGuard, type Guard } from '../guard/guard.js';
import { sealPersonalField, type PersonalField } from '../personal-field.js';
import { assertSubjectId, isPolicy, parseValue, type AnyPolicy } from '../policy/define-policy.js';
import type { ProvenanceSource } from '../policy/spec.js';
import { consentInForce, type ConsentRecord } from '../state/consent.js';
import type { StorageTransaction, SubjectRow, SubjectWithValues, ValueRow } from '../storage/adapter.js';
import { canonicalJson } from '../util/canonical-json.js';
import { applyWrites, writeAtomically } from '../storage/apply-writes.js';
import type { StorageWrite } from '../storage/adapter.js';
import { createDataKeyCache } from './data-key-cache.js';
import { SubjectAlreadyErasedError, SubjectChangedError, ValueNotFoundError } from './errors.js';
import { orderedId } from './ordered-id.js';
import { adapterAuditLog, adapterConsentRegistry, adapterErasureRegistry, adapterSuspensionRegistry, parseDoc, RECORD_KINDS } from './stores.js';
import type { ChangeInput, CollectInput, ErasureRecord, HistoryEntry, Provenance, Vault, VaultOptions } from './types.js';

/** What a value row's `meta` holds: provenance and, for entrusted data, the purposes it is bound to. */
interface ValueMeta {
  readonly provenance: Provenance;
  readonly restrictTo?: readonly string[];
}

/** What a history row's `meta` holds. */
interface HistoryMeta {
  readonly change: HistoryEntry['change'];
  readonly actor: string;
  readonly reason: string;
  readonly requestId?: string;
  readonly previous?: Provenance;
  readonly restrictTo?: readonly string[];
}

const SOURCES: ReadonlySet<string> = new Set<ProvenanceSource>(['subject', 'third-party', 'entrusted']);
const TEXT_MAX = 500;
/** Subjects per transaction when scanning (key rotation, stale-value report). */
const PAGE = 200;

function assertText(value: unknown, argument: string, max = TEXT_MAX): asserts value is string {
  assertStoredText(value, argument, max);
}

function assertObject(value: unknown, argument: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(argument, 'must be an object');
}

function parseMeta(row: ValueRow): ValueMeta {
  try {
    const meta = JSON.parse(row.meta) as ValueMeta;
    if (typeof meta?.provenance?.collectedAt !== 'string') throw new Error('no provenance');
    return meta;
  } catch {
    throw new IntegrityError('stored value metadata is not valid', { subject: row.subjectId, field: row.field });
  }
}

function parseHistoryMeta(subject: string, field: string, text: string): HistoryMeta {
  try {
    const meta = JSON.parse(text) as HistoryMeta;
    if (typeof meta?.change !== 'string') throw new Error('no change');
    return meta;
  } catch {
    throw new IntegrityError('stored history metadata is not valid', { subject, field });
  }
}

/**
 * The text a `lookup` field's blind index is computed over: strings in Unicode NFKC, trimmed and
 * lower-cased (so `Hana@Example.JP ` and `hana@example.jp` match, and full-width and half-width
 * forms of Japanese text match); dates as ISO 8601; everything else as canonical JSON.
 */
function normalizeLookup(value: unknown): string {
  if (typeof value === 'string') return `s:${value.normalize('NFKC').trim().toLowerCase()}`;
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (typeof value === 'bigint') return `n:${value.toString()}`;
  return `j:${canonicalJson(value)}`;
}

/**
 * Create a vault over a policy, an adapter and a keyring. Opens the adapter (running its
 * migrations).
 *
 * @param options - the policy, the storage adapter, the keyring and optionally a clock
 * @throws InvalidArgumentError when an option is missing or of the wrong kind
 * @throws StorageUnavailableError when the adapter cannot open its database
 * @example
 * ```ts
 * import { createVault, localKeyringFromEnv } from 'purpose-bound';
 * import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
 *
 * const vault = await createVault({ policy, adapter: pgliteAdapter({ dataDir: './data' }), keyring: localKeyringFromEnv() });
 * const { subject } = await vault.collect({
 *   collectionPoint: 'inquiry', actor: 'web', values: { name: '山田花子', email: 'hana@example.jp' },
 * });
 * const email = await vault.read(subject, 'email');
 * await vault.guard().read(email, { purpose: 'inquiryResponse', actor: 'staff:7' });
 * ```
 */
export async function createVault<Pol extends AnyPolicy>(options: VaultOptions<Pol>): Promise<Vault<Pol>> {
  assertObject(options, 'options');
  const { policy, adapter, keyring } = options;
  if (!isPolicy(policy)) throw new InvalidArgumentError('options.policy', 'must be a policy made by definePolicy()');
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.transaction !== 'function' || typeof adapter.open !== 'function') {
    throw new InvalidArgumentError('options.adapter', 'must be a StorageAdapter');
  }
  if (typeof keyring !== 'object' || keyring === null || typeof keyring.wrapKey !== 'function' || typeof keyring.unwrapKey !== 'function' || typeof keyring.blindIndex !== 'function') {
    throw new InvalidArgumentError('options.keyring', 'must be a Keyring (createLocalKeyring(), localKeyringFromEnv(), or your KMS keyring)');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new InvalidArgumentError('options.clock', 'must be a function returning a Date');
  const clock = options.clock ?? (() => new Date());
  const kr: Keyring = keyring;
  const keyCache = createDataKeyCache(options.dataKeyCache, () => clock().getTime());
  await adapter.open();

  const audit = adapterAuditLog(adapter);
  const consents = adapterConsentRegistry(adapter);
  const suspensions = adapterSuspensionRegistry(adapter);
  const erasures = adapterErasureRegistry(adapter);
  let guard: Guard<Pol> | undefined;
  const policyId = policy.id;

  function nowIso(): string {
    return clock().toISOString();
  }

  function fieldSpec(field: unknown, argument = 'field') {
    if (typeof field !== 'string' || !policy.hasField(field)) {
      if (typeof field !== 'string') throw new InvalidArgumentError(argument, 'must be a field id');
      throw new UnknownFieldError(field, policyId);
    }
    return policy.field(field);
  }

  function assertChange(change: unknown): asserts change is ChangeInput {
    assertObject(change, 'change');
    assertText(change['actor'], 'change.actor', 200);
    assertText(change['reason'], 'change.reason');
    if (change['requestId'] !== undefined) assertText(change['requestId'], 'change.requestId', 200);
  }

  /**
   * The subject's data key: from the cache when it was cached for exactly the wrapped key this
   * row holds (see data-key-cache.ts), else unwrapped by the keyring (and cached).
   */
  function dataKeyOf(row: SubjectRow): DataKey | Promise<DataKey> {
    const wrapped = row.wrappedKey;
    if (wrapped === null) throw new SubjectErasedError(row.id, row.erasedAt ?? undefined);
    return keyCache.get(row.id, row.keyId, wrapped) ?? unwrapDataKey(row, wrapped);
  }

  async function unwrapDataKey(row: SubjectRow, wrapped: Uint8Array): Promise<DataKey> {
    const dk = importDataKey(await kr.unwrapKey(row.keyId, wrapped, row.id));
    keyCache.set(row.id, row.keyId, wrapped, dk);
    return dk;
  }

  /**
   * A subject row and its values (`fields` only, when given). With an adapter that has
   * `getSubjectWithValues`, ONE statement: the row and the values are of the same moment even in
   * a read-only transaction that the adapter runs without BEGIN/COMMIT (PostgreSQL, PGlite),
   * so a concurrent erasure is seen whole (tombstone, no values) or not at all. Otherwise the
   * two calls of the contract, in the caller's transaction.
   */
  async function subjectWithValues(tx: StorageTransaction, subject: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
    if (typeof tx.getSubjectWithValues === 'function') return tx.getSubjectWithValues(subject, fields);
    const row = await tx.getSubject(subject);
    return row === undefined ? undefined : { subject: row, values: await tx.getValues(subject, fields) };
  }

  /**
   * A subject and its values read on their own: through the adapter's one-statement
   * `getSubjectWithValues` where it has one (no transaction set-up), else in a read-only
   * transaction.
   */
  function readSubject(subject: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
    if (typeof adapter.getSubjectWithValues === 'function') return adapter.getSubjectWithValues(subject, fields);
    return adapter.transaction((tx) => subjectWithValues(tx, subject, fields), { readOnly: true });
  }

  /** A live subject with its values, or the error that says why not (see `liveSubject`). */
  function liveSubjectWithValues(subject: string, found: SubjectWithValues | undefined): SubjectWithValues {
    liveSubject(subject, found?.subject);
    return found as SubjectWithValues;
  }

  /** The live (existing, not erased) subject row, or the error that says why not. */
  function liveSubject(subject: string, row: SubjectRow | undefined): SubjectRow {
    if (row === undefined) throw new SubjectNotFoundError(subject);
    if (row.erasedAt !== null || row.wrappedKey === null) throw new SubjectErasedError(subject, row.erasedAt ?? undefined);
    return row;
  }

  /**
   * Run a write on an existing subject: lock its row, bump its version (so concurrent writers
   * on other connections serialise or conflict and retry; no update is lost), then `fn`.
   */
  function writeSubject<T>(subject: string, fn: (tx: StorageTransaction, row: SubjectRow, versionsOf: (dk: DataKey) => ValueVersions) => Promise<T>): Promise<T> {
    return retryOnConflict(() =>
      adapter.transaction(async (tx) => {
        const row = liveSubject(subject, await tx.getSubject(subject, { forUpdate: true }));
        // The value versions written (replay detection) go into the row with the version bump.
        let versions: ValueVersions | undefined;
        const result = await fn(tx, row, (dk) => (versions ??= valueVersions(dk, subject, row)));
        await tx.updateSubject({ ...row, version: row.version + 1, ...(versions?.changed === true && { valueState: versions.seal() }) }, row.version);
        return result;
      }),
    );
  }

  /** Decrypt a stored value row into a `PersonalField`; its purpose restriction is part of the associated data. */
  function openValue(dk: DataKey, subjectRow: SubjectRow, row: ValueRow, state?: ValueState): PersonalField {
    const meta = parseMeta(row);
    return seal(row.subjectId, row.field, openStoredValue(dk, subjectRow, row, meta.restrictTo, state ?? readValueState(dk, subjectRow)), meta);
  }

  function seal(subject: string, field: string, value: unknown, meta: ValueMeta): PersonalField {
    return sealPersonalField({
      value,
      field,
      subject,
      policyId,
      restrictTo: meta.restrictTo === undefined ? undefined : new Set(meta.restrictTo),
    });
  }

  async function lookupDigest(field: string, lookup: boolean | undefined, value: unknown): Promise<string | null> {
    return lookup === true ? await kr.blindIndex(field, normalizeLookup(value)) : null;
  }

  /** Is a consent in force for `purpose` or one of its ancestors, among these events? */
  function consentFor(events: readonly ConsentRecord[], purpose: string, at: Date): boolean {
    return policy.lineage(purpose).some((p) => consentInForce(events, p, at));
  }

  /**
   * Correct or add several values of one subject in ONE transaction: every value is validated
   * first (nothing changes when one fails), then each old value goes to the history and each
   * new one is written and audited; all commit together or not at all.
   */
  async function correctValues(subject: string, entries: readonly (readonly [string, unknown])[], change: ChangeInput): Promise<void> {
    assertSubjectId(subject, 'subject');
    assertChange(change);
    const parsed = entries.map(([field, value]) => {
      const spec = fieldSpec(field);
      return { field, spec, value: parseValue(spec.schema, field, value) };
    });
    const at = nowIso();
    await writeSubject(subject, async (tx, row, versionsOf) => {
      const dk = await dataKeyOf(row);
      const versions = versionsOf(dk);
      const olds = new Map((await tx.getValues(subject, parsed.map((p) => p.field))).map((r) => [r.field, r]));
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
          ciphertext: encryptValue(dk, subject, field, version, parsedValue, oldMeta?.restrictTo),
          lookup: await lookupDigest(field, spec.lookup, parsedValue),
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

  const vault: Vault<Pol> = {
    policy,
    adapter,
    audit,
    consents,
    suspensions,
    erasures,

    guard() {
      guard ??= createGuard({ policy, audit, consents, suspensions, erasures, clock });
      return guard;
    },

    async collect(input) {
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

      // 1. Validate every value before anything is written.
      const pointFields = new Set<string>(point.fields);
      const parsed = new Map<string, unknown>();
      for (const field of Object.keys(input.values)) {
        const raw = (input.values as Record<string, unknown>)[field];
        if (raw === undefined) continue;
        const spec = fieldSpec(field, 'input.values');
        if (!pointFields.has(field)) throw new InvalidArgumentError(`input.values.${field}`, `is not collected at collection point "${pointId}"`);
        parsed.set(field, parseValue(spec.schema, field, raw));
      }
      const optional = new Set<string>(point.optional ?? []);
      for (const field of point.fields as readonly string[]) {
        if (!parsed.has(field) && !optional.has(field)) {
          throw new InvalidPersonalValueError(field, [{ path: '', rule: `required(collection point ${pointId})` }]);
        }
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
            if (consentFor(events, purpose, now)) continue;
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
        return announced.flatMap((purpose): StorageWrite[] => {
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
        const ciphertext = encryptValue(dk, subject, field, version, value, restrictTo);
        const lookup = await lookupDigest(field, policy.field(field).lookup, value);
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
        writes.unshift({ op: 'insertSubject', row: { id: subject, keyId: kr.currentKeyId, wrappedKey, createdAt: at, erasedAt: null, erasureRef: null, version: 1, valueState: versions.seal() } });
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
            dk = await dataKeyOf(row);
            existing = new Map((await tx.getValues(subject, fields)).map((r) => [r.field, r]));
          }
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
            await tx.insertSubject({ id: subject, keyId: kr.currentKeyId, wrappedKey: wrappedKey as Uint8Array, createdAt: at, erasedAt: null, erasureRef: null, version: 1, valueState: versions.seal() });
          } else {
            await tx.updateSubject({ ...row, version: row.version + 1, valueState: versions.seal() }, row.version);
          }
          await applyWrites(tx, writes);
        }),
      );
      return Object.freeze({ subject });
    },

    async read(subject, field) {
      assertSubjectId(subject, 'subject');
      fieldSpec(field);
      // Read-only: the adapter may skip the write lock and the BEGIN/COMMIT round trips; the
      // subject row (erased or not) and the value come from one statement where it can.
      const { subject: row, values } = liveSubjectWithValues(subject, await readSubject(subject, [field]));
      const value = values[0];
      if (value === undefined) throw new ValueNotFoundError(subject, field);
      const dk = dataKeyOf(row);
      return openValue(dk instanceof Promise ? await dk : dk, row, value) as never;
    },

    async readAll(subject) {
      assertSubjectId(subject, 'subject');
      const { subject: row, values } = liveSubjectWithValues(subject, await readSubject(subject));
      const out: Record<string, PersonalField> = {};
      if (values.length === 0) return Object.freeze(out) as never;
      const dk = await dataKeyOf(row);
      const state = readValueState(dk, row);
      for (const v of values) {
        if (!policy.hasField(v.field)) continue; // a field an earlier policy version had
        out[v.field] = openValue(dk, row, v, state);
      }
      return Object.freeze(out) as never;
    },

    async provenance(subject) {
      assertSubjectId(subject, 'subject');
      const { values } = liveSubjectWithValues(subject, await readSubject(subject));
      const out: Record<string, Provenance> = {};
      for (const v of values) out[v.field] = Object.freeze({ ...parseMeta(v).provenance });
      return Object.freeze(out);
    },

    async exists(subject) {
      assertSubjectId(subject, 'subject');
      return (await adapter.transaction((tx) => tx.getSubject(subject), { readOnly: true })) !== undefined;
    },

    async correct(subject, field, value, change) {
      await correctValues(subject, [[field, value]], change);
    },

    async correctMany(subject, values, change) {
      if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new InvalidArgumentError('values', 'must be an object of new values by field id');
      const entries = Object.entries(values);
      if (entries.length === 0) throw new InvalidArgumentError('values', 'must hold at least one field');
      await correctValues(subject, entries, change);
    },

    async deleteValue(subject, field, change) {
      assertSubjectId(subject, 'subject');
      fieldSpec(field);
      assertChange(change);
      const at = nowIso();
      await writeSubject(subject, async (tx, row, versionsOf) => {
        const [old] = await tx.getValues(subject, [field]);
        if (old === undefined) throw new ValueNotFoundError(subject, field);
        versionsOf(await dataKeyOf(row)).delete(field);
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
    },

    async history(subject) {
      assertSubjectId(subject, 'subject');
      // Read-only. Two statements: on PostgreSQL/PGlite (no explicit transaction) an erasure
      // committing between them shows as an empty history, which is what follows the erasure.
      return adapter.transaction(async (tx) => {
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
      }, { readOnly: true });
    },

    async historyValue(subject, historyId) {
      assertSubjectId(subject, 'subject');
      if (typeof historyId !== 'string' || historyId === '') throw new InvalidArgumentError('historyId', 'must be a history entry id');
      return adapter.transaction(async (tx) => {
        const row = liveSubject(subject, await tx.getSubject(subject));
        const h = (await tx.listHistory(subject)).find((r) => r.id === historyId);
        if (h === undefined) throw new InvalidArgumentError('historyId', `must be the id of a history entry of subject "${subject}"`);
        if (h.ciphertext === null || !policy.hasField(h.field)) throw new ValueNotFoundError(subject, h.field, 'earlier value');
        const m = parseHistoryMeta(subject, h.field, h.meta);
        const dk = await dataKeyOf(row);
        return seal(subject, h.field, decryptValue(dk, subject, h.field, h.ciphertext, m.restrictTo), {
          provenance: m.previous as Provenance,
          ...(m.restrictTo !== undefined && { restrictTo: m.restrictTo }),
        });
      });
    },

    async verify(subject, field, actor) {
      assertSubjectId(subject, 'subject');
      fieldSpec(field);
      assertText(actor, 'actor', 200);
      const at = nowIso();
      await writeSubject(subject, async (tx) => {
        const [old] = await tx.getValues(subject, [field]);
        if (old === undefined) throw new ValueNotFoundError(subject, field);
        const meta = parseMeta(old);
        await tx.putValue({ ...old, meta: JSON.stringify({ ...meta, provenance: { ...meta.provenance, verifiedAt: at } }), version: old.version + 1 });
        await tx.appendAudit({ at, action: 'value.verify', actor, subject, field, decision: 'record' });
      });
    },

    async staleValues(before) {
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
    },

    async findByLookup(field, value) {
      const spec = fieldSpec(field);
      if (spec.lookup !== true) throw new InvalidArgumentError('field', `"${field}" is not a lookup field (set lookup: true in the policy)`);
      const digest = (await lookupDigest(field, true, parseValue(spec.schema, field, value))) as string;
      return Object.freeze(await adapter.transaction((tx) => tx.findByLookup(field, digest)));
    },

    async erase(subject, input) {
      assertSubjectId(subject, 'subject');
      assertObject(input, 'input');
      assertText(input.actor, 'input.actor', 200);
      assertText(input.reference, 'input.reference', 200);
      if (input.expectedVersion !== undefined && !Number.isSafeInteger(input.expectedVersion)) throw new InvalidArgumentError('input.expectedVersion', 'must be an integer row version');
      if (input.purge !== undefined && input.purge !== 'deferred' && input.purge !== 'now') throw new InvalidArgumentError('input.purge', "must be 'deferred' or 'now'");
      const purgeNow = input.purge === 'now';
      const erasedAt = nowIso();
      const record: ErasureRecord = Object.freeze({ subject, erasedAt, actor: input.actor, reference: input.reference });
      let guarantee: 'backup-proof' | 'live-only' = 'live-only';
      keyCache.delete(subject);
      await retryOnConflict(() =>
        adapter.transaction(async (tx) => {
          const row = await tx.getSubject(subject, { forUpdate: true });
          if (row === undefined) throw new SubjectNotFoundError(subject);
          if (row.erasedAt !== null) throw new SubjectAlreadyErasedError(subject, row.erasedAt);
          if (input.expectedVersion !== undefined && row.version !== input.expectedVersion) throw new SubjectChangedError(subject);
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
      erasures.remember(subject, erasedAt);
      // Live-only: the database's wrapped key was all that protected the values, so copies of
      // it the engine keeps (a write-ahead log, free pages) are removed now.
      // The erasure has committed: a scrub that cannot run now (another connection holds the
      // log) does not undo it; the next checkpoint overwrites the frames.
      if (guarantee === 'live-only' && typeof adapter.scrub === 'function') await adapter.scrub().catch(() => undefined);
      return record;
    },

    async purgeErased(input = {}) {
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
            await tx.appendAudit({ at: nowIso(), action: 'erase.purge', actor, subject: job.id, decision: 'record', details: { history: n } });
            subjects++;
            rows += n;
          }),
        );
      }
      return Object.freeze({ subjects, rows, remaining: Math.max(0, pending.length - limit) });
    },

    async erasure(subject) {
      assertSubjectId(subject, 'subject');
      const row = await adapter.transaction((tx) => tx.getRecord(RECORD_KINDS.erasure, subject), { readOnly: true });
      return row === undefined ? undefined : parseDoc<ErasureRecord>(row);
    },

    async rotateKeys(input) {
      assertObject(input, 'input');
      assertText(input.actor, 'input.actor', 200);
      const target = kr.currentKeyId;
      let rewrapped = 0;
      let notUpgraded = 0;
      const failed: { subject: string; code: string }[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await retryOnConflict(() =>
          adapter.transaction(async (tx) => {
            const subjects = await tx.listSubjects({ ...(after !== undefined && { after }), limit: PAGE });
            let n = 0;
            const pageFailed: { subject: string; code: string }[] = [];
            for (const listed of subjects) {
              if (!needsRewrap(kr, listed)) continue;
              const row = await tx.getSubject(listed.id, { forUpdate: true });
              if (row === undefined || row.wrappedKey === null || !needsRewrap(kr, row)) continue;
              let wrappedKey: Uint8Array;
              let valueState: string | undefined;
              try {
                const bytes = await kr.unwrapKey(row.keyId, row.wrappedKey, row.id);
                // Values of an older release (format 1, no complete value state) are re-encrypted
                // with their versions bound in, under the same data key.
                const upgrade = await upgradeValues(tx, importDataKey(new Uint8Array(bytes)), row);
                if (upgrade.failed) notUpgraded++;
                valueState = upgrade.valueState;
                wrappedKey = await kr.wrapKey(target, bytes, row.id);
                bytes.fill(0);
              } catch (error) {
                // One unreadable subject (a missing KEK, a damaged key) must not stop the others;
                // it is reported, and its old KEK must stay until it is resolved.
                if (!(error instanceof PurposeBoundError)) throw error;
                pageFailed.push(Object.freeze({ subject: row.id, code: error.code }));
                continue;
              }
              await tx.updateSubject({ ...row, keyId: target, wrappedKey, version: row.version + 1, ...(valueState !== undefined && { valueState }) }, row.version);
              n++;
            }
            return { subjects, n, pageFailed };
          }),
        );
        rewrapped += page.n;
        failed.push(...page.pageFailed);
        if (page.subjects.length < PAGE) break;
        after = (page.subjects[page.subjects.length - 1] as SubjectRow).id;
      }
      keyCache.clear();
      await audit.append({
        at: nowIso(),
        action: 'keys.rotate',
        actor: input.actor,
        decision: 'record',
        details: { keyId: target, rewrapped, failed: failed.length, ...(notUpgraded > 0 && { valuesNotUpgraded: notUpgraded }) },
      });
      return Object.freeze({ rewrapped, failed: Object.freeze(failed) });
    },

    async close() {
      keyCache.clear();
      await adapter.close();
    },
  };
  return Object.freeze(vault);
}
