/**
 * Consent records as ISO/IEC TS 27560:2023 consent records in the DPV profile
 * (`https://w3id.org/dpv/schema/dpv-27560#record`), following the DPVCG guide "Consent Records
 * and Receipts as per ISO/IEC TS 27560:2023 using DPV" (https://w3id.org/dpv/guides/consent-27560).
 *
 * The records are real JSON-LD: the inlined {@link DPV_CONTEXT} maps every property to its
 * DPV, DCT or schema.org IRI; entities are nodes with IRIs (`dpv:hasEntity`), referred to by
 * IRI from `dpv:hasDataController`, `dpv:hasRecipient` and `dpv:isIndicatedBy`. One record per
 * subject and purpose, carrying every consent event (given, withdrawn), the person as the one
 * who indicated it, the indication method and the notice version seen.
 *
 * Only purposes whose legal basis is consent have records: a consent for a purpose resting on a
 * contract, a legal obligation or legitimate interests is refused with
 * {@link ConsentNotTheBasisError}.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ConsentRecord } from '../state/consent.js';
import { assertConsentPurposes } from '../policy/consent-purposes.js';
import {
  controllerIri,
  controllerNode,
  dpvExportSettings,
  fieldsFor,
  noticeIri,
  personalDataNode,
  purposeNode,
  rightNodes,
  vendorIri,
  vendorHasContact,
  vendorNode,
  vendorsFor,
  type ControllerDetails,
  type RightsLaw,
} from './dpv-nodes.js';
import { DPV_CONTEXT, dpvBasisConcepts, langStrings, policyIri } from './dpv-vocabulary.js';
import { nameUuid } from './name-uuid.js';

/**
 * The schema version every record declares (`dct:conformsTo`): the DPV profile of 27560 for
 * consent records.
 *
 * @example
 * ```ts
 * import { DPV_27560_RECORD_SCHEMA } from 'purpose-bound';
 *
 * records[0]?.['dct:conformsTo'] === DPV_27560_RECORD_SCHEMA; // true
 * ```
 */
export const DPV_27560_RECORD_SCHEMA = 'https://w3id.org/dpv/schema/dpv-27560#record';

/**
 * The JSON-LD context of exported records (the same as {@link DPV_CONTEXT}).
 *
 * @example
 * ```ts
 * DPV_27560_CONTEXT.dpv; // 'https://w3id.org/dpv#'
 * ```
 */
export const DPV_27560_CONTEXT = DPV_CONTEXT;

/**
 * A consent event of a record: a DPV consent status with time, the person who indicated it,
 * how, and the notice version seen.
 *
 * @example
 * ```ts
 * records[0]?.['dpv:hasConsentStatus'].map((e: Iso27560ConsentEvent) => e['dpv:isIndicatedAtTime']);
 * ```
 */
export interface Iso27560ConsentEvent {
  readonly '@id': string;
  readonly '@type': readonly string[];
  readonly 'dct:identifier': string;
  readonly 'dpv:isIndicatedAtTime': string;
  /** The data subject's IRI: the person indicates consent, whoever records it. */
  readonly 'dpv:isIndicatedBy': string;
  /** How the person indicated it (the consent's `method`), when known. */
  readonly 'dpv:hasIndicationMethod'?: string;
  /** Who recorded the event (the consent's `actor`: `subject`, a form, staff). */
  readonly 'dct:creator': string;
  /** IRI of the notice version the person saw. */
  readonly 'dpv:hasNotice': string;
  /** How long the event holds: until its expiry, else until the next event (withdrawal, new consent). */
  readonly 'dpv:hasDuration': { readonly '@type': string; readonly 'rdf:value': unknown };
}

/**
 * One ISO/IEC TS 27560 consent record in the DPV profile.
 *
 * @example
 * ```ts
 * const [record] = toIso27560Records(policy, await vault.consents.list(subject), { controller: { address } });
 * record?.['dct:identifier']; // a UUID
 * ```
 */
export interface Iso27560Record {
  readonly '@context': typeof DPV_CONTEXT;
  readonly '@id': string;
  readonly '@type': 'dpv:ConsentRecord';
  /** Schema version: {@link DPV_27560_RECORD_SCHEMA}. */
  readonly 'dct:conformsTo': string;
  /** Record id (a UUID derived from policy, subject and purpose: stable across exports). */
  readonly 'dct:identifier': string;
  readonly 'dpv:hasIdentifier': string;
  readonly 'dct:created': string;
  readonly 'dct:modified': string;
  /** IRI of the data subject node in `dpv:hasEntity`. */
  readonly 'dpv:hasDataSubject': string;
  readonly 'dpv:hasNotice': readonly Record<string, unknown>[];
  readonly 'dct:language': readonly string[];
  readonly 'dpv:hasJurisdiction': string;
  readonly 'dpv:hasApplicableLaw': readonly string[];
  readonly 'dpv:hasProcess': readonly Record<string, unknown>[];
  /** Current state first, then every event newest first. */
  readonly 'dpv:hasConsentStatus': readonly Iso27560ConsentEvent[];
  readonly 'dpv:hasEntity': readonly Record<string, unknown>[];
}

