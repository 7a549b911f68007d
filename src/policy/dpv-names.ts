/**
 * The grammar of DPV concept names a policy may give its purposes, bases and fields (issue
 * 13). Kept in the policy layer so that validation needs nothing from the exporters.
 *
 * @module
 */

/**
 * Prefixes a policy's `dpv` / `dpvBasis` names may use: DPV core, DPV-PD, and the legal
 * extensions for Japan, the EU and the GDPR.
 *
 * @example
 * ```ts
 * import { DPV_CONCEPT_PREFIXES } from 'purpose-bound';
 *
 * DPV_CONCEPT_PREFIXES.includes('pd'); // true
 * ```
 */
export const DPV_CONCEPT_PREFIXES = Object.freeze(['dpv', 'pd', 'legal-jp', 'legal-eu', 'eu-gdpr'] as const);

const COMPACT = /^(dpv|pd|legal-jp|legal-eu|eu-gdpr):[A-Za-z][A-Za-z0-9-]*$/;
const ABSOLUTE = /^https:\/\/[^\s<>"{}|\\^`]+$/;

/**
 * Is `name` a DPV concept name the policy may give: a compact IRI with one of
 * {@link DPV_CONCEPT_PREFIXES} (`dpv:IdentityVerification`, `pd:BirthDate`) or an absolute
 * `https:` IRI of a concept from another vocabulary? Whether the concept exists in DPV is not
 * checked (the vocabulary is not bundled).
 *
 * @param name - the name to check
 * @example
 * ```ts
 * import { isDpvConceptName } from 'purpose-bound';
 *
 * isDpvConceptName('pd:EmailAddress'); // true
 * isDpvConceptName('EmailAddress'); // false: no prefix
 * ```
 */
export function isDpvConceptName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length > 300) return false;
  return COMPACT.test(name) || ABSOLUTE.test(name);
}
