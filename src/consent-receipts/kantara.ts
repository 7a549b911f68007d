/**
 * Consent receipts in the Kantara Initiative Consent Receipt Specification v1.1 JSON format
 * (`KI-CR-v1.1.0`): a record of one consent transaction, given to the person.
 *
 * A receipt covers purposes whose legal basis is consent, one entry per purpose, in one
 * language throughout; purpose and PII categories are the specification's, mapped from the
 * policy's DPV concepts; the receipt id is a UUID derived from the consents it covers.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import { formatNoticeDuration } from '../notices/localize.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ConsentRecord } from '../state/consent.js';
import { parseDuration } from '../util/duration.js';
import { assertConsentPurposes } from '../policy/consent-purposes.js';
import { fieldsFor, vendorsFor, type ControllerDetails, type PostalAddress } from './dpv-nodes.js';
import { dpvBasisConcepts, dpvPersonalDataConcepts, dpvPurposeConcepts } from './dpv-vocabulary.js';
import { nameUuid } from './name-uuid.js';

/**
 * A postal address (schema.org `PostalAddress` keys, as the specification's examples use).
 *
 * @example
 * ```ts
 * const address: KantaraAddress = { streetAddress: '1-1 Chiyoda', addressCountry: 'JP', postalCode: '100-0001' };
 * ```
 */
export type KantaraAddress = PostalAddress;

/**
 * One PII controller of a receipt.
 *
 * @example
 * ```ts
 * receipt.piiControllers.map((c: KantaraPiiController) => c.email);
 * ```
 */
export interface KantaraPiiController {
  readonly piiController: string;
  readonly onBehalf?: boolean;
  readonly contact: string;
  readonly address: KantaraAddress;
  readonly email: string;
  readonly phone: string;
  readonly piiControllerUrl?: string;
}

/**
 * One purpose of a service.
 *
 * @example
 * ```ts
 * receipt.services[0]?.purposes.filter((p: KantaraPurpose) => p.thirdPartyDisclosure);
 * ```
 */
export interface KantaraPurpose {
  readonly purpose: string;
  /** The specification's purpose categories (`'5 - Personalized Experience'`), from the purpose's DPV concepts. */
  readonly purposeCategory: readonly string[];
  /** `EXPLICIT`, or `IMPLIED` where the purpose's DPV basis is `dpv:ImpliedConsent`. */
  readonly consentType: 'EXPLICIT' | 'IMPLIED';
  /** The specification's PII categories (`'2 - Contact'`), from the fields' DPV concepts. */
  readonly piiCategory: readonly string[];
  /** Whether the purpose is the core of the service (see {@link toKantaraReceipt}). */
  readonly primaryPurpose: boolean;
  readonly termination: string;
  readonly thirdPartyDisclosure: boolean;
  readonly thirdPartyName?: string;
}

/**
 * A Kantara Consent Receipt v1.1.
 *
 * @example
 * ```ts
 * const receipt: KantaraConsentReceipt = toKantaraReceipt(policy, consents, { controller: { address, phone } });
 * receipt.version; // 'KI-CR-v1.1.0'
 * ```
 */
export interface KantaraConsentReceipt {
  readonly version: 'KI-CR-v1.1.0';
  readonly jurisdiction: string;
  /** Seconds since the Unix epoch. */
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  /** A UUID derived from the policy, the subject and the consents covered. */
  readonly consentReceiptID: string;
  readonly publicKey?: string;
  readonly language: string;
  readonly piiPrincipalId: string;
  readonly piiControllers: readonly KantaraPiiController[];
  readonly policyUrl: string;
  readonly services: readonly { readonly service: string; readonly purposes: readonly KantaraPurpose[] }[];
  readonly sensitive: boolean;
  readonly spiCat: readonly string[];
}

/**
 * Options of {@link toKantaraReceipt}.
 *
 * @example
 * ```ts
 * toKantaraReceipt(policy, grants, { lang: 'ja', controller: { phone: '+81-3-0000-0000', address } } satisfies KantaraReceiptOptions);
 * ```
 */
