/**
 * `diffPolicies`: what changed between two versions of one policy, and which changes need the
 * person's fresh consent rather than a notice alone (APPI Art. 17(2), 18(1), 21(3), 27).
 *
 * @module
 */
import type { Localized } from '../i18n.js';
import type { LegalBasis, LegalException } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { VendorSpec } from '../policy/spec.js';
import { isPolicy } from '../policy/define-policy.js';
import { InvalidArgumentError } from '../errors.js';
import { PolicyMismatchError } from '../errors.js';

/**
 * What a change needs before it applies to data already held:
 * - `consent`: the person's fresh consent (a new purpose for data already collected, a field
 *   newly allowed for a purpose, a purpose that now rests on consent, a new third-party
 *   recipient of data already collected);
 * - `notice`: notifying the person or announcing it (Art. 21(3)) is enough.
 *
 * @example
 * ```ts
 * const needsConsent = diffPolicies(v1, v2).changes.some((c) => c.requires === 'consent');
 * ```
 */
export type ChangeRequirement = 'consent' | 'notice';

/**
 * One change between two policy versions; `kind` tells which, `requires` what it needs.
 *
 * @example
 * ```ts
 * for (const c of diffPolicies(v1, v2).changes) if (c.kind === 'purpose-added') console.log(c.purpose, c.fields);
 * ```
 */
export type PolicyChange =
  /** A new purpose. `fields`: fields already collected under the previous version that it may now use. */
  | { readonly kind: 'purpose-added'; readonly purpose: string; readonly scope: 'announced' | 'outside'; readonly fields: readonly string[]; readonly requires: ChangeRequirement }
  | { readonly kind: 'purpose-removed'; readonly purpose: string; readonly requires: 'notice' }
  /** Title or description reworded (possibly widened: review whether it stays within what the person could reasonably expect). */
  | { readonly kind: 'purpose-description-changed'; readonly purpose: string; readonly requires: 'notice' }
  /** Fields already collected that an existing purpose may now use (directly or through a parent). */
  | { readonly kind: 'purpose-fields-added'; readonly purpose: string; readonly fields: readonly string[]; readonly requires: 'consent' }
  | { readonly kind: 'purpose-basis-changed'; readonly purpose: string; readonly from: LegalBasis; readonly to: LegalBasis; readonly requires: ChangeRequirement }
  | { readonly kind: 'retention-changed'; readonly purpose: string; readonly from: string; readonly to: string; readonly longer: boolean; readonly requires: 'notice' }
  /** A field the previous version did not have. `collectionPoints`: where it is now collected. */
  | { readonly kind: 'field-added'; readonly field: string; readonly collectionPoints: readonly string[]; readonly requires: 'notice' }
  | { readonly kind: 'field-removed'; readonly field: string; readonly requires: 'notice' }
  | { readonly kind: 'collection-point-added'; readonly collectionPoint: string; readonly requires: 'notice' }
  | { readonly kind: 'collection-point-removed'; readonly collectionPoint: string; readonly requires: 'notice' }
  /** A collection point now collects more fields (`fieldsAdded`), fewer, or announces other purposes. */
  | {
      readonly kind: 'collection-point-changed';
      readonly collectionPoint: string;
      readonly fieldsAdded: readonly string[];
      readonly fieldsRemoved: readonly string[];
      readonly purposesAdded: readonly string[];
      readonly purposesRemoved: readonly string[];
      readonly requires: 'notice';
    }
  /** `abroad`: the recipient is in a foreign country (APPI Art. 28); with basis `consent`, data already collected needs fresh consent. */
  | { readonly kind: 'vendor-added'; readonly vendor: string; readonly role: VendorSpec['role']; readonly abroad: boolean; readonly requires: ChangeRequirement }
  | { readonly kind: 'vendor-removed'; readonly vendor: string; readonly requires: 'notice' }
  /** A recipient receives more fields or for more purposes, changed role or country. */
  | {
      readonly kind: 'vendor-changed';
      readonly vendor: string;
      readonly fieldsAdded: readonly string[];
      readonly purposesAdded: readonly string[];
      readonly roleChanged: boolean;
      readonly countryChanged: boolean;
      /** The recipient is abroad in the new version (APPI Art. 28). */
      readonly abroad: boolean;
      /** The ground for provision abroad (`vendors.<id>.foreign.basis`) changed. */
      readonly foreignBasisChanged: boolean;
      readonly requires: ChangeRequirement;
    }
  | { readonly kind: 'exception-added'; readonly exception: LegalException; readonly requires: 'notice' }
  | { readonly kind: 'exception-removed'; readonly exception: LegalException; readonly requires: 'notice' }
  | { readonly kind: 'controller-changed'; readonly requires: 'notice' }
  /** The Art. 32(1) matters (`retainedData`: request procedure, fees, security measures) changed. */
  | { readonly kind: 'retained-data-changed'; readonly requires: 'notice' }
  | { readonly kind: 'provision-record-retention-changed'; readonly from: string; readonly to: string; readonly requires: 'notice' }
  /** Localised prose of a section (or the preamble) changed. */
  | { readonly kind: 'prose-changed'; readonly section: string; readonly requires: 'notice' };

