import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isSorted, sortedKeys } from '../../src/util/canonical-json.js';

/** The reference: what canonicalJson is defined as (keys sorted with Array.prototype.sort). */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`);
  return `{${members.join(',')}}`;
}

// Keys that sort differently as strings and as numbers ("10" < "9"), come first from
// Object.keys when integer-like, or differ only beyond the BMP.
const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '9', '10', '100', 'a', 'B', '\u{1F600}', '\uFFFF', '-1', '01'));

describe('canonicalJson keys', () => {
  it('sortedKeys is Object.keys in Array.prototype.sort order, whether or not they came sorted', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer()), (o) => {
        expect(sortedKeys(o)).toEqual(Object.keys(o).sort());
      }),
    );
    expect(sortedKeys({ b: 1, a: 2 })).toEqual(['a', 'b']);
    expect(sortedKeys({ 9: 1, 10: 2 })).toEqual(['10', '9']);
  });

  it('isSorted agrees with sorting', () => {
    fc.assert(
      fc.property(fc.array(key), (list) => {
        expect(isSorted(list)).toBe(list.every((k, i) => i === 0 || (list[i - 1] as string) <= k));
        expect(isSorted([...list].sort())).toBe(true);
      }),
    );
  });

  it('canonicalJson equals its definition on nested values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(key, fc.jsonValue()), (v, o) => {
        expect(canonicalJson(v)).toBe(reference(v));
        expect(canonicalJson(o)).toBe(reference(o));
      }),
    );
  });
});
