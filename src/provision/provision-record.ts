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
import type { VendorSpec } from '../policy/spec.js';
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
 * - `opt-out`: provision by opt-out (Art. 27(2)) to a third party whose `optOut` the policy states.
 * - `joint-use`: to a joint user (Art. 27(5)(iii)); not a provision to a third party, recorded all the same.
 *
 * @example
 * ```ts
 * const basis: ProvisionBasis = 'exception:law';
 * ```
 */
export type ProvisionBasis = 'entrustment' | 'consent' | `exception:${LegalException}` | 'opt-out' | 'joint-use';

/**
 * How long the record is kept:
 * - `standard`: the policy's `provisionRecordRetention` (default 3 years).
 * - `supply-to-person`: 1 year, where the provision was part of supplying goods or services to
 *   the person and the contract or similar document serves as the record (PPC Rules Art. 19(3));
 *   counted from the LAST provision to the same recipient under it (Rules Art. 21(i)).
 * - `collective`: the policy's period (3 years), for provisions recorded collectively because
 *   they are made repeatedly to the same recipient (Rules Art. 19(2) proviso); counted from the
 *   last provision to that recipient (Rules Art. 21(ii)).
 *
 * Periods are counted as the Rules count them: from the Japanese calendar day of the provision
 * as day 1, to the end of the day before the anniversary (a record of a provision on 10 January
 * 2026 with a 3-year period is kept to the end of 9 January 2029, Japan time).
 *
 * @example
 * ```ts
 * await provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:7', retention: 'supply-to-person' });
 * ```
 */
export type ProvisionRecordRetention = 'standard' | 'supply-to-person' | 'collective';

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
    readonly role: VendorSpec['role'];
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
  /**
   * For a recipient in a foreign country (APPI Art. 28): the ground relied on — the person's
   * consent to provision abroad (its record id), the recipient's equivalent-measures system
   * (its instrument's reference), or a designated country. Absent for a recipient in Japan and
   * where a legal exception applies.
   */
  readonly foreign?:
    | { readonly basis: 'consent'; readonly consentId: string }
    | { readonly basis: 'equivalent-measures'; readonly reference: string }
    | { readonly basis: 'adequate-country' };
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
  // Day 1 is the Japanese calendar day of the provision; the period ends with the day before its anniversary.
  const JST = 9 * 3_600_000;
  const DAY = 86_400_000;
  const dayStart = new Date(Math.floor((providedAt.getTime() + JST) / DAY) * DAY - JST);
  return new Date(addDuration(dayStart, d).getTime() - 1).toISOString();
}

/**
 * When each record may be removed, as the Rules count it (Art. 21): a `standard` record its own
 * `keepUntil`; `supply-to-person` and `collective` records the latest `keepUntil` of the
 * records of the same subject, recipient and kind, since their period runs from the last
 * provision.
 *
 * @param records - provision records (of any subjects)
 * @returns record id → the instant after which it may be removed
 * @example
 * ```ts
 * const until = effectiveKeepUntil(await provisions.records(subject));
 * ```
 */
export function effectiveKeepUntil(records: readonly ProvisionRecord[]): Map<string, string> {
  const latest = new Map<string, string>();
  const group = (r: ProvisionRecord): string => `${r.subject}\u0000${r.vendor}\u0000${r.retention}`;
  for (const r of records) {
    if (r.retention === 'standard') continue;
    const g = group(r);
    const cur = latest.get(g);
    if (cur === undefined || r.keepUntil > cur) latest.set(g, r.keepUntil);
  }
  return new Map(records.map((r) => [r.id, r.retention === 'standard' ? r.keepUntil : (latest.get(group(r)) as string)]));
}
