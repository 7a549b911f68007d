/**
 * The shape of a policy spec: what `definePolicy` accepts.
 *
 * @module
 */
import type { z } from 'zod';
import type { Lang, Localized } from '../i18n.js';
import type { FieldCategory, LegalBasis, LegalException } from '../legal.js';
import type { RetainedDataSpec } from './retained-data-spec.js';
import type { ForeignRecipientSpec } from './foreign-recipient-spec.js';
import type { JointUseSpec, OptOutSpec } from './joint-use-spec.js';

/**
 * One purpose of use (利用目的).
 *
 * @example
 * ```ts
 * const billing: PurposeSpec = {
 *   title: { en: 'Billing and invoicing', ja: '請求及び請求書の発行' },
 *   description: { en: 'To bill course fees.', ja: '受講料を請求するため。' },
 *   basis: 'contract',
 *   retention: 'P7Y',
 * };
 * ```
 */
export interface PurposeSpec<PurposeId extends string = string> {
  /** Short title, in every language of the policy. */
  readonly title: Localized;
  /** The purpose as the notice states it, in every language of the policy. */
  readonly description: Localized;
  /** Legal basis (GDPR Art. 6(1)); `consent` makes every read for it need an active consent. */
  readonly basis: LegalBasis;
  /** How long data may be kept for this purpose: ISO 8601 duration (`P3Y`, `P6M`, `P90D`). */
  readonly retention: string;
  /**
   * Parent purpose: a field allowed for the parent is allowed for this purpose too. Use it for
   * purposes incidental to another (the seed policy's §3.7).
   */
  readonly parent?: PurposeId;
  /**
   * `announced` (default): a purpose of use the notices list and fields may allow.
   * `outside`: a use beyond the announced purposes that only consent or a legal exception can
   * ground (e.g. responding to a court order); no field may list it, and it is reachable only
   * through `guard.readOutsidePurpose`. Notices describe it with the exceptions.
   */
  readonly scope?: 'announced' | 'outside';
  /**
   * The purpose's concept(s) in the W3C Data Privacy Vocabulary, e.g.
   * `'dpv:CommunicationManagement'` or `['dpv:IdentityVerification', 'dpv:PaymentManagement']`:
   * a compact IRI (`dpv:`, `pd:`, `legal-jp:`, `legal-eu:`, `eu-gdpr:`) or an `https:` IRI.
   * Consent receipts, disclosures and the DPV record of processing use it. Default: from the
   * basis (`contract` → `dpv:ServiceProvision`, `legal-obligation` → `dpv:LegalCompliance`,
   * otherwise `dpv:Purpose`).
   */
  readonly dpv?: string | readonly string[];
  /**
   * The legal basis as DPV concept(s), when more specific than the default for `basis`
   * (`consent` → `dpv:Consent`, `contract` → `dpv:Contract`, `legal-obligation` →
   * `dpv:LegalObligation`, `vital-interests` → `dpv:VitalInterest`, `public-task` →
   * `dpv:PublicInterest`, `legitimate-interests` → `dpv:LegitimateInterest`), e.g.
   * `'dpv:ExplicitlyExpressedConsent'`.
   */
  readonly dpvBasis?: string | readonly string[];
}

/**
 * One personal field: what is collected, how it is validated and what it may be used for.
 *
 * @example
 * ```ts
 * const email: FieldSpec = {
 *   title: { en: 'E-mail address', ja: 'メールアドレス' },
 *   schema: z.email(),
 *   category: 'contact',
 *   purposes: ['contact', 'inquiryResponse'],
 *   lookup: true,
 * };
 * ```
 */
export interface FieldSpec<PurposeId extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly title: Localized;
  readonly description?: Localized;
  /** zod schema every value must pass before it is wrapped or stored. */
  readonly schema: Schema;
  /** POLICY-MAP §1: `special-care` is APPI 要配慮個人情報. */
  readonly category: FieldCategory;
  /** Purposes the field may be used for (and, through `parent`, their children). */
  readonly purposes: readonly PurposeId[];
  /** Allow finding a subject by this field's value through a keyed blind index (never a plaintext index). */
  readonly lookup?: boolean;
  /**
   * The field's personal-data concept(s) in DPV / DPV-PD, e.g. `'pd:EmailAddress'`,
   * `'pd:BirthDate'`. Default: from the category (`identifier` and `quasi-identifier` →
   * `pd:Identifying`, `contact` → `pd:Contact`, `special-care` →
   * `dpv:SpecialCategoryPersonalData`, `other` → `dpv:PersonalData`).
   */
  readonly dpv?: string | readonly string[];
}

