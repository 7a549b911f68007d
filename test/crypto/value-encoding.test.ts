/**
 * Strings are encoded and decoded without V8's serializer object, in V8's own format: what
 * `encodeString` writes is what `v8.serialize` writes, `v8.deserialize` reads it back, and
 * `decodeValue` reads whatever `v8.serialize` wrote (any value, any layout) as V8 does.
 */
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeString, encodeValue } from '../../src/crypto/value-encoding.js';

/** A string with a flat, freshly built representation (as values arrive from JSON or a form). */
const fresh = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

const edges = [
  '',
  'a',
  'é',
  '\u00ff',
  '\u0100',
  '山田 花子',
  '\u{1F600}',
  '\uD800',
  'a\uDFFFb',
  '\u0000',
  'a'.repeat(127),
  'a'.repeat(128),
  'a'.repeat(16_384),
  '山'.repeat(63),
  '山'.repeat(64),
  '山'.repeat(8_191),
  '山'.repeat(8_192),
];

describe('string encoding', () => {
  it('writes exactly what v8.serialize writes, at every varint and padding edge', () => {
    for (const s of edges) expect(encodeString(s).toString('hex')).toBe(serialize(fresh(s)).toString('hex'));
  });

  it('round-trips any string through v8.deserialize and through decodeValue', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 300 })), (s) => {
        const encoded = encodeString(s);
        expect(deserialize(encoded)).toBe(s);
        expect(decodeValue(encoded)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes whatever v8.serialize wrote, strings of either representation and every other value', () => {
    const twoByteLatin1 = '山abc'.slice(1); // may be kept two-byte inside V8: v8.serialize then writes tag 0x63
    const values: unknown[] = [...edges, twoByteLatin1, 42, -0, 1.5, true, null, new Date('2026-12-01T00:00:00Z'), ['a', 1], { a: { b: 'c' } }, 10n];
    for (const v of values) expect(decodeValue(serialize(v))).toEqual(deserialize(serialize(v)));
    // other values still go through v8.serialize
    expect(encodeValue(42).equals(serialize(42))).toBe(true);
    expect(encodeValue({ a: 1 }).equals(serialize({ a: 1 }))).toBe(true);
  });

  it('hands a malformed or truncated string layout to v8.deserialize, which refuses it as before', () => {
    const good = encodeString('abc');
    for (const bad of [good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0x61])]), Buffer.from([0xff, 0x0f, 0x63, 0x03, 0x61, 0x00, 0x62])]) {
      let fromV8: unknown;
      let v8Threw = false;
      try {
        fromV8 = deserialize(bad);
      } catch {
        v8Threw = true;
      }
      if (v8Threw) expect(() => decodeValue(bad)).toThrow();
      else expect(decodeValue(bad)).toEqual(fromV8);
    }
  });
});
