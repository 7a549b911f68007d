/**
 * Languages and localised text.
 *
 * @module
 */

/** Languages the SDK renders notices and reports in. */
export const LANGUAGES = ['en', 'ja'] as const;

/** A language the SDK can render: `'en'` or `'ja'`. */
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
