/**
 * ISO 8601 durations (`P3Y`, `P1Y6M`, `P30D`, `PT12H`) as used for retention periods.
 *
 * @module
 */

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * A parsed ISO 8601 duration: each component as written (`P1Y6M` is 1 year and 6 months, not
 * 18 months), so calendar arithmetic in {@link addDuration} stays exact.
 *
 * @example
 * ```ts
 * import { addDuration, type Duration } from 'purpose-bound';
 *
 * const threeYears: Duration = { years: 3, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
 * addDuration(new Date('2024-02-29T00:00:00Z'), threeYears); // 2027-02-28 (month end clamps)
 * ```
 */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/**
 * Parse an ISO 8601 duration; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseDuration('P1Y6M'); // { years: 1, months: 6, weeks: 0, ... }
 * parseDuration('3 years'); // undefined
 * ```
 */
export function parseDuration(text: string): Duration | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/**
 * Add a duration to an instant, in UTC calendar arithmetic (month ends clamp: Jan 31 + P1M = Feb 28/29).
 *
 * @example
 * ```ts
 * addDuration(new Date('2020-09-01T00:00:00Z'), parseDuration('P3Y')!); // 2023-09-01
 * ```
 */
export function addDuration(from: Date, d: Duration): Date {
  const y = from.getUTCFullYear() + d.years;
  const monthIndex = from.getUTCMonth() + d.months;
  const targetYear = y + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  const base = Date.UTC(targetYear, targetMonth, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds());
  const extraMs = (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000;
  return new Date(base + extraMs);
}
