/**
 * The value state's verification is remembered per data key (a row read again with the same
 * state needs no second HMAC), and that memory never lets a changed state through: any other
 * text, any other subject, is verified afresh.
 *
 * @module
 */
import { createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegrityError } from 'purpose-bound';
import { importDataKey, newDataKeyBytes } from '../../src/crypto/value-cipher.js';
import { canonicalStateBody, readValueState, sealValueState } from '../../src/crypto/value-state.js';
import { canonicalJson } from '../../src/util/canonical-json.js';
import type { SubjectRow } from '../../src/storage/adapter.js';

const row = (id: string, valueState: string): SubjectRow => ({
  id,
  keyId: 'kek-1',
  wrappedKey: new Uint8Array(8),
  createdAt: '2026-12-01T00:00:00.000Z',
  erasedAt: null,
  erasureRef: null,
  version: 1,
  valueState,
});

describe('value state verification, remembered per data key', () => {
  it('reads back what was sealed, and again', () => {
    const dk = importDataKey(newDataKeyBytes());
    const text = sealValueState(dk, 's1', new Map([['email', 2]]), new Map([['phone', 1]]), true);
    for (let i = 0; i < 2; i++) {
      const state = readValueState(dk, row('s1', text));
      expect(state?.live.get('email')).toBe(2);
      expect(state?.deleted.get('phone')).toBe(1);
      expect(state?.complete).toBe(true);
    }
  });

  it('refuses an edited state after the same key verified the original', () => {
    const dk = importDataKey(newDataKeyBytes());
    const text = sealValueState(dk, 's1', new Map([['email', 2]]), new Map(), true);
    expect(readValueState(dk, row('s1', text))?.live.get('email')).toBe(2);
    const rolledBack = text.replace('"email":2', '"email":1');
    expect(rolledBack).not.toBe(text);
    expect(() => readValueState(dk, row('s1', rolledBack))).toThrow(IntegrityError);
    const badMac = text.replace(/"mac":"(.)/, (_m, c: string) => `"mac":"${c === '0' ? '1' : '0'}`);
    expect(() => readValueState(dk, row('s1', badMac))).toThrow(IntegrityError);
    // the original still reads after a refusal
    expect(readValueState(dk, row('s1', text))?.live.get('email')).toBe(2);
  });

  it('refuses the same text under another subject id (moved state), though the key verified it for the first', () => {
    const dk = importDataKey(newDataKeyBytes());
    const text = sealValueState(dk, 's1', new Map([['email', 1]]), new Map(), true);
    expect(readValueState(dk, row('s1', text))).toBeDefined();
    expect(() => readValueState(dk, row('s2', text))).toThrow(IntegrityError);
  });

  it('refuses a state sealed under another data key', () => {
    const a = importDataKey(newDataKeyBytes());
    const b = importDataKey(newDataKeyBytes());
    const text = sealValueState(a, 's1', new Map([['email', 1]]), new Map(), true);
    expect(readValueState(a, row('s1', text))).toBeDefined();
    expect(() => readValueState(b, row('s1', text))).toThrow(IntegrityError);
  });
});

describe('the value state format (what stored rows hold: it must not change between releases)', () => {
  it('is HMAC-SHA256 under HKDF-SHA256(data key, no salt, "purpose-bound/value-state/v1") of the subject and the canonical body', () => {
    const bytes = newDataKeyBytes();
    const copy = Buffer.from(bytes); // importDataKey zeroes what it is given
    const dk = importDataKey(bytes);
    const text = sealValueState(
      dk,
      's1',
      new Map([
        ['name', 1],
        ['email', 3],
      ]),
      new Map([['phone', 2]]),
      true,
    );
    const stateKey = Buffer.from(hkdfSync('sha256', copy, Buffer.alloc(0), 'purpose-bound/value-state/v1', 32));
    const body = '{"c":true,"d":{"phone":2},"f":{"email":3,"name":1},"v":1}';
    const mac = createHmac('sha256', stateKey).update(`purpose-bound/value-state/v1\0s1\0${body}`).digest('hex');
    expect(text).toBe(JSON.stringify({ v: 1, f: { name: 1, email: 3 }, d: { phone: 2 }, c: true, mac }));
  });
});

describe('the MAC body', () => {
  it('is exactly canonicalJson of the body for any field names and versions', () => {
    const versions = fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.integer({ min: 1, max: 0xffff_ffff }), { maxKeys: 8 });
    fc.assert(
      fc.property(versions, versions, fc.boolean(), (f, d, c) => {
        const body = { v: 1 as const, f, d, c };
        expect(canonicalStateBody(body)).toBe(canonicalJson(body));
      }),
      { numRuns: 500 },
    );
  });
});
