/**
 * The local keyring: key-encryption keys (KEKs) held by the process, from code, an environment
 * variable or a JSON key file. Data keys are wrapped with AES-256-GCM (node:crypto); blind
 * indexes are HMAC-SHA-256 under a dedicated index key that does not change when KEKs rotate.
 *
 * Wrapped key layout (69 bytes): `0x01` format byte, an 8-byte key check value of the KEK, a
 * 12-byte random IV, the 16-byte GCM tag, the 32-byte encrypted data key. The associated data
 * binds the blob to the KEK id and the context (the subject id), so a wrapped key copied to
 * another subject does not unwrap. The key check value lets the keyring tell "this is not the
 * key that wrapped the data key" (`KeyUnavailableError`) from "the blob was altered"
 * (`IntegrityError`); it is an HMAC output and reveals nothing about the KEK.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { IntegrityError, InvalidArgumentError, KeyUnavailableError } from '../errors.js';
import { isSafeId, safeId } from '../util/safe-id.js';
import type { Keyring } from './keyring.js';
import { randomIv } from './random-iv.js';
import { fileSubjectSecrets, type SubjectSecretStore } from './subject-secrets.js';

/**
 * A 32-byte key: base64 (standard or url-safe) text, or the bytes.
 *
 * @example
 * ```ts
 * const kek: KeyMaterial = generateKey(); // or a 32-byte Uint8Array
 * ```
 */
export type KeyMaterial = string | Uint8Array;

/**
 * Options of {@link createLocalKeyring}.
 *
 * @example
 * ```ts
 * const options: LocalKeyringOptions = { keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey() };
 * ```
 */
