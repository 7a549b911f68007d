/**
 * What every part of the conformance suite shares: the options, the part names, the suite's
 * fixed test keys, value generators and the per-run context (fresh adapters, vaults, rows).
 *
 * @module
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Keyring } from '../../crypto/keyring.js';
import type { SubjectSecretStore } from '../../crypto/subject-secrets.js';
import { createLocalKeyring } from '../../crypto/local-keyring.js';
import type { StorageAdapter, StorageTransaction, SubjectRow, ValueRow } from '../../storage/adapter.js';
import { createVault } from '../../vault/create-vault.js';
import type { Vault } from '../../vault/types.js';
import { conformancePolicy } from '../conformance-policy.js';

/**
 * The named parts of the suite; each can be skipped with a reason.
 *
 * @example
 * ```ts
 * CONFORMANCE_PARTS.includes('tamper'); // true
 * ```
 */
export const CONFORMANCE_PARTS = [
  'lifecycle',
  'migrations',
  'subjects',
  'values',
  'history',
  'records',
  'field-types',
  'atomicity',
  'concurrency',
  'consents',
  'suspensions',
  'audit',
  'lookups',
  'erasure',
  'key-rotation',
  'tamper',
  'plaintext',
  'fast-paths',
  'arguments',
] as const;

/**
 * One named part of the conformance suite.
 *
 * @example
 * ```ts
 * const part: ConformancePart = 'concurrency';
 * ```
 */
export type ConformancePart = (typeof CONFORMANCE_PARTS)[number];

/**
 * Options of {@link runAdapterConformance}.
 *
 * @example
 * ```ts
 * const options: AdapterConformanceOptions = {
 *   name: 'memory',
 *   createAdapter: async () => memoryAdapter(),
 *   rawDump: async (adapter) => (adapter as MemoryAdapter).rawContents(),
 * };
 * ```
 */
export interface AdapterConformanceOptions {
  /** Shown in the test names, e.g. `sqlite`. */
  readonly name: string;
  /** A new adapter, not yet opened. Adapters may share one database (see the module docs). */
  readonly createAdapter: () => Promise<StorageAdapter>;
  /** The raw contents of the database behind `adapter` (file bytes, a dump of every table). */
  readonly rawDump: (adapter: StorageAdapter) => Promise<string | Uint8Array>;
  /**
   * A second connection to the database of `adapter`. Needed by the `concurrency` part (and by
   * the isolation tests of `atomicity`): without it, and without `skip.concurrency` giving the
   * reason, the suite reports a failing test saying so, instead of testing concurrency on one
   * connection and passing.
   */
  readonly concurrent?: (adapter: StorageAdapter) => Promise<StorageAdapter>;
  /** A new adapter over the data of `adapter` after the suite closed it (persistence). */
  readonly reopen?: (adapter: StorageAdapter) => Promise<StorageAdapter>;
  /** Parts not to run, each with the reason, which is printed in the test name. */
  readonly skip?: Readonly<Partial<Record<ConformancePart, string>>>;
}
/** The policy every vault of the suite runs on. */
export type Pol = typeof conformancePolicy;

/** Fixed test keys: the suite's data stays readable across runs on a persistent database. */
export const KEK_1 = createHash('sha256').update('purpose-bound conformance kek-1').digest();
export const KEK_2 = createHash('sha256').update('purpose-bound conformance kek-2').digest();
export const INDEX_KEY = createHash('sha256').update('purpose-bound conformance index key').digest();

/** The suite's secret key of its subject-secret store (see {@link SUITE_SECRETS}). */
const SECRETS_KEY = createHash('sha256').update('purpose-bound conformance subject secrets').digest();
const destroyedSecrets = new Set<string>();

/**
 * The subject-secret store of the suite's keyring, so the suite runs in the recommended
 * backup-proof configuration: each subject's secret is an HMAC of its id under a fixed test key
 * (so the data of earlier runs on a persistent database stays readable), and `destroy` forgets
 * it for the rest of the process. Deterministic secrets defeat the purpose of the store: never
 * do this outside a test.
 */
export const SUITE_SECRETS: SubjectSecretStore = Object.freeze({
  persistent: true,
  get: (subject: string) => (destroyedSecrets.has(subject) ? undefined : new Uint8Array(createHmac('sha256', SECRETS_KEY).update(subject).digest())),
  obtain: (subject: string) => new Uint8Array(createHmac('sha256', SECRETS_KEY).update(subject).digest()),
  destroy: (subject: string) => {
    destroyedSecrets.add(subject);
  },
});

/** The keyring of every part but key rotation: both KEKs, `kek-1` current, backup-proof. */
export function suiteKeyring(): Keyring {
  return createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-1', indexKey: INDEX_KEY, subjectSecrets: SUITE_SECRETS });
}

/** A keyring of an older set-up: the same KEKs, no subject-secret store (data keys wrapped by the KEK alone). */
export function kekOnlyKeyring(current: 'kek-1' | 'kek-2' = 'kek-1'): Keyring {
  return createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current, indexKey: INDEX_KEY });
}