/**
 * Options of {@link toIso27560Records}.
 *
 * @example
 * ```ts
 * const options: Iso27560Options = { jurisdiction: 'JP', controller: { address: { streetAddress: '1-1 Chiyoda', addressCountry: 'JP' } } };
 * ```
 */
export interface Iso27560Options {
  /** ISO 3166 code of the jurisdiction. Default `JP`. */
  readonly jurisdiction?: string;
  /** Where data is stored (ISO 3166). Default: the jurisdiction. */
  readonly storageLocation?: string;
  /** Controller details the policy lacks (27560 needs a postal address). */
  readonly controller?: ControllerDetails;
  /** Laws whose rights are listed. Default both: APPI Arts. 33–35 and GDPR Arts. 15–21. */
  readonly rights?: readonly RightsLaw[];
  /** Add the GDPR Art. 6(1) concept to each legal basis. Default `true` when `rights` includes `GDPR`. */
  readonly gdpr?: boolean;
}

/**
 * Export consent events as ISO/IEC TS 27560 consent records (DPV JSON-LD), one per subject and
 * purpose, with every event and the notice version shown at each.
 *
 * @param policy - the policy the consents were given under
 * @param consents - consent events, e.g. `await vault.consents.list(subject)` filtered with
 *   {@link isConsentPurpose} (any order; several subjects allowed)
 * @param options - jurisdiction, storage location, controller address, rights
 * @throws ConsentNotTheBasisError when a consent is for a purpose whose basis is not consent
 * @throws InvalidArgumentError when a consent names a purpose the policy does not define, a
 *   code is not ISO 3166, the controller's address is known neither to the policy nor the
 *   options, or a recipient of the purpose has no `contact` with a postal address
 * @example
 * ```ts
 * const consents = (await vault.consents.list(subject)).filter((c) => isConsentPurpose(ji4pePolicy, c.purpose));
 * const records = toIso27560Records(ji4pePolicy, consents, { controller: { address } });
 * response.type('application/ld+json').send(JSON.stringify(records));
 * ```
 */
