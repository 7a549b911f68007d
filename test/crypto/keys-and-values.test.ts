/**
 * The local keyring and value encryption: wrapping, AAD binding, wrong keys, tampering, blind
 * indexes across rotation, configuration from env and file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalKeyring, generateKey, IntegrityError, KeyUnavailableError, localKeyringFromEnv, localKeyringFromFile, PurposeBoundError } from 'purpose-bound';
import { decryptValue, encryptValue, importDataKey, newDataKeyBytes } from '../../src/crypto/value-cipher.js';

const k1 = generateKey();
const k2 = generateKey();
const ik = generateKey();

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('generateKey', () => {
  it('returns 32 random bytes as base64', () => {
    expect(Buffer.from(k1, 'base64')).toHaveLength(32);
    expect(generateKey()).not.toBe(generateKey());
  });
});

describe('createLocalKeyring', () => {
  it('wraps and unwraps a data key bound to its context', () => {
    const ring = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1' });
    const dk = new Uint8Array(randomBytes(32));
    const wrapped = ring.wrapKey('kek-1', dk, 'subject-1') as Uint8Array;
    expect(wrapped).toHaveLength(69);
    expect(Buffer.from(wrapped).includes(Buffer.from(dk))).toBe(false);
    expect(Buffer.from(ring.unwrapKey('kek-1', wrapped, 'subject-1') as Uint8Array).equals(Buffer.from(dk))).toBe(true);
    // Same key, fresh IV: two wraps differ.
    expect(Buffer.from(ring.wrapKey('kek-1', dk, 'subject-1') as Uint8Array).equals(Buffer.from(wrapped))).toBe(false);
    // Another context (subject) → authentication fails.
    expect(caught(() => ring.unwrapKey('kek-1', wrapped, 'subject-2'))).toBeInstanceOf(IntegrityError);
  });

  it('every flipped byte of a wrapped key is detected (IntegrityError or, in the key check value, KeyUnavailableError)', () => {
    const ring = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1' });
    const wrapped = ring.wrapKey('kek-1', new Uint8Array(32).fill(7), 's') as Uint8Array;
    for (let i = 0; i < wrapped.length; i++) {
      const bad = new Uint8Array(wrapped);
      bad[i] = (bad[i] as number) ^ 0x01;
      const error = caught(() => ring.unwrapKey('kek-1', bad, 's'));
      expect(error).toBeInstanceOf(PurposeBoundError);
      expect(['INTEGRITY_ERROR', 'KEY_UNAVAILABLE']).toContain((error as PurposeBoundError).code);
    }
    expect(caught(() => ring.unwrapKey('kek-1', wrapped.subarray(0, 40), 's'))).toBeInstanceOf(IntegrityError);
  });

  it('a missing key id or a different key under the same id → KeyUnavailableError', () => {
    const ring = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1' });
    const wrapped = ring.wrapKey('kek-1', new Uint8Array(32), 's') as Uint8Array;
    expect(caught(() => ring.unwrapKey('kek-2', wrapped, 's'))).toMatchObject({ code: 'KEY_UNAVAILABLE', keyId: 'kek-2' });
    const impostor = createLocalKeyring({ keys: { 'kek-1': k2 }, current: 'kek-1' });
    const error = caught(() => impostor.unwrapKey('kek-1', wrapped, 's'));
    expect(error).toBeInstanceOf(KeyUnavailableError);
    expect((error as Error).message).toContain('different key');
    expect(caught(() => ring.wrapKey('kek-9', new Uint8Array(32), 's'))).toBeInstanceOf(KeyUnavailableError);
  });

  it('validates its configuration without echoing key material', () => {
    const secretish = 'c2VjcmV0LXNlY3JldC1zZWNyZXQ='; // 20 bytes: wrong length
    const e1 = caught(() => createLocalKeyring({ keys: { 'kek-1': secretish }, current: 'kek-1' })) as Error;
    expect(e1).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(e1.message).toContain('32 bytes');
    expect(e1.message).not.toContain(secretish);
    expect(caught(() => createLocalKeyring({ keys: { 'kek-1': 'not base64 !!' }, current: 'kek-1' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(caught(() => createLocalKeyring({ keys: { 'kek 1': k1 }, current: 'kek 1' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(caught(() => createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-2' }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.current' });
    expect(caught(() => createLocalKeyring({ keys: {}, current: 'kek-1' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Several KEKs and no index key: refused, so adding a KEK never changes every blind index.
    expect(caught(() => createLocalKeyring({ keys: { 'kek-1': k1, 'kek-2': k2 }, current: 'kek-2' }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.indexKey' });
    // Raw bytes are accepted.
    expect(createLocalKeyring({ keys: { 'kek-1': Buffer.from(k1, 'base64') }, current: 'kek-1' }).currentKeyId).toBe('kek-1');
  });

  it('blind indexes: keyed, per field, stable when KEKs rotate', () => {
    const single = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1' });
    const a = single.blindIndex('email', 'hana@example.jp') as string;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(single.blindIndex('email', 'hana@example.jp')).toBe(a);
    expect(single.blindIndex('backupEmail', 'hana@example.jp')).not.toBe(a);
    expect(createLocalKeyring({ keys: { 'kek-1': k2 }, current: 'kek-1' }).blindIndex('email', 'hana@example.jp')).not.toBe(a);
    // Rotating: kek-2 current, index still derived from kek-1 → same digests; then kek-1 can go only with a dedicated index key.
    const rotated = createLocalKeyring({ keys: { 'kek-1': k1, 'kek-2': k2 }, current: 'kek-2', indexKeyFrom: 'kek-1' });
    expect(rotated.blindIndex('email', 'hana@example.jp')).toBe(a);
    const dedicated1 = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1', indexKey: ik });
    const dedicated2 = createLocalKeyring({ keys: { 'kek-2': k2 }, current: 'kek-2', indexKey: ik });
    expect(dedicated2.blindIndex('email', 'x')).toBe(dedicated1.blindIndex('email', 'x'));
  });
});

describe('localKeyringFromEnv / localKeyringFromFile', () => {
  it('reads the compact format with current and index key', () => {
    const env = { PURPOSE_BOUND_KEYS: `kek-1:${k1},kek-2:${k2};current=kek-2;index=${ik}` };
    const ring = localKeyringFromEnv('PURPOSE_BOUND_KEYS', env);
    expect(ring.currentKeyId).toBe('kek-2');
    expect(ring.blindIndex('email', 'x')).toBe(createLocalKeyring({ keys: { 'kek-9': k1 }, current: 'kek-9', indexKey: ik }).blindIndex('email', 'x'));
    const wrapped = ring.wrapKey('kek-1', new Uint8Array(32).fill(1), 's') as Uint8Array;
    expect(createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1' }).unwrapKey('kek-1', wrapped, 's')).toEqual(new Uint8Array(32).fill(1));
    expect(localKeyringFromEnv('K', { K: `kek-1:${k1}` }).currentKeyId).toBe('kek-1');
    expect(localKeyringFromEnv('K', { K: `kek-1:${k1},kek-2:${k2};current=kek-2;indexFrom=kek-1` }).currentKeyId).toBe('kek-2');
  });

  it('reads JSON', () => {
    const ring = localKeyringFromEnv('K', { K: JSON.stringify({ keys: { 'kek-1': k1 }, current: 'kek-1', indexKey: ik }) });
    expect(ring.currentKeyId).toBe('kek-1');
  });

  it('names the problem, never the key material', () => {
    expect(caught(() => localKeyringFromEnv('MISSING', {}))).toMatchObject({ code: 'KEY_UNAVAILABLE' });
    for (const bad of [`kek-1${k1}`, `kek-1:${k1},kek-2:${k2}`, `kek-1:${k1};colour=blue`, '{"keys":', `{"keys":[1],"current":"kek-1"}`]) {
      const error = caught(() => localKeyringFromEnv('K', { K: bad })) as Error;
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(error.message).not.toContain(k1);
      expect(error.message).not.toContain(k1.slice(0, 12));
    }
  });

  it('reads a JSON key file; a missing file is KeyUnavailableError', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pb-keys-'));
    const file = path.join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: { 'kek-1': k1, 'kek-2': k2 }, current: 'kek-1', indexKey: ik }), { mode: 0o600 });
    expect(localKeyringFromFile(file).currentKeyId).toBe('kek-1');
    expect(caught(() => localKeyringFromFile(path.join(dir, 'nope.json')))).toMatchObject({ code: 'KEY_UNAVAILABLE' });
    writeFileSync(path.join(dir, 'bad.json'), 'not json');
    expect(caught(() => localKeyringFromFile(path.join(dir, 'bad.json')))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('value encryption', () => {
  const bytes = newDataKeyBytes();
  const dk = importDataKey(new Uint8Array(bytes));

  it('round-trips values of every type with a fresh IV each time', () => {
    for (const v of ['山田花子 🦊', 0, -0, 1.5, true, null, new Date('2020-02-29T12:00:00Z'), { a: [1, { b: 'c' }] }, [1, 'x'], 12n, new Map([['k', 1]])]) {
      const c = encryptValue(dk, 's1', 'f', 1, v);
      expect(decryptValue(dk, 's1', 'f', c)).toEqual(v);
    }
    expect(Object.is(decryptValue(dk, 's1', 'f', encryptValue(dk, 's1', 'f', 1, -0)), -0)).toBe(true);
    const a = encryptValue(dk, 's1', 'f', 1, 'same');
    const b = encryptValue(dk, 's1', 'f', 1, 'same');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(a[0]).toBe(2); // format 2: the version is bound in
  });

  it('binds subject and field (AAD): moved ciphertexts fail', () => {
    const c = encryptValue(dk, 's1', 'email', 1, 'hana@example.jp');
    expect(caught(() => decryptValue(dk, 's2', 'email', c))).toMatchObject({ code: 'INTEGRITY_ERROR', subject: 's2', field: 'email' });
    expect(caught(() => decryptValue(dk, 's1', 'name', c))).toMatchObject({ code: 'INTEGRITY_ERROR' });
    // Another subject's key.
    const other = importDataKey(newDataKeyBytes());
    expect(caught(() => decryptValue(other, 's1', 'email', c))).toBeInstanceOf(IntegrityError);
  });

  it('detects a flipped bit anywhere, truncation and an unknown format; the error never holds the value', () => {
    const c = encryptValue(dk, 's1', 'email', 1, 'hana@example.jp');
    for (let i = 0; i < c.length; i++) {
      const bad = new Uint8Array(c);
      bad[i] = (bad[i] as number) ^ 0x04;
      const error = caught(() => decryptValue(dk, 's1', 'email', bad)) as Error;
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error.message).not.toContain('hana');
    }
    expect(caught(() => decryptValue(dk, 's1', 'email', c.subarray(0, 20)))).toBeInstanceOf(IntegrityError);
  });
});

describe('data-key bytes in JavaScript memory', () => {
  it('a new data key owns its memory (not a slice of a shared pool), and importing it zeroes it', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const bytes = newDataKeyBytes();
      expect(bytes.byteLength).toBe(32);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(32); // its own ArrayBuffer: nothing else to zero
      seen.add(Buffer.from(bytes).toString('hex'));
      const dk = importDataKey(bytes);
      expect(bytes.every((b) => b === 0)).toBe(true);
      // the imported key still encrypts and decrypts
      expect(decryptValue(dk, 's', 'f', encryptValue(dk, 's', 'f', 1, 'x'))).toBe('x');
    }
    expect(seen.size).toBe(50);
  });
});
