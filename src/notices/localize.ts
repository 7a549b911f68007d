/**
 * Locale helpers for notices: dates (`1 September 2020`, `2020年9月1日`), durations in words
 * (`3 years`, `3年`), lists joined the way each language joins them (`A, B and C`, `A、B及びC`)
 * and country names.
 *
 * @module
 */
import type { Lang } from '../i18n.js';
import type { Duration } from '../util/duration.js';

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A `YYYY-MM-DD` date in words: `1 September 2020` or `2020年9月1日`.
 *
 * @param date - a `YYYY-MM-DD` date (as policies hold them)
 * @param lang - the language
 * @example
 * ```ts
 * formatNoticeDate('2020-09-01', 'ja'); // '2020年9月1日'
 * ```
 */
export function formatNoticeDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return lang === 'ja' ? `${year}年${month}月${day}日` : `${day} ${EN_MONTHS[month - 1] ?? ''} ${year}`;
}

const EN_UNITS: readonly (readonly [keyof Duration, string, string])[] = [
  ['years', 'year', 'years'],
  ['months', 'month', 'months'],
  ['weeks', 'week', 'weeks'],
  ['days', 'day', 'days'],
  ['hours', 'hour', 'hours'],
  ['minutes', 'minute', 'minutes'],
  ['seconds', 'second', 'seconds'],
];
const JA_UNITS: readonly (readonly [keyof Duration, string])[] = [
  ['years', '年'],
  ['months', 'か月'],
  ['weeks', '週間'],
  ['days', '日'],
  ['hours', '時間'],
  ['minutes', '分'],
  ['seconds', '秒'],
];

/**
 * A duration in words: `P3Y` → `3 years` / `3年`; `P1Y6M` → `1 year and 6 months` / `1年6か月`.
 *
 * @param d - a parsed ISO 8601 duration (`policy.retention(purpose)`)
 * @param lang - the language
 * @example
 * ```ts
 * formatNoticeDuration(policy.retention('contact'), 'en'); // '3 years'
 * ```
 */
export function formatNoticeDuration(d: Duration, lang: Lang): string {
  if (lang === 'ja') {
    const parts = JA_UNITS.filter(([k]) => d[k] > 0).map(([k, unit]) => `${d[k]}${unit}`);
    return parts.length === 0 ? '0日' : parts.join('');
  }
  const parts = EN_UNITS.filter(([k]) => d[k] > 0).map(([k, one, many]) => `${d[k]} ${d[k] === 1 ? one : many}`);
  return parts.length === 0 ? '0 days' : joinWords(parts, 'en', 'and');
}

/**
 * Join words the way the language does: `A, B and C` (`A, B, and C` with three or more, as the
 * seed policy writes) or `A、B及びC` / `A、B又はC`.
 *
 * @internal
 */
export function joinWords(words: readonly string[], lang: Lang, conj: 'and' | 'or'): string {
  if (words.length === 0) return '';
  if (words.length === 1) return words[0] as string;
  const last = words[words.length - 1] as string;
  const head = words.slice(0, -1);
  if (lang === 'ja') return `${head.join('、')}${conj === 'and' ? '及び' : '又は'}${last}`;
  return head.length === 1 ? `${head[0]} ${conj} ${last}` : `${head.join(', ')}, ${conj} ${last}`;
}

const regionNames = new Map<Lang, Intl.DisplayNames | null>();

/**
 * The name of an ISO 3166-1 alpha-2 country in the language (`JP` → `Japan` / `日本`); the code
 * itself when the runtime has no names.
 *
 * @internal
 */
export function countryName(code: string, lang: Lang): string {
  let names = regionNames.get(lang);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
    } catch {
      names = null;
    }
    regionNames.set(lang, names);
  }
  return names?.of(code) ?? code;
}

/** @internal upper-case the first letter (sentence start) of an English phrase. */
export function capitalize(value: string): string {
  return value.length === 0 ? value : value.charAt(0).toUpperCase() + value.slice(1);
}

/** @internal lower-case the first letter of an English phrase when it is a capitalised common word ("When based on..."). */
export function decapitalize(value: string): string {
  return /^[A-Z][a-z]/.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value;
}
