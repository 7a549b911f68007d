/**
 * The matters on retained personal data (保有個人データ) a business operator must keep where the
 * person can know them (APPI Art. 32(1), Cabinet Order Art. 10): how requests are made, the
 * fees, and the security control measures taken. The operator's name, address and
 * representative (Art. 32(1)(i)) are in `controller`; the purposes of use (32(1)(ii)) in
 * `purposes`; the contact point for complaints (Order Art. 10(ii)) in `controller.contact`.
 *
 * @module
 */
import type { Localized } from '../i18n.js';

/**
 * A request for which the operator may charge a fee (APPI Art. 38(1)): notification of the
 * purposes of use (Art. 32(2)), disclosure (Art. 33(1)) and disclosure of provision records
 * (Art. 33(5)). Correction and suspension of use may not be charged for.
 *
 * @example
 * ```ts
 * import { CHARGEABLE_REQUESTS } from 'purpose-bound';
 *
 * CHARGEABLE_REQUESTS.includes('disclosure'); // true
 * ```
 */
export const CHARGEABLE_REQUESTS = Object.freeze(['purposes-notification', 'disclosure', 'provision-records'] as const);

/**
 * A request kind a fee may be charged for; see {@link CHARGEABLE_REQUESTS}.
 *
 * @example
 * ```ts
 * const kind: ChargeableRequest = 'purposes-notification';
 * ```
 */
export type ChargeableRequest = (typeof CHARGEABLE_REQUESTS)[number];

/**
 * One fee (手数料, APPI Art. 38): what it is charged for, the amount in yen (within what is
 * reasonable considering the actual cost, Art. 38(2)) and how it is paid.
 *
 * @example
 * ```ts
 * const fee: FeeSpec = { request: 'disclosure', amountJpy: 1000, payment: { en: 'Postal money order enclosed with the request.', ja: '請求書に定額小為替を同封してお支払いください。' } };
 * ```
 */
export interface FeeSpec {
  readonly request: ChargeableRequest;
  /** Amount per request in Japanese yen (an integer, 0 or more). */
  readonly amountJpy: number;
  readonly payment: Localized;
  /** Request channels (as `desk.receive({ channel })` names them) for which no fee is charged, e.g. `['web-form']`. */
  readonly waivedChannels?: readonly string[];
}

/**
 * A way the person can receive a disclosure (Art. 33(1), PPC Rules Art. 30): by electronic
 * record, by delivery of a paper copy, or another way the operator sets.
 *
 * @example
 * ```ts
 * import { DISCLOSURE_METHODS } from 'purpose-bound';
 *
 * DISCLOSURE_METHODS; // ['electronic', 'paper', 'other']
 * ```
 */
export const DISCLOSURE_METHODS = Object.freeze(['electronic', 'paper', 'other'] as const);

/**
 * A method of disclosure; see {@link DISCLOSURE_METHODS}.
 *
 * @example
 * ```ts
 * const method: DisclosureMethod = 'electronic';
 * ```
 */
export type DisclosureMethod = (typeof DISCLOSURE_METHODS)[number];

/**
 * How requests for notification of the purposes, disclosure, correction etc. and suspension of
 * use etc. are made (開示等の請求等に応じる手続, Art. 32(1)(iii) and Art. 37).
 *
 * @example
 * ```ts
 * const procedure: RequestProcedureSpec = {
 *   submitTo: { en: 'By post to the Personal Information Contact Desk.', ja: '個人情報お問い合わせ窓口宛てに郵送してください。' },
 *   form: { en: 'The request form on our website.', ja: '当ウェブサイトの所定の請求書。' },
 *   identityVerification: { en: 'A copy of a driving licence or other official ID.', ja: '運転免許証その他の公的書類の写し。' },
 *   agents: { en: 'A power of attorney and the agent’s ID.', ja: '委任状及び代理人の本人確認書類。' },
 *   delivery: { en: 'In the way you choose.', ja: 'ご指定の方法により回答します。' },
 *   disclosureMethods: ['electronic', 'paper'],
 *   fees: [],
 * };
 * ```
 */
