/**
 * Consent records as ISO/IEC TS 27560:2023 consent records in the W3C Data Privacy Vocabulary
 * (DPV) profile: JSON-LD with `dpv:` terms, following the DPVCG's implementation guide
 * (https://w3id.org/dpv/guides/consent-27560). One record per subject and purpose, carrying
 * every consent event (given, withdrawn) with the notice version the person saw.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ConsentRecord } from '../state/consent.js';

/**
 * The JSON-LD context of exported records.
 *
 * @example
 * ```ts
 * DPV_27560_CONTEXT.dpv; // 'https://w3id.org/dpv#'
 * ```
 */
export const DPV_27560_CONTEXT = Object.freeze({
  dpv: 'https://w3id.org/dpv#',
  'dpv-27560': 'https://w3id.org/dpv/schema/dpv-27560#',
  dct: 'http://purl.org/dc/terms/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  loc: 'https://w3id.org/dpv/loc#',
  pb: 'urn:purpose-bound:',
});

/**
 * A localised label as JSON-LD language-tagged strings.
 *
 * @example
 * ```ts
 * const label: LangStrings = [{ '@value': 'Newsletter', '@language': 'en' }];
 * ```
 */
export type LangStrings = readonly { readonly '@value': string; readonly '@language': string }[];

/**
 * A consent event of an ISO/IEC TS 27560 record (DPV consent status).
 *
 * @example
 * ```ts
 * records[0]?.['dpv:hasProcess'][0]['dpv:hasConsentStatus'].map((e: Iso27560ConsentEvent) => e['dpv:isIndicatedAtTime']);
 * ```
 */
export interface Iso27560ConsentEvent {
  readonly '@type': readonly ('dpv:ConsentGiven' | 'dpv:ConsentWithdrawn' | 'dpv:ExpressedConsent')[];
  readonly 'dpv:hasIdentifier': string;
  readonly 'dpv:isIndicatedAtTime': string;
  /** How/where consent was given or withdrawn (the consent's `method`, else `unspecified`). */
  readonly 'dpv:isExercisedAt': string;
  /** Key in `dpv:hasEntity`: `subject`, or the actor who recorded it. */
  readonly 'dpv:isIndicatedBy': string;
  readonly 'dpv:hasNotice': { readonly '@type': readonly ['dpv:ConsentNotice']; readonly 'dpv:hasIdentifier': string; readonly 'dct:hasVersion': string };
  readonly 'dpv:hasDuration'?: { readonly '@type': readonly ['dpv:UntilTimeDuration']; readonly 'rdf:value': string };
}

/**
 * One ISO/IEC TS 27560 consent record in the DPV profile.
 *
 * @example
 * ```ts
 * const [record] = toIso27560Records(policy, await vault.consents.list(subject));
 * record['dpv:hasDataSubject']['dpv:hasIdentifier']; // the subject id
 * ```
 */
export interface Iso27560Record {
  readonly '@context': typeof DPV_27560_CONTEXT;
  readonly '@id': string;
  readonly '@type': readonly ['dpv:ConsentRecord'];
  /** Schema version (27560 "schema version"). */
  readonly 'dct:conformsTo': readonly string[];
  /** Record id (27560 "record id"). */
  readonly 'dpv:hasIdentifier': string;
  readonly 'dct:created': string;
  readonly 'dct:modified': string;
  readonly 'dct:language': readonly string[];
  /** PII principal (27560 "pii principal id"). */
  readonly 'dpv:hasDataSubject': { readonly '@type': readonly ['dpv:DataSubject']; readonly 'dpv:hasIdentifier': string };
  /** The notice versions the person saw (27560 "privacy notice"). */
  readonly 'dpv:hasNotice': readonly { readonly '@type': readonly ['dpv:ConsentNotice']; readonly 'dpv:hasIdentifier': string; readonly 'dct:hasVersion': string; readonly 'dpv:hasLocation'?: string }[];
  readonly 'dpv:hasJurisdiction': readonly string[];
  readonly 'dpv:hasProcess': readonly [
    {
      readonly '@type': readonly ['dpv:Process'];
      readonly 'dpv:hasPurpose': readonly { readonly '@type': readonly ['dpv:Purpose']; readonly 'dct:identifier': string; readonly 'skos:prefLabel': LangStrings; readonly 'skos:definition': LangStrings }[];
      readonly 'dpv:hasLegalBasis': readonly ['dpv:Consent'];
      readonly 'dpv:hasPersonalData': readonly { readonly '@type': readonly string[]; readonly 'dct:identifier': string; readonly 'skos:prefLabel': LangStrings }[];
      readonly 'dpv:hasDataController': readonly ['controller'];
      readonly 'dpv:hasDataSource': readonly { readonly '@type': readonly string[] }[];
      readonly 'dpv:hasStorageCondition': readonly object[];
      readonly 'dpv:hasRecipient': readonly string[];
      readonly 'dpv:hasConsentControl': readonly { readonly '@type': readonly ['dpv:WithdrawConsent']; readonly 'dpv:isExercisedAt': string }[];
      /** Current status first, then every event newest first. */
      readonly 'dpv:hasConsentStatus': readonly Iso27560ConsentEvent[];
    },
  ];
  readonly 'dpv:hasEntity': Readonly<Record<string, object>>;
}

