/**
 * Consent receipts in the Kantara Initiative Consent Receipt Specification v1.1 JSON format
 * (`KI-CR-v1.1.0`): a record of one consent transaction, given to the person.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ConsentRecord } from '../state/consent.js';

/**
 * A postal address (schema.org `PostalAddress` keys, as the specification's examples use).
 *
 * @example
 * ```ts
 * const address: KantaraAddress = { streetAddress: '1-1 Chiyoda', addressCountry: 'JP', postalCode: '100-0001' };
 * ```
 */
export interface KantaraAddress {
  readonly streetAddress: string;
  readonly addressCountry: string;
  readonly addressLocality?: string;
  readonly addressRegion?: string;
  readonly postalCode?: string;
}

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
  readonly purposeCategory: readonly string[];
  readonly consentType: string;
  readonly piiCategory: readonly string[];
  readonly primaryPurpose?: boolean;
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
  readonly consentReceiptID: string;
  readonly publicKey?: string;
  readonly language?: string;
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
  /** Language of the texts. Default `en`. */
  readonly lang?: Lang;
  /** Default `JP`. */
  readonly jurisdiction?: string;
  /** How consent was collected; default the consents' `method`, else `web form`. */
  readonly collectionMethod?: string;
  /** Default the policy's `url`. */
  readonly policyUrl?: string;
  /** The controller's details the specification requires and the policy may lack. */
  readonly controller?: { readonly contact?: string; readonly address?: KantaraAddress; readonly email?: string; readonly phone?: string };
}

function text(t: Localized | undefined, lang: Lang): string | undefined {
  return t === undefined ? undefined : (t[lang] ?? t.en ?? t.ja);
}

/**
 * Build a Kantara v1.1 receipt for consents the person gave together (one subject; grants
 * only: a receipt records consent given). The receipt id is derived from the consent ids, so
 * the same consents always give the same receipt.
 *
 * @param policy - the policy the consents were given under
 * @param consents - grant events of one subject (e.g. those recorded at one collection)
 * @param options - language, jurisdiction, and controller details the policy lacks
 * @throws InvalidArgumentError when consents are empty, of several subjects, withdrawals, or a
 *   field the specification requires (controller address, phone, e-mail, policy URL) is missing
 * @example
 * ```ts
 * const grants = (await vault.consents.list(subject)).filter((c) => c.state === 'granted');
 * const receipt = toKantaraReceipt(ji4pePolicy, grants, {
 *   controller: { address: { streetAddress: '1-1 Chiyoda', addressCountry: 'JP' }, phone: '+81-3-0000-0000' },
 * });
 * ```
 */
export function toKantaraReceipt(policy: AnyPolicy, consents: readonly ConsentRecord[], options: KantaraReceiptOptions = {}): KantaraConsentReceipt {
  if (!Array.isArray(consents) || consents.length === 0) throw new InvalidArgumentError('consents', 'must be a non-empty array of consent grants');
  const subject = (consents[0] as ConsentRecord).subject;
  for (const c of consents) {
    if (c.subject !== subject) throw new InvalidArgumentError('consents', 'must all be of one subject');
    if (c.state !== 'granted') throw new InvalidArgumentError('consents', 'must be grants: a consent receipt records consent given (export withdrawals as ISO/IEC TS 27560 records)');
    if (!policy.hasPurpose(c.purpose)) throw new InvalidArgumentError('consents', 'must hold consents for purposes the policy defines');
  }
  const lang = options.lang ?? 'en';
  const controller = policy.spec.controller;
  const ctl = options.controller ?? {};
  const email = ctl.email ?? controller.contact.email;
  const phone = ctl.phone ?? controller.contact.phone;
  const address = ctl.address;
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
  const purposes: KantaraPurpose[] = [];
  const spi = new Set<string>();
  for (const c of sorted) {
    const purpose = policy.purpose(c.purpose);
    const lineage = new Set(policy.lineage(c.purpose));
    const fields = (policy.fieldIds as readonly string[]).filter((f) => policy.isAllowed(f, c.purpose));
    for (const f of fields) if (policy.field(f).category === 'special-care') spi.add(text(policy.field(f).title, lang) ?? f);
    const thirdParties = (policy.vendorIds as readonly string[])
      .map((v) => policy.vendor(v))
      .filter((v) => v.role === 'third-party' && v.purposes.some((p: string) => lineage.has(p)));
    const until = c.expiresAt !== undefined ? ` or until ${c.expiresAt}` : '';
    purposes.push({
      purpose: text(purpose.description, lang) ?? c.purpose,
      purposeCategory: [text(purpose.title, lang) ?? c.purpose],
      consentType: 'EXPLICIT',
      piiCategory: fields.map((f) => text(policy.field(f).title, lang) ?? f),
      primaryPurpose: purpose.parent === undefined,
      termination: `${lang === 'ja' ? '同意の撤回、又は保存期間（ISO 8601）' : 'withdrawal of consent, or retention period (ISO 8601)'} ${purpose.retention}${until}; notice version ${c.noticeVersion}`,
      thirdPartyDisclosure: thirdParties.length > 0,
      ...(thirdParties.length > 0 && { thirdPartyName: thirdParties.map((v) => text(v.name, lang) ?? '').join(', ') }),
    });
  }
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: options.jurisdiction ?? 'JP',
    consentTimestamp: Math.floor(Date.parse(last.at) / 1000),
    collectionMethod: options.collectionMethod ?? last.method ?? 'web form',
    consentReceiptID: `${policy.id}:${sorted.map((c) => c.id).join('+')}`,
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
    services: [{ service: text(policy.spec.title, lang) ?? policy.id, purposes }],
    sensitive: spi.size > 0,
    spiCat: [...spi],
  };
}

/**
 * Check a receipt against the fields Kantara Consent Receipt v1.1 requires (and their types).
 * Returns the problems (empty when valid).
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
      if (typeof a !== 'object' || a === null || !str(a['streetAddress']) || !str(a['addressCountry'])) issues.push(`piiControllers[${i}].address: required object with streetAddress and addressCountry`);
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
      ps.forEach((p: Record<string, unknown>, j) => {
        const at = `services[${i}].purposes[${j}]`;
        for (const k of ['purpose', 'consentType', 'termination']) if (!str(p?.[k])) issues.push(`${at}.${k}: required string`);
        for (const k of ['purposeCategory', 'piiCategory']) if (!Array.isArray(p?.[k]) || (p[k] as unknown[]).length === 0) issues.push(`${at}.${k}: required non-empty array`);
        if (typeof p?.['thirdPartyDisclosure'] !== 'boolean') issues.push(`${at}.thirdPartyDisclosure: required boolean`);
        else if (p['thirdPartyDisclosure'] === true && !str(p['thirdPartyName'])) issues.push(`${at}.thirdPartyName: required when thirdPartyDisclosure`);
      });
    });
  }
  return issues;
}