export function uid(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A set of distinctive values of every type, so a plaintext copy can be found in a dump. */
export function distinctiveValues() {
  const tag = randomBytes(5).toString('hex');
  const digits = String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000));
  return {
    text: `Zebra ${tag} 山田花子 🦊 Ünïcødé`,
    email: `pb.${tag}@example.jp`,
    birthDate: `19${30 + Math.floor(Math.random() * 60)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
    when: new Date(Date.UTC(1971, 0, 1) + Math.floor(Math.random() * 1e12)),
    count: Number(digits) + 0.5,
    flag: true,
    profile: { city: `Sapporo-${tag}`, street: `北${tag}条西`, floor: 7 },
    tags: [`alpha-${tag}`, `ベータ-${tag}`],
    notes: { [`k-${tag}`]: `note-${tag}` },
  };
}

export type Values = ReturnType<typeof distinctiveValues>;

/** The strings a dump must not contain for a set of values. */
export function searchTerms(v: Values): string[] {
  return [
    v.text,
    '山田花子',
    v.email,
    v.birthDate,
    v.when.toISOString(),
    String(v.count),
    v.profile.city,
    v.profile.street,
    ...v.tags,
    ...Object.keys(v.notes),
    ...Object.values(v.notes),
  ];
}

/** Close, ignoring errors: cleanup must not hide the failure being reported. */
export async function quietClose(adapter: StorageAdapter | undefined): Promise<void> {
  try {
    await adapter?.close();
  } catch {
    // already closed or unreachable: nothing to clean up
  }
}

/** An adapter whose `putValue` throws on the `failAt`-th call (1-based), to fail a write mid-way. */
export function failingPutValue(adapter: StorageAdapter, failAt: number): StorageAdapter {
  return failingOn(adapter, 'putValue', failAt);
}

/**
 * An adapter whose transaction method `method` throws on its `failAt`-th call (1-based), AFTER
 * the call went through to the adapter (so the write happened and must be rolled back). No
 * fast paths: every write goes through a transaction.
 */
export function failingOn(adapter: StorageAdapter, method: keyof StorageTransaction, failAt: number): StorageAdapter {
  let calls = 0;
  const wrapTx = (tx: StorageTransaction): StorageTransaction =>
    new Proxy(tx, {
      get(target, prop) {
        const v: unknown = Reflect.get(target, prop);
        if (prop === method && typeof v === 'function') {
          return async (...args: unknown[]) => {
            const result: unknown = await (v as (...a: unknown[]) => unknown).apply(target, args);
            calls++;
            if (calls === failAt) throw new Error(`injected failure in ${String(method)}`);
            return result;
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  return {
    kind: adapter.kind,
    location: adapter.location,
    capabilities: adapter.capabilities,
    open: () => adapter.open(),
    close: () => adapter.close(),
    schemaVersion: () => adapter.schemaVersion(),
    transaction: (fn, options) => adapter.transaction((tx) => fn(wrapTx(tx)), options),
  };
}

export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

export function toBuffer(dump: string | Uint8Array): Buffer {
  return typeof dump === 'string' ? Buffer.from(dump, 'utf8') : Buffer.from(dump.buffer, dump.byteOffset, dump.byteLength);
}

/** @internal what a part receives: the options and the helpers bound to them. */
export interface SuiteContext {
  readonly options: AdapterConformanceOptions;
  /** Run `fn` with a fresh, opened adapter; every adapter it opened (`track`) is closed afterwards. */
  withAdapter<T>(fn: (adapter: StorageAdapter, track: (a: StorageAdapter) => StorageAdapter) => Promise<T>): Promise<T>;
  /** A vault on `adapter` with the suite's keyring (or `keyring`). */
  vaultOn(adapter: StorageAdapter, keyring?: Keyring): Promise<Vault<Pol>>;
  /** A subject row with a fresh id and a real wrapped key (so key rotation can re-wrap it). */
  subjectRow(id?: string): SubjectRow;
  /** A value row of random ciphertext. */
  valueRow(subjectId: string, field: string, over?: Partial<ValueRow>): ValueRow;
}

/** @internal the context of one `runAdapterConformance` call. */
export function suiteContext(options: AdapterConformanceOptions): SuiteContext {
  async function withAdapter<T>(fn: (adapter: StorageAdapter, track: (a: StorageAdapter) => StorageAdapter) => Promise<T>): Promise<T> {
    const opened: StorageAdapter[] = [];
    const track = (a: StorageAdapter): StorageAdapter => {
      opened.push(a);
      return a;
    };
    const adapter = track(await options.createAdapter());
    await adapter.open();
    try {
      return await fn(adapter, track);
    } finally {
      for (const a of opened.reverse()) await quietClose(a);
    }
  }

  async function vaultOn(adapter: StorageAdapter, keyring: Keyring = suiteKeyring()): Promise<Vault<Pol>> {
    return createVault({ policy: conformancePolicy, adapter, keyring });
  }

  // Synchronous wrapping (no secret store): the adapter-level parts build rows without awaiting.
  const rowKeyring = kekOnlyKeyring();
  function subjectRow(id = uid('s')): SubjectRow {
    const wrappedKey = rowKeyring.wrapKey('kek-1', new Uint8Array(randomBytes(32)), id) as Uint8Array;
    return { id, keyId: 'kek-1', wrappedKey, createdAt: new Date().toISOString(), erasedAt: null, erasureRef: null, version: 1 };
  }

  function valueRow(subjectId: string, field: string, over: Partial<ValueRow> = {}): ValueRow {
    return { subjectId, field, ciphertext: new Uint8Array(randomBytes(40)), lookup: null, meta: '{"m":1}', updatedAt: new Date().toISOString(), version: 1, ...over };
  }

  return { options, withAdapter, vaultOn, subjectRow, valueRow };
}