export interface KantaraReceiptOptions {
  /** Language of every text of the receipt. Default `en`. */
  readonly lang?: Lang;
  /** Default `JP`. */
  readonly jurisdiction?: string;
  /** How consent was collected; default from the consents' `method` (in `lang`), else a web form. */
  readonly collectionMethod?: string;
  /** Default the policy's `url`. */
  readonly policyUrl?: string;
  /** The controller's details the specification requires and the policy may lack. */
  readonly controller?: ControllerDetails;
}

/**
 * The specification's purpose categories (Kantara CR v1.1, purpose category list), as the
 * receipts' `purposeCategory` values; mapped from the purposes' DPV concepts.
 *
 * @example
 * ```ts
 * import { KANTARA_PURPOSE_CATEGORIES } from 'purpose-bound';
 *
 * KANTARA_PURPOSE_CATEGORIES.personalizedExperience; // '5 - Personalized Experience'
 * ```
 */
export const KANTARA_PURPOSE_CATEGORIES = Object.freeze({
  coreFunction: '1 - Core Function',
  contractedService: '2 - Contracted Service',
  delivery: '3 - Delivery',
  contactRequested: '4 - Contact Requested',
  personalizedExperience: '5 - Personalized Experience',
  marketing: '6 - Marketing',
  marketingThirdParties: '7 - Marketing Third Parties',
  sharingForDelivery: '8 - Sharing for Delivery',
  sharingForMarketing: '9 - Sharing for Marketing',
  thirdPartySharingForCoreFunction: '10 - 3rd Party Sharing for Core Function',
  thirdPartySharingForOthers: '11 - 3rd Party Sharing for Others',
  legallyRequiredDataRetention: '12 - Legally Required Data Retention',
  requiredByLawEnforcementOrGovernment: '13 - Required by Law Enforcement or Government',
  protectingYourHealth: '14 - Protecting Your Health',
  protectingOurInterests: '15 - Protecting Our Interests',
  improvePerformance: '16 - Improve Performance',
});

/**
 * The specification's PII categories (Kantara CR v1.1, PII category list), as the receipts'
 * `piiCategory` values; mapped from the fields' DPV concepts.
 *
 * @example
 * ```ts
 * import { KANTARA_PII_CATEGORIES } from 'purpose-bound';
 *
 * KANTARA_PII_CATEGORIES.contact; // '2 - Contact'
 * ```
 */
export const KANTARA_PII_CATEGORIES = Object.freeze({
  biographical: '1 - Biographical',
  contact: '2 - Contact',
  biometric: '3 - Biometric',
  communicationsSocial: '4 - Communications/Social',
  networkService: '5 - Network/Service',
  health: '6 - Health',
  financial: '7 - Financial',
  officialId: '8 - Official ID',
});

const P = KANTARA_PURPOSE_CATEGORIES;
const PURPOSE_BY_DPV: Readonly<Record<string, string>> = {
  'dpv:ServiceProvision': P.contractedService,
  'dpv:RequestedServiceProvision': P.contractedService,
  'dpv:FulfilmentOfContractualObligation': P.contractedService,
  'dpv:DeliveryOfGoods': P.delivery,
  'dpv:CommunicationManagement': P.contactRequested,
  'dpv:CommunicationForCustomerCare': P.contactRequested,
  'dpv:CustomerCare': P.contactRequested,
  'dpv:ServicePersonalisation': P.personalizedExperience,
  'dpv:Personalisation': P.personalizedExperience,
  'dpv:UserInterfacePersonalisation': P.personalizedExperience,
  'dpv:Marketing': P.marketing,
  'dpv:DirectMarketing': P.marketing,
  'dpv:LegalCompliance': P.requiredByLawEnforcementOrGovernment,
  'dpv:FraudPreventionAndDetection': P.protectingOurInterests,
  'dpv:MisusePreventionAndDetection': P.protectingOurInterests,
  'dpv:EnforceSecurity': P.protectingOurInterests,
  'dpv:ServiceOptimisation': P.improvePerformance,
  'dpv:ServiceUsageAnalytics': P.improvePerformance,
  'dpv:IdentityVerification': P.coreFunction,
  'dpv:PaymentManagement': P.coreFunction,
};