/**
 * Options of {@link toIso27560Records}.
 *
 * @example
 * ```ts
 * toIso27560Records(policy, consents, { jurisdiction: 'JP', storageLocation: 'JP' } satisfies Iso27560Options);
 * ```
 */
export interface Iso27560Options {
  /** ISO 3166 code of the jurisdiction and storage location. Default `JP`. */
  readonly jurisdiction?: string;
  /** Where data is stored (ISO 3166). Default: the jurisdiction. */
  readonly storageLocation?: string;
}

function langStrings(text: Localized): LangStrings {
  return Object.entries(text)
    .filter((e): e is [Lang, string] => typeof e[1] === 'string')
    .map(([lang, value]) => ({ '@value': value, '@language': lang }));
}

const COUNTRY = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

/**
 * Export consent events as ISO/IEC TS 27560 consent records (DPV JSON-LD), one per subject and
 * purpose, with every event and the notice version shown at each.
 *
 * @param policy - the policy the consents were given under (purposes, fields, controller, vendors)
 * @param consents - consent events, e.g. `await vault.consents.list(subject)` (any order; several subjects allowed)
 * @param options - jurisdiction and storage location (ISO 3166)
 * @throws InvalidArgumentError when a consent names a purpose the policy does not define, or a code is not ISO 3166
 * @example
 * ```ts
 * const records = toIso27560Records(ji4pePolicy, await vault.consents.list(subject));
 * response.type('application/ld+json').send(JSON.stringify(records));
 * ```
 */
