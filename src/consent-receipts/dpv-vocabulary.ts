/**
 * The W3C Data Privacy Vocabulary (DPV 2.x) as purpose-bound uses it: namespaces, the JSON-LD
 * context every export carries, and the DPV concepts of a policy's purposes, legal bases,
 * fields and rights, with defaults from a purpose's legal basis and a field's category where
 * the policy names none.
 *
 * IRIs are those of DPV 2.3 (`https://w3id.org/dpv#`), its personal-data extension DPV-PD
 * (`https://w3id.org/dpv/pd#`), the legal extensions for Japan (`legal-jp:law-APPI`), the EU
 * (`legal-eu:law-GDPR`) and the GDPR (`eu-gdpr:A6-1-a` ... `eu-gdpr:A21`), and the locations
 * extension (`loc:JP`).
 *
 * @module
 */
import type { FieldCategory, LegalBasis } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';

/**
 * Namespace IRIs of the vocabularies the exports use, by prefix.
 *
 * @example
 * ```ts
 * import { DPV_NAMESPACES } from 'purpose-bound';
 *
 * DPV_NAMESPACES.pd; // 'https://w3id.org/dpv/pd#'
 * ```
 */
export const DPV_NAMESPACES = Object.freeze({
  dpv: 'https://w3id.org/dpv#',
  pd: 'https://w3id.org/dpv/pd#',
  loc: 'https://w3id.org/dpv/loc#',
  'legal-jp': 'https://w3id.org/dpv/legal/jp#',
  'legal-eu': 'https://w3id.org/dpv/legal/eu#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  dct: 'http://purl.org/dc/terms/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  schema: 'https://schema.org/',
});

export { DPV_CONCEPT_PREFIXES, isDpvConceptName } from '../policy/dpv-names.js';

/**
 * Term definitions that make the exports' compact-IRI keys real RDF: values of IRI-valued
 * properties are coerced to IRIs (`@type: @id`), times to `xsd:dateTime`, durations to
 * `xsd:duration`. Every export inlines it, so no JSON-LD processor has to fetch anything.
 */
const TERMS = Object.freeze({
  'dct:conformsTo': { '@type': '@id' },
  'dct:created': { '@type': 'xsd:dateTime' },
  'dct:modified': { '@type': 'xsd:dateTime' },
  'dct:valid': { '@type': 'xsd:dateTime' },
  'dpv:hasDataSubject': { '@type': '@id' },
  'dpv:hasDataController': { '@type': '@id' },
  'dpv:hasDataProcessor': { '@type': '@id' },
  'dpv:hasThirdParty': { '@type': '@id' },
  'dpv:hasRecipient': { '@type': '@id' },
  'dpv:hasEntity': { '@type': '@id' },
  'dpv:isIndicatedBy': { '@type': '@id' },
  'dpv:isIndicatedAtTime': { '@type': 'xsd:dateTime' },
  'dpv:hasLegalBasis': { '@type': '@id' },
  'dpv:hasJurisdiction': { '@type': '@id' },
  'dpv:hasApplicableLaw': { '@type': '@id' },
  'dpv:hasLocation': { '@type': '@id' },
  'dpv:hasCountry': { '@type': '@id' },
  'dpv:hasNecessity': { '@type': '@id' },
  'dpv:hasProcessing': { '@type': '@id' },
  'dpv:isExercisedAt': { '@type': '@id' },
  'dpv:hasNotice': { '@type': '@id' },
  'dpv:hasPurpose': { '@type': '@id' },
  'dpv:hasPersonalData': { '@type': '@id' },
  'dpv:hasRight': { '@type': '@id' },
  'dpv:hasProcess': { '@type': '@id' },
  'skos:broader': { '@type': '@id' },
  'schema:url': { '@type': '@id' },
  'schema:contactPoint': { '@type': '@id' },
  'schema:address': { '@type': '@id' },
  'rdfs:seeAlso': { '@type': '@id' },
  'dct:isPartOf': { '@type': '@id' },
  'dct:issued': { '@type': 'xsd:date' },
});

