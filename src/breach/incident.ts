/**
 * A leakage, loss or damage (漏えい、滅失又は毀損, "漏えい等") of personal data, as the operator
 * records it: what happened and when it was found, which fields, how many people, the cause,
 * and the facts that decide whether it must be reported to the Personal Information
 * Protection Commission (APPI Art. 26(1), PPC Rules Art. 7) and, for GDPR, to the supervisory
 * authority (Art. 33) and to the persons (Art. 34).
 *
 * Texts are the operator's words about the incident; they must not contain personal values
 * (they are kept with the incident and printed in the reports).
 *
 * @module
 */
import type { Localized } from '../i18n.js';

/**
 * The kind of incident (Art. 26(1)): `leakage` (漏えい), `loss` (滅失), `damage` (毀損).
 *
 * @example
 * ```ts
 * import { BREACH_KINDS } from 'purpose-bound';
 *
 * BREACH_KINDS; // ['leakage', 'loss', 'damage']
 * ```
 */
export const BREACH_KINDS = Object.freeze(['leakage', 'loss', 'damage'] as const);

/**
 * One of {@link BREACH_KINDS}.
 *
 * @example
 * ```ts
 * const kind: BreachKind = 'leakage';
 * ```
 */
export type BreachKind = (typeof BREACH_KINDS)[number];

/**
 * How the affected persons are found. Each source adds subjects; the union is the affected set.
 * - `subjects`: listed explicitly (the operator knows them).
 * - `reads`: every subject whose listed fields were read (audit `read` entries, allowed), by
 *   `actor` if given, between `from` and `to` — e.g. a compromised staff account.
 * - `provisions`: every subject whose listed fields were provided to `vendor` (audit `provide`
 *   entries, allowed) between `from` and `to` — e.g. a leak at a contractor.
 *
 * @example
 * ```ts
 * const scope: BreachScope = { reads: { actor: 'staff:7', from: '2026-03-01T00:00:00Z', to: '2026-03-31T23:59:59Z' } };
 * ```
 */
export interface BreachScope {
  readonly subjects?: readonly string[];
  readonly reads?: { readonly actor?: string; readonly from: string; readonly to: string };
  readonly provisions?: { readonly vendor: string; readonly from?: string; readonly to?: string };
}

/**
 * GDPR facts of the incident (for users the GDPR applies to): the controller's assessment of
 * the risk to the rights and freedoms of natural persons.
 * - `unlikely`: no notification to the supervisory authority (Art. 33(1)), but documented (33(5)).
 * - `risk`: notify the supervisory authority within 72 hours of becoming aware (Art. 33(1)).
 * - `high`: also communicate it to the persons without undue delay (Art. 34(1)), unless
 *   Art. 34(3) applies (e.g. the data was unintelligible to anyone not authorised).
 *
 * @example
 * ```ts
 * const gdpr: BreachGdprAssessment = { risk: 'high' };
 * ```
 */
export interface BreachGdprAssessment {
  readonly risk: 'unlikely' | 'risk' | 'high';
}

/**
 * What the operator records about an incident (`breaches.record(input)`).
 *
 * @example
 * ```ts
 * const input: BreachInput = {
 *   kind: 'leakage',
 *   suspected: true,
 *   discoveredAt: '2026-04-10T02:00:00Z',
 *   occurredAt: '2026-04-09T15:00:00Z',
 *   fields: ['name', 'email'],
 *   scope: { provisions: { vendor: 'mailingService' } },
 *   summary: { en: 'The mailing contractor reported unauthorised access to its server.', ja: '発送の委託先から、同社サーバへの不正アクセスの報告がありました。' },
 *   cause: { en: 'Unauthorised access to the contractor’s server.', ja: '委託先サーバへの不正アクセス。' },
 *   wrongfulPurpose: true,
 *   actor: 'dpo',
 * };
 * ```
 */
export interface BreachInput {
  readonly kind: BreachKind;
  /** `true` where it is not yet certain that it occurred (漏えい等が発生したおそれ). */
  readonly suspected?: boolean;
  /** When the operator became aware of it (ISO 8601); the deadlines run from here. */
  readonly discoveredAt: string;
  /** When it occurred, if known. */
  readonly occurredAt?: string;
  /** Fields of the policy concerned. */
  readonly fields: readonly string[];
  /** How the affected persons are found; see {@link BreachScope}. */
  readonly scope: BreachScope;
  /** Number of persons when the scope cannot list them all (e.g. a lost paper list); the larger of this and the derived count is used. */
  readonly estimatedPersons?: number;
  /** Summary of the situation (概要, Rules Art. 8(1)(i)). */
  readonly summary: Localized;
  /** Cause, as far as known (原因, 8(1)(iv)). */
  readonly cause?: Localized;
  /** Whether the incident may have been caused by someone acting for a wrongful purpose (Rules Art. 7(iii)): unauthorised access, theft, an insider. */
  readonly wrongfulPurpose?: boolean;
  /** Whether misuse of the data may cause financial damage, e.g. card or bank details (Rules Art. 7(ii)). */
  readonly financialDamageRisk?: boolean;
  /**
   * The data was protected by advanced encryption or similar measures and the keys were not
   * compromised (Rules Art. 7(i) proviso; GDPR Art. 34(3)(a)): then it need not be reported.
   * For the vault's encrypted storage: a copy of the database leaked but the keyring did not.
   */
  readonly protectedByEncryption?: boolean;
  readonly gdpr?: BreachGdprAssessment;
  /** Who records it. */
  readonly actor: string;
}

