/**
 * The whole policy as a DPV record of processing activities (`dpv:ROPA`, JSON-LD): one
 * `dpv:Process` per purpose with its DPV purpose concepts, legal basis, personal-data
 * categories, recipients (contractors as processors, third parties), retention, storage
 * location, transfers abroad and data sources, plus the controller, the recipients as
 * entities and the data subjects' rights. No subject and no value: only the policy.
 *
 * @module
 */
import type { AnyPolicy } from '../policy/define-policy.js';
import {
  controllerIri,
  controllerNode,
  dpvExportSettings,
  fieldIri,
  fieldsFor,
  personalDataNode,
  purposeNode,
  rightNodes,
  vendorIri,
  vendorNode,
  vendorsFor,
  type ControllerDetails,
  type RightsLaw,
} from './dpv-nodes.js';
import { DPV_CONTEXT, dpvBasisConcepts, langStrings, policyIri } from './dpv-vocabulary.js';

/**
 * Options of {@link toDpvRecordOfProcessing}.
 *
 * @example
 * ```ts
 * const options: DpvRecordOfProcessingOptions = { jurisdiction: 'JP', rights: ['APPI'] };
 * ```
 */
export interface DpvRecordOfProcessingOptions {
  /** ISO 3166 code of the jurisdiction and, by default, the storage location. Default `JP`. */
  readonly jurisdiction?: string;
  /** Where data is stored (ISO 3166). Default: the jurisdiction. */
  readonly storageLocation?: string;
  /** Controller details the policy lacks (address, identifier). */
  readonly controller?: ControllerDetails;
  /** Laws whose rights are listed. Default both APPI and GDPR. */
  readonly rights?: readonly RightsLaw[];
  /** Add each basis's GDPR Art. 6(1) concept. Default `true` when `rights` includes `GDPR`. */
  readonly gdpr?: boolean;
}

const SOURCE_TYPE = { subject: 'dpv:DataSubjectDataSource', 'third-party': 'dpv:ThirdPartyDataSource', entrusted: 'dpv:ThirdPartyDataSource' } as const;

/**
 * Export the policy as a DPV record of processing (JSON-LD with the inlined DPV context):
 * every purpose with its basis, personal-data categories, recipients, retention and transfers.
 *
 * @param policy - the policy
 * @param options - jurisdiction, storage location, controller details, rights
 * @throws InvalidArgumentError when a code is not ISO 3166
 * @example
 * ```ts
 * import { toDpvRecordOfProcessing } from 'purpose-bound';
 *
 * const ropa = toDpvRecordOfProcessing(ji4pePolicy);
 * await writeFile('ropa.jsonld', JSON.stringify(ropa, null, 2));
 * ```
 */
export function toDpvRecordOfProcessing(policy: AnyPolicy, options: DpvRecordOfProcessingOptions = {}): Record<string, unknown> {
  const { jurisdiction, storage, laws, gdpr } = dpvExportSettings(options);
  const spec = policy.spec;
  const controller = controllerIri(policy);
  const processes = (policy.purposeIds as readonly string[]).map((purpose) => {
    const p = policy.purpose(purpose);
    const vendors = vendorsFor(policy, purpose);
    const sources = [
      ...new Set(
        (policy.collectionPointIds as readonly string[])
          .map((id) => policy.collectionPoint(id))
          .filter((cp) => (cp.purposes as readonly string[]).some((a) => policy.lineage(purpose).includes(a)))
          .map((cp) => SOURCE_TYPE[(cp.source ?? 'subject') as keyof typeof SOURCE_TYPE]),
      ),
    ];
    const transfers = vendors.map((v) => {
      const vendor = policy.vendor(v);
      const abroad = vendor.country !== jurisdiction;
      return {
        '@type': 'dpv:Processing',
        'skos:broader': [vendor.role === 'contractor' ? 'dpv:Transfer' : 'dpv:Share', ...(abroad ? ['dpv:CrossBorderTransfer'] : [])],
        'dpv:hasRecipient': vendorIri(policy, v),
        'dpv:hasPersonalData': (vendor.fields as readonly string[]).filter((f) => policy.isAllowed(f, purpose)).map((f) => fieldIri(policy, f)),
        'dpv:hasLocation': `loc:${vendor.country}`,
        ...(vendor.contract !== undefined && { 'dct:references': vendor.contract }),
      };
    });
    return {
      '@id': policyIri(policy.id, 'process', purpose),
      '@type': 'dpv:Process',
      ...(p.scope === 'outside' && {
        'rdfs:comment': langStrings({
          en: 'A use outside the announced purposes, reachable only on a legal exception.',
          ja: '公表した利用目的の範囲外の利用であり、法令上の例外に基づく場合に限ります。',
        }),
      }),
      'dpv:hasPurpose': purposeNode(policy, purpose),
      'dpv:hasLegalBasis': dpvBasisConcepts(policy, purpose, { gdpr }),
      'dpv:hasPersonalData': fieldsFor(policy, purpose).map((f) => fieldIri(policy, f)),
      'dpv:hasDataController': controller,
      ...(sources.length > 0 && { 'dpv:hasDataSource': sources.map((t) => ({ '@type': t })) }),
      'dpv:hasRecipient': [controller, ...vendors.map((v) => vendorIri(policy, v))],
      ...(vendors.some((v) => policy.vendor(v).role === 'contractor') && {
        'dpv:hasDataProcessor': vendors.filter((v) => policy.vendor(v).role === 'contractor').map((v) => vendorIri(policy, v)),
      }),
      ...(vendors.some((v) => policy.vendor(v).role === 'third-party') && {
        'dpv:hasThirdParty': vendors.filter((v) => policy.vendor(v).role === 'third-party').map((v) => vendorIri(policy, v)),
      }),
      'dpv:hasStorageCondition': [
        { '@type': 'dpv:StorageLocation', 'dpv:hasLocation': `loc:${storage}` },
        { '@type': 'dpv:StorageDuration', 'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': { '@value': p.retention, '@type': 'xsd:duration' } } },
      ],
      ...(transfers.length > 0 && { 'dpv:hasProcessing': transfers }),
      ...(p.parent !== undefined && { 'dct:isPartOf': policyIri(policy.id, 'process', p.parent) }),
    };
  });
  return {
    '@context': DPV_CONTEXT,
    '@id': policyIri(policy.id, 'record-of-processing', policy.version),
    '@type': ['dpv:ROPA', 'dpv:RecordsOfActivities'],
    'dct:identifier': `${policy.id}@${policy.version}`,
    'dct:hasVersion': policy.version,
    'dct:issued': { '@value': spec.effective, '@type': 'xsd:date' },
    ...(spec.title !== undefined && { 'dct:title': langStrings(spec.title) }),
    ...(spec.url !== undefined && { 'schema:url': spec.url }),
    'dct:language': [...policy.languages],
    'dpv:hasDataController': controller,
    'dpv:hasJurisdiction': `loc:${jurisdiction}`,
    'dpv:hasApplicableLaw': laws.map((l) => (l === 'APPI' ? 'legal-jp:law-APPI' : 'legal-eu:law-GDPR')),
    'dpv:hasProcess': processes,
    'dpv:hasPersonalData': (policy.fieldIds as readonly string[]).map((f) => personalDataNode(policy, f)),
    'dpv:hasRight': rightNodes(policy, laws),
    'dpv:hasEntity': [controllerNode(policy, options.controller, false), ...(policy.vendorIds as readonly string[]).map((v) => vendorNode(policy, v))],
  };
}