/**
 * The JSON-LD context of every DPV export (27560 records, the record of processing): the
 * prefixes of {@link DPV_NAMESPACES} plus term definitions for each property used, so that a
 * JSON-LD processor turns IRI values into IRIs and times into typed literals. Inlined in each
 * document: nothing is fetched.
 *
 * @example
 * ```ts
 * import { DPV_CONTEXT } from 'purpose-bound';
 *
 * DPV_CONTEXT.dpv; // 'https://w3id.org/dpv#'
 * DPV_CONTEXT['dpv:hasLegalBasis']; // { '@type': '@id' }
 * ```
 */
export const DPV_CONTEXT = Object.freeze({ ...DPV_NAMESPACES, ...TERMS });

/**
 * The DPV legal-basis concept of each of the policy's legal bases (DPV core), with the GDPR
 * article as an `eu-gdpr:` concept.
 *
 * @example
 * ```ts
 * import { DPV_LEGAL_BASES } from 'purpose-bound';
 *
 * DPV_LEGAL_BASES.contract; // { dpv: 'dpv:Contract', gdpr: 'eu-gdpr:A6-1-b' }
 * ```
 */
export const DPV_LEGAL_BASES: Readonly<Record<LegalBasis, { readonly dpv: string; readonly gdpr: string }>> = Object.freeze({
  consent: { dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a' },
  contract: { dpv: 'dpv:Contract', gdpr: 'eu-gdpr:A6-1-b' },
  'legal-obligation': { dpv: 'dpv:LegalObligation', gdpr: 'eu-gdpr:A6-1-c' },
  'vital-interests': { dpv: 'dpv:VitalInterest', gdpr: 'eu-gdpr:A6-1-d' },
  'public-task': { dpv: 'dpv:PublicInterest', gdpr: 'eu-gdpr:A6-1-e' },
  'legitimate-interests': { dpv: 'dpv:LegitimateInterest', gdpr: 'eu-gdpr:A6-1-f' },
});

/**
 * The purpose concept used when a purpose names none: from its legal basis. Performance of a
 * contract is providing the service (`dpv:ServiceProvision`), a legal obligation is
 * `dpv:LegalCompliance`; other bases say nothing of the purpose, so plain `dpv:Purpose`.
 *
 * @example
 * ```ts
 * import { DPV_DEFAULT_PURPOSE } from 'purpose-bound';
 *
 * DPV_DEFAULT_PURPOSE['legal-obligation']; // 'dpv:LegalCompliance'
 * ```
 */
export const DPV_DEFAULT_PURPOSE: Readonly<Record<LegalBasis, string>> = Object.freeze({
  consent: 'dpv:Purpose',
  contract: 'dpv:ServiceProvision',
  'legal-obligation': 'dpv:LegalCompliance',
  'vital-interests': 'dpv:Purpose',
  'public-task': 'dpv:Purpose',
  'legitimate-interests': 'dpv:Purpose',
});

/**
 * The personal-data concept used when a field names none: from its category. `special-care`
 * (APPI 要配慮個人情報) is DPV's `SpecialCategoryPersonalData`, the concept for data whose
 * handling the law restricts (GDPR Art. 9, APPI Art. 2(3)).
 *
 * @example
 * ```ts
 * import { DPV_DEFAULT_PERSONAL_DATA } from 'purpose-bound';
 *
 * DPV_DEFAULT_PERSONAL_DATA.contact; // 'pd:Contact'
 * ```
 */
export const DPV_DEFAULT_PERSONAL_DATA: Readonly<Record<FieldCategory, string>> = Object.freeze({
  identifier: 'pd:Identifying',
  'quasi-identifier': 'pd:Identifying',
  contact: 'pd:Contact',
  'special-care': 'dpv:SpecialCategoryPersonalData',
  other: 'dpv:PersonalData',
});

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/**
 * The DPV purpose concepts of a purpose: those the policy names (`dpv`), else the default
 * from its basis ({@link DPV_DEFAULT_PURPOSE}).
 *
 * @param policy - the policy
 * @param purpose - a purpose id of the policy
 * @example
 * ```ts
 * import { dpvPurposeConcepts } from 'purpose-bound';
 *
 * dpvPurposeConcepts(ji4pePolicy, 'contact'); // ['dpv:CommunicationManagement']
 * ```
 */
export function dpvPurposeConcepts(policy: AnyPolicy, purpose: string): string[] {
  const spec = policy.purpose(purpose);
  const named = list((spec as { dpv?: unknown }).dpv);
  return named.length > 0 ? named : [DPV_DEFAULT_PURPOSE[spec.basis]];
}

/**
 * The DPV legal-basis concepts of a purpose: those the policy names (`dpvBasis`), else the
 * DPV core concept of its basis ({@link DPV_LEGAL_BASES}); with `gdpr`, the GDPR Art. 6(1)
 * concept too.
 *
 * @param policy - the policy
 * @param purpose - a purpose id of the policy
 * @param options - `gdpr: true` adds the `eu-gdpr:` article
 * @example
 * ```ts
 * import { dpvBasisConcepts } from 'purpose-bound';
 *
 * dpvBasisConcepts(ji4pePolicy, 'applicationPrefill', { gdpr: true }); // ['dpv:Consent', 'eu-gdpr:A6-1-a']
 * ```
 */
export function dpvBasisConcepts(policy: AnyPolicy, purpose: string, options: { readonly gdpr?: boolean } = {}): string[] {
  const spec = policy.purpose(purpose);
  const named = list((spec as { dpvBasis?: unknown }).dpvBasis);
  const out = named.length > 0 ? named : [DPV_LEGAL_BASES[spec.basis].dpv];
  if (options.gdpr === true && !out.includes(DPV_LEGAL_BASES[spec.basis].gdpr)) out.push(DPV_LEGAL_BASES[spec.basis].gdpr);
  return out;
}

/**
 * The DPV personal-data concepts of a field: those the policy names (`dpv`), else the
 * default from its category ({@link DPV_DEFAULT_PERSONAL_DATA}).
 *
 * @param policy - the policy
 * @param field - a field id of the policy
 * @example
 * ```ts
 * import { dpvPersonalDataConcepts } from 'purpose-bound';
 *
 * dpvPersonalDataConcepts(ji4pePolicy, 'dateOfBirth'); // ['pd:BirthDate']
 * ```
 */
export function dpvPersonalDataConcepts(policy: AnyPolicy, field: string): string[] {
  const spec = policy.field(field);
  const named = list((spec as { dpv?: unknown }).dpv);
  return named.length > 0 ? named : [DPV_DEFAULT_PERSONAL_DATA[spec.category]];
}

/** @internal The RDF type of a field's node: special-care data is `dpv:SpecialCategoryPersonalData`. */
export function dpvPersonalDataType(policy: AnyPolicy, field: string): string {
  return policy.field(field).category === 'special-care' ? 'dpv:SpecialCategoryPersonalData' : 'dpv:PersonalData';
}

/**
 * A data subject's right as the exports list it: its DPV concept (an `eu-gdpr:` article, or
 * plain `dpv:DataSubjectRight` for APPI, which DPV's legal-jp extension does not itemise), the
 * law it arises under and a bilingual title.
 *
 * @example
 * ```ts
 * const access: DpvRight | undefined = DPV_RIGHTS.find((r) => r.id === 'gdpr-15'); // concepts ['dpv:DataSubjectRight', 'eu-gdpr:A15']
 * ```
 */
export interface DpvRight {
  readonly id: string;
  readonly concepts: readonly string[];
  readonly law: 'legal-jp:law-APPI' | 'legal-eu:law-GDPR';
  readonly title: { readonly en: string; readonly ja: string };
}

/**
 * The rights the exports list: APPI Arts. 33–35 (disclosure, correction, suspension and
 * erasure, third-party provision records) and GDPR Arts. 15–21.
 *
 * @example
 * ```ts
 * import { DPV_RIGHTS } from 'purpose-bound';
 *
 * DPV_RIGHTS.filter((r) => r.law === 'legal-eu:law-GDPR').map((r) => r.concepts[1]); // ['eu-gdpr:A15', ...]
 * ```
 */
export const DPV_RIGHTS: readonly DpvRight[] = Object.freeze([
  {
    id: 'appi-33',
    concepts: ['dpv:DataSubjectRight'],
    law: 'legal-jp:law-APPI',
    title: { en: 'Disclosure of retained personal data (APPI Art. 33)', ja: '保有個人データの開示（個人情報保護法第33条）' },
  },
  {
    id: 'appi-33-5',
    concepts: ['dpv:DataSubjectRight'],
    law: 'legal-jp:law-APPI',
    title: { en: 'Disclosure of third-party provision records (APPI Art. 33(5))', ja: '第三者提供記録の開示（個人情報保護法第33条第5項）' },
  },
  {
    id: 'appi-34',
    concepts: ['dpv:DataSubjectRight'],
    law: 'legal-jp:law-APPI',
    title: { en: 'Correction, addition or deletion (APPI Art. 34)', ja: '訂正、追加又は削除（個人情報保護法第34条）' },
  },
  {
    id: 'appi-35',
    concepts: ['dpv:DataSubjectRight'],
    law: 'legal-jp:law-APPI',
    title: { en: 'Suspension of use, erasure, or suspension of provision to third parties (APPI Art. 35)', ja: '利用停止、消去又は第三者提供の停止（個人情報保護法第35条）' },
  },
  { id: 'gdpr-15', concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A15'], law: 'legal-eu:law-GDPR', title: { en: 'Right of access (GDPR Art. 15)', ja: 'アクセス権（GDPR第15条）' } },
  {
    id: 'gdpr-16',
    concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A16'],
    law: 'legal-eu:law-GDPR',
    title: { en: 'Right to rectification (GDPR Art. 16)', ja: '訂正の権利（GDPR第16条）' },
  },
  { id: 'gdpr-17', concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A17'], law: 'legal-eu:law-GDPR', title: { en: 'Right to erasure (GDPR Art. 17)', ja: '消去の権利（GDPR第17条）' } },
  {
    id: 'gdpr-18',
    concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A18'],
    law: 'legal-eu:law-GDPR',
    title: { en: 'Right to restriction of processing (GDPR Art. 18)', ja: '処理の制限の権利（GDPR第18条）' },
  },
  {
    id: 'gdpr-19',
    concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A19'],
    law: 'legal-eu:law-GDPR',
    title: { en: 'Notification of rectification, erasure or restriction (GDPR Art. 19)', ja: '訂正、消去又は処理の制限の通知（GDPR第19条）' },
  },
  {
    id: 'gdpr-20',
    concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A20'],
    law: 'legal-eu:law-GDPR',
    title: { en: 'Right to data portability (GDPR Art. 20)', ja: 'データポータビリティの権利（GDPR第20条）' },
  },
  {
    id: 'gdpr-21',
    concepts: ['dpv:DataSubjectRight', 'eu-gdpr:A21'],
    law: 'legal-eu:law-GDPR',
    title: { en: 'Right to object (GDPR Art. 21)', ja: '異議を述べる権利（GDPR第21条）' },
  },
]);

/**
 * A localised text as JSON-LD language-tagged values.
 *
 * @example
 * ```ts
 * const label: LangStrings = [{ '@value': 'Newsletter', '@language': 'en' }];
 * ```
 */
export type LangStrings = readonly { readonly '@value': string; readonly '@language': string }[];

/** @internal */
export function langStrings(text: Readonly<Partial<Record<string, string>>> | undefined): LangStrings {
  if (text === undefined) return [];
  return Object.entries(text)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .map(([lang, value]) => ({ '@value': value, '@language': lang }));
}

/** @internal IRIs of a policy's nodes: stable across exports, no personal value. */
export function policyIri(policyId: string, ...parts: readonly string[]): string {
  return `urn:purpose-bound:${[policyId, ...parts].map(encodeURIComponent).join(':')}`;
}
