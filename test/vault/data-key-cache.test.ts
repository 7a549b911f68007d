/**
 * The vault's data-key cache on its own: bounds, expiry, and the identical-wrapped-key rule.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importDataKey } from '../../src/crypto/value-cipher.js';
import { createDataKeyCache } from '../../src/vault/data-key-cache.js';

const key = () => importDataKey(new Uint8Array(randomBytes(32)));
const wrapped = () => new Uint8Array(randomBytes(69));

describe('data-key cache', () => {
  it('returns a key only for the same key id and wrapped bytes, and a copy of the bytes is kept', () => {
    const cache = createDataKeyCache(undefined, () => 0);
    const w = wrapped();
    const dk = key();
    cache.set('s1', 'kek-1', w, dk);
    expect(cache.get('s1', 'kek-1', new Uint8Array(w))).toBe(dk);
    w[0] = w[0]! ^ 1; // the caller's buffer changing later does not change the entry
    expect(cache.get('s1', 'kek-1', new Uint8Array(w))).toBeUndefined(); // different bytes: miss (and dropped)
    cache.set('s2', 'kek-1', w, dk);
    expect(cache.get('s2', 'kek-2', w)).toBeUndefined(); // other key id
    expect(cache.get('s2', 'kek-1', w)).toBeUndefined(); // the miss above evicted it
  });

  it('expires entries after maxAgeMs', () => {
    let now = 1_000;
    const cache = createDataKeyCache({ maxAgeMs: 50 }, () => now);
    const w = wrapped();
    cache.set('s1', 'k', w, key());
    now += 49;
    expect(cache.get('s1', 'k', w)).toBeDefined();
    now += 1;
    expect(cache.get('s1', 'k', w)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries keys, dropping the oldest first', () => {
    const cache = createDataKeyCache({ maxEntries: 3 }, () => 0);
    const ws = Array.from({ length: 5 }, wrapped);
    ws.forEach((w, i) => cache.set(`s${i}`, 'k', w, key()));
    expect(cache.size).toBe(3);
    expect(cache.get('s0', 'k', ws[0]!)).toBeUndefined();
    expect(cache.get('s1', 'k', ws[1]!)).toBeUndefined();
    expect(cache.get('s4', 'k', ws[4]!)).toBeDefined();
    // A larger cache drops its oldest tenth at once when full, never more than that.
    const big = createDataKeyCache({ maxEntries: 100 }, () => 0);
    const many = Array.from({ length: 101 }, wrapped);
    many.forEach((w, i) => big.set(`s${i}`, 'k', w, key()));
    expect(big.size).toBe(91);
    expect(big.get('s9', 'k', many[9]!)).toBeUndefined();
    expect(big.get('s10', 'k', many[10]!)).toBeDefined();
    expect(big.get('s100', 'k', many[100]!)).toBeDefined();
    cache.delete('s4');
    expect(cache.get('s4', 'k', ws[4]!)).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('false holds nothing', () => {
    const cache = createDataKeyCache(false, () => 0);
    const w = wrapped();
    cache.set('s1', 'k', w, key());
    expect(cache.get('s1', 'k', w)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