/**
 * Where a value came from: the person themselves (`subject`), another business that provided
 * it (`third-party`, recorded under APPI Art. 30), or a client that entrusted its handling to
 * the operator (`entrusted`, usable only for the entrusted operation).
 *
 * @example
 * ```ts
 * import type { CollectionPointSpec, ProvenanceSource } from 'purpose-bound';
 *
 * const source: ProvenanceSource = 'entrusted';
 * const entrustedSeminar: CollectionPointSpec = {
 *   title: { en: 'Participant list from the organiser', ja: '主催者から受領する参加者名簿' },
 *   fields: ['name', 'email'],
 *   purposes: ['entrustedOperation'],
 *   source,
 * };
 * ```
 */
export type ProvenanceSource = 'subject' | 'third-party' | 'entrusted';

/**
 * A place where data is collected (an application form, an inquiry form...).
 *
 * @example
 * ```ts
 * const inquiry: CollectionPointSpec = {
 *   title: { en: 'Inquiry form', ja: 'お問い合わせフォーム' },
 *   fields: ['name', 'email'],
 *   purposes: ['inquiryResponse'],
 * };
 * ```
 */
export interface CollectionPointSpec<FieldId extends string = string, PurposeId extends string = string> {
  readonly title: Localized;
  readonly description?: Localized;
  /** Fields collected here. */
  readonly fields: readonly FieldId[];
  /** Purposes announced here (APPI Art. 21). */
  readonly purposes: readonly PurposeId[];
  /** Who supplies the data; `entrusted` data may be used only for the entrusted operation (§11). Default `subject`. */
  readonly source?: ProvenanceSource;
  /** Fields the person may leave empty. Default: none. */
  readonly optional?: readonly FieldId[];
}

/**
 * A recipient of personal data: a contractor entrusted with handling it (委託先, APPI Art. 25
 * and 27(5)(i)) or a third party (第三者, Art. 27).
 *
 * @example
 * ```ts
 * const insurer: VendorSpec = {
 *   name: { en: 'Event insurer', ja: 'イベント保険の引受保険会社' },
 *   role: 'contractor',
 *   fields: ['name', 'dateOfBirth'],
 *   purposes: ['eventInsurance'],
 *   contract: 'CT-2020-014',
 *   country: 'JP',
 * };
 * ```
 */
export interface VendorSpec<FieldId extends string = string, PurposeId extends string = string> {
  readonly name: Localized;
  readonly description?: Localized;
  /**
   * `contractor`: entrusted processing under contract; `third-party`: provision that needs
   * consent, a legal exception or opt-out (`optOut`); `joint-user`: joint use (Art. 27(5)(iii),
   * `jointUse` required).
   */
  readonly role: 'contractor' | 'third-party' | 'joint-user';
  /** Fields the vendor may receive. */
  readonly fields: readonly FieldId[];
  /** Purposes for which it may receive them. */
  readonly purposes: readonly PurposeId[];
  /** Contract reference; required for contractors (supervision under contract, §9). */
  readonly contract?: string;
  /** ISO 3166-1 alpha-2 country of the recipient (provision abroad is APPI Art. 28). */
  readonly country: string;
  /**
   * Required when `country` is not `JP`: the ground for provision to a recipient in a foreign
   * country (APPI Art. 28) and the information the person is given. Applies to contractors
   * too: entrustment does not lift Art. 28.
   */
  readonly foreign?: ForeignRecipientSpec;
  /** Role `joint-user`: the matters of joint use the person is told (Art. 27(5)(iii)). */
  readonly jointUse?: JointUseSpec;
  /** Role `third-party`: provision by opt-out is allowed (Art. 27(2)); the items published and filed. */
  readonly optOut?: OptOutSpec;
  /**
   * The recipient's contact point and postal address (`address`). ISO/IEC TS 27560 records
   * need both for every recipient of a consent-based purpose; other exports print them when given.
   */
  readonly contact?: ContactSpec;
}

