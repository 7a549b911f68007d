/**
 * Legal bases for purposes and the legal exceptions that allow use outside a purpose, as typed
 * values mapped to APPI articles (the law as amended in force from April 2022) and to GDPR.
 *
 * @module
 */

/**
 * The lawful bases of GDPR Art. 6(1), used as a purpose's `basis`, each with the GDPR and APPI
 * article it maps to and a bilingual title.
 *
 * @example
 * ```ts
 * import { LEGAL_BASES } from 'purpose-bound';
 *
 * LEGAL_BASES.contract.gdpr; // 'Art. 6(1)(b)'
 * LEGAL_BASES.consent.title.ja; // '本人の同意'
 * ```
 */
export const LEGAL_BASES = {
  consent: {
    gdpr: 'Art. 6(1)(a)',
    appi: 'Art. 18(1)',
    title: { en: 'Consent of the person', ja: '本人の同意' },
  },
  contract: {
    gdpr: 'Art. 6(1)(b)',
    appi: 'Art. 17(1)',
    title: { en: 'Performance of a contract with the person, or steps at their request before one', ja: '本人との契約の履行又は契約締結前の本人の求めに応じた措置' },
  },
  'legal-obligation': {
    gdpr: 'Art. 6(1)(c)',
    appi: 'Art. 18(3)(i)',
    title: { en: 'Compliance with a legal obligation', ja: '法令上の義務の履行' },
  },
  'vital-interests': {
    gdpr: 'Art. 6(1)(d)',
    appi: 'Art. 18(3)(ii)',
    title: { en: 'Protection of the vital interests of a person', ja: '人の生命、身体又は財産の保護' },
  },
  'public-task': {
    gdpr: 'Art. 6(1)(e)',
    appi: 'Art. 18(3)(iv)',
    title: { en: 'A task carried out in the public interest', ja: '公共の利益のための業務の遂行' },
  },
  'legitimate-interests': {
    gdpr: 'Art. 6(1)(f)',
    appi: 'Art. 17(1)',
    title: { en: 'Legitimate interests of the business operator', ja: '事業者の正当な利益' },
  },
} as const;

/**
 * A purpose's legal basis: one of GDPR Art. 6(1)'s six. Under APPI every purpose must be
 * specified (Art. 17) and announced at acquisition (Art. 21); `consent` additionally makes the
 * guard require an active consent record for every read for that purpose.
 *
 * @example
 * ```ts
 * const basis: LegalBasis = 'contract';
 * LEGAL_BASES[basis].gdpr; // 'Art. 6(1)(b)'
 * ```
 */
export type LegalBasis = keyof typeof LEGAL_BASES;

/**
 * The grounds of APPI Art. 18(3) on which personal information may be used outside its purpose
 * without consent, each with its APPI and GDPR article and a bilingual title.
 *
 * @example
 * ```ts
 * import { LEGAL_EXCEPTIONS } from 'purpose-bound';
 *
 * LEGAL_EXCEPTIONS.law.appi; // 'Art. 18(3)(i)'
 * LEGAL_EXCEPTIONS['life-body-property'].title.en; // "When necessary to protect a person's life, ..."
 * ```
 */
export const LEGAL_EXCEPTIONS = {
  law: {
    appi: 'Art. 18(3)(i)',
    gdpr: 'Art. 6(1)(c)',
    title: { en: 'When based on laws and regulations', ja: '法令に基づく場合' },
  },
  'life-body-property': {
    appi: 'Art. 18(3)(ii)',
    gdpr: 'Art. 6(1)(d)',
    title: {
      en: "When necessary to protect a person's life, body or property and it is difficult to obtain the person's consent",
      ja: '人の生命、身体又は財産の保護のために必要がある場合であって、本人の同意を得ることが困難であるとき',
    },
  },
  'public-health-children': {
    appi: 'Art. 18(3)(iii)',
    gdpr: 'Art. 6(1)(e)',
    title: {
      en: "When specially necessary to improve public health or promote the sound upbringing of children and it is difficult to obtain the person's consent",
      ja: '公衆衛生の向上又は児童の健全な育成の推進のために特に必要がある場合であって、本人の同意を得ることが困難であるとき',
    },
  },
  'public-body-cooperation': {
    appi: 'Art. 18(3)(iv)',
    gdpr: 'Art. 6(1)(e)',
    title: {
      en: 'When necessary to cooperate with a national or local public body, or its contractor, performing duties prescribed by law, and obtaining consent would likely impede those duties',
      ja: '国の機関若しくは地方公共団体又はその委託を受けた者が法令の定める事務を遂行することに対して協力する必要がある場合であって、本人の同意を得ることにより当該事務の遂行に支障を及ぼすおそれがあるとき',
    },
  },
} as const;

/**
 * A legal exception id (APPI Art. 18(3)(i)–(iv)).
 *
 * @example
 * ```ts
 * const basis = { exception: 'law', reference: 'Tax Act s. 234 inquiry no. 2026-118' } as const;
 * await guard.readOutsidePurpose(name, { purpose: 'taxInquiry', actor: 'dpo', basis });
 * ```
 */
export type LegalException = keyof typeof LEGAL_EXCEPTIONS;

/**
 * Every legal exception id, in article order (APPI Art. 18(3)(i)–(iv)).
 *
 * @example
 * ```ts
 * import { LEGAL_EXCEPTION_IDS, LEGAL_EXCEPTIONS } from 'purpose-bound';
 *
 * const options = LEGAL_EXCEPTION_IDS.map((id) => ({ value: id, label: `${LEGAL_EXCEPTIONS[id].appi} ${LEGAL_EXCEPTIONS[id].title.en}` }));
 * // [{ value: 'law', label: 'Art. 18(3)(i) When based on laws and regulations' }, ...]
 * ```
 */
export const LEGAL_EXCEPTION_IDS: readonly LegalException[] = Object.freeze(Object.keys(LEGAL_EXCEPTIONS) as LegalException[]);

/**
 * Every legal basis id, in the order of GDPR Art. 6(1)(a)–(f).
 *
 * @example
 * ```ts
 * import { LEGAL_BASIS_IDS, type LegalBasis } from 'purpose-bound';
 *
 * const isBasis = (id: string): id is LegalBasis => (LEGAL_BASIS_IDS as readonly string[]).includes(id);
 * isBasis('legitimate-interests'); // true
 * ```
 */
export const LEGAL_BASIS_IDS: readonly LegalBasis[] = Object.freeze(Object.keys(LEGAL_BASES) as LegalBasis[]);

/**
 * Categories of personal data a field may be declared with. `special-care` is APPI 要配慮個人情報
 * (Art. 2(3)), which needs prior consent to acquire (Art. 20(2)).
 *
 * @example
 * ```ts
 * import { FIELD_CATEGORIES, type FieldCategory } from 'purpose-bound';
 *
 * FIELD_CATEGORIES; // ['identifier', 'quasi-identifier', 'contact', 'special-care', 'other']
 * const sensitive: FieldCategory = 'special-care'; // e.g. a medical history
 * ```
 */
export const FIELD_CATEGORIES = ['identifier', 'quasi-identifier', 'contact', 'special-care', 'other'] as const;

/**
 * A personal field's category.
 *
 * @example
 * ```ts
 * const c: FieldCategory = 'quasi-identifier'; // e.g. date of birth
 * ```
 */
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];