const C = KANTARA_PII_CATEGORIES;
const PII_BY_DPV: Readonly<Record<string, string>> = {
  'pd:Name': C.biographical,
  'pd:BirthDate': C.biographical,
  'pd:Age': C.biographical,
  'pd:Gender': C.biographical,
  'pd:Identifying': C.biographical,
  'pd:Contact': C.contact,
  'pd:EmailAddress': C.contact,
  'pd:TelephoneNumber': C.contact,
  'pd:PhysicalAddress': C.contact,
  'pd:Communication': C.communicationsSocial,
  'pd:Biometric': C.biometric,
  'pd:Health': C.health,
  'pd:MedicalHealth': C.health,
  'pd:Financial': C.financial,
  'pd:OfficialID': C.officialId,
};

const METHODS: Readonly<Record<string, Localized>> = {
  'web-form': { en: 'web form', ja: 'ウェブフォーム' },
  web: { en: 'web form', ja: 'ウェブフォーム' },
  paper: { en: 'paper form', ja: '書面' },
  letter: { en: 'letter', ja: '郵送' },
  email: { en: 'e-mail', ja: '電子メール' },
  'e-mail': { en: 'e-mail', ja: '電子メール' },
  telephone: { en: 'telephone', ja: '電話' },
  phone: { en: 'telephone', ja: '電話' },
  'in-person': { en: 'in person', ja: '対面' },
  app: { en: 'mobile app', ja: 'アプリ' },
};

function text(t: Localized | undefined, lang: Lang): string | undefined {
  return t === undefined ? undefined : (t[lang] ?? t.en ?? t.ja);
}

/**
 * Is a consent purpose the core of the service? Only when every collection point that
 * announces it announces nothing but consent-based purposes (the service itself rests on
 * consent, e.g. a newsletter sign-up). A consent purpose announced beside contract or other
 * purposes is an optional extra of a service provided on those bases; a child purpose is
 * incidental to its parent.
 */
function isPrimary(policy: AnyPolicy, purpose: string): boolean {
  if (policy.purpose(purpose).parent !== undefined) return false;
  const points = (policy.collectionPointIds as readonly string[]).map((id) => policy.collectionPoint(id)).filter((cp) => (cp.purposes as readonly string[]).includes(purpose));
  return points.length > 0 && points.every((cp) => (cp.purposes as readonly string[]).every((p) => policy.purpose(p).basis === 'consent'));
}

/**
 * Build a Kantara v1.1 receipt for consents the person gave (one subject; grants only: a
 * receipt records consent given). Each purpose appears once, with its latest grant; every
 * text is in `options.lang`. The receipt id is a UUID derived from the policy, the subject and
 * the consent ids, so the same consents always give the same receipt.
 *
 * `primaryPurpose` is `true` only for a purpose the service itself rests on: one announced
 * only beside other consent purposes. A consent purpose offered on a form whose other purposes
 * rest on a contract is an optional extra, `false`.
 *
 * @param policy - the policy the consents were given under
 * @param consents - grant events of one subject for consent-based purposes
 * @param options - language, jurisdiction, and controller details the policy lacks
 * @throws ConsentNotTheBasisError when a consent is for a purpose whose basis is not consent
 * @throws InvalidArgumentError when consents are empty, of several subjects, withdrawals, or a
 *   field the specification requires (controller address, phone, e-mail, policy URL) is missing
 * @example
 * ```ts
 * const grants = (await vault.consents.list(subject)).filter((c) => c.state === 'granted' && isConsentPurpose(ji4pePolicy, c.purpose));
 * const receipt = toKantaraReceipt(ji4pePolicy, grants, {
 *   lang: 'ja',
 *   controller: { address: { streetAddress: '1-1 Chiyoda', addressCountry: 'JP' }, phone: '+81-3-0000-0000' },
 * });
 * ```
 */
