/**
 * The vault's context: what every group of vault operations (collect, reads, corrections,
 * erasure, key rotation) shares. Built once by `createVault`; each operation file takes it as
 * its first argument and reaches storage only through it.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import { decryptValue, encryptValue, importDataKey, openStoredValue, type DataKey } from '../crypto/value-cipher.js';
import { valueVersions, type ValueState, type ValueVersions } from '../crypto/value-state.js';
import { InvalidArgumentError, SubjectErasedError, SubjectNotFoundError, UnknownFieldError } from '../errors.js';
import type { ErasureRegistry } from '../guard/types.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ConsentRegistry } from '../state/consent.js';
import type { SuspensionRegistry } from '../state/suspension.js';
import type { StorageAdapter, StorageTransaction, SubjectRow, SubjectState, SubjectStateQuery, ValueRow } from '../storage/adapter.js';
import { subjectStatesThrough } from '../storage/subject-states.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { assertStoredText } from '../util/stored-text.js';
import type { DataKeyCache } from './data-key-cache.js';
import type { ChangeInput } from './types.js';
import { normalizeLookup } from './value-meta.js';

/** @internal the vault's audit log, with the batch append its batch reads use. */
export interface VaultAuditLog extends AuditLog {
  /** Append several entries at once (one write where the adapter batches), in order. */
  appendMany(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]>;
}

/** @internal what the vault's operations share. */
export interface VaultContext {
  readonly policy: AnyPolicy;
  readonly adapter: StorageAdapter;
  readonly keyring: Keyring;
  readonly clock: () => Date;
  readonly keyCache: DataKeyCache;
  readonly audit: VaultAuditLog;
  readonly consents: ConsentRegistry;
  readonly suspensions: SuspensionRegistry;
  readonly erasures: ErasureRegistry & { remember(subject: string, at: string): void };
  /** The vault's identity: its fields carry it, and only its guard reads them. */
  readonly issuer: object;
}

/** Longest free text the vault stores beside a change (a reason, a reference). */
export const TEXT_MAX = 500;

/** @internal a stored text argument: non-empty, at most `max` characters, no NUL or lone surrogate. */
export function assertText(value: unknown, argument: string, max = TEXT_MAX): asserts value is string {
  assertStoredText(value, argument, max);
}

/** @internal an object argument. */
export function assertObject(value: unknown, argument: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(argument, 'must be an object');
}

/** @internal who changes a value and why. */
export function assertChange(change: unknown): asserts change is ChangeInput {
  assertObject(change, 'change');
  assertText(change['actor'], 'change.actor', 200);
  assertText(change['reason'], 'change.reason');
  if (change['requestId'] !== undefined) assertText(change['requestId'], 'change.requestId', 200);
}

/** @internal the spec of a field of the policy (`UnknownFieldError` otherwise). */
export function fieldSpec(ctx: VaultContext, field: unknown, argument = 'field') {
  if (typeof field !== 'string' || !ctx.policy.hasField(field)) {
    if (typeof field !== 'string') throw new InvalidArgumentError(argument, 'must be a field id');
    throw new UnknownFieldError(field, ctx.policy.id);
  }
  return ctx.policy.field(field);
}

/** @internal the live (existing, not erased) subject row, or the error that says why not. */
export function liveSubject(subject: string, row: SubjectRow | undefined): SubjectRow {
  if (row === undefined) throw new SubjectNotFoundError(subject);
  if (row.erasedAt !== null || row.wrappedKey === null) throw new SubjectErasedError(subject, row.erasedAt ?? undefined);
  return row;
}

/**
 * @internal the subject's data key: from the cache when it was cached for exactly the wrapped
 * key this row holds (see data-key-cache.ts), else unwrapped by the keyring (and cached).
 */
export function dataKeyOf(ctx: VaultContext, row: SubjectRow): DataKey | Promise<DataKey> {
  const wrapped = row.wrappedKey;
  if (wrapped === null) throw new SubjectErasedError(row.id, row.erasedAt ?? undefined);
  return ctx.keyCache.get(row.id, row.keyId, wrapped) ?? unwrapDataKey(ctx, row, wrapped);
}

async function unwrapDataKey(ctx: VaultContext, row: SubjectRow, wrapped: Uint8Array): Promise<DataKey> {
  const dk = importDataKey(await ctx.keyring.unwrapKey(row.keyId, wrapped, row.id));
  ctx.keyCache.set(row.id, row.keyId, wrapped, dk);
  return dk;
}

/** @internal encrypt a value of a subject's field at `version`; version and purpose restriction are bound into the associated data. */
export function sealValue(dk: DataKey, subject: string, field: string, version: number, value: unknown, restrictTo: readonly string[] | undefined): Uint8Array {
  return encryptValue(dk, subject, field, version, value, restrictTo);
}

/** @internal decrypt an EARLIER value (the history) that `sealValue` encrypted (`IntegrityError` when it was altered or moved). */
export function openValue(dk: DataKey, subject: string, field: string, ciphertext: Uint8Array, restrictTo: readonly string[] | undefined): unknown {
  return decryptValue(dk, subject, field, ciphertext, restrictTo);
}

/**
 * @internal decrypt the CURRENT value row of a subject: its version must be the one the subject
 * row's value state names (replay detection, `openStoredValue`); pass `state` when opening
 * several values of one row.
 */
export function openCurrentValue(dk: DataKey, subject: SubjectRow, row: ValueRow, restrictTo: readonly string[] | undefined, state?: ValueState): unknown {
  return state === undefined ? openStoredValue(dk, subject, row, restrictTo) : openStoredValue(dk, subject, row, restrictTo, state);
}

/** @internal the blind index of a `lookup` field's value; `null` for other fields. */
export async function lookupDigest(ctx: VaultContext, field: string, lookup: boolean | undefined, value: unknown): Promise<string | null> {
  return lookup === true ? await ctx.keyring.blindIndex(field, normalizeLookup(value)) : null;
}

/**
 * @internal the state of some subjects in ONE statement where the adapter has
 * `getSubjectStates` (no transaction set-up), else through a read-only transaction.
 */
export function readSubjectStates(ctx: VaultContext, query: SubjectStateQuery): Promise<SubjectState[]> {
  const { adapter } = ctx;
  if (typeof adapter.getSubjectStates === 'function') return adapter.getSubjectStates(query);
  return adapter.transaction((tx) => subjectStatesThrough(tx, query), { readOnly: true });
}

/**
 * @internal run a write on an existing subject: lock its row, bump its version (so concurrent
 * writers on other connections serialise or conflict and retry; no update is lost), then `fn`.
 */
export function writeSubject<T>(
  ctx: VaultContext,
  subject: string,
  fn: (tx: StorageTransaction, row: SubjectRow, versionsOf: (dk: DataKey) => ValueVersions) => Promise<T>,
): Promise<T> {
  return retryOnConflict(() =>
    ctx.adapter.transaction(async (tx) => {
      const row = liveSubject(subject, await tx.getSubject(subject, { forUpdate: true }));
      // The value versions written (replay detection) go into the row with the version bump.
      let versions: ValueVersions | undefined;
      const result = await fn(tx, row, (dk) => (versions ??= valueVersions(dk, subject, row)));
      await tx.updateSubject({ ...row, version: row.version + 1, ...(versions?.changed === true && { valueState: versions.seal() }) }, row.version);
      return result;
    }),
  );
}
