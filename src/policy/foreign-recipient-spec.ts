/**
 * Recipients in a foreign country (外国にある第三者, APPI Art. 28) and the grounds on which
 * personal data may be provided to them.
 *
 * @module
 */
import type { Localized } from '../i18n.js';

/**
 * The ground for providing personal data to a recipient abroad (Art. 28(1)):
 * - `consent`: the person's prior consent to provision to a third party in a foreign country,
 *   given with the information of PPC Rules Art. 17(2) (the country, its system for the
 *   protection of personal information, the recipient's measures). Recorded as a consent for
 *   the purpose `foreignProvisionConsentPurpose(vendorId)`.
 * - `equivalent-measures`: the recipient has a system meeting the standards of Rules Art. 16
 *   (基準適合体制), e.g. by contract; recorded with its reference. Art. 28(3) then obliges the
 *   operator to monitor it and to inform the person on request.
 * - `adequate-country`: the country is one the Commission designates (Rules Art. 15: the EU
 *   and EEA member states and the United Kingdom).
 *
 * @example
 * ```ts
 * import { FOREIGN_PROVISION_BASES } from 'purpose-bound';
 *
 * FOREIGN_PROVISION_BASES; // ['consent', 'equivalent-measures', 'adequate-country']
 * ```
 */
export const FOREIGN_PROVISION_BASES = Object.freeze(['consent', 'equivalent-measures', 'adequate-country'] as const);

/**
 * One of {@link FOREIGN_PROVISION_BASES}.
 *
 * @example
 * ```ts
 * const basis: ForeignProvisionBasis = 'equivalent-measures';
 * ```
 */
export type ForeignProvisionBasis = (typeof FOREIGN_PROVISION_BASES)[number];

/**
 * Countries the Commission has designated under Rules Art. 15 as having a system equivalent to
 * Japan's (the EU and EEA member states, and the United Kingdom), ISO 3166-1 alpha-2.
 *
 * @example
 * ```ts
 * import { PPC_DESIGNATED_COUNTRIES } from 'purpose-bound';
 *
 * PPC_DESIGNATED_COUNTRIES.includes('DE'); // true
 * PPC_DESIGNATED_COUNTRIES.includes('US'); // false
 * ```
 */
export const PPC_DESIGNATED_COUNTRIES: readonly string[] = Object.freeze([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
  'GB',
]);

/**
 * What a vendor outside Japan needs in the spec (`vendors.<id>.foreign`).
 *
 * @example
 * ```ts
 * const foreign: ForeignRecipientSpec = {
 *   basis: 'equivalent-measures',
 *   system: { en: 'The United States has no comprehensive federal privacy law; ...', ja: '米国には包括的な連邦の個人情報保護法はなく、…' },
 *   measures: { en: 'The contractor is bound by contract to measures equivalent to APPI Chapter 4.', ja: '委託先は、契約により法第4章に相当する措置を講じる義務を負っています。' },
 *   equivalentMeasures: { reference: 'JI4PE-DPA-2021-02', monitoring: { en: 'Checked once a year.', ja: '年1回確認します。' } },
 * };
 * ```
 */
export interface ForeignRecipientSpec {
  readonly basis: ForeignProvisionBasis;
  /** Information on the foreign country's system for the protection of personal information (Rules Art. 17(2)(ii)). */
  readonly system: Localized;
  /** The measures the recipient takes for the protection of personal information (Rules Art. 17(2)(iii)). */
  readonly measures: Localized;
  /**
   * For `equivalent-measures`: the contract or other instrument that sets up the system (Rules
   * Art. 16(i)), and how its continued implementation is checked (Art. 28(3), Rules Art. 18).
   */
  readonly equivalentMeasures?: { readonly reference: string; readonly monitoring: Localized };
}

/**
 * The consent purpose under which the person's consent to provision to a foreign recipient
 * (Art. 28(1)) is recorded: `abroad:<vendorId>`.
 *
 * @param vendorId - the vendor's id in the policy
 * @example
 * ```ts
 * await vault.consents.record({ subject, purpose: foreignProvisionConsentPurpose('newsletterService'), state: 'granted', at, noticeVersion: '2021-04', actor: 'subject' });
 * ```
 */
export function foreignProvisionConsentPurpose(vendorId: string): string {
  return `abroad:${vendorId}`;
}
