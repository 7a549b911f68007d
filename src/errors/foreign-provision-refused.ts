/**
 * `ForeignProvisionRefusedError`: code `FOREIGN_PROVISION_REFUSED`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';
import { safeId } from '../util/safe-id.js';

/**
 * Provision to a recipient in a foreign country (APPI Art. 28(1)) without its ground: the
 * recipient's ground is `consent` and the person has no consent in force to provision to it
 * (recorded under `foreignProvisionConsentPurpose(vendor)`). Entrustment does not lift the
 * rule. Nothing was handed over; the refusal is audited.
 *
 * @example
 * ```ts
 * await provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' });
 * // ForeignProvisionRefusedError (FOREIGN_PROVISION_REFUSED)
 * ```
 */
export class ForeignProvisionRefusedError extends PurposeBoundError {
  readonly vendor: string;
  /** The recipient's country (ISO 3166-1 alpha-2). */
  readonly country: string;
  constructor(vendor: string, country: string) {
    const v = safeId(vendor);
    const cc = /^[A-Z]{2}$/.test(country) ? country : safeId(country);
    super(
      'FOREIGN_PROVISION_REFUSED',
      `Vendor "${v}" is in a foreign country (${cc}) and receives data on the ground of consent: the person has not consented to provision to it (APPI Art. 28(1)); record the consent under foreignProvisionConsentPurpose("${v}")`,
    );
    this.vendor = v;
    this.country = cc;
  }
}