export function toKantaraReceipt(policy: AnyPolicy, consents: readonly ConsentRecord[], options: KantaraReceiptOptions = {}): KantaraConsentReceipt {
  if (!Array.isArray(consents) || consents.length === 0) throw new InvalidArgumentError('consents', 'must be a non-empty array of consent grants');
  const subject = (consents[0] as ConsentRecord).subject;
  for (const c of consents) {
    if (c?.subject !== subject) throw new InvalidArgumentError('consents', 'must all be of one subject');
    if (c.state !== 'granted')
      throw new InvalidArgumentError('consents', 'must be grants: a consent receipt records consent given (export withdrawals as ISO/IEC TS 27560 records)');
    if (!policy.hasPurpose(c.purpose)) throw new InvalidArgumentError('consents', 'must hold consents for purposes the policy defines');
  }
  assertConsentPurposes(policy, new Set(consents.map((c) => c.purpose)));
  const lang = options.lang ?? 'en';
  const controller = policy.spec.controller;
  const ctl = options.controller ?? {};
  const email = ctl.email ?? controller.contact.email;
  const phone = ctl.phone ?? controller.contact.phone;
  const jurisdiction = options.jurisdiction ?? 'JP';
  // The policy's address is free text in each language: it becomes the street address, with the jurisdiction as country.
  const policyAddress = text(controller.address ?? controller.contact.address, lang);
  const address = ctl.address ?? (policyAddress !== undefined ? { streetAddress: policyAddress, addressCountry: jurisdiction.slice(0, 2) } : undefined);
  const contact = ctl.contact ?? text(controller.contact.department, lang) ?? text(controller.name, lang);
  const policyUrl = options.policyUrl ?? policy.spec.url ?? controller.contact.url;
  const missing: string[] = [];
  if (!email) missing.push('email');
  if (!phone) missing.push('phone');
  if (!address) missing.push('address');
  if (!policyUrl) missing.push('policyUrl');
  if (missing.length > 0) {
    throw new InvalidArgumentError('options.controller', `must supply what the Kantara v1.1 receipt requires and the policy lacks: ${missing.join(', ')}`);
  }
  const sorted = [...consents].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
  const last = sorted[sorted.length - 1] as ConsentRecord;
  // One entry per purpose: its latest grant.
  const latest = new Map<string, ConsentRecord>();
  for (const c of sorted) latest.set(c.purpose, c);
  const purposes: KantaraPurpose[] = [];
  const spi = new Set<string>();
  const sep = lang === 'ja' ? '、' : ', ';
  for (const c of latest.values()) {
    const purpose = policy.purpose(c.purpose);
    const fields = fieldsFor(policy, c.purpose);
    for (const f of fields) if (policy.field(f).category === 'special-care') spi.add(text(policy.field(f).title, lang) ?? f);
    const thirdParties = vendorsFor(policy, c.purpose)
      .map((v) => policy.vendor(v))
      .filter((v) => v.role === 'third-party');
    const categories = [
      ...new Set(
        dpvPurposeConcepts(policy, c.purpose)
          .map((d) => PURPOSE_BY_DPV[d])
          .filter((x): x is string => x !== undefined),
      ),
    ];
    const pii = [...new Set(fields.flatMap((f) => dpvPersonalDataConcepts(policy, f).map((d) => PII_BY_DPV[d] ?? text(policy.field(f).title, lang) ?? f)))];
    const retention = parseDuration(purpose.retention);
    const kept = retention === undefined ? purpose.retention : formatNoticeDuration(retention, lang);
    const until = c.expiresAt === undefined ? '' : lang === 'ja' ? `。同意の有効期限は${c.expiresAt}` : `; the consent expires at ${c.expiresAt}`;
    purposes.push({
      purpose: text(purpose.description, lang) ?? c.purpose,
      // A purpose whose DPV concept has no category in the specification's list is described by its title rather than given a wrong category.
      purposeCategory: categories.length > 0 ? categories : [text(purpose.title, lang) ?? c.purpose],
      consentType: dpvBasisConcepts(policy, c.purpose).includes('dpv:ImpliedConsent') ? 'IMPLIED' : 'EXPLICIT',
      piiCategory: pii,
      primaryPurpose: isPrimary(policy, c.purpose),
      termination:
        lang === 'ja'
          ? `同意を撤回されるまで（撤回はいつでも可能です）。保存期間は最長${kept}${until}。ご覧いただいた通知の版: ${c.noticeVersion}`
          : `Until you withdraw consent (you may do so at any time); data is kept for at most ${kept}${until}. Notice version seen: ${c.noticeVersion}`,
      thirdPartyDisclosure: thirdParties.length > 0,
      ...(thirdParties.length > 0 && { thirdPartyName: thirdParties.map((v) => text(v.name, lang) ?? '').join(sep) }),
    });
  }
  const method = options.collectionMethod ?? (last.method !== undefined ? (text(METHODS[last.method], lang) ?? last.method) : (text(METHODS['web-form'], lang) as string));
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction,
    consentTimestamp: Math.floor(Date.parse(last.at) / 1000),
    collectionMethod: method,
    consentReceiptID: nameUuid('kantara-receipt', policy.id, subject, ...sorted.map((c) => c.id)),
    language: lang,
    piiPrincipalId: subject,
    piiControllers: [
      {
        piiController: text(controller.name, lang) ?? policy.id,
        onBehalf: false,
        contact: contact as string,
        address: address as KantaraAddress,
        email: email as string,
        phone: phone as string,
        ...(controller.contact.url !== undefined && { piiControllerUrl: controller.contact.url }),
      },
    ],
    policyUrl: policyUrl as string,
    services: [{ service: text(policy.spec.title, lang) ?? text(controller.name, lang) ?? policy.id, purposes }],
    sensitive: spi.size > 0,
    spiCat: [...spi],
  };
}

