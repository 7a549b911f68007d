/**
 * The vault's public contract: encrypted, provenance-tracking storage of personal values on any
 * `StorageAdapter`, plus persistent consent, suspension, erasure and audit stores for the guard.
 *
 * @module
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { ErasureRegistry, Guard, OutsidePurposeOptions, ReadOptions } from '../guard/types.js';
import type { PurposeBoundError } from '../errors.js';
import type { PersonalField } from '../personal-field.js';
import type { AnyPolicy, Policy, PurposeIdOf } from '../policy/define-policy.js';
import type { ProvenanceSource } from '../policy/spec.js';
import type { AllowedPurposes, CollectionPointsSpec, FieldInput, FieldsSpec, FieldValue, PurposesSpec } from '../policy/types.js';
import type { ConsentRegistry } from '../state/consent.js';
import type { SuspensionRegistry } from '../state/suspension.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { Keyring } from '../crypto/keyring.js';
import type { DataKeyCacheOptions } from './data-key-cache.js';
import type { VaultRecords } from './records.js';
import type { VaultRetention } from './retention.js';

/*
 * The spec records of a policy type. Inferred against `any` on purpose: a `Policy` of a
 * concrete spec is not assignable to `Policy<PurposesSpec, …>` (its methods are invariant in
 * the spec), so inferring against the wide spec types would give `never`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Fields<Pol> = Pol extends Policy<any, infer F, any, any> ? (F extends FieldsSpec ? F : never) : never;
type Purposes<Pol> = Pol extends Policy<infer P, any, any, any> ? (P extends PurposesSpec ? P : never) : never;
type CollectionPoints<Pol> = Pol extends Policy<any, any, infer C, any> ? (C extends CollectionPointsSpec ? C : never) : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * A handle on a field of a vault's policy (`vault.field()`): a `PersonalField` that holds no
 * value; only the vault's guard reads it, deciding against the stored state at that moment.
 *
 * @example
 * ```ts
 * const email: VaultField<typeof policy, 'email'> = vault.field(subject, 'email');
 * ```
 */
export type VaultField<Pol, K extends keyof Fields<Pol> & string> = PersonalField<FieldValue<Fields<Pol>, K>, ReadPurpose<Pol, K>, K>;

/**
 * A purpose a field `K` of the vault's policy may be read for, as the union of its ids (the
 * distributive conditional makes editors show `'contact' | 'inquiry'`, not the policy's spec).
 */
type ReadPurpose<Pol, K extends keyof Fields<Pol> & string> = Resolved<AllowedPurposes<Purposes<Pol>, Fields<Pol>, K>>;
type Resolved<P> = P extends string ? P : never;
/** The purposes EVERY field of `K` may be read for (the intersection over a union of fields). */
type ReadPurposeOfAll<Pol, K extends keyof Fields<Pol> & string> = Resolved<
  { [F in K]: (purpose: ReadPurpose<Pol, F>) => void }[K] extends (purpose: infer I) => void ? I & string : never
>;

/**
 * One subject's result of `vault.readMany`: its values, or why its read was denied.
 *
 * @example
 * ```ts
 * const [first] = await vault.readMany([subject], ['email'], { purpose: 'contact', actor: 'staff:7' });
 * const email = first?.ok ? first.values.email : undefined;
 * ```
 */
export type ReadManyResult<Values> =
  | { readonly subject: string; readonly ok: true; readonly values: Values }
  | { readonly subject: string; readonly ok: false; readonly error: PurposeBoundError };

/**
 * Where a stored value came from and how current it is (POLICY-MAP §4, §6). Never the value.
 *
 * @example
 * ```ts
 * const p: Provenance = {
 *   collectionPoint: 'courseApplication', collectedAt: '2026-11-24T10:00:00.000Z',
 *   noticeVersion: '2020-09', source: 'subject', verifiedAt: '2026-11-24T10:00:00.000Z',
 * };
 * ```
 */
export interface Provenance {
  readonly collectionPoint: string;
  readonly collectedAt: string;
  /** The notice version the person was shown at collection. */
  readonly noticeVersion: string;
  readonly source: ProvenanceSource;
  /** When the value was last confirmed accurate (§6). */
  readonly verifiedAt: string;
  /** Last change (correction/addition), if any. */
  readonly updatedAt?: string;
}

/**
 * Input of `vault.collect`.
 *
 * @example
 * ```ts
 * const input: CollectInput<typeof policy> = {
 *   collectionPoint: 'inquiry', actor: 'web', values: { name: '山田花子', email: 'hana@example.jp' },
 * };
 * ```
 */