/**
 * The kinds of {@link PolicyChange}.
 *
 * @example
 * ```ts
 * const kinds: PolicyChangeKind[] = diffPolicies(v1, v2).changes.map((c) => c.kind);
 * ```
 */
export type PolicyChangeKind = PolicyChange['kind'];

/**
 * The difference between two versions of one policy.
 *
 * @example
 * ```ts
 * const diff: PolicyDiff = diffPolicies(v1, v2);
 * if (diff.requiresConsent) askForConsentAgain();
 * ```
 */
export interface PolicyDiff {
  readonly policyId: string;
  readonly from: { readonly version: string; readonly effective: string };
  readonly to: { readonly version: string; readonly effective: string };
  /** Every change, in a stable order: purposes, retention, fields, collection points, vendors, exceptions, controller, prose. */
  readonly changes: readonly PolicyChange[];
  /** Whether any change needs fresh consent. */
  readonly requiresConsent: boolean;
  /** Whether anything but the version label and effective date changed. */
  readonly changed: boolean;
}

const sameText = (a: Localized | undefined, b: Localized | undefined): boolean => a?.en === b?.en && a?.ja === b?.ja;
const minus = <T>(a: readonly T[], b: readonly T[]): T[] => a.filter((x) => !b.includes(x));

/** Approximate length of an ISO 8601 duration in days, to tell "longer" from "shorter". */
function approxDays(policy: AnyPolicy, purpose: string): number {
  const d = policy.retention(purpose);
  return d.years * 365.25 + d.months * 30.44 + d.weeks * 7 + d.days + (d.hours * 3600 + d.minutes * 60 + d.seconds) / 86400;
}

/**
 * Compare two versions of one policy.
 *
 * Consent is required where data already collected under `previous` would be used in a way it
 * could not be before: a new announced purpose that may use an existing field, an existing
 * field newly allowed for a purpose, a purpose whose basis becomes `consent`, a new or widened
 * third-party recipient of existing fields, and a new or widened recipient in a foreign country
 * whose ground is consent (APPI Art. 28(1): contractors included). Everything else (new fields, retention, rewording,
 * removals, contractors, exceptions, prose) needs notice. A reworded purpose is reported as
 * `purpose-description-changed` with `notice`: whether the new wording stays within what is
 * reasonably related to the old one (Art. 17(2)) is a judgement the SDK cannot make; review it.
 *
 * @param previous - the version in force
 * @param next - the new version
 * @returns the typed list of changes and whether any needs consent
 * @throws PolicyMismatchError when the ids differ or `next` takes effect before `previous`
 * @throws InvalidArgumentError when an argument is not a policy from `definePolicy`
 * @example
 * ```ts
 * const diff = diffPolicies(policyV1, policyV2);
 * if (diff.requiresConsent) for (const c of diff.changes) if (c.requires === 'consent') console.log(c.kind);
 * ```
 */
