/**
 * Encryption of personal values under a subject's data key: AES-256-GCM (node:crypto), a random
 * 96-bit IV per value, associated data binding the ciphertext to subject, field, format and (from
 * format 2 on) the value's version.
 *
 * Value layout, format 2 (written since 0.2): `0x02` format byte, the value's version as a
 * 4-byte big-endian unsigned integer, 12-byte IV, 16-byte GCM tag, ciphertext. The associated
 * data is `purpose-bound/value/v2 \0 subject \0 field \0 2 \0 <version>`, followed by
 * `\0 restrict:<purposes>` for values restricted to some purposes (entrusted data, §11).
 *
 * Format 1 (written before 0.2, still read): `0x01`, IV, tag, ciphertext; associated data
 * `purpose-bound/value/v1 \0 subject \0 field \0 1 [\0 restrict:<purposes>]`. It carries no
 * version, so an older copy of it cannot be told from the current one at read; `rotateKeys`
 * re-encrypts format-1 values into format 2 (see `value-state.ts` and docs/security.md).
 *
 * The plaintext is the value in the V8 serialisation format (`node:v8`), so dates, big integers,
 * maps, sets, `undefined` and `-0` come back as they went in.
 *
 * A ciphertext moved to another subject or field, relabelled with another format or version, or
 * stripped of its purpose restriction fails authentication. A ciphertext put back from the
 * history or a backup (an older version of the same subject and field) authenticates, and is
 * caught by the version check against the subject's value state ({@link openStoredValue}).
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto';
import { IntegrityError, InvalidPersonalValueError } from '../errors.js';
import type { SubjectRow, ValueRow } from '../storage/adapter.js';
import { isSorted } from '../util/canonical-json.js';
import { randomIv } from './random-iv.js';
import { decodeValue, encodeValue } from './value-encoding.js';
import { expectedValueVersion, type ValueState, type VerifiedValueState, readValueState } from './value-state.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION_BYTES = 4;
/** The format written before versions were bound into the associated data (read only). */
export const VALUE_FORMAT_1 = 0x01;
/** Current value format: the value's version in the header and the associated data. */
export const VALUE_FORMAT = 0x02;
const HEADER_1 = 1 + IV_BYTES + TAG_BYTES;
const HEADER_2 = 1 + VERSION_BYTES + IV_BYTES + TAG_BYTES;
/** Largest version format 2 stores (4 bytes). */
export const MAX_VALUE_VERSION = 0xffff_ffff;

/** @internal a subject's data key, unwrapped and imported at most once per operation (then cached briefly by the vault). */
export interface DataKey {
  /** AES-256-GCM key of the subject's values. */
  readonly key: KeyObject;
  /** HMAC-SHA-256 key of the subject's value state (HKDF of the data key, its own domain). */
  readonly stateKey: KeyObject;
  /**
   * The last value state this key sealed or verified (`value-state.ts`): a row read again with
   * the same state needs no second HMAC. Kept on the key itself (no side table to look up).
   */
  verifiedState: VerifiedValueState | undefined;
}

/**
 * @internal a fresh random 32-byte data key, filled in place: no other copy of it is left in
 * memory (a `randomBytes` buffer copied out would stay behind unzeroed, possibly in Node's
 * shared buffer pool).
 */
export function newDataKeyBytes(): Uint8Array {
  return randomFillSync(new Uint8Array(32));
}

/** @internal import raw data-key bytes (zeroes the bytes it was given; keeps no other copy in JavaScript memory). */
export function importDataKey(bytes: Uint8Array): DataKey {
  const key = createSecretKey(bytes);
  // HKDF from the key object: the same bytes as from the raw key, without hkdfSync making a
  // second key object of them (measured: a quarter of the derivation).
  const state = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'purpose-bound/value-state/v1', 32));
  const dk: DataKey = { key, stateKey: createSecretKey(state), verifiedState: undefined };
  state.fill(0);
  bytes.fill(0);
  return dk;
}

/** The purposes, sorted, joined by "," (a sorted list, the usual case, is joined without a sorted copy). */
function sortedList(purposes: readonly string[]): string {
  return (isSorted(purposes) ? purposes : [...purposes].sort()).join(',');
}

