/**
 * Errors of the notice renderer. Each is thrown before any output is produced.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';
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

/**
 * The full policy needs localised prose for sections that are promises in words rather than
 * facts of the policy (e.g. `education`, §16 of the seed policy), and the policy lacks some.
 * Lists every missing section id at once.
 *
 * @example
 * ```ts
 * renderPolicy(policyWithoutProse, { lang: 'en' });
 * // ProseMissingError: Policy "shop" lacks prose for the sections scope, acquisition, ... (code PROSE_MISSING)
 * ```
 */
export class ProseMissingError extends PurposeBoundError {
  /** The missing `prose` keys (section ids). */
  readonly sections: readonly string[];
  readonly policyId: string;
  constructor(policyId: string, sections: readonly string[]) {
    super(
      'PROSE_MISSING',
      `Policy "${policyId}" lacks prose for the section(s) ${sections.join(', ')}: add them to spec.prose (see NOTICE_SECTIONS), or render with omitMissingProse: true`,
    );
    this.sections = Object.freeze([...sections]);
    this.policyId = policyId;
  }
}

/**
 * The full policy is the public announcement of the matters on retained personal data (APPI
 * Art. 32(1)): the operator's address and representative, the request procedure and fees, the
 * security measures taken. The policy lacks some of them (`controller.address`,
 * `controller.representative`, `retainedData`). Lists them all at once.
 *
 * @example
 * ```ts
 * renderPolicy(policyWithoutRetainedData, { lang: 'ja' });
 * // PublishedItemsMissingError (code PUBLISHED_ITEMS_MISSING), items ['retainedData']
 * ```
 */
export class PublishedItemsMissingError extends PurposeBoundError {
  /** The missing spec paths. */
  readonly items: readonly string[];
  readonly policyId: string;
  constructor(policyId: string, items: readonly string[]) {
    super(
      'PUBLISHED_ITEMS_MISSING',
      `Policy "${policyId}" cannot be published: it lacks ${items.join(', ')}, which APPI Art. 32(1) requires the full policy to state; add them to the spec, or render a draft with omitMissingProse: true`,
    );
    this.items = Object.freeze([...items]);
    this.policyId = policyId;
  }
}

/**
 * Two policies were compared (a change notice, `diffPolicies`) that are not versions of one
 * policy: their ids differ, or the "previous" one takes effect after the next one.
 *
 * @example
 * ```ts
 * diffPolicies(shopPolicy, ji4pePolicy); // PolicyMismatchError (code POLICY_MISMATCH)
 * ```
 */
export class PolicyMismatchError extends PurposeBoundError {
  readonly previousId: string;
  readonly nextId: string;
  constructor(previousId: string, nextId: string, reason: string) {
    super('POLICY_MISMATCH', `Cannot compare policy "${previousId}" with policy "${nextId}": ${reason}`);
    this.previousId = previousId;
    this.nextId = nextId;
  }
}