export function toIso27560Records(policy: AnyPolicy, consents: readonly ConsentRecord[], options: Iso27560Options = {}): Iso27560Record[] {
  if (!Array.isArray(consents)) throw new InvalidArgumentError('consents', 'must be an array of consent records');
  const { jurisdiction, storage, laws, gdpr } = dpvExportSettings(options);
  for (const c of consents) {
    if (typeof c?.purpose !== 'string' || !policy.hasPurpose(c.purpose)) throw new InvalidArgumentError('consents', 'must hold consents for purposes the policy defines');
    if (typeof c.subject !== 'string' || c.subject.length === 0) throw new InvalidArgumentError('consents', 'must each name a subject');
  }
  assertConsentPurposes(policy, new Set(consents.map((c) => c.purpose)));
  const groups = new Map<string, ConsentRecord[]>();
  for (const c of consents) {
    const key = `${c.subject}\u0000${c.purpose}`;
    const group = groups.get(key) ?? [];
    group.push(c);
    groups.set(key, group);
  }
  const controller = controllerNode(policy, options.controller);
  const contact = policy.spec.controller.contact;
  const withdrawAt = contact.url ?? policy.spec.url ?? (contact.email ? `mailto:${contact.email}` : undefined);
  const languages = [...policy.languages];
  const out: Iso27560Record[] = [];
  for (const events of groups.values()) {
    const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
    const first = sorted[0] as ConsentRecord;
    const last = sorted[sorted.length - 1] as ConsentRecord;
    const purpose = first.purpose;
    const spec = policy.purpose(purpose);
    const subjectIri = policyIri(policy.id, 'subject', first.subject);
    const vendors = vendorsFor(policy, purpose);
    for (const v of vendors) {
      if (!vendorHasContact(policy, v)) {
        throw new InvalidArgumentError(
          `policy.vendors.${v}.contact`,
          `needs a postal address and an e-mail, phone or URL: ISO/IEC TS 27560 records name every recipient with its contact and address, and ${v} receives data for the consent-based purpose ${purpose}`,
        );
      }
    }
    const recordId = nameUuid('iso-27560-record', policy.id, first.subject, purpose);
    const statusOf = (c: ConsentRecord): Iso27560ConsentEvent => {
      const duration =
        c.expiresAt !== undefined
          ? { '@type': 'dpv:UntilTimeDuration', 'rdf:value': { '@value': c.expiresAt, '@type': 'xsd:dateTime' } }
          : {
              '@type': 'dpv:UntilEventDuration',
              'rdf:value': langStrings(
                c.state === 'granted' ? { en: 'until consent is withdrawn', ja: '同意が撤回されるまで' } : { en: 'until consent is given again', ja: '改めて同意が与えられるまで' },
              ).filter((v) => (languages as readonly string[]).includes(v['@language'])),
            };
      return {
        '@id': policyIri(policy.id, 'consent-event', c.id),
        // The consent type (27560 "event type") rides on the given event: a person's affirmative act on a form is expressed consent.
        '@type': c.state === 'granted' ? ['dpv:ConsentGiven', 'dpv:ExpressedConsent'] : ['dpv:ConsentWithdrawn'],
        'dct:identifier': c.id,
        'dpv:isIndicatedAtTime': c.at,
        'dpv:isIndicatedBy': subjectIri,
        ...(c.method !== undefined && { 'dpv:hasIndicationMethod': c.method }),
        'dct:creator': c.actor,
        'dpv:hasNotice': noticeIri(policy, c.noticeVersion),
        'dpv:hasDuration': duration,
      };
    };
    const versions = [...new Set(sorted.map((c) => c.noticeVersion))];
    out.push({
      '@context': DPV_CONTEXT,
      '@id': `urn:uuid:${recordId}`,
      '@type': 'dpv:ConsentRecord',
      'dct:conformsTo': DPV_27560_RECORD_SCHEMA,
      'dct:identifier': recordId,
      'dpv:hasIdentifier': recordId,
      'dct:created': first.at,
      'dct:modified': last.at,
      'dpv:hasDataSubject': subjectIri,
      'dpv:hasNotice': versions.map((v) => ({
        '@id': noticeIri(policy, v),
        '@type': 'dpv:ConsentNotice',
        'dct:hasVersion': v,
        'dct:language': languages,
        ...(policy.spec.url !== undefined && { 'schema:url': policy.spec.url }),
      })),
      'dct:language': languages,
      'dpv:hasJurisdiction': `loc:${jurisdiction}`,
      'dpv:hasApplicableLaw': laws.map((l) => (l === 'APPI' ? 'legal-jp:law-APPI' : 'legal-eu:law-GDPR')),
      'dpv:hasProcess': [
        {
          '@type': 'dpv:Process',
          'dpv:hasPurpose': purposeNode(policy, purpose),
          'dpv:hasLegalBasis': dpvBasisConcepts(policy, purpose, { gdpr }),
          'dpv:hasPersonalData': fieldsFor(policy, purpose).map((f) => personalDataNode(policy, f)),
          'dpv:hasDataController': controllerIri(policy),
          'dpv:hasDataSource': { '@type': 'dpv:DataSubjectDataSource' },
          'dpv:hasStorageCondition': [
            { '@type': 'dpv:StorageLocation', 'dpv:hasLocation': `loc:${storage}` },
            { '@type': 'dpv:StorageDuration', 'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': { '@value': spec.retention, '@type': 'xsd:duration' } } },
          ],
          // 27560 wants recipients; DPV counts the controller as one (guide §8.3.7), so the list is never empty.
          'dpv:hasRecipient': [controllerIri(policy), ...vendors.map((v) => vendorIri(policy, v))],
          'dpv:hasConsentControl': { '@type': 'dpv:WithdrawConsent', ...(withdrawAt !== undefined && { 'dpv:isExercisedAt': withdrawAt }) },
          'dpv:hasRight': rightNodes(policy, laws),
          'dpv:hasJurisdiction': `loc:${jurisdiction}`,
        },
      ],
      'dpv:hasConsentStatus': sorted.map((c) => statusOf(c)).reverse(),
      'dpv:hasEntity': [controller, { '@id': subjectIri, '@type': 'dpv:DataSubject', 'dpv:hasIdentifier': first.subject }, ...vendors.map((v) => vendorNode(policy, v))],
    });
  }
  return out;
}

/**
 * Check a record against the fields the DPV guide for ISO/IEC TS 27560 makes mandatory (a
 * quick structural check; the tests also expand records to RDF and validate them with SHACL
 * shapes written from the guide). Returns the missing or malformed ones (empty when valid).
 *
 * @param record - an exported record (or any JSON value)
 * @example
 * ```ts
 * validateIso27560Record(records[0]); // []
 * ```
 */
