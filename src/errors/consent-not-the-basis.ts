/**
 * `ConsentNotTheBasisError`: code `CONSENT_NOT_THE_BASIS`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * A consent receipt or record was asked for a purpose whose legal basis is not consent: the
 * output would say the person consented to processing that rests on a contract, a legal
 * obligation or legitimate interests. Code `CONSENT_NOT_THE_BASIS`; `purpose` names it.
 *
 * @example
 * ```ts
 * try {
 *   toKantaraReceipt(ji4pePolicy, grants, options);
 * } catch (error) {
 *   if (error instanceof ConsentNotTheBasisError) console.log(error.purpose, error.basis); // 'contact', 'contract'
 * }
 * ```
 */
export class ConsentNotTheBasisError extends PurposeBoundError {
  readonly purpose: string;
  readonly basis: string;
  constructor(purpose: string, basis: string) {
    super(
      'CONSENT_NOT_THE_BASIS',
      `purpose ${safeId(purpose)} rests on ${basis}, not consent: a consent receipt or record for it would overstate what was agreed (pass only consents for consent-based purposes, e.g. filter with isConsentPurpose)`,
    );
    this.purpose = safeId(purpose);
    this.basis = basis;
  }
}
