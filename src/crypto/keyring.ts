/**
 * The `Keyring` contract: where key-encryption keys (KEKs) live. The vault never sees a KEK;
 * it asks the keyring to wrap and unwrap per-subject data keys, and to compute blind-index
 * MACs. A local keyring (key file or env var) ships; the interface fits a cloud KMS.
 *
 * @module
 */
import type { MaybePromise } from '../util/maybe-promise.js';

/**
 * Key-encryption keys, by id. Implementations must throw `KeyUnavailableError` for a key id
 * they do not hold and `IntegrityError` when an unwrap fails authentication.
 *
 * @example
 * ```ts
 * const keyring: Keyring = createLocalKeyring({ keys: { 'kek-1': process.env.PB_KEK_1! }, current: 'kek-1' });
 * ```
 */
export interface Keyring {
  /** Id of the KEK new data keys are wrapped with. */
  readonly currentKeyId: string;
  /** Wrap a 32-byte data key with KEK `keyId`; the result is bound to `context` (the subject id). */
  wrapKey(keyId: string, dataKey: Uint8Array, context: string): MaybePromise<Uint8Array>;
  /** Unwrap a data key wrapped by `wrapKey` with the same `keyId` and `context`. */
  unwrapKey(keyId: string, wrapped: Uint8Array, context: string): MaybePromise<Uint8Array>;
  /**
   * Keyed MAC (HMAC-SHA-256) for blind indexes of `lookup` fields; `field` separates domains so
   * equal values in two fields give different digests. Returns lowercase hex.
   */
  blindIndex(field: string, normalizedValue: string): MaybePromise<string>;
  /**
   * Destroy the per-subject key material of `context` held outside the database, so that no
   * wrapped data key of that subject unwraps again, in the live database or in any backup of
   * it (idempotent). Keyrings without such material omit it; the vault then shreds only the
   * live database's wrapped key (see `erasure`).
   */
  shred?(context: string): MaybePromise<void>;
  /**
   * What erasure guarantees with this keyring: `backup-proof` when `shred` destroys key
   * material kept outside the database, `live-only` when only the database row is destroyed.
   */
  readonly erasure?: 'backup-proof' | 'live-only';
  /**
   * What erasing the subject whose data key is `wrapped` guarantees: `backup-proof` when the key
   * is bound to key material `shred` destroys, `live-only` when it is wrapped by the KEK alone
   * (e.g. wrapped before a subject-secret store was configured). `vault.rotateKeys` re-wraps
   * `live-only` keys of a `backup-proof` keyring, and `vault.erase` records the subject's actual
   * guarantee. Keyrings that omit it are taken at their `erasure` for every key.
   */
  erasureOf?(wrapped: Uint8Array): 'backup-proof' | 'live-only';
}
