/**
 * `createVault`: encrypted, provenance-tracking storage of a policy's personal values on any
 * `StorageAdapter`, and the only way to read them: every read is decided against the subject's
 * stored state, audited, and decrypted only when allowed.
 *
 * Every value is encrypted with the subject's own data key (AES-256-GCM, associated data binding
 * subject and field) before it reaches the adapter; the data key is stored only wrapped by a
 * key-encryption key of the `Keyring`. Each operation unwraps the subject's data key at most
 * once; a bounded, short-lived cache (`dataKeyCache`) spares the unwrap for a subject used again
 * while its row still holds the same wrapped key. Erasure destroys the wrapped key
 * (crypto-shredding).
 *
 * This file assembles the vault from its parts: `context.ts` (what they share), `collect.ts`,
 * `read-values.ts`, `corrections.ts`, `erasure.ts`, `key-rotation.ts`, `records.ts`,
 * `retention.ts` and `stores.ts`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { createIssuingGuard } from '../guard/guard.js';
import { outsideReadRequest, readRequest } from '../guard/input-checks.js';
import type { Guard } from '../guard/types.js';
import { isPolicy, type AnyPolicy } from '../policy/define-policy.js';
import { collect } from './collect.js';
import { assertObject, type VaultContext } from './context.js';
import { correct, correctMany, deleteValue, exists, findByLookup, history, provenance, staleValues, verify } from './corrections.js';
import { createDataKeyCache } from './data-key-cache.js';
import { erase, erasure, purgeErased } from './erasure.js';
import { vaultRecords } from './records.js';
import { vaultRetention } from './retention.js';
import { rotateKeys } from './key-rotation.js';
import { issueField, readAll, readForDisclosure, readHistoryValue, readMany, readOne } from './read-values.js';
import { adapterAuditLog, adapterConsentRegistry, adapterErasureRegistry, adapterSuspensionRegistry } from './stores.js';
import type { Vault, VaultOptions } from './types.js';

/** The context of each vault, for the library's own features (never exported from the root). */
const contexts = new WeakMap<object, VaultContext>();

/**
 * @internal the values of a subject for its own verified disclosure request (the request desk
 * only): see `readForDisclosure`.
 */
export function disclosureValues(vault: Vault<AnyPolicy>, subject: string, input: { readonly actor: string; readonly basis: string; readonly reference: string }) {
  const ctx = contexts.get(vault);
  if (ctx === undefined) throw new InvalidArgumentError('vault', 'must be a vault made by createVault()');
  return readForDisclosure(ctx, subject, input);
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
 * const email = await vault.read(subject, 'email', { purpose: 'inquiryResponse', actor: 'staff:7' });
 * ```
 */
export async function createVault<Pol extends AnyPolicy>(options: VaultOptions<Pol>): Promise<Vault<Pol>> {
  assertObject(options, 'options');
  const { policy, adapter, keyring } = options;
  if (!isPolicy(policy)) throw new InvalidArgumentError('options.policy', 'must be a policy made by definePolicy()');
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.transaction !== 'function' || typeof adapter.open !== 'function') {
    throw new InvalidArgumentError('options.adapter', 'must be a StorageAdapter');
  }
  if (
    typeof keyring !== 'object' ||
    keyring === null ||
    typeof keyring.wrapKey !== 'function' ||
    typeof keyring.unwrapKey !== 'function' ||
    typeof keyring.blindIndex !== 'function'
  ) {
    throw new InvalidArgumentError('options.keyring', 'must be a Keyring (createLocalKeyring(), localKeyringFromEnv(), or your KMS keyring)');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new InvalidArgumentError('options.clock', 'must be a function returning a Date');
  const clock = options.clock ?? (() => new Date());
  const keyCache = createDataKeyCache(options.dataKeyCache, () => clock().getTime());
  await adapter.open();

  const ctx: VaultContext = Object.freeze({
    policy,
    adapter,
    keyring,
    clock,
    keyCache,
    audit: adapterAuditLog(adapter),
    consents: adapterConsentRegistry(adapter),
    suspensions: adapterSuspensionRegistry(adapter),
    erasures: adapterErasureRegistry(adapter),
    // This vault's identity: private, compared by reference. Its fields carry it.
    issuer: Object.freeze({ vault: policy.id }),
  });
  let guard: Guard<Pol> | undefined;

  const vault: Vault<Pol> = {
    policy,
    adapter,
    audit: ctx.audit,
    consents: ctx.consents,
    suspensions: ctx.suspensions,
    erasures: ctx.erasures,
    records: vaultRecords(ctx),
    retention: vaultRetention(ctx),

    guard() {
      guard ??= createIssuingGuard(
        { policy, audit: ctx.audit, consents: ctx.consents, suspensions: ctx.suspensions, erasures: ctx.erasures, clock },
        { issuer: ctx.issuer, read: (seal, request) => readOne(ctx, seal.subject, seal.field, request) },
      );
      return guard;
    },

    collect: (input) => collect(ctx, input),
    async read(subject, field, options) {
      if (options === undefined) {
        throw new InvalidArgumentError('options', 'must be { purpose, actor }: vault.read decides and audits the read (vault.field(subject, field) gives a handle for later)');
      }
      return readOne(ctx, subject, field, readRequest(options)) as never;
    },
    readOutsidePurpose: async (subject, field, options) => readOne(ctx, subject, field, outsideReadRequest(options)) as never,
    readMany: async (subjects, fields, options) => {
      const request = typeof options === 'object' && options !== null && 'basis' in options ? outsideReadRequest(options) : readRequest(options);
      return Object.freeze(await readMany(ctx, subjects, fields, request)) as never;
    },
    readAll: async (subject, options) => readAll(ctx, subject, readRequest(options)) as never,
    field: (subject, field) => issueField(ctx, subject, field) as never,
    provenance: (subject) => provenance(ctx, subject),
    exists: (subject) => exists(ctx, subject),
    correct: (subject, field, value, change) => correct(ctx, subject, field, value, change),
    correctMany: (subject, values, change) => correctMany(ctx, subject, values, change),
    deleteValue: (subject, field, change) => deleteValue(ctx, subject, field, change),
    history: (subject) => history(ctx, subject),
    historyValue: async (subject, historyId, options) => readHistoryValue(ctx, subject, historyId, readRequest(options)),
    verify: (subject, field, actor) => verify(ctx, subject, field, actor),
    staleValues: (before) => staleValues(ctx, before),
    findByLookup: (field, value) => findByLookup(ctx, field, value),
    erase: (subject, input) => erase(ctx, subject, input),
    purgeErased: (input) => purgeErased(ctx, input),
    erasure: (subject) => erasure(ctx, subject),
    rotateKeys: (input) => rotateKeys(ctx, input),

    async close() {
      keyCache.clear();
      await adapter.close();
    },
  };
  Object.freeze(vault);
  contexts.set(vault, ctx);
  return vault;
}
