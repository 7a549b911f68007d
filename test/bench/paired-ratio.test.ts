import { describe, expect, it } from 'vitest';
import { pairedRatio } from '../../bench/paired-ratio.js';

describe('pairedRatio (the benchmark turns estimator)', () => {
  it('takes the ratio turn by turn, not of the totals', () => {
    // Totals: 12 / 12 = 1; turn by turn: 0.5, 1, 2 (load drifting between turns moves both).
    expect(pairedRatio([1, 3, 8], [2, 3, 4])).toEqual({ median: 1, q1: 0.5, q3: 2, n: 3 });
  });

  it('sorts the ratios and averages the middle two of an even count', () => {
    expect(pairedRatio([4, 1, 3, 2], [1, 1, 1, 1])).toEqual({ median: 2.5, q1: 1, q3: 3, n: 4 });
  });

  it('a single pair is its own median and quartiles', () => {
    expect(pairedRatio([9], [10])).toEqual({ median: 0.9, q1: 0.9, q3: 0.9, n: 1 });
  });

  it('refuses unpaired or empty figures', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRatio([], [])).toThrow(RangeError);
  });
});
