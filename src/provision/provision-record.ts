/**
 * Records of provision of personal data to third parties (第三者提供に係る記録, APPI Art. 29)
 * and to contractors under entrustment (委託, Art. 27(5)(i)), and how long they are kept.
 *
 * Retention under the Commission's rules: generally 3 years; 1 year where the provision was
 * made as part of supplying goods or services to the person (the record may then be the
 * contract or similar document). The policy's `provisionRecordRetention` sets the general
 * period (default `P3Y`).
 *
 * @module
 */
import { FEATURE_RECORD_KINDS } from '../vault/record-kinds.js';
import type { Localized } from '../i18n.js';
import type { LegalException } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { addDuration, parseDuration } from '../util/duration.js';

/**
 * Record kind under which provision records are stored.
 *
 * @example
 * ```ts
 * await adapter.transaction((tx) => tx.listRecords(PROVISION_RECORD_KIND, { subjectId: subject }));
 * ```
 */
export const PROVISION_RECORD_KIND = FEATURE_RECORD_KINDS.provision;

/**
 * The ground of a provision:
 * - `entrustment`: to a contractor handling the data on the operator's behalf (Art. 27(5)(i));
 *   not a provision to a third party, recorded all the same.
 * - `consent`: the person's consent to the provision (Art. 27(1)).
 * - `exception:<id>`: a legal exception of Art. 27(1)(i)–(iv) (the same grounds as Art. 18(3)).
 *
 * @example
 * ```ts
 * const basis: ProvisionBasis = 'exception:law';
 * ```
 */
export type ProvisionBasis = 'entrustment' | 'consent' | `exception:${LegalException}`;

/**
 * How long the record is kept:
 * - `standard`: the policy's `provisionRecordRetention` (default 3 years).
 * - `supply-to-person`: 1 year, where the provision was part of supplying goods or services to the person.
 *
 * @example
 * ```ts
 * await provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:7', retention: 'supply-to-person' });
 * ```
 */
export type ProvisionRecordRetention = 'standard' | 'supply-to-person';

/**
 * The retention of `supply-to-person` records.
 *
 * @example
 * ```ts
 * SUPPLY_TO_PERSON_RETENTION; // 'P1Y'
 * ```
 */
export const SUPPLY_TO_PERSON_RETENTION = 'P1Y';
/**
 * The default general retention of provision records.
 *
 * @example
 * ```ts
 * policy.spec.provisionRecordRetention ?? DEFAULT_PROVISION_RECORD_RETENTION; // 'P3Y'
 * ```
 */
export const DEFAULT_PROVISION_RECORD_RETENTION = 'P3Y';

/**
 * One provision: who received which fields of whose data, when, for what and on what ground.
 * Never a value.
 *
 * @example
 * ```ts
 * const r: ProvisionRecord = (await provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:7' })).record;
 * r.recipient.role; // 'third-party'
 * r.keepUntil;      // 3 years after r.providedAt
 * ```
 */
export interface ProvisionRecord {
  readonly id: string;
  readonly subject: string;
  /** The vendor id in the policy. */
  readonly vendor: string;
  /** The recipient as the policy names it (name, role, country, contract). */
  readonly recipient: {
    readonly name: Localized;
    readonly role: 'contractor' | 'third-party';
    readonly country: string;
    readonly contract?: string;
  };
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly basis: ProvisionBasis;
  /** The legal exception's reference (statute, case or request number). */
  readonly reference?: string;
  /** Consent records relied on (basis `consent`). */
  readonly consentIds?: readonly string[];
  readonly providedAt: string;
  readonly actor: string;
  readonly policyVersion: string;
  readonly retention: ProvisionRecordRetention;
  /** After this instant the record is expired and removed by `sweepRetention`. */
  readonly keepUntil: string;
}

/**
 * When a provision record may be removed.
 *
 * @param policy - gives the general retention (`provisionRecordRetention`, default `P3Y`)
 * @param providedAt - the provision instant
 * @param retention - `standard` or `supply-to-person` (1 year)
 * @example
 * ```ts
 * provisionRecordKeepUntil(policy, new Date('2026-01-10T00:00:00Z'), 'supply-to-person'); // '2027-01-10T00:00:00.000Z'
 * ```
 */
export function provisionRecordKeepUntil(policy: AnyPolicy, providedAt: Date, retention: ProvisionRecordRetention): string {
  const text = retention === 'supply-to-person' ? SUPPLY_TO_PERSON_RETENTION : ((policy.spec.provisionRecordRetention as string | undefined) ?? DEFAULT_PROVISION_RECORD_RETENTION);
  const d = parseDuration(text) ?? (parseDuration(DEFAULT_PROVISION_RECORD_RETENTION) as NonNullable<ReturnType<typeof parseDuration>>);
  return addDuration(providedAt, d).toISOString();
}