/**
 * Check a receipt against the fields Kantara Consent Receipt v1.1 requires (and their types).
 * Returns the problems (empty when valid). The tests also validate receipts against a JSON
 * schema of the specification with ajv.
 *
 * @param receipt - any JSON value
 * @example
 * ```ts
 * validateKantaraReceipt(receipt); // []
 * ```
 */
export function validateKantaraReceipt(receipt: unknown): string[] {
  if (typeof receipt !== 'object' || receipt === null) return ['receipt: must be an object'];
  const r = receipt as Record<string, unknown>;
  const issues: string[] = [];
  const str = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  if (r['version'] !== 'KI-CR-v1.1.0') issues.push('version: must be KI-CR-v1.1.0');
  for (const k of ['jurisdiction', 'collectionMethod', 'consentReceiptID', 'piiPrincipalId', 'policyUrl']) if (!str(r[k])) issues.push(`${k}: required string`);
  if (!Number.isSafeInteger(r['consentTimestamp'])) issues.push('consentTimestamp: required integer (seconds since the epoch)');
  if (typeof r['sensitive'] !== 'boolean') issues.push('sensitive: required boolean');
  if (!Array.isArray(r['spiCat'])) issues.push('spiCat: required array');
  else if (r['sensitive'] === true && r['spiCat'].length === 0) issues.push('spiCat: must list categories when sensitive');
  const ctls = r['piiControllers'];
  if (!Array.isArray(ctls) || ctls.length === 0) issues.push('piiControllers: required non-empty array');
  else {
    ctls.forEach((c: Record<string, unknown>, i) => {
      for (const k of ['piiController', 'contact', 'email', 'phone']) if (!str(c?.[k])) issues.push(`piiControllers[${i}].${k}: required string`);
      const a = c?.['address'] as Record<string, unknown> | undefined;
      if (typeof a !== 'object' || a === null || !str(a['streetAddress']) || !str(a['addressCountry']))
        issues.push(`piiControllers[${i}].address: required object with streetAddress and addressCountry`);
    });
  }
  const services = r['services'];
  if (!Array.isArray(services) || services.length === 0) issues.push('services: required non-empty array');
  else {
    services.forEach((s: Record<string, unknown>, i) => {
      if (!str(s?.['service'])) issues.push(`services[${i}].service: required string`);
      const ps = s?.['purposes'];
      if (!Array.isArray(ps) || ps.length === 0) {
        issues.push(`services[${i}].purposes: required non-empty array`);
        return;
      }
      const seen = new Set<unknown>();
      ps.forEach((p: Record<string, unknown>, j) => {
        const at = `services[${i}].purposes[${j}]`;
        for (const k of ['purpose', 'consentType', 'termination']) if (!str(p?.[k])) issues.push(`${at}.${k}: required string`);
        for (const k of ['purposeCategory', 'piiCategory']) if (!Array.isArray(p?.[k]) || (p[k] as unknown[]).length === 0) issues.push(`${at}.${k}: required non-empty array`);
        if (typeof p?.['thirdPartyDisclosure'] !== 'boolean') issues.push(`${at}.thirdPartyDisclosure: required boolean`);
        else if (p['thirdPartyDisclosure'] === true && !str(p['thirdPartyName'])) issues.push(`${at}.thirdPartyName: required when thirdPartyDisclosure`);
        if (seen.has(p?.['purpose'])) issues.push(`${at}.purpose: listed twice`);
        seen.add(p?.['purpose']);
      });
    });
  }
  return issues;
}
