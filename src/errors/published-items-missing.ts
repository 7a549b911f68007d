/**
 * `PublishedItemsMissingError`: code `PUBLISHED_ITEMS_MISSING`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

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
