/**
 * Which purposes a consent is recorded for, and the refusal to call anything else consent.
 *
 * A consent given at a collection point is the person's consent to the purposes announced
 * there **whose legal basis is consent**. Purposes that rest on a contract, a legal
 * obligation or legitimate interests do not become consent-based because a form also carried
 * a consent box: recording a grant for them would overstate what the person agreed to, and a
 * receipt would then call a contract a consent.
 *
 * One exception, from APPI Art. 20(2): special-care personal information (要配慮個人情報) needs
 * the person's consent to its *acquisition* whatever the purpose's basis. When special-care
 * fields are collected, the consent is recorded for the announced purposes those fields serve,
 * so that the vault can show it later; those consents are evidence of Art. 20(2) consent, not
 * a legal basis for the purpose, and the receipt exporters refuse to present them as one.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';
import type { AnyPolicy } from './define-policy.js';
import { safeId } from '../util/safe-id.js';

/**
 * Is a purpose's legal basis consent (GDPR Art. 6(1)(a); APPI Art. 18(1) for use beyond the
 * announced purposes)?
 *
 * @param policy - the policy
 * @param purpose - a purpose id of the policy
 * @example
 * ```ts
 * import { isConsentPurpose } from 'purpose-bound';
 *
 * isConsentPurpose(ji4pePolicy, 'applicationPrefill'); // true
 * isConsentPurpose(ji4pePolicy, 'contact'); // false: contract
 * ```
 */
export function isConsentPurpose(policy: AnyPolicy, purpose: string): boolean {
  return policy.hasPurpose(purpose) && policy.purpose(purpose).basis === 'consent';
}

/**
 * The purposes a consent given at collection is recorded for: the announced purposes whose
 * basis is consent, and, when special-care fields are among those collected (APPI Art. 20(2)),
 * the announced purposes those fields serve. In the order announced, each once.
 *
 * A consent given where no announced purpose rests on consent and no special-care field is
 * collected records nothing: the values are collected on their own bases.
 *
 * @param policy - the policy
 * @param announced - the purposes announced at the collection point
 * @param collected - the fields collected (for the special-care rule); default none
 * @example
 * ```ts
 * import { consentPurposesOf } from 'purpose-bound';
 *
 * const point = ji4pePolicy.collectionPoint('eventApplication');
 * consentPurposesOf(ji4pePolicy, point.purposes); // ['applicationPrefill']
 * ```
 */
export function consentPurposesOf(policy: AnyPolicy, announced: readonly string[], collected: readonly string[] = []): string[] {
  const out = new Set<string>();
  const specialCare = collected.filter((f) => policy.hasField(f) && policy.field(f).category === 'special-care');
  for (const purpose of announced) {
    if (isConsentPurpose(policy, purpose)) out.add(purpose);
  }
  for (const field of specialCare) {
    const served = announced.filter((p) => policy.isAllowed(field, p));
    for (const p of served.length > 0 ? served : announced) out.add(p);
  }
  return announced.filter((p) => out.has(p));
}

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

/** @internal Throw unless every consent's purpose rests on consent. */
export function assertConsentPurposes(policy: AnyPolicy, purposes: Iterable<string>): void {
  for (const p of purposes) {
    const basis = policy.purpose(p).basis;
    if (basis !== 'consent') throw new ConsentNotTheBasisError(p, basis);
  }
}