function aad(subject: string, field: string, format: number, version: number | undefined, restrictTo: readonly string[] | undefined): Buffer {
  // A purpose restriction (entrusted data, §11) is authenticated with the value: removing or
  // widening it in the stored metadata makes decryption fail instead of widening the purposes.
  // Purpose ids cannot hold "," (policy id rules), so the sorted list is unambiguous.
  const restriction = restrictTo === undefined ? '' : `\0restrict:${sortedList(restrictTo)}`;
  if (format === VALUE_FORMAT_1) return Buffer.from(`purpose-bound/value/v1\0${subject}\0${field}\0${format}${restriction}`, 'utf8');
  return Buffer.from(`purpose-bound/value/v2\0${subject}\0${field}\0${format}\0${version}${restriction}`, 'utf8');
}

/**
 * @internal the V8 serialisation of a value (strings written directly, `value-encoding.ts`).
 * @throws InvalidPersonalValueError (never quoting the value) when it cannot be serialised: a
 *   symbol or a function inside it, a property whose getter throws, or nesting too deep
 */
export function serializeValue(field: string, value: unknown): Buffer {
  try {
    return encodeValue(value);
  } catch (error) {
    // The engine's messages quote the value ("Symbol(…) could not be cloned"), a throwing
    // getter's error is the caller's own: neither is passed on, not even as the cause.
    const rule = error instanceof RangeError ? 'serializable(nested too deeply)' : 'serializable(holds a symbol, a function, or a property that throws when read)';
    throw new InvalidPersonalValueError(field, [{ path: '', rule }]);
  }
}

/**
 * @internal encrypt one value in format 2: `version` (the field's next version, from
 * `ValueVersions.next`) and `restrictTo` (entrusted data) are bound into the associated data.
 * @throws InvalidPersonalValueError when the value cannot be serialised (see {@link serializeValue})
 */
export function encryptValue(dk: DataKey, subject: string, field: string, version: number, value: unknown, restrictTo?: readonly string[]): Uint8Array {
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_VALUE_VERSION) throw new RangeError(`value version ${version} is out of range`);
  const plain = serializeValue(field, value);
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', dk.key, iv);
  cipher.setAAD(aad(subject, field, VALUE_FORMAT, version, restrictTo));
  const c1 = cipher.update(plain);
  const c2 = cipher.final();
  plain.fill(0);
  const out = new Uint8Array(HEADER_2 + c1.length + c2.length);
  out[0] = VALUE_FORMAT;
  new DataView(out.buffer).setUint32(1, version);
  out.set(iv, 1 + VERSION_BYTES);
  out.set(cipher.getAuthTag(), 1 + VERSION_BYTES + IV_BYTES);
  out.set(c1, HEADER_2);
  out.set(c2, HEADER_2 + c1.length);
  return out;
}

/**
 * @internal encrypt one value in the OLD format 1 (no version bound in), as releases before 0.2
 * wrote it: only to build the stored data of an older release in tests (upgrade, legacy reads).
 */
export function encryptValueFormat1(dk: DataKey, subject: string, field: string, value: unknown, restrictTo?: readonly string[]): Uint8Array {
  const plain = serializeValue(field, value);
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', dk.key, iv);
  cipher.setAAD(aad(subject, field, VALUE_FORMAT_1, undefined, restrictTo));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  const out = new Uint8Array(HEADER_1 + body.length);
  out[0] = VALUE_FORMAT_1;
  out.set(iv, 1);
  out.set(cipher.getAuthTag(), 1 + IV_BYTES);
  out.set(body, HEADER_1);
  return out;
}

/**
 * @internal the format and (format 2) version a ciphertext's header declares, without
 * decrypting: `undefined` for an unknown format or a truncated ciphertext. The version is
 * authenticated only once the value decrypts.
 */
export function valueHeader(ciphertext: Uint8Array): { readonly format: 1 | 2; readonly version: number | undefined } | undefined {
  if (!(ciphertext instanceof Uint8Array)) return undefined;
  if (ciphertext[0] === VALUE_FORMAT_1 && ciphertext.length >= HEADER_1) return { format: 1, version: undefined };
  if (ciphertext[0] === VALUE_FORMAT && ciphertext.length >= HEADER_2) {
    return { format: 2, version: new DataView(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength).getUint32(1) };
  }
  return undefined;
}

