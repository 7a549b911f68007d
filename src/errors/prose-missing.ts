/**
 * `ProseMissingError`: code `PROSE_MISSING`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

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
