/**
 * Errors of provision to vendors and third parties.
 *
 * @module
 */
import { PurposeBoundError } from '../errors.js';
import { safeId } from '../util/safe-id.js';

/**
 * A provision the policy's vendor registry does not allow: an unknown vendor, a field the vendor
 * may not receive, a purpose it may not receive it for, or a basis that does not fit its role.
 * Nothing was handed over; the denial is audited.
 *
 * @example
 * ```ts
 * await provisions.provide({ vendor: 'mailingService', subject, fields: ['dateOfBirth'], purpose: 'courseMaterials', actor: 'staff:7' });
 * // VendorNotAllowedError (VENDOR_NOT_ALLOWED): vendor "mailingService" may not receive field "dateOfBirth"
 * ```
 */
export class VendorNotAllowedError extends PurposeBoundError {
  readonly vendor: string;
  /** `unknown-vendor`, `field`, `purpose`, `basis`, or `stopped` (the person asked to stop provision, APPI Art. 35(3)). */
  readonly rule: 'unknown-vendor' | 'field' | 'purpose' | 'basis' | 'stopped';
  readonly field: string | undefined;
  readonly purpose: string | undefined;
  constructor(vendor: string, rule: VendorNotAllowedError['rule'], what?: { readonly field?: string; readonly purpose?: string; readonly detail?: string }) {
    const v = safeId(vendor);
    const message =
      rule === 'unknown-vendor'
        ? `The policy has no vendor ${v === vendor ? `"${v}"` : v}`
        : rule === 'field'
          ? `Vendor "${v}" may not receive field "${safeId(what?.field)}" (APPI Art. 27; policy vendors)`
          : rule === 'purpose'
            ? `Vendor "${v}" may not receive data for purpose "${safeId(what?.purpose)}" (policy vendors)`
            : `Vendor "${v}": ${what?.detail ?? 'basis does not fit its role'}`;
    super('VENDOR_NOT_ALLOWED', message);
    this.vendor = v;
    this.rule = rule;
    this.field = what?.field === undefined ? undefined : safeId(what.field);
    this.purpose = what?.purpose === undefined ? undefined : safeId(what.purpose);
  }
}

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