/**
 * @internal decrypt one value (either format), without a version check: the earlier values of
 * the history, and the re-encryption of format-1 values. Reads of current values go through
 * {@link openStoredValue}.
 * @throws IntegrityError when the ciphertext was altered, truncated, or belongs to another subject or field
 */
export function decryptValue(dk: DataKey, subject: string, field: string, ciphertext: Uint8Array, restrictTo?: readonly string[]): unknown {
  const header = valueHeader(ciphertext);
  if (header === undefined) throw new IntegrityError('a stored value has an unknown format or is truncated', { subject, field });
  const start = header.format === 1 ? HEADER_1 : HEADER_2;
  const buf = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dk.key, buf.subarray(start - TAG_BYTES - IV_BYTES, start - TAG_BYTES));
    decipher.setAAD(aad(subject, field, header.format, header.version, restrictTo));
    decipher.setAuthTag(buf.subarray(start - TAG_BYTES, start));
    plain = decipher.update(buf.subarray(start));
    const tail = decipher.final(); // authenticates; GCM, a stream mode, has no bytes left here
    if (tail.length > 0) plain = Buffer.concat([plain, tail]);
  } catch {
    throw new IntegrityError('a stored value failed authentication (altered, moved from another subject or field, or its purpose restriction changed)', { subject, field });
  }
  try {
    return decodeValue(plain);
  } catch {
    throw new IntegrityError('a stored value decrypted but could not be decoded', { subject, field });
  } finally {
    plain.fill(0);
  }
}

/**
 * Decrypt the CURRENT value of a field, checking that it is the version the subject's value
 * state (in the subject row, authenticated with the data key) says is current. A ciphertext put
 * back from `pb_history` or from a backup of the values table, with or without its version
 * column edited, fails here: its authenticated version is older than the state's. The checks, in
 * order:
 *
 * 1. the subject row's value state authenticates (else `IntegrityError`);
 * 2. a format-2 value: its version (bound into the associated data) equals the state's version
 *    of the field; a field the state says is deleted, or does not know, has no current value;
 * 3. a format-1 value (written before versions were bound): accepted only while the state does
 *    not cover the field, i.e. for values not rewritten since the upgrade and not yet
 *    re-encrypted by `rotateKeys`;
 * 4. the value decrypts (subject, field, format, version and purpose restriction authenticated).
 *
 * `state` is `readValueState(dk, subjectRow)` when the caller opens several values of one row
 * (read it once); it is read here when omitted.
 *
 * @internal
 * @param dk - the subject's data key
 * @param subject - the subject row the value belongs to (holding the value state)
 * @param row - the stored value row
 * @param restrictTo - the purposes the value is restricted to (entrusted data), from its metadata
 * @param state - the subject's value state, when the caller already read it
 * @returns the decrypted value
 * @throws IntegrityError when the value is not the current version (replayed, rolled back), was
 *   altered, or the value state does not authenticate
 */
export function openStoredValue(
  dk: DataKey,
  subject: SubjectRow,
  row: ValueRow,
  restrictTo?: readonly string[],
  state: ValueState | undefined = readValueState(dk, subject),
): unknown {
  const header = valueHeader(row.ciphertext);
  const where = { subject: row.subjectId, field: row.field };
  if (header === undefined) throw new IntegrityError('a stored value has an unknown format or is truncated', where);
  const expected = expectedValueVersion(state, row.field);
  if (header.format === 2) {
    if (expected === 'legacy-or-none')
      throw new IntegrityError('a stored value is versioned but its subject has no value state (the state was removed, or the row copied from another database)', where);
    if (expected !== header.version) {
      throw new IntegrityError(
        'a stored value is not the current version of its field (an older copy put back from the history or a backup, or the value state rolled back)',
        where,
      );
    }
  } else if (expected !== 'legacy-or-none') {
    throw new IntegrityError('a stored value in the old format is not the current version of its field (an older copy put back from the history or a backup)', where);
  }
  return decryptValue(dk, row.subjectId, row.field, row.ciphertext, restrictTo);
}