/**
 * Contact point for requests and complaints (APPI Art. 32(1)(iv)), printed in every notice.
 * Give at least one channel.
 *
 * @example
 * ```ts
 * import type { ContactSpec } from 'purpose-bound';
 *
 * const contact: ContactSpec = {
 *   department: { en: 'Personal Information Contact Desk', ja: '個人情報お問い合わせ窓口' },
 *   email: 'privacy@ji4pe.example',
 *   url: 'https://ji4pe.example/privacy',
 * };
 * ```
 */
export interface ContactSpec {
  readonly department?: Localized;
  readonly email?: string;
  readonly phone?: string;
  readonly url?: string;
  readonly address?: Localized;
}

/**
 * The business operator handling personal information (個人情報取扱事業者): its name, address and
 * representative (APPI Art. 32(1)(i)) and the contact point for requests.
 *
 * @example
 * ```ts
 * import type { ControllerSpec } from 'purpose-bound';
 *
 * const controller: ControllerSpec = {
 *   name: { en: 'Japanese Institute for Public Engagement (Ji4pe)', ja: 'Japanese Institute for Public Engagement（Ji4pe）' },
 *   shortName: { en: 'the Institute', ja: '当研究所' },
 *   contact: { email: 'privacy@ji4pe.example' },
 * };
 * ```
 */
export interface ControllerSpec {
  readonly name: Localized;
  /**
   * How notices refer to the operator in running text, e.g. `{ en: 'the Institute', ja: '当研究所' }`.
   * Default: `name`.
   */
  readonly shortName?: Localized;
  /** The operator's address (Art. 32(1)(i)); required to publish the full policy. */
  readonly address?: Localized;
  /** The representative, e.g. `{ en: 'Taro Yamada, President', ja: '理事長 山田太郎' }` (Art. 32(1)(i)); required to publish the full policy. */
  readonly representative?: Localized;
  readonly contact: ContactSpec;
}

/**
 * A whole policy spec. Ids are the keys of `purposes`, `fields`, `collectionPoints` and `vendors`.
 *
 * @example
 * ```ts
 * const spec = {
 *   id: 'shop', version: '1', effective: '2026-01-01',
 *   controller: { name: { en: 'Shop', ja: 'ショップ' }, contact: { email: 'privacy@shop.example' } },
 *   purposes: { contact: { title: { en: 'Contact', ja: '連絡' }, description: { en: 'To contact you.', ja: 'ご連絡のため。' }, basis: 'contract', retention: 'P1Y' } },
 *   fields: { email: { title: { en: 'E-mail', ja: 'メールアドレス' }, schema: z.email(), category: 'contact', purposes: ['contact'] } },
 *   collectionPoints: {},
 * } satisfies PolicySpec;
 * ```
 */
export interface PolicySpec<
  P extends Record<string, PurposeSpec> = Record<string, PurposeSpec>,
  F extends Record<string, FieldSpec> = Record<string, FieldSpec>,
  C extends Record<string, CollectionPointSpec> = Record<string, CollectionPointSpec>,
  V extends Record<string, VendorSpec> = Record<string, VendorSpec>,
> {
  /** Stable id of the policy across versions. */
  readonly id: string;
  /** Version label, e.g. `2020-09` or `3`. */
  readonly version: string;
  /** Effective date (施行日), `YYYY-MM-DD`. */
  readonly effective: string;
  /** Languages every text of the policy must have. Default `['en', 'ja']`. */
  readonly languages?: readonly Lang[];
  /** Title of the policy document. */
  readonly title?: Localized;
  /** Where the full policy is published (an `http:` or `https:` URL); collection and change notices point to it. */
  readonly url?: string;
  readonly controller: ControllerSpec;
  readonly purposes: P;
  readonly fields: F;
  readonly collectionPoints: C;
  readonly vendors?: V;
  /** Legal exceptions (APPI Art. 18(3)) the policy announces. Default: all four. */
  readonly exceptions?: readonly LegalException[];
  /** How long third-party provision records are kept (APPI Art. 29). Default `P3Y`. */
  readonly provisionRecordRetention?: string;
  /** Localised prose for notice sections that are not facts of the policy (e.g. staff education). */
  readonly prose?: Readonly<Record<string, Localized>>;
  /**
   * The matters on retained personal data published under APPI Art. 32(1): the request
   * procedure and fees, and the security control measures taken. Required, with
   * `controller.address` and `controller.representative`, to render the full policy.
   */
  readonly retainedData?: RetainedDataSpec;
}