export function validateIso27560Record(record: unknown): string[] {
  if (typeof record !== 'object' || record === null) return ['record: must be an object'];
  const r = record as Record<string, unknown>;
  const issues: string[] = [];
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const ctx = r['@context'] as Record<string, unknown> | undefined;
  if (typeof ctx !== 'object' || ctx?.['dpv'] !== 'https://w3id.org/dpv#' || typeof ctx['dpv:hasLegalBasis'] !== 'object')
    issues.push('@context: must be the DPV context with term definitions (DPV_CONTEXT)');
  if (!arr(r['@type']).includes('dpv:ConsentRecord')) issues.push('@type: must include dpv:ConsentRecord');
  if (r['dct:conformsTo'] !== DPV_27560_RECORD_SCHEMA) issues.push(`dct:conformsTo (schema version): must be ${DPV_27560_RECORD_SCHEMA}`);
  if (!str(r['dct:identifier'])) issues.push('dct:identifier (record id): required');
  const entities = new Map(arr(r['dpv:hasEntity']).map((e) => [(e as Record<string, unknown>)['@id'], e as Record<string, unknown>]));
  if (!str(r['dpv:hasDataSubject']) || entities.get(r['dpv:hasDataSubject']) === undefined)
    issues.push('dpv:hasDataSubject (pii principal id): required, an entity of dpv:hasEntity');
  if (arr(r['dpv:hasNotice']).length === 0) issues.push('dpv:hasNotice (privacy notice): required');
  if (arr(r['dct:language']).length === 0) issues.push('dct:language: required');
  if (!str(r['dpv:hasJurisdiction'])) issues.push('dpv:hasJurisdiction: required');
  const processes = arr(r['dpv:hasProcess']) as Record<string, unknown>[];
  if (processes.length === 0) issues.push('dpv:hasProcess: required');
  for (const [i, p] of processes.entries()) {
    const at = `dpv:hasProcess[${i}]`;
    for (const [k, what] of [
      ['dpv:hasPurpose', 'purpose'],
      ['dpv:hasLegalBasis', 'lawful basis'],
      ['dpv:hasPersonalData', 'pii information'],
      ['dpv:hasDataController', 'pii controllers'],
      ['dpv:hasStorageCondition', 'storage location, retention period'],
      ['dpv:hasRecipient', 'recipients'],
      ['dpv:hasConsentControl', 'withdrawal method'],
      ['dpv:hasRight', 'privacy rights'],
    ] as const) {
      if (arr(p[k]).length === 0) issues.push(`${at}.${k} (${what}): required`);
    }
    for (const c of arr(p['dpv:hasDataController'])) {
      const e = entities.get(c);
      if (e === undefined || arr(e['dpv:hasName']).length === 0 || e['schema:address'] === undefined || e['schema:contactPoint'] === undefined || !str(e['dpv:hasIdentifier'])) {
        issues.push(`dpv:hasEntity: the controller ${String(c)} needs dpv:hasName, dpv:hasIdentifier, schema:contactPoint and schema:address`);
      }
    }
    for (const k of arr(p['dpv:hasRecipient'])) if (!entities.has(k)) issues.push(`${at}.dpv:hasRecipient: ${String(k)} is not in dpv:hasEntity`);
    const storageTypes = arr(p['dpv:hasStorageCondition']).flatMap((s) => arr((s as Record<string, unknown>)['@type']));
    if (!storageTypes.includes('dpv:StorageLocation')) issues.push(`${at}.dpv:hasStorageCondition: needs a dpv:StorageLocation`);
    if (!storageTypes.includes('dpv:StorageDuration')) issues.push(`${at}.dpv:hasStorageCondition: needs a dpv:StorageDuration (retention period)`);
  }
  const statuses = arr(r['dpv:hasConsentStatus']) as Record<string, unknown>[];
  if (statuses.length === 0) issues.push('dpv:hasConsentStatus: required');
  for (const [j, s] of statuses.entries()) {
    const st = `dpv:hasConsentStatus[${j}]`;
    if (!arr(s['@type']).some((t) => typeof t === 'string' && /^dpv:Consent(Given|Withdrawn|Refused|Expired|Requested|Terminated|Invalidated)$/.test(t)))
      issues.push(`${st}.@type: needs a DPV consent status`);
    if (!str(s['dpv:isIndicatedAtTime']) || Number.isNaN(Date.parse(s['dpv:isIndicatedAtTime']))) issues.push(`${st}.dpv:isIndicatedAtTime (event time): required, ISO 8601`);
    if (s['dpv:hasDuration'] === undefined) issues.push(`${st}.dpv:hasDuration (event duration): required`);
    if (!str(s['dpv:isIndicatedBy']) || !entities.has(s['dpv:isIndicatedBy'])) issues.push(`${st}.dpv:isIndicatedBy (entity id): required, an entity of dpv:hasEntity`);
  }
  return issues;
}
