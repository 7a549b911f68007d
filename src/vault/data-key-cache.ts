/**
 * A bounded, short-lived cache of unwrapped subject data keys, so that reading a subject
 * again does not unwrap its data key again (an HKDF and an AES-GCM decryption, ~8 µs here:
 * more than a better-sqlite3 point read).
 *
 * Safety rests on one rule: an entry is used only when the subject row just read from the
 * database still holds the SAME wrapped key (same key id, same bytes) it was cached for. An
 * erasure committed anywhere (another process, another vault) destroys the wrapped key in the
 * row, so the next read sees the tombstone and never reaches the cache; a key rotation changes
 * the wrapped bytes, so the entry is missed and replaced. Entries expire after `maxAgeMs` and
 * the oldest go first beyond `maxEntries`. This vault's own erasures evict at once. The window
 * it leaves: pre-erasure rows restored into the live database by someone else are readable here
 * until the entry expires (docs/security.md).
 *
 * The same design as MongoDB's client-side field-level encryption, which keeps decrypted data
 * keys for 60 s by default.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { DataKey } from '../crypto/value-cipher.js';

/**
 * Options of the vault's data-key cache (`VaultOptions.dataKeyCache`).
 *
 * @example
 * ```ts
 * const vault = await createVault({ policy, adapter, keyring, dataKeyCache: { maxEntries: 50_000, maxAgeMs: 30_000 } });
 * ```
 */
export interface DataKeyCacheOptions {
  /** Most data keys held at once; when full, the oldest tenth is dropped. Default 10,000 (measured: 5 MB heap, 10 MB RSS). */
  readonly maxEntries?: number;
  /** How long an unwrapped data key may be reused, in ms. Default 60,000. */
  readonly maxAgeMs?: number;
}

/** @internal defaults of {@link DataKeyCacheOptions}. */
export const DATA_KEY_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxAgeMs: 60_000 });

interface Entry {
  readonly keyId: string;
  readonly wrappedKey: Uint8Array;
  readonly dataKey: DataKey;
  readonly expires: number;
}

/** @internal the cache; `now` is the vault's clock in ms. */
export interface DataKeyCache {
  /** The cached data key of `subject`, if it was cached for exactly this wrapped key and is fresh. */
  get(subject: string, keyId: string, wrappedKey: Uint8Array): DataKey | undefined;
  set(subject: string, keyId: string, wrappedKey: Uint8Array, dataKey: DataKey): void;
  delete(subject: string): void;
  clear(): void;
  readonly size: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function checkOptions(options: unknown): Required<DataKeyCacheOptions> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError('options.dataKeyCache', 'must be false or an object { maxEntries?, maxAgeMs? }');
  }
  const { maxEntries = DATA_KEY_CACHE_DEFAULTS.maxEntries, maxAgeMs = DATA_KEY_CACHE_DEFAULTS.maxAgeMs } = options as DataKeyCacheOptions;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new InvalidArgumentError('options.dataKeyCache.maxEntries', 'must be a positive integer');
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs < 1) throw new InvalidArgumentError('options.dataKeyCache.maxAgeMs', 'must be a positive integer (milliseconds)');
  return { maxEntries, maxAgeMs };
}

/** A cache that holds nothing (`dataKeyCache: false`). */
const NO_CACHE: DataKeyCache = Object.freeze({
  get: () => undefined,
  set: () => undefined,
  delete: () => undefined,
  clear: () => undefined,
  size: 0,
});

/**
 * @internal build the vault's cache from its option (`undefined` = defaults, `false` = none).
 * @throws InvalidArgumentError for a malformed option
 */
export function createDataKeyCache(option: DataKeyCacheOptions | false | undefined, now: () => number): DataKeyCache {
  if (option === false) return NO_CACHE;
  const { maxEntries, maxAgeMs } = checkOptions(option ?? {});
  const entries = new Map<string, Entry>();
  return {
    get(subject, keyId, wrappedKey) {
      const e = entries.get(subject);
      if (e === undefined) return undefined;
      if (e.expires <= now() || e.keyId !== keyId || !sameBytes(e.wrappedKey, wrappedKey)) {
        entries.delete(subject);
        return undefined;
      }
      return e.dataKey;
    },
    set(subject, keyId, wrappedKey, dataKey) {
      entries.delete(subject);
      if (entries.size >= maxEntries) {
        // Drop the oldest tenth in one pass: a Map iterator skips the slots of deleted entries,
        // so dropping one at a time would rescan them on every insertion.
        let drop = Math.max(1, Math.ceil(maxEntries / 10));
        for (const key of entries.keys()) {
          entries.delete(key);
          if (--drop === 0) break;
        }
      }
      entries.set(subject, { keyId, wrappedKey: new Uint8Array(wrappedKey), dataKey, expires: now() + maxAgeMs });
    },
    delete(subject) {
      entries.delete(subject);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