export function diffPolicies(previous: AnyPolicy, next: AnyPolicy): PolicyDiff {
  if (!isPolicy(previous)) throw new InvalidArgumentError('previous', 'must be a policy made by definePolicy');
  if (!isPolicy(next)) throw new InvalidArgumentError('next', 'must be a policy made by definePolicy');
  if (previous.id !== next.id) throw new PolicyMismatchError(previous.id, next.id, 'they are different policies (ids differ), not two versions of one');
  if (next.effective < previous.effective) {
    throw new PolicyMismatchError(
      previous.id,
      next.id,
      `the next version (effective ${next.effective}) takes effect before the previous one (effective ${previous.effective}); pass the older version first`,
    );
  }
  const changes: PolicyChange[] = [];
  const oldFields: readonly string[] = previous.fieldIds;

  // Purposes.
  for (const id of next.purposeIds as readonly string[]) {
    const np = next.purpose(id);
    const scope = np.scope ?? 'announced';
    if (!previous.hasPurpose(id)) {
      const fields = scope === 'announced' ? oldFields.filter((f) => next.hasField(f) && next.isAllowed(f, id)) : [];
      changes.push({ kind: 'purpose-added', purpose: id, scope, fields, requires: fields.length > 0 ? 'consent' : 'notice' });
      continue;
    }
    const op = previous.purpose(id);
    if (!sameText(op.title, np.title) || !sameText(op.description, np.description)) changes.push({ kind: 'purpose-description-changed', purpose: id, requires: 'notice' });
    const widened = oldFields.filter((f) => next.hasField(f) && next.isAllowed(f, id) && !previous.isAllowed(f, id));
    if (widened.length > 0) changes.push({ kind: 'purpose-fields-added', purpose: id, fields: widened, requires: 'consent' });
    if (op.basis !== np.basis) changes.push({ kind: 'purpose-basis-changed', purpose: id, from: op.basis, to: np.basis, requires: np.basis === 'consent' ? 'consent' : 'notice' });
  }
  for (const id of previous.purposeIds as readonly string[]) if (!next.hasPurpose(id)) changes.push({ kind: 'purpose-removed', purpose: id, requires: 'notice' });
  for (const id of next.purposeIds as readonly string[]) {
    if (!previous.hasPurpose(id)) continue;
    const from = previous.purpose(id).retention;
    const to = next.purpose(id).retention;
    if (from !== to) {
      const a = approxDays(previous, id);
      const b = approxDays(next, id);
      if (a !== b) changes.push({ kind: 'retention-changed', purpose: id, from, to, longer: b > a, requires: 'notice' });
    }
  }

  // Fields.
  const pointsCollecting = (policy: AnyPolicy, field: string): string[] =>
    (policy.collectionPointIds as readonly string[]).filter((cp) => policy.collectionPoint(cp).fields.includes(field));
  for (const id of next.fieldIds as readonly string[]) {
    if (!previous.hasField(id)) changes.push({ kind: 'field-added', field: id, collectionPoints: pointsCollecting(next, id), requires: 'notice' });
  }
  for (const id of oldFields) if (!next.hasField(id)) changes.push({ kind: 'field-removed', field: id, requires: 'notice' });

  // Collection points.
  const oldPoints: readonly string[] = previous.collectionPointIds;
  for (const id of next.collectionPointIds as readonly string[]) {
    if (!oldPoints.includes(id)) {
      changes.push({ kind: 'collection-point-added', collectionPoint: id, requires: 'notice' });
      continue;
    }
    const a = previous.collectionPoint(id);
    const b = next.collectionPoint(id);
    const fieldsAdded = minus(b.fields, a.fields);
    const fieldsRemoved = minus(a.fields, b.fields);
    const purposesAdded = minus(b.purposes, a.purposes);
    const purposesRemoved = minus(a.purposes, b.purposes);
    if (fieldsAdded.length + fieldsRemoved.length + purposesAdded.length + purposesRemoved.length > 0) {
      changes.push({ kind: 'collection-point-changed', collectionPoint: id, fieldsAdded, fieldsRemoved, purposesAdded, purposesRemoved, requires: 'notice' });
    }
  }
  for (const id of oldPoints)
    if (!(next.collectionPointIds as readonly string[]).includes(id)) changes.push({ kind: 'collection-point-removed', collectionPoint: id, requires: 'notice' });

  // Vendors.
  const oldVendors: readonly string[] = previous.vendorIds;
  for (const id of next.vendorIds as readonly string[]) {
    const v = next.vendor(id);
    const receivesOldData = v.fields.some((f) => oldFields.includes(f));
    // Art. 28: a recipient abroad on the ground of consent needs consent even as a contractor.
    const abroadOnConsent = v.country !== 'JP' && v.foreign?.basis === 'consent';
    if (!oldVendors.includes(id)) {
      // A third party on consent, a joint user (joint use of data already held needs consent), or a recipient abroad on consent; opt-out provision needs prior notice and filing instead.
      const consentRecipient = (v.role === 'third-party' && v.optOut === undefined) || v.role === 'joint-user' || abroadOnConsent;
      changes.push({ kind: 'vendor-added', vendor: id, role: v.role, abroad: v.country !== 'JP', requires: consentRecipient && receivesOldData ? 'consent' : 'notice' });
      continue;
    }
    const o = previous.vendor(id);
    const fieldsAdded = minus(v.fields, o.fields);
    const purposesAdded = minus(v.purposes, o.purposes);
    const roleChanged = o.role !== v.role;
    const countryChanged = o.country !== v.country;
    const foreignBasisChanged = (o.foreign?.basis ?? null) !== (v.foreign?.basis ?? null);
    if (fieldsAdded.length + purposesAdded.length > 0 || roleChanged || countryChanged || foreignBasisChanged) {
      const widensThirdParty =
        (v.role === 'third-party' || abroadOnConsent) &&
        (roleChanged || purposesAdded.length > 0 || countryChanged || foreignBasisChanged
          ? v.fields.some((f) => oldFields.includes(f))
          : fieldsAdded.some((f) => oldFields.includes(f)));
      changes.push({
        kind: 'vendor-changed',
        vendor: id,
        fieldsAdded,
        purposesAdded,
        roleChanged,
        countryChanged,
        abroad: v.country !== 'JP',
        foreignBasisChanged,
        requires: widensThirdParty ? 'consent' : 'notice',
      });
    }
  }
  for (const id of oldVendors) if (!(next.vendorIds as readonly string[]).includes(id)) changes.push({ kind: 'vendor-removed', vendor: id, requires: 'notice' });

  // Exceptions.
  for (const e of next.exceptions) if (!previous.exceptions.includes(e)) changes.push({ kind: 'exception-added', exception: e, requires: 'notice' });
  for (const e of previous.exceptions) if (!next.exceptions.includes(e)) changes.push({ kind: 'exception-removed', exception: e, requires: 'notice' });

  // Controller, provision records, prose.
  if (JSON.stringify(previous.spec.controller) !== JSON.stringify(next.spec.controller)) changes.push({ kind: 'controller-changed', requires: 'notice' });
  if (JSON.stringify(previous.spec.retainedData ?? null) !== JSON.stringify(next.spec.retainedData ?? null)) changes.push({ kind: 'retained-data-changed', requires: 'notice' });
  const prFrom = previous.spec.provisionRecordRetention ?? 'P3Y';
  const prTo = next.spec.provisionRecordRetention ?? 'P3Y';
  if (prFrom !== prTo) changes.push({ kind: 'provision-record-retention-changed', from: prFrom, to: prTo, requires: 'notice' });
  const oldProse = previous.spec.prose ?? {};
  const newProse = next.spec.prose ?? {};
  for (const key of new Set([...Object.keys(oldProse), ...Object.keys(newProse)])) {
    if (!sameText(Object.hasOwn(oldProse, key) ? oldProse[key] : undefined, Object.hasOwn(newProse, key) ? newProse[key] : undefined)) {
      changes.push({ kind: 'prose-changed', section: key, requires: 'notice' });
    }
  }

  return Object.freeze({
    policyId: next.id,
    from: Object.freeze({ version: previous.version, effective: previous.effective }),
    to: Object.freeze({ version: next.version, effective: next.effective }),
    changes: Object.freeze(changes.map((c) => Object.freeze(c))),
    requiresConsent: changes.some((c) => c.requires === 'consent'),
    changed: changes.length > 0,
  });
}