export interface LocalKeyringOptions {
  /** KEKs by id. Ids are 1-64 letters, digits, `_` or `-`, starting with a letter. */
  readonly keys: Readonly<Record<string, KeyMaterial>>;
  /** Id of the KEK that wraps new data keys (and re-wraps old ones on `vault.rotateKeys`). */
  readonly current: string;
  /**
   * Dedicated 32-byte key for blind indexes (recommended). Blind indexes must outlive KEK
   * rotation, so they are never keyed by "the current KEK".
   */
  readonly indexKey?: KeyMaterial;
  /**
   * Without `indexKey`: the KEK whose HKDF derivation keys the blind indexes. Defaults to the
   * only key when exactly one is configured; required (or `indexKey`) once there are several,
   * so adding `kek-2` never silently changes every index. Keep this key id in the keyring for
   * as long as lookups must work (it need not be `current`).
   */
  readonly indexKeyFrom?: string;
  /**
   * Per-subject erasure secrets kept outside the database (strongly recommended). With a store,
   * each subject's data key is wrapped under a key derived from the KEK AND the subject's
   * secret, and `vault.erase` destroys the secret: the subject's values become unreadable in
   * every copy of the database, backups included (`keyring.erasure === 'backup-proof'`).
   * Without one, erasure destroys only the live database's wrapped key, and a backup taken
   * earlier stays readable with the KEK (`'live-only'`). A persistent database needs a
   * persistent store (`fileSubjectSecrets(dir)` or your own).
   */
  readonly subjectSecrets?: SubjectSecretStore;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KCV_BYTES = 8;
const WRAP_FORMAT = 0x01;
/** Format of a data key wrapped under the KEK bound to the subject's erasure secret. */
const WRAP_FORMAT_SUBJECT = 0x02;
/** Length of a wrapped data key. */
export const WRAPPED_KEY_BYTES = 1 + KCV_BYTES + IV_BYTES + TAG_BYTES + KEY_BYTES;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * A fresh random 32-byte key, base64-encoded: a KEK or an index key for the local keyring.
 *
 * @returns 44 characters of standard base64
 * @example
 * ```ts
 * import { generateKey } from 'purpose-bound';
 * console.log(`PURPOSE_BOUND_KEYS=kek-1:${generateKey()};current=kek-1;index=${generateKey()}`);
 * ```
 */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Decode key material; the error names where it came from, never the material. */
function decodeKey(material: unknown, argument: string): Buffer {
  let bytes: Buffer;
  if (material instanceof Uint8Array) bytes = Buffer.from(material);
  else if (typeof material === 'string' && BASE64.test(material.trim()))
    bytes = Buffer.from(material.trim(), material.includes('-') || material.includes('_') ? 'base64url' : 'base64');
  else throw new InvalidArgumentError(argument, 'must be 32 bytes: a Uint8Array or base64 text (generateKey() makes one)');
  if (bytes.length !== KEY_BYTES) throw new InvalidArgumentError(argument, `must be exactly 32 bytes (256 bits), got ${bytes.length}`);
  return bytes;
}

function assertKeyId(id: unknown, argument: string): asserts id is string {
  if (!isSafeId(id)) throw new InvalidArgumentError(argument, `must be a key id (a letter, then letters, digits, _ or -; at most 64); ${safeId(id)} is not`);
}

interface Kek {
  readonly key: KeyObject;
  /** Key check value: first 8 bytes of HMAC(kek, "purpose-bound/kcv/v1"). */
  readonly kcv: Buffer;
}

function wrapAad(keyId: string, context: string): Buffer {
  return Buffer.from(`purpose-bound/wrap/v1\0${keyId}\0${context}`, 'utf8');
}

/**
 * A keyring holding its KEKs in process memory. Wraps 32-byte data keys with AES-256-GCM under
 * a KEK, bound to the context (subject id); computes blind indexes with HMAC-SHA-256.
 *
 * Rotation: add the new KEK, make it `current`, run `vault.rotateKeys()`, then remove the old
 * KEK from the configuration. Blind indexes keep working because they use `indexKey` (or the
 * KEK named by `indexKeyFrom`), never "the current KEK".
 *
 * @param options - the KEKs, the current key id and the index key
 * @throws InvalidArgumentError when a key is not 32 bytes, an id is malformed, `current` is not
 *   among the keys, or several KEKs are configured without `indexKey` / `indexKeyFrom`
 * @example
 * ```ts
 * const keyring = createLocalKeyring({
 *   keys: { 'kek-1': process.env.PB_KEK_1!, 'kek-2': process.env.PB_KEK_2! },
 *   current: 'kek-2',
 *   indexKey: process.env.PB_INDEX_KEY!,
 * });
 * ```
 */
export function createLocalKeyring(options: LocalKeyringOptions): Keyring {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with keys and current');
  if (typeof options.keys !== 'object' || options.keys === null) throw new InvalidArgumentError('options.keys', 'must be an object of key id to 32-byte key');
  const keks = new Map<string, Kek>();
  for (const [id, material] of Object.entries(options.keys)) {
    assertKeyId(id, 'options.keys');
    const bytes = decodeKey(material, `options.keys["${id}"]`);
    const kcv = createHmac('sha256', bytes).update('purpose-bound/kcv/v1').digest().subarray(0, KCV_BYTES);
    keks.set(id, { key: createSecretKey(bytes), kcv: Buffer.from(kcv) });
    bytes.fill(0);
  }
  if (keks.size === 0) throw new InvalidArgumentError('options.keys', 'must hold at least one key');
  assertKeyId(options.current, 'options.current');
  if (!keks.has(options.current)) throw new InvalidArgumentError('options.current', `must be one of the configured key ids (${[...keks.keys()].join(', ')})`);
  const currentKeyId = options.current;

  let indexKey: Buffer;
  if (options.indexKey !== undefined) {
    indexKey = decodeKey(options.indexKey, 'options.indexKey');
  } else {
    const from = options.indexKeyFrom ?? (keks.size === 1 ? currentKeyId : undefined);
    if (from === undefined) {
      throw new InvalidArgumentError(
        'options.indexKey',
        'is needed when several KEKs are configured: set indexKey, or indexKeyFrom to the KEK your blind indexes were made with (so rotating KEKs keeps lookups working)',
      );
    }
    assertKeyId(from, 'options.indexKeyFrom');
    const kek = keks.get(from);
    if (kek === undefined) throw new InvalidArgumentError('options.indexKeyFrom', `must be one of the configured key ids (${[...keks.keys()].join(', ')})`);
    indexKey = Buffer.from(hkdfSync('sha256', kek.key.export(), Buffer.alloc(0), 'purpose-bound/blind-index/v1', KEY_BYTES));
  }
  const indexKeyObject = createSecretKey(indexKey);
  indexKey.fill(0);

  function kekOf(keyId: string): Kek {
    const kek = typeof keyId === 'string' ? keks.get(keyId) : undefined;
    if (kek === undefined) throw new KeyUnavailableError(safeId(keyId), 'the keyring does not hold this key-encryption key');
    return kek;
  }

  const secrets = options.subjectSecrets;
  if (
    secrets !== undefined &&
    (typeof secrets !== 'object' || secrets === null || typeof secrets.get !== 'function' || typeof secrets.obtain !== 'function' || typeof secrets.destroy !== 'function')
  ) {
    throw new InvalidArgumentError('options.subjectSecrets', 'must be a SubjectSecretStore (memorySubjectSecrets(), fileSubjectSecrets(dir), or your own)');
  }

  /** The key that wraps a subject's data key: the KEK alone (format 1) or bound to the subject's erasure secret (format 2). */
  function bound(kek: Kek, keyId: string, context: string, secret: Uint8Array): KeyObject {
    return createSecretKey(Buffer.from(hkdfSync('sha256', kek.key, secret, `purpose-bound/wrap/v2\0${keyId}\0${context}`, KEY_BYTES)));
  }

  function seal(key: KeyObject, format: number, kek: Kek, keyId: string, dataKey: Uint8Array, context: string): Uint8Array {
    const iv = randomIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(wrapAad(keyId, context));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const out = new Uint8Array(WRAPPED_KEY_BYTES);
    out[0] = format;
    out.set(kek.kcv, 1);
    out.set(iv, 1 + KCV_BYTES);
    out.set(cipher.getAuthTag(), 1 + KCV_BYTES + IV_BYTES);
    out.set(ct, 1 + KCV_BYTES + IV_BYTES + TAG_BYTES);
    return out;
  }

  function open(key: KeyObject, w: Buffer, keyId: string, context: string): Uint8Array {
    const iv = w.subarray(1 + KCV_BYTES, 1 + KCV_BYTES + IV_BYTES);
    const tag = w.subarray(1 + KCV_BYTES + IV_BYTES, 1 + KCV_BYTES + IV_BYTES + TAG_BYTES);
    const ct = w.subarray(1 + KCV_BYTES + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(wrapAad(keyId, context));
      decipher.setAuthTag(tag);
      return new Uint8Array(Buffer.concat([decipher.update(ct), decipher.final()]));
    } catch {
      throw new IntegrityError('a wrapped data key failed authentication (altered, or moved to another subject)', { subject: safeId(context) });
    }
  }

  const keyring: Keyring = {
    currentKeyId,
    erasure: secrets === undefined ? 'live-only' : 'backup-proof',
    wrapKey(keyId, dataKey, context) {
      const kek = kekOf(keyId);
      if (!(dataKey instanceof Uint8Array) || dataKey.length !== KEY_BYTES) throw new InvalidArgumentError('dataKey', 'must be 32 bytes');
      if (typeof context !== 'string' || context === '') throw new InvalidArgumentError('context', 'must be a non-empty string');
      if (secrets === undefined) return seal(kek.key, WRAP_FORMAT, kek, keyId, dataKey, context);
      return (async () => {
        const secret = await secrets.obtain(context);
        return seal(bound(kek, keyId, context, secret), WRAP_FORMAT_SUBJECT, kek, keyId, dataKey, context);
      })();
    },
    unwrapKey(keyId, wrapped, context) {
      const kek = kekOf(keyId);
      const format = wrapped instanceof Uint8Array ? wrapped[0] : undefined;
      if (!(wrapped instanceof Uint8Array) || wrapped.length !== WRAPPED_KEY_BYTES || (format !== WRAP_FORMAT && format !== WRAP_FORMAT_SUBJECT)) {
        throw new IntegrityError('a wrapped data key has the wrong length or format', { subject: safeId(context) });
      }
      const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
      if (!timingSafeEqual(w.subarray(1, 1 + KCV_BYTES), kek.kcv)) {
        throw new KeyUnavailableError(keyId, 'the keyring holds a different key under this id than the one that wrapped the data key');
      }
      if (format === WRAP_FORMAT) return open(kek.key, w, keyId, context);
      if (secrets === undefined) {
        throw new KeyUnavailableError('subject-secrets', 'this data key is bound to a subject erasure secret, and the keyring has no subjectSecrets store');
      }
      return (async () => {
        const secret = await secrets.get(context);
        if (secret === undefined) {
          throw new KeyUnavailableError('subject-secrets', "the subject's erasure secret does not exist: the subject was erased (crypto-shredded)");
        }
        return open(bound(kek, keyId, context, secret), w, keyId, context);
      })();
    },
    erasureOf(wrapped) {
      // Format 2 is bound to a per-subject secret the store destroys on erasure; format 1 is the KEK alone.
      return wrapped instanceof Uint8Array && wrapped[0] === WRAP_FORMAT_SUBJECT && secrets !== undefined ? 'backup-proof' : 'live-only';
    },
    ...(secrets !== undefined && {
      shred(context: string) {
        if (typeof context !== 'string' || context === '') throw new InvalidArgumentError('context', 'must be a non-empty string');
        return secrets.destroy(context);
      },
    }),
    blindIndex(field, normalizedValue) {
      if (!isSafeId(field)) throw new InvalidArgumentError('field', 'must be a field id');
      if (typeof normalizedValue !== 'string') throw new InvalidArgumentError('normalizedValue', 'must be a string');
      return createHmac('sha256', indexKeyObject).update(`${field}\0`, 'utf8').update(normalizedValue, 'utf8').digest('hex');
    },
  };
  return Object.freeze(keyring);
}

/** The JSON shape of a key file or of a JSON environment variable. */
interface KeyringJson {
  readonly keys?: unknown;
  readonly current?: unknown;
  readonly indexKey?: unknown;
  readonly indexKeyFrom?: unknown;
  /** Directory of per-subject erasure secrets (relative to the key file's directory, or to the working directory for env). */
  readonly subjectSecretsDir?: unknown;
}

function fromJson(json: KeyringJson, where: string, baseDir: string = process.cwd()): Keyring {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InvalidArgumentError(where, 'must hold a JSON object { keys, current, indexKey? }');
  if (typeof json.keys !== 'object' || json.keys === null || Array.isArray(json.keys)) throw new InvalidArgumentError(`${where}.keys`, 'must be an object of key id to base64 key');
  return createLocalKeyring({
    keys: json.keys as Record<string, string>,
    current: json.current as string,
    ...(json.indexKey !== undefined && { indexKey: json.indexKey as string }),
    ...(json.indexKeyFrom !== undefined && { indexKeyFrom: json.indexKeyFrom as string }),
    ...(json.subjectSecretsDir !== undefined && { subjectSecrets: secretsDir(json.subjectSecretsDir, `${where}.subjectSecretsDir`, baseDir) }),
  });
}

function secretsDir(value: unknown, argument: string, baseDir: string): SubjectSecretStore {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError(argument, 'must be a directory path');
  return fileSubjectSecrets(resolvePath(baseDir, value));
}

/**
 * A local keyring from an environment variable. Two formats:
 *
 * - compact: `kek-1:<base64>,kek-2:<base64>;current=kek-2;index=<base64>;secrets=<dir>` (`index=`
 *   takes the index key; `indexFrom=kek-1` names the KEK to derive it from instead; `secrets=`
 *   names the directory of per-subject erasure secrets that make erasure backup-proof);
 * - JSON: `{"keys":{"kek-1":"<base64>"},"current":"kek-1","indexKey":"<base64>"}`.
 *
 * `current` may be omitted when there is exactly one key.
 *
 * @param name - the variable, default `PURPOSE_BOUND_KEYS`
 * @param env - where to read it, default `process.env`
 * @throws KeyUnavailableError when the variable is not set
 * @throws InvalidArgumentError when it is malformed (the message never repeats key material)
 * @example
 * ```ts
 * // PURPOSE_BOUND_KEYS="kek-1:3q2+7w...=;current=kek-1;index=Zm9v...="
 * const keyring = localKeyringFromEnv();
 * ```
 */
export function localKeyringFromEnv(name = 'PURPOSE_BOUND_KEYS', env: Readonly<Record<string, string | undefined>> = process.env): Keyring {
  const text = env[name];
  if (text === undefined || text.trim() === '') throw new KeyUnavailableError(safeId(name), `environment variable ${safeId(name)} is not set`);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new InvalidArgumentError(`env.${safeId(name)}`, 'is not valid JSON');
    }
    return fromJson(json as KeyringJson, `env.${safeId(name)}`);
  }
  const keys: Record<string, string> = {};
  let current: string | undefined;
  let indexKey: string | undefined;
  let indexKeyFrom: string | undefined;
  let secrets: string | undefined;
  const [keyPart = '', ...settings] = trimmed.split(';');
  for (const [i, pair] of keyPart.split(',').entries()) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new InvalidArgumentError(`env.${safeId(name)}`, `key ${i + 1} must be written id:base64`);
    const id = pair.slice(0, colon).trim();
    assertKeyId(id, `env.${safeId(name)}`);
    keys[id] = pair.slice(colon + 1).trim();
  }
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const key = eq < 0 ? setting.trim() : setting.slice(0, eq).trim();
    const value = eq < 0 ? '' : setting.slice(eq + 1).trim();
    if (key === 'current') current = value;
    else if (key === 'index') indexKey = value;
    else if (key === 'indexFrom') indexKeyFrom = value;
    else if (key === 'secrets') secrets = value;
    else if (key !== '') throw new InvalidArgumentError(`env.${safeId(name)}`, `has an unknown setting ${safeId(key)} (known: current, index, indexFrom, secrets)`);
  }
  const ids = Object.keys(keys);
  if (current === undefined) {
    if (ids.length !== 1) throw new InvalidArgumentError(`env.${safeId(name)}`, 'must name the current key (;current=<id>) when it holds several');
    current = ids[0] as string;
  }
  return createLocalKeyring({
    keys,
    current,
    ...(indexKey !== undefined && { indexKey }),
    ...(indexKeyFrom !== undefined && { indexKeyFrom }),
    ...(secrets !== undefined && { subjectSecrets: secretsDir(secrets, `env.${safeId(name)}.secrets`, process.cwd()) }),
  });
}

/**
 * A local keyring from a JSON key file `{ "keys": { "kek-1": "<base64>" }, "current": "kek-1",
 * "indexKey": "<base64>", "subjectSecretsDir": "subjects" }` (`subjectSecretsDir`, relative to the
 * key file, holds the per-subject erasure secrets that make erasure backup-proof). Keep the file readable by the service only (mode 0600) and out of
 * backups of the database: a backup and its keys together defeat crypto-shredding.
 *
 * @param path - the file
 * @throws KeyUnavailableError when the file cannot be read
 * @throws InvalidArgumentError when it is not such a JSON object
 * @example
 * ```ts
 * const keyring = localKeyringFromFile('/etc/my-service/keys.json');
 * ```
 */
export function localKeyringFromFile(path: string): Keyring {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path', 'must be a file path');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    throw new KeyUnavailableError('file', `cannot read the key file${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('key file', 'is not valid JSON');
  }
  return fromJson(json as KeyringJson, 'key file', dirname(resolvePath(path)));
}