export interface CollectInput<Pol extends AnyPolicy> {
  /**
   * Subject to add values to. When no subject with this id exists yet, one is created with it
   * (use your own user ids); omitted = a new subject with a generated id.
   */
  readonly subject?: string;
  readonly collectionPoint: keyof CollectionPoints<Pol> & string;
  /** Values by field id; only fields this collection point collects. */
  readonly values: { readonly [K in keyof Fields<Pol> & string]?: FieldInput<Fields<Pol>, K> };
  /** Notice version shown to the person; default the policy version. */
  readonly noticeVersion?: string;
  /** Default: the collection point's `source`, else `subject`. */
  readonly source?: ProvenanceSource;
  /** Who records the data (a service or staff id). */
  readonly actor: string;
  /**
   * The person consented on this form. A grant is recorded, in the same transaction (and
   * audited), for each announced purpose whose basis is `consent`, and for the purposes served
   * by special-care fields collected (APPI Art. 20(2), which needs it unless a consent is already
   * in force); purposes resting on another basis get none (`consentPurposesOf`).
   */
  readonly consent?: { readonly method?: string };
}

/**
 * Input of `vault.correct` (correction / addition, APPI Art. 34) and `vault.deleteValue`.
 *
 * @example
 * ```ts
 * const change: ChangeInput = { actor: 'dpo', reason: 'the person reported a typo', requestId: 'req-17' };
 * ```
 */
export interface ChangeInput {
  readonly actor: string;
  /** Why: free text describing the request, never the value. */
  readonly reason: string;
  /** Data-subject request id, when the change answers one. */
  readonly requestId?: string;
}

/**
 * One entry of a value's history (old values stay encrypted; read them through `vault.historyValue`).
 *
 * @example
 * ```ts
 * const [first]: readonly HistoryEntry[] = await vault.history(subject);
 * first?.change; // 'correction'
 * ```
 */
export interface HistoryEntry {
  readonly id: string;
  readonly field: string;
  readonly change: 'correction' | 'addition' | 'deletion';
  readonly changedAt: string;
  readonly actor: string;
  readonly reason: string;
  readonly requestId?: string;
  /** Provenance of the value that was replaced or deleted. */
  readonly previous?: Provenance;
}

/**
 * Tombstone kept after erasure: the fact stays, the values do not.
 *
 * @example
 * ```ts
 * const record: ErasureRecord = await vault.erase(subject, { actor: 'dpo', reference: 'req-17' });
 * ```
 */
export interface ErasureRecord {
  readonly subject: string;
  readonly erasedAt: string;
  readonly actor: string;
  readonly reference: string;
}

/**
 * Options of `createVault`.
 *
 * @example
 * ```ts
 * const options: VaultOptions<typeof policy> = { policy, adapter: memoryAdapter(), keyring: localKeyringFromEnv() };
 * ```
 */
export interface VaultOptions<Pol extends AnyPolicy> {
  readonly policy: Pol;
  /** Any adapter: memory, PGlite, SQLite, PostgreSQL, or your own. `createVault` opens it. */
  readonly adapter: StorageAdapter;
  readonly keyring: Keyring;
  readonly clock?: () => Date;
  /**
   * Reuse unwrapped subject data keys for a short while instead of unwrapping on every read
   * (an HKDF and an AES-GCM decryption each). A cached key is used only while the subject's row
   * still holds the very wrapped key it was cached for, so an erasure or key rotation committed
   * by any process takes effect at once; this vault's own erasures evict it. Default
   * `{ maxEntries: 10_000, maxAgeMs: 60_000 }`; `false` unwraps on every operation (data keys
   * then never outlive the operation in memory). See docs/adapters.md, "Data-key cache".
   */
  readonly dataKeyCache?: DataKeyCacheOptions | false;
}

/**
 * Encrypted storage of a policy's personal values.
 *
 * @example
 * ```ts
 * const vault = await createVault({ policy, adapter: pgliteAdapter(), keyring });
 * const { subject } = await vault.collect({
 *   collectionPoint: 'courseApplication', actor: 'web',
 *   values: { name: '山田花子', email: 'hana@example.jp' },
 * });
 * const email = await vault.read(subject, 'email', { purpose: 'contact', actor: 'staff:7' });
 * ```
 */
export interface Vault<Pol extends AnyPolicy> {
  readonly policy: Pol;
  readonly adapter: StorageAdapter;
  /** Persistent stores for `createGuard`. */
  readonly audit: AuditLog;
  readonly consents: ConsentRegistry;
  readonly suspensions: SuspensionRegistry;
  readonly erasures: ErasureRegistry;
  /** The records of the features built on the vault (requests, provision records, ...), with their audit entries. */
  readonly records: VaultRecords;
  /**
   * What a retention job needs: stored metadata page by page (no values, nothing decrypted),
   * and the destruction of values and earlier values of one subject at the version the job
   * judged, under its lock, audited (`sweepRetention` is built on it).
   */
  readonly retention: VaultRetention;
  /** A guard over this vault's policy and stores. */
  guard(): Guard<Pol>;

