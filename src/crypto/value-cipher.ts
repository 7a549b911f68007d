/**
 * Encryption of personal values under a subject's data key: AES-256-GCM (node:crypto), a random
 * 96-bit IV per value, associated data binding the ciphertext to subject, field and format.
 *
 * Value layout (format 1): `0x01` format byte, 12-byte IV, 16-byte GCM tag, ciphertext. The
 * plaintext is the value in the V8 serialisation format (`node:v8`), so dates, big integers,
 * maps, sets, `undefined` and `-0` come back as they went in. The associated data is
 * `purpose-bound/value/v1 \0 subject \0 field \0 <format byte>`, followed by
 * `\0 restrict:<purposes>` for values restricted to some purposes (entrusted data, §11): a
 * ciphertext moved to another subject or field, relabelled with another format, or stripped of
 * its purpose restriction fails authentication.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { IntegrityError } from '../errors.js';
import { randomIv } from './random-iv.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Current value format. */
export const VALUE_FORMAT = 0x01;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

/** @internal a subject's data key, unwrapped and imported at most once per operation (then cached briefly by the vault). */
export interface DataKey {
  readonly key: KeyObject;
}

/** @internal a fresh random 32-byte data key. */
export function newDataKeyBytes(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** @internal import raw data-key bytes (zeroes the copy it was given). */
export function importDataKey(bytes: Uint8Array): DataKey {
  const key = createSecretKey(Buffer.from(bytes));
  bytes.fill(0);
  return { key };
}

function aad(subject: string, field: string, format: number, restrictTo: readonly string[] | undefined): Buffer {
  // A purpose restriction (entrusted data, §11) is authenticated with the value: removing or
  // widening it in the stored metadata makes decryption fail instead of widening the purposes.
  // Purpose ids cannot hold "," (policy id rules), so the sorted list is unambiguous.
  const restriction = restrictTo === undefined ? '' : `\0restrict:${[...restrictTo].sort().join(',')}`;
  return Buffer.from(`purpose-bound/value/v1\0${subject}\0${field}\0${format}${restriction}`, 'utf8');
}

/** @internal encrypt one value; `restrictTo` (entrusted data) is bound into the associated data. */
export function encryptValue(dk: DataKey, subject: string, field: string, value: unknown, restrictTo?: readonly string[]): Uint8Array {
  const plain = serialize(value);
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', dk.key, iv);
  cipher.setAAD(aad(subject, field, VALUE_FORMAT, restrictTo));
  const c1 = cipher.update(plain);
  const c2 = cipher.final();
  plain.fill(0);
  const out = new Uint8Array(HEADER + c1.length + c2.length);
  out[0] = VALUE_FORMAT;
  out.set(iv, 1);
  out.set(cipher.getAuthTag(), 1 + IV_BYTES);
  out.set(c1, HEADER);
  out.set(c2, HEADER + c1.length);
  return out;
}

/**
 * @internal decrypt one value.
 * @throws IntegrityError when the ciphertext was altered, truncated, or belongs to another subject or field
 */
export function decryptValue(dk: DataKey, subject: string, field: string, ciphertext: Uint8Array, restrictTo?: readonly string[]): unknown {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < HEADER || ciphertext[0] !== VALUE_FORMAT) {
    throw new IntegrityError('a stored value has an unknown format or is truncated', { subject, field });
  }
  const buf = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dk.key, buf.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(aad(subject, field, VALUE_FORMAT, restrictTo));
    decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER));
    plain = decipher.update(buf.subarray(HEADER));
    const tail = decipher.final(); // authenticates; GCM, a stream mode, has no bytes left here
    if (tail.length > 0) plain = Buffer.concat([plain, tail]);
  } catch {
    throw new IntegrityError('a stored value failed authentication (altered, moved from another subject or field, or its purpose restriction changed)', { subject, field });
  }
  try {
    return deserialize(plain);
  } catch {
    throw new IntegrityError('a stored value decrypted but could not be decoded', { subject, field });
  } finally {
    plain.fill(0);
  }
}
