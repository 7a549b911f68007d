/**
 * When a stored value's retention ends. Each purpose has a retention period (`retention`,
 * ISO 8601); a value may be kept while any of its purposes still needs it, so it expires when
 * the longest retention among its purposes has passed.
 *
 * Decisions (see docs/requests.md, "Retention"):
 * - **Which purposes.** By default the purposes announced where the value was collected
 *   (the collection point's purposes and their children, APPI Art. 21) that the field allows,
 *   narrowed further for entrusted data. A value collected at an inquiry form is kept for the
 *   inquiry's retention, not for the longest purpose the field has anywhere. With
 *   `purposesFrom: 'field'`, every purpose the field allows counts.
 * - **From when.** From the moment the value as it stands was obtained: its last change
 *   (`updatedAt`, a correction or addition) or else its collection (`collectedAt`). Reads do
 *   not extend retention (a value read every day would otherwise be kept forever), nor does
 *   marking it verified.
 *
 * @module
 */
import type { AnyPolicy } from '../policy/define-policy.js';
import { addDuration } from '../util/duration.js';
import type { Provenance } from '../vault/types.js';

/**
 * Which purposes decide a value's retention.
 *
 * @example
 * ```ts
 * await sweepRetention(vault, { now: new Date(), purposesFrom: 'field' satisfies RetentionPurposes });
 * ```
 */
export type RetentionPurposes = 'collection-point' | 'field';

/**
 * A value's retention, purpose by purpose.
 *
 * @example
 * ```ts
 * const r: ValueRetention | undefined = valueRetention(policy, 'email', provenance);
 * ```
 */
export interface ValueRetention {
  readonly field: string;
  /** The instant retention counts from (last change, else collection). */
  readonly from: string;
  /** Each purpose that keeps the value, and until when. */
  readonly purposes: readonly { readonly purpose: string; readonly retention: string; readonly until: string }[];
  /** The latest `until`: after it, the value is destroyed by the retention sweep. */
  readonly until: string;
}

/**
 * The purposes a stored value serves.
 *
 * @param policy - the policy
 * @param field - the field id
 * @param provenance - the value's provenance (its collection point)
 * @param restrictTo - the purposes entrusted data is bound to, if any
 * @param purposesFrom - `collection-point` (default) or `field`
 * @example
 * ```ts
 * valuePurposes(ji4pePolicy, 'name', { collectionPoint: 'inquiry' }); // ['inquiryResponse']
 * ```
 */
export function valuePurposes(
  policy: AnyPolicy,
  field: string,
  provenance: Pick<Provenance, 'collectionPoint'>,
  restrictTo?: readonly string[],
  purposesFrom: RetentionPurposes = 'collection-point',
): readonly string[] {
  if (!policy.hasField(field)) return [];
  let purposes = policy.allowedPurposes(field) as readonly string[];
  if (restrictTo !== undefined) {
    const r = new Set(restrictTo);
    purposes = purposes.filter((p) => policy.lineage(p).some((q) => r.has(q)));
  }
  if (purposesFrom === 'collection-point' && (policy.collectionPointIds as readonly string[]).includes(provenance.collectionPoint)) {
    const announced = new Set<string>(policy.collectionPoint(provenance.collectionPoint).purposes);
    const narrowed = purposes.filter((p) => policy.lineage(p).some((q) => announced.has(q)));
    // A collection point announcing none of the field's purposes would leave nothing; keep the
    // field's own then (never shorter than the guard allows by accident of configuration).
    if (narrowed.length > 0) purposes = narrowed;
  }
  return purposes;
}

/**
 * Compute a value's retention.
 *
 * @param policy - the policy (purposes and their retention)
 * @param field - the field id
 * @param provenance - the value's provenance
 * @param options - `restrictTo` for entrusted data; `purposesFrom` (default `collection-point`)
 * @returns the retention, or `undefined` for a field the policy no longer defines
 * @example
 * ```ts
 * const r = valueRetention(ji4pePolicy, 'email', provenance);
 * new Date(r!.until) < new Date(); // expired
 * ```
 */
export function valueRetention(
  policy: AnyPolicy,
  field: string,
  provenance: Pick<Provenance, 'collectionPoint' | 'collectedAt' | 'updatedAt'>,
  options: { readonly restrictTo?: readonly string[]; readonly purposesFrom?: RetentionPurposes } = {},
): ValueRetention | undefined {
  if (!policy.hasField(field)) return undefined;
  const from = provenance.updatedAt ?? provenance.collectedAt;
  const start = new Date(from);
  const purposes = valuePurposes(policy, field, provenance, options.restrictTo, options.purposesFrom).map((purpose) => ({
    purpose,
    retention: policy.purpose(purpose).retention,
    until: addDuration(start, policy.retention(purpose)).toISOString(),
  }));
  let until = from;
  for (const p of purposes) if (Date.parse(p.until) > Date.parse(until)) until = p.until;
  return Object.freeze({ field, from, purposes: Object.freeze(purposes.map((p) => Object.freeze(p))), until });
}