  /** Validate every value first, then encrypt and store them all in one transaction (audited). */
  collect(input: CollectInput<Pol>): Promise<{ readonly subject: string }>;
  /**
   * Read one value for a purpose: ONE statement fetches the encrypted value and the subject's
   * state (erasure, suspensions, consents), the decision is made, audited, and only an allowed
   * value is decrypted and returned. A purpose the field does not allow is a compile error
   * where the types know, and a denial (audited) always.
   *
   * @throws PurposeNotAllowedError, UseSuspendedError, ConsentRequiredError, SubjectErasedError,
   *   SubjectNotFoundError, ValueNotFoundError, UnknownPurposeError, InvalidArgumentError,
   *   AuditWriteError
   * @example
   * ```ts
   * const email = await vault.read(subject, 'email', { purpose: 'contact', actor: 'staff:7' });
   * ```
   */
  read<K extends keyof Fields<Pol> & string>(subject: string, field: K, options: ReadOptions<ReadPurpose<Pol, K>>): Promise<FieldValue<Fields<Pol>, K>>;
  /**
   * Use one value outside its purposes: with the person's consent in force for that purpose,
   * or under a legal exception of the policy with a reference (which overrides a suspension).
   * Decided, audited and decrypted like `read`.
   *
   * @example
   * ```ts
   * const name = await vault.readOutsidePurpose(subject, 'name', {
   *   purpose: 'legalCompliance', actor: 'dpo', basis: { exception: 'law', reference: 'Court order 2026 (ワ) 1234' },
   * });
   * ```
   */
  readOutsidePurpose<K extends keyof Fields<Pol> & string>(subject: string, field: K, options: OutsidePurposeOptions<PurposeIdOf<Pol>>): Promise<FieldValue<Fields<Pol>, K>>;
  /**
   * Read some fields of many subjects (a list page, an export) for one purpose and actor: ONE
   * statement for the values and states of the whole batch (at most 1,000 subjects), one audit
   * batch, one decision per subject and field. Results follow the order of `subjects`; a
   * subject any of whose fields is denied is `{ ok: false, error }` and none of its values is
   * decrypted. A field the subject has no value for is left out. With `basis` in the options
   * the reads are outside the purposes, as in `readOutsidePurpose`.
   *
   * @example
   * ```ts
   * const page = await vault.readMany(ids, ['name', 'email'], { purpose: 'contact', actor: 'staff:7' });
   * for (const row of page) console.log(row.subject, row.ok ? row.values.name : row.error.code);
   * ```
   */
  readMany<K extends keyof Fields<Pol> & string>(
    subjects: readonly string[],
    fields: readonly K[],
    options: ReadOptions<ReadPurposeOfAll<Pol, K>> | OutsidePurposeOptions<PurposeIdOf<Pol>>,
  ): Promise<readonly ReadManyResult<{ readonly [F in K]?: FieldValue<Fields<Pol>, F> }>[]>;
  /**
   * Every stored value of a subject that `options.purpose` may read (fields that do not allow
   * it are left out), decided and audited per field like `read`.
   *
   * @example
   * ```ts
   * const profile = await vault.readAll(subject, { purpose: 'eventApplication', actor: 'web' });
   * ```
   */
  readAll(subject: string, options: ReadOptions<PurposeIdOf<Pol>>): Promise<{ readonly [K in keyof Fields<Pol> & string]?: FieldValue<Fields<Pol>, K> }>;
  /**
   * A handle on one field of one subject, to pass to code that reads it later through
   * `vault.guard().read(handle, options)`: it holds no value (nothing is read or decrypted until
   * the guard allows a read) and only this vault's guard accepts it. No I/O.
   *
   * @example
   * ```ts
   * const email = vault.field(subject, 'email');
   * `${email}`; // '[personal:email]'
   * await vault.guard().read(email, { purpose: 'contact', actor: 'staff:7' });
   * ```
   */
  field<K extends keyof Fields<Pol> & string>(subject: string, field: K): PersonalField<FieldValue<Fields<Pol>, K>, ReadPurpose<Pol, K>, K>;
  /** Provenance of each stored field (no values). */
  provenance(subject: string): Promise<Readonly<Record<string, Provenance>>>;
  /** Does the subject exist (erased subjects exist, as tombstones)? */
  exists(subject: string): Promise<boolean>;
  /** Correct or add a value; keeps the old one encrypted in the history (audited). */
  correct<K extends keyof Fields<Pol> & string>(subject: string, field: K, value: FieldInput<Fields<Pol>, K>, change: ChangeInput): Promise<void>;
  /**
   * Correct or add several values of one subject in one transaction: all are validated first,
   * then all change together (each old value kept in the history, each change audited) or none.
   *
   * @example
   * ```ts
   * await vault.correctMany(subject, { address: '京都府京都市左京区2-2', phone: '075-111-3333' }, { actor: 'staff:sato', reason: 'moved house' });
   * ```
   */
  correctMany(subject: string, values: { readonly [K in keyof Fields<Pol> & string]?: FieldInput<Fields<Pol>, K> }, change: ChangeInput): Promise<void>;
  /** Delete one value; kept encrypted in the history until erasure or retention destroys it (audited). */
  deleteValue(subject: string, field: keyof Fields<Pol> & string, change: ChangeInput): Promise<void>;
  /** Change history of a subject (no values). */
  history(subject: string): Promise<readonly HistoryEntry[]>;
  /**
   * The earlier value a history entry kept (a corrected or deleted value), read like the field
   * it was a value of: decided for `options.purpose` (with the purposes it was bound to) and
   * audited (with the history entry's id), then decrypted.
   *
   * @example
   * ```ts
   * const [entry] = await vault.history(subject);
   * const earlier = await vault.historyValue(subject, entry!.id, { purpose: 'contact', actor: 'dpo' });
   * ```
   */
  historyValue(subject: string, historyId: string, options: ReadOptions<PurposeIdOf<Pol>>): Promise<unknown>;
  /** Mark a value as confirmed accurate now (§6). */
  verify(subject: string, field: keyof Fields<Pol> & string, actor: string): Promise<void>;
  /** Values not verified since `before` (§6 stale-value report). */
  staleValues(before: Date): Promise<readonly { readonly subject: string; readonly field: string; readonly verifiedAt: string }[]>;
  /** Subjects whose `lookup` field equals `value`, through the keyed blind index. */
  findByLookup(field: keyof Fields<Pol> & string, value: unknown): Promise<readonly string[]>;
  /**
   * Crypto-shred a subject: destroy its data key and values, keep a tombstone (audited).
   * `expectedVersion`: erase only if the subject row is still at this version (a caller that
   * decided to erase from what it read, e.g. the retention sweep); otherwise
   * `SubjectChangedError` and nothing changes. `unlessHeldBy`: erase only if the subject holds
   * no record of these kinds (e.g. `['request-open']`, an open data-subject request), checked
   * under the subject's lock in the erasure's transaction; otherwise `SubjectHeldError` and
   * nothing changes.
   */
  erase(
    subject: string,
    input: {
      readonly actor: string;
      readonly reference: string;
      readonly expectedVersion?: number;
      /**
       * `deferred` (default): the subject's earlier values kept in the history, unreadable from
       * the erasure on, are deleted later by {@link Vault.purgeErased} (the retention sweep runs
       * it), so erasing costs the same whatever the history holds. `now`: delete them in the
       * erasing transaction.
       */
      readonly purge?: 'deferred' | 'now';
      /** Record kinds that hold the subject: any such record for it and nothing is erased (`SubjectHeldError`). */
      readonly unlessHeldBy?: readonly string[];
    },
  ): Promise<ErasureRecord>;
  /**
   * Delete the history ciphertexts of erased subjects (unreadable since their erasure), up to
   * `limit` subjects per call (default 100), each in its own transaction, audited. Safe to run
   * repeatedly and concurrently. `sweepRetention` runs it.
   *
   * @example
   * ```ts
   * const { subjects, rows, remaining } = await vault.purgeErased({ limit: 500 });
   * ```
   */
  purgeErased(input?: { readonly limit?: number; readonly actor?: string }): Promise<{ readonly subjects: number; readonly rows: number; readonly remaining: number }>;
  /** The tombstone of an erased subject, `undefined` when it was not erased. */
  erasure(subject: string): Promise<ErasureRecord | undefined>;
  /**
   * Re-wrap every data key with the keyring's current KEK, without re-encrypting values.
   * Subjects whose key cannot be unwrapped (a KEK missing from the keyring, a damaged wrapped
   * key) are skipped and listed in `failed` (additive extension): remove an old KEK from the
   * keyring only when a rotation reports none.
   */
  rotateKeys(input: { readonly actor: string }): Promise<{ readonly rewrapped: number; readonly failed: readonly { readonly subject: string; readonly code: string }[] }>;
  /** Close the adapter. */
  close(): Promise<void>;
}
