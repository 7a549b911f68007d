import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from 'purpose-bound';

describe('parseDuration', () => {
  it.each([
    ['P3Y', { years: 3 }],
    ['P1Y6M', { years: 1, months: 6 }],
    ['P90D', { days: 90 }],
    ['P2W', { weeks: 2 }],
    ['PT12H', { hours: 12 }],
    ['P1DT2H3M4S', { days: 1, hours: 2, minutes: 3, seconds: 4 }],
  ])('%s', (text, expected) => {
    expect(parseDuration(text)).toEqual({ years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...expected });
  });

  it.each(['', 'P', 'PT', '3Y', 'P3', 'P1.5Y', 'p3y', 'P3Y ', ' P3Y', 'P-1Y', 'P1M1Y', 'PT1D', '3 years', 'P1YT'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('never throws and stays linear on arbitrary and huge input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void parseDuration(s)));
    const huge = `P${'1'.repeat(100_000)}Y${'T'.repeat(100_000)}`;
    expect(parseDuration(huge)).toBeUndefined();
  });
});

describe('addDuration', () => {
  it('adds calendar years, months and days in UTC', () => {
    expect(addDuration(new Date('2020-09-01T00:00:00Z'), parseDuration('P3Y')!).toISOString()).toBe('2023-09-01T00:00:00.000Z');
    expect(addDuration(new Date('2020-11-15T10:00:00Z'), parseDuration('P3M')!).toISOString()).toBe('2021-02-15T10:00:00.000Z');
    expect(addDuration(new Date('2026-01-01T00:00:00Z'), parseDuration('P1W2DT3H')!).toISOString()).toBe('2026-01-10T03:00:00.000Z');
  });

  it('clamps month ends (Jan 31 + P1M = end of February, leap years too)', () => {
    expect(addDuration(new Date('2026-01-31T00:00:00Z'), parseDuration('P1M')!).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addDuration(new Date('2024-01-31T00:00:00Z'), parseDuration('P1M')!).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(addDuration(new Date('2024-02-29T00:00:00Z'), parseDuration('P1Y')!).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });

  it('never goes backwards', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), fc.nat(50), fc.nat(30), fc.nat(400), (from, y, m, days) => {
        const d = parseDuration(`P${y}Y${m}M${days}D`)!;
        expect(addDuration(from, d).getTime()).toBeGreaterThanOrEqual(from.getTime());
      }),
    );
  });
});
