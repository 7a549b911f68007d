/**
 * `TranslationMissingError`: code `TRANSLATION_MISSING`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * A notice was asked for in a language the policy does not declare (`policy.languages`), so
 * some of its text has no translation.
 *
 * @example
 * ```ts
 * const enOnly = definePolicy({ ...spec, languages: ['en'] });
 * renderPolicy(enOnly, { lang: 'ja' }); // TranslationMissingError (code TRANSLATION_MISSING)
 * ```
 */
export class TranslationMissingError extends PurposeBoundError {
  /** The language asked for (described, never echoed, when it is not a language code). */
  readonly lang: string;
  /** Id of the policy lacking it. */
  readonly policyId: string;
  constructor(lang: unknown, policyId: string, declared: readonly string[]) {
    const shown = typeof lang === 'string' && /^[a-z]{2}$/.test(lang) ? lang : safeId(lang);
    super(
      'TRANSLATION_MISSING',
      `Policy "${policyId}" has no ${shown} text: it declares the languages ${declared.join(', ')}; add "${shown}" to its languages and translate every text`,
    );
    this.lang = shown;
    this.policyId = policyId;
  }
}
