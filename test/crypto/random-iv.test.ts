/**
 * IVs from the buffered CSPRNG pool: 12 bytes, never handed out twice, across refills.
 */
import { describe, expect, it } from 'vitest';
import { randomIv } from '../../src/crypto/random-iv.js';

describe('randomIv', () => {
  it('gives 12-byte IVs, all different, across several refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const iv = randomIv();
      expect(iv.length).toBe(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(2_000);
  });

  it('hands out non-overlapping views: writing to one IV changes no other', () => {
    const a = randomIv();
    const b = randomIv();
    const before = Buffer.from(b);
    a.fill(0);
    expect(b.equals(before)).toBe(true);
  });
});