export function toIso27560Records(policy: AnyPolicy, consents: readonly ConsentRecord[], options: Iso27560Options = {}): Iso27560Record[] {
  if (!Array.isArray(consents)) throw new InvalidArgumentError('consents', 'must be an array of consent records');
  const jurisdiction = options.jurisdiction ?? 'JP';
  const storage = options.storageLocation ?? jurisdiction;
  if (!COUNTRY.test(jurisdiction)) throw new InvalidArgumentError('options.jurisdiction', 'must be an ISO 3166 code such as JP');
  if (!COUNTRY.test(storage)) throw new InvalidArgumentError('options.storageLocation', 'must be an ISO 3166 code such as JP');
  const groups = new Map<string, ConsentRecord[]>();
  for (const c of consents) {
    if (typeof c?.purpose !== 'string' || !policy.hasPurpose(c.purpose)) throw new InvalidArgumentError('consents', 'must hold consents for purposes the policy defines');
    const key = `${c.subject}\u0000${c.purpose}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  const controller = policy.spec.controller;
  const contact: string[] = [];
  if (controller.contact.email) contact.push(`mailto:${controller.contact.email}`);
  if (controller.contact.phone) contact.push(`tel:${controller.contact.phone.replace(/[^\d+]/g, '')}`);
  if (controller.contact.url) contact.push(controller.contact.url);
  const withdrawAt = controller.contact.url ?? policy.spec.url ?? (controller.contact.email ? `mailto:${controller.contact.email}` : 'contact point of the controller');
  const out: Iso27560Record[] = [];
  for (const events of groups.values()) {
    const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
    const first = sorted[0] as ConsentRecord;
    const last = sorted[sorted.length - 1] as ConsentRecord;
    const purposeId = first.purpose;
    const purpose = policy.purpose(purposeId);
    const lineage = new Set(policy.lineage(purposeId));
    const fields = (policy.fieldIds as readonly string[]).filter((f) => policy.isAllowed(f, purposeId));
    const vendors = (policy.vendorIds as readonly string[]).filter((v) => policy.vendor(v).purposes.some((p: string) => lineage.has(p)));
    const entities: Record<string, object> = {
      controller: {
        '@type': ['dpv:DataController', 'dpv:LegalEntity'],
        'dpv:hasName': langStrings(controller.name),
        ...(controller.address !== undefined && { 'dpv:hasAddress': langStrings(controller.address) }),
        'dpv:hasContact': contact,
      },
      subject: { '@type': ['dpv:DataSubject'], 'dpv:hasIdentifier': first.subject },
    };
    for (const v of vendors) {
      const spec = policy.vendor(v);
      entities[`vendor:${v}`] = {
        '@type': spec.role === 'contractor' ? ['dpv:DataProcessor', 'dpv:Recipient', 'dpv:LegalEntity'] : ['dpv:ThirdParty', 'dpv:Recipient', 'dpv:LegalEntity'],
        'dpv:hasName': langStrings(spec.name),
        'dpv:hasLocation': `loc:${spec.country}`,
      };
    }
    const notice = (version: string) =>
      ({ '@type': ['dpv:ConsentNotice'] as const, 'dpv:hasIdentifier': `${policy.id}@${version}`, 'dct:hasVersion': version }) as const;
    const statusOf = (c: ConsentRecord): Iso27560ConsentEvent => {
      if (c.actor !== 'subject' && entities[`actor:${c.actor}`] === undefined) entities[`actor:${c.actor}`] = { '@type': ['dpv:Entity'], 'dpv:hasIdentifier': c.actor };
      return {
        '@type': c.state === 'granted' ? ['dpv:ConsentGiven', 'dpv:ExpressedConsent'] : ['dpv:ConsentWithdrawn'],
        'dpv:hasIdentifier': c.id,
        'dpv:isIndicatedAtTime': c.at,
        'dpv:isExercisedAt': c.method ?? 'unspecified',
        'dpv:isIndicatedBy': c.actor === 'subject' ? 'subject' : `actor:${c.actor}`,
        'dpv:hasNotice': notice(c.noticeVersion),
        ...(c.expiresAt !== undefined && { 'dpv:hasDuration': { '@type': ['dpv:UntilTimeDuration'] as const, 'rdf:value': c.expiresAt } }),
      };
    };
    const notices = [...new Set(sorted.map((c) => c.noticeVersion))].map((v) => ({ ...notice(v), ...(policy.spec.url !== undefined && { 'dpv:hasLocation': policy.spec.url as string }) }));
    const recordId = `${first.subject}:${purposeId}`;
    out.push({
      '@context': DPV_27560_CONTEXT,
      '@id': `pb:consent-record:${encodeURIComponent(policy.id)}:${encodeURIComponent(recordId)}`,
      '@type': ['dpv:ConsentRecord'],
      'dct:conformsTo': ['dpv-27560:record', 'https://www.iso.org/standard/80392.html'],
      'dpv:hasIdentifier': recordId,
      'dct:created': first.at,
      'dct:modified': last.at,
      'dct:language': [...policy.languages],
      'dpv:hasDataSubject': { '@type': ['dpv:DataSubject'], 'dpv:hasIdentifier': first.subject },
      'dpv:hasNotice': notices,
      'dpv:hasJurisdiction': [`loc:${jurisdiction}`],
      'dpv:hasProcess': [
        {
          '@type': ['dpv:Process'],
          'dpv:hasPurpose': [{ '@type': ['dpv:Purpose'], 'dct:identifier': purposeId, 'skos:prefLabel': langStrings(purpose.title), 'skos:definition': langStrings(purpose.description) }],
          'dpv:hasLegalBasis': ['dpv:Consent'],
          'dpv:hasPersonalData': fields.map((f) => {
            const spec = policy.field(f);
            return {
              '@type': spec.category === 'special-care' ? ['dpv:PersonalData', 'dpv:SensitivePersonalData'] : ['dpv:PersonalData'],
              'dct:identifier': f,
              'skos:prefLabel': langStrings(spec.title),
            };
          }),
          'dpv:hasDataController': ['controller'],
          'dpv:hasDataSource': [{ '@type': ['dpv:DataSubjectDataSource'] }],
          'dpv:hasStorageCondition': [
            { '@type': ['dpv:StorageLocation'], 'dpv:hasLocation': `loc:${storage}` },
            { '@type': ['dpv:StorageDuration'], 'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': purpose.retention } },
          ],
          'dpv:hasRecipient': vendors.map((v) => `vendor:${v}`),
          'dpv:hasConsentControl': [{ '@type': ['dpv:WithdrawConsent'], 'dpv:isExercisedAt': withdrawAt }],
          'dpv:hasConsentStatus': [...sorted].reverse().map(statusOf),
        },
      ],
      'dpv:hasEntity': entities,
    });
  }
  return out;
}

/**
 * Check a record against the fields ISO/IEC TS 27560 makes mandatory, as the DPV profile maps
 * them. Returns the missing or malformed ones (empty when valid).
 *
 * @param record - an exported record (or any JSON value)
 * @example
 * ```ts
 * validateIso27560Record(records[0]); // []
 * ```
 */
export function validateIso27560Record(record: unknown): string[] {
  const issues: string[] = [];
  if (typeof record !== 'object' || record === null) return ['record: must be an object'];
  const r = record as Record<string, unknown>;
  const str = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  const arr = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;
  if (typeof r['@context'] !== 'object' || (r['@context'] as Record<string, unknown>)?.['dpv'] !== 'https://w3id.org/dpv#') issues.push('@context: must map dpv to https://w3id.org/dpv#');
  if (!arr(r['@type']) || !(r['@type'] as unknown[]).includes('dpv:ConsentRecord')) issues.push('@type: must include dpv:ConsentRecord');
  if (!arr(r['dct:conformsTo'])) issues.push('dct:conformsTo (schema version): required');
  if (!str(r['dpv:hasIdentifier'])) issues.push('dpv:hasIdentifier (record id): required');
  if (!str((r['dpv:hasDataSubject'] as Record<string, unknown> | undefined)?.['dpv:hasIdentifier'])) issues.push('dpv:hasDataSubject.dpv:hasIdentifier (pii principal id): required');
  if (!arr(r['dpv:hasNotice']) || !(r['dpv:hasNotice'] as Record<string, unknown>[]).every((n) => str(n['dpv:hasIdentifier']) && str(n['dct:hasVersion']))) issues.push('dpv:hasNotice (privacy notice with version): required');
  if (!arr(r['dct:language'])) issues.push('dct:language: required');
  if (!arr(r['dpv:hasJurisdiction'])) issues.push('dpv:hasJurisdiction: required');
  const entities = r['dpv:hasEntity'] as Record<string, Record<string, unknown>> | undefined;
  const processes = r['dpv:hasProcess'];
  if (!arr(processes)) return [...issues, 'dpv:hasProcess: required'];
  for (const [i, p] of (processes as Record<string, unknown>[]).entries()) {
    const at = `dpv:hasProcess[${i}]`;
    if (!arr(p['dpv:hasPurpose'])) issues.push(`${at}.dpv:hasPurpose: required`);
    if (!arr(p['dpv:hasLegalBasis'])) issues.push(`${at}.dpv:hasLegalBasis: required`);
    if (!arr(p['dpv:hasPersonalData'])) issues.push(`${at}.dpv:hasPersonalData (pii information): required`);
    const controllers = p['dpv:hasDataController'];
    if (!arr(controllers)) issues.push(`${at}.dpv:hasDataController (pii controllers): required`);
    else {
      for (const c of controllers as string[]) {
        const e = entities?.[c];
        if (e === undefined || !e['dpv:hasName'] || !arr(e['dpv:hasContact'])) issues.push(`dpv:hasEntity.${c}: a controller needs dpv:hasName and dpv:hasContact`);
      }
    }
    if (!arr(p['dpv:hasDataSource'])) issues.push(`${at}.dpv:hasDataSource: required`);
    const storage = p['dpv:hasStorageCondition'] as Record<string, unknown>[] | undefined;
    if (!arr(storage)) issues.push(`${at}.dpv:hasStorageCondition (storage location, retention period): required`);
    else {
      const types = storage.flatMap((s) => (Array.isArray(s['@type']) ? (s['@type'] as string[]) : []));
      if (!types.includes('dpv:StorageLocation')) issues.push(`${at}.dpv:hasStorageCondition: needs a dpv:StorageLocation`);
      if (!types.includes('dpv:StorageDuration')) issues.push(`${at}.dpv:hasStorageCondition: needs a dpv:StorageDuration (retention period)`);
    }
    if (!Array.isArray(p['dpv:hasRecipient'])) issues.push(`${at}.dpv:hasRecipient (recipient third parties): required, empty when none`);
    else for (const k of p['dpv:hasRecipient'] as string[]) if (entities?.[k] === undefined) issues.push(`${at}.dpv:hasRecipient: ${k} is not in dpv:hasEntity`);
    if (!arr(p['dpv:hasConsentControl'])) issues.push(`${at}.dpv:hasConsentControl (withdrawal method): required`);
    const statuses = p['dpv:hasConsentStatus'];
    if (!arr(statuses)) issues.push(`${at}.dpv:hasConsentStatus: required`);
    else {
      for (const [j, s] of (statuses as Record<string, unknown>[]).entries()) {
        const st = `${at}.dpv:hasConsentStatus[${j}]`;
        const types = s['@type'];
        if (!Array.isArray(types) || !types.some((t) => t === 'dpv:ConsentGiven' || t === 'dpv:ConsentWithdrawn' || t === 'dpv:ConsentRefused' || t === 'dpv:ConsentExpired')) issues.push(`${st}.@type: needs a DPV consent status`);
        if (!str(s['dpv:isIndicatedAtTime']) || Number.isNaN(Date.parse(s['dpv:isIndicatedAtTime'] as string))) issues.push(`${st}.dpv:isIndicatedAtTime (event time): required, ISO 8601`);
        if (!str(s['dpv:isExercisedAt'])) issues.push(`${st}.dpv:isExercisedAt: required`);
        const by = s['dpv:isIndicatedBy'];
        if (!str(by) || entities?.[by as string] === undefined) issues.push(`${st}.dpv:isIndicatedBy (entity id): required, a key of dpv:hasEntity`);
      }
    }
  }
  return issues;
}
