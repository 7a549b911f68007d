/**
 * Languages and localised text.
 *
 * @module
 */

/**
 * Languages the SDK renders notices and reports in, in the order they are listed.
 *
 * @example
 * ```ts
 * import { LANGUAGES, type Lang } from 'purpose-bound';
 *
 * const isLang = (tag: string): tag is Lang => (LANGUAGES as readonly string[]).includes(tag);
 * isLang('ja'); // true
 * isLang('fr'); // false
 * ```
 */
export const LANGUAGES = ['en', 'ja'] as const;

/**
 * A language the SDK can render: `'en'` or `'ja'`.
 *
 * @example
 * ```ts
 * import type { Lang, Localized } from 'purpose-bound';
 *
 * const pick = (text: Localized, lang: Lang): string | undefined => text[lang] ?? text.en;
 * pick({ en: 'Event insurance', ja: 'イベント保険' }, 'ja'); // 'イベント保険'
 * ```
 */
export type Lang = (typeof LANGUAGES)[number];

/**
 * Text in every language the policy declares.
 *
 * @example
 * ```ts
 * const title: Localized = { en: 'Event insurance', ja: 'イベント保険' };
 * ```
 */
export type Localized = { readonly [L in Lang]?: string };