/**
 * A ground on which an incident must be reported to the Commission (PPC Rules Art. 7):
 * - `special-care`: the data includes special care-required personal information (7(i));
 * - `financial-damage`: misuse may cause financial damage (7(ii));
 * - `wrongful-purpose`: it may have been caused for a wrongful purpose (7(iii));
 * - `over-1000`: more than 1,000 persons (7(iv)).
 *
 * @example
 * ```ts
 * const g: ReportableGround = 'over-1000';
 * ```
 */
export type ReportableGround = 'special-care' | 'financial-damage' | 'wrongful-purpose' | 'over-1000';

/**
 * The report items of PPC Rules Art. 8(1) the operator completes as it learns them
 * (`breaches.update`); the final report needs (i)-(viii).
 *
 * @example
 * ```ts
 * await breaches.update(id, { secondaryDamage: { en: 'None known.', ja: '現時点で確認されていません。' } }, { actor: 'dpo' });
 * ```
 */
export interface BreachReportItems {
  /** (v) Secondary damage or its risk, and what it is (二次被害又はそのおそれの有無及びその内容). */
  readonly secondaryDamage?: Localized;
  /** (vi) What has been done for the persons (本人への対応の実施状況). Filled from the notices sent when absent. */
  readonly responseToPersons?: Localized;
  /** (vii) Public announcement (公表の実施状況). */
  readonly publicAnnouncement?: Localized;
  /** (viii) Measures to prevent recurrence (再発防止のための措置). */
  readonly preventionMeasures?: Localized;
  /** (ix) Anything else of use (その他参考となる事項). */
  readonly other?: Localized;
  /** (iv) The cause, once known. */
  readonly cause?: Localized;
  /** (i) The summary, revised. */
  readonly summary?: Localized;
}

/**
 * A person affected by an incident, with the fields concerned and where that was found.
 *
 * @example
 * ```ts
 * for (const a of incident.affected) console.log(a.subject, a.fields.join(','));
 * ```
 */
export interface AffectedSubject {
  readonly subject: string;
  readonly fields: readonly string[];
  /** `listed`, `reads` or `provisions`. */
  readonly via: readonly ('listed' | 'reads' | 'provisions')[];
  /** Audit sequence numbers of the entries it was derived from. */
  readonly auditSeqs: readonly number[];
}

/**
 * A recorded incident, as the breach desk keeps it.
 *
 * @example
 * ```ts
 * const incident: BreachIncident = await breaches.record(input);
 * incident.reportable.ppc; // true
 * incident.deadlines.ppcFinal; // '2026-05-09T14:59:59.999Z' (end of day 30, JST)
 * ```
 */
export interface BreachIncident {
  readonly id: string;
  readonly kind: BreachKind;
  readonly suspected: boolean;
  readonly discoveredAt: string;
  readonly occurredAt?: string;
  readonly fields: readonly string[];
  readonly scope: BreachScope;
  readonly affected: readonly AffectedSubject[];
  /** Persons concerned: the larger of the derived count and `estimatedPersons`. */
  readonly personCount: number;
  readonly wrongfulPurpose: boolean;
  readonly financialDamageRisk: boolean;
  readonly protectedByEncryption: boolean;
  readonly items: BreachReportItems & { readonly summary: Localized };
  readonly reportable: {
    /** Must be reported to the Commission and notified to the persons (APPI Art. 26). */
    readonly ppc: boolean;
    readonly grounds: readonly ReportableGround[];
    /** GDPR: notify the supervisory authority (Art. 33) / the persons (Art. 34). */
    readonly gdprAuthority: boolean;
    readonly gdprPersons: boolean;
  };
  readonly deadlines: import('./deadlines.js').BreachDeadlines;
  /** Reports made to the Commission (what the operator submitted, when, its reference). */
  readonly reports: readonly { readonly stage: 'preliminary' | 'final'; readonly at: string; readonly actor: string; readonly reference?: string }[];
  /** Persons notified, with when and how. */
  readonly notified: readonly { readonly subject: string; readonly at: string; readonly method: string }[];
  readonly gdprAuthorityNotifiedAt?: string;
  readonly recordedBy: string;
  readonly policyVersion: string;
}