export interface RequestProcedureSpec {
  /** Where requests are sent (申出先). */
  readonly submitTo: Localized;
  /** The form of the request (書面の様式その他の方式). */
  readonly form: Localized;
  /** How the person's identity is verified (本人確認の方法, Art. 37(1)). */
  readonly identityVerification: Localized;
  /** How an agent acting for the person makes the request and is verified (代理人, Art. 37(3), Order Art. 11). */
  readonly agents: Localized;
  /** How the result is delivered (回答の方法). */
  readonly delivery: Localized;
  /** Methods of disclosure the person can choose from (Art. 33(1)); at least one. */
  readonly disclosureMethods: readonly DisclosureMethod[];
  /** Fees (Art. 38); an empty list says that no fee is charged. */
  readonly fees: readonly FeeSpec[];
}

/**
 * Measures for one foreign country where personal data is handled, directly or by a contractor
 * (外的環境の把握, PPC General Guidelines 10-7): the country and what the operator has
 * understood of its system and did about it.
 *
 * @example
 * ```ts
 * const us: ExternalEnvironmentSpec = {
 *   country: 'US',
 *   measures: { en: 'We have checked the US system for the protection of personal information before entrusting the delivery of e-mail.', ja: '米国における個人情報の保護に関する制度を把握した上で、メール配信を委託しています。' },
 * };
 * ```
 */
export interface ExternalEnvironmentSpec {
  /** ISO 3166-1 alpha-2 code. */
  readonly country: string;
  readonly measures: Localized;
}

/**
 * The security control measures taken (講じた安全管理措置, Art. 32(1)(iv) with Order Art. 10(i)),
 * in the PPC General Guidelines' categories (10-1 to 10-7). Each list holds at least one item.
 * Leave out what would impair security if published.
 *
 * @example
 * ```ts
 * const m = (en: string, ja: string) => [{ en, ja }];
 * const measures: SecurityMeasuresSpec = {
 *   basicPolicy: m('We have a basic policy on handling personal data.', '個人データの取扱いに関する基本方針を策定しています。'),
 *   rules: m('Handling rules for each stage.', '取扱規程を策定しています。'),
 *   organisational: m('A manager is appointed.', '責任者を設置しています。'),
 *   human: m('Staff are trained.', '従業者に研修を実施しています。'),
 *   physical: m('Offices are access-controlled.', '入退室管理を行っています。'),
 *   technical: m('Data is encrypted at rest.', '保存時に暗号化しています。'),
 * };
 * ```
 */
export interface SecurityMeasuresSpec {
  /** 基本方針の策定 (10-1). */
  readonly basicPolicy: readonly Localized[];
  /** 個人データの取扱いに係る規律の整備 (10-2). */
  readonly rules: readonly Localized[];
  /** 組織的安全管理措置 (10-3). */
  readonly organisational: readonly Localized[];
  /** 人的安全管理措置 (10-4). */
  readonly human: readonly Localized[];
  /** 物理的安全管理措置 (10-5). */
  readonly physical: readonly Localized[];
  /** 技術的安全管理措置 (10-6). */
  readonly technical: readonly Localized[];
  /**
   * 外的環境の把握 (10-7): one entry per foreign country where personal data is handled.
   * Required for the country of every vendor outside Japan.
   */
  readonly externalEnvironment?: readonly ExternalEnvironmentSpec[];
}

/**
 * The categories of {@link SecurityMeasuresSpec} in the order notices list them.
 *
 * @example
 * ```ts
 * SECURITY_MEASURE_CATEGORIES[2]; // 'organisational'
 * ```
 */
export const SECURITY_MEASURE_CATEGORIES = Object.freeze(['basicPolicy', 'rules', 'organisational', 'human', 'physical', 'technical'] as const);

/**
 * The Art. 32(1) matters the policy publishes, beyond the operator and the purposes.
 *
 * @example
 * ```ts
 * const retainedData: RetainedDataSpec = { requests: procedure, securityMeasures: measures };
 * ```
 */
export interface RetainedDataSpec {
  readonly requests: RequestProcedureSpec;
  readonly securityMeasures: SecurityMeasuresSpec;
  /** The accredited personal information protection organisation the operator belongs to, if any (認定個人情報保護団体, Order Art. 10(iii)), with its contact point. */
  readonly accreditedOrganisation?: Localized;
}
