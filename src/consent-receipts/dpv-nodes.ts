/**
 * The DPV JSON-LD nodes shared by the 27560 records and the record of processing: the
 * controller, recipients, purposes, personal-data categories, notices and rights of a policy.
 * Every node has an IRI derived from the policy (`urn:purpose-bound:<policy>:...`), never from
 * a personal value.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ContactSpec } from '../policy/spec.js';
import { DPV_RIGHTS, dpvPersonalDataConcepts, dpvPersonalDataType, dpvPurposeConcepts, langStrings, policyIri, type DpvRight } from './dpv-vocabulary.js';

/**
 * A postal address (schema.org `PostalAddress` keys), as Kantara receipts and DPV entities use it.
 *
 * @example
 * ```ts
 * const address: PostalAddress = { streetAddress: '1-1 Chiyoda', addressLocality: 'Chiyoda-ku', addressCountry: 'JP' };
 * ```
 */
export interface PostalAddress {
  readonly streetAddress: string;
  readonly addressCountry: string;
  readonly addressLocality?: string;
  readonly addressRegion?: string;
  readonly postalCode?: string;
}

/**
 * Controller details a standard requires and a policy may not hold (ISO/IEC TS 27560 and
 * Kantara v1.1 need a postal address; Kantara a telephone number).
 *
 * @example
 * ```ts
 * const controller: ControllerDetails = {
 *   address: { streetAddress: '1-1 Chiyoda', addressCountry: 'JP' },
 *   phone: '+81-3-0000-0000',
 *   identifier: 'JP-CN-1234567890123', // e.g. the corporate number (法人番号)
 * };
 * ```
 */
export interface ControllerDetails {
  readonly address?: PostalAddress;
  readonly email?: string;
  readonly phone?: string;
  /** A registration identifier (e.g. the corporate number); default the controller's IRI. */
  readonly identifier?: string;
  /** Name of the contact person or desk; default the policy's contact department. */
  readonly contact?: string;
}

/** A language-tagged JSON-LD value list. */
type Lit = ReturnType<typeof langStrings>;

/** @internal */
export function controllerIri(policy: AnyPolicy): string {
  return policyIri(policy.id, 'controller');
}

/** @internal */
export function vendorIri(policy: AnyPolicy, vendor: string): string {
  return policyIri(policy.id, 'recipient', vendor);
}

/** @internal */
export function purposeIri(policy: AnyPolicy, purpose: string): string {
  return policyIri(policy.id, 'purpose', purpose);
}

/** @internal */
export function fieldIri(policy: AnyPolicy, field: string): string {
  return policyIri(policy.id, 'personal-data', field);
}

/** @internal The notice of a policy version: the IRI of that version of the published policy. */
export function noticeIri(policy: AnyPolicy, version: string): string {
  return policyIri(policy.id, 'notice', version);
}

/** @internal The controller as a DPV entity with name, identifier, contact point and address. */
export function controllerNode(policy: AnyPolicy, details: ControllerDetails = {}, requireAddress = true): Record<string, unknown> {
  const c = policy.spec.controller;
  const email = details.email ?? c.contact.email;
  const phone = details.phone ?? c.contact.phone;
  const addressText = c.address ?? c.contact.address;
  const address = details.address;
  if (requireAddress && address === undefined && addressText === undefined) {
    throw new InvalidArgumentError(
      'options.controller.address',
      "is required: ISO/IEC TS 27560 records need the controller's postal address and the policy gives none (controller.address)",
    );
  }
  const iri = controllerIri(policy);
  const contactPoint: Record<string, unknown> = {
    '@type': 'schema:ContactPoint',
    ...(c.contact.department !== undefined && { 'schema:name': langStrings(c.contact.department) }),
    ...(email !== undefined && { 'schema:email': email }),
    ...(phone !== undefined && { 'schema:telephone': phone }),
    ...(c.contact.url !== undefined && { 'schema:url': c.contact.url }),
  };
  return {
    '@id': iri,
    '@type': ['dpv:DataController', 'dpv:LegalEntity'],
    'dpv:hasName': langStrings(c.name),
    'dpv:hasIdentifier': details.identifier ?? iri,
    ...(details.identifier !== undefined && { 'dct:identifier': iri }),
    'schema:contactPoint': contactPoint,
    'dpv:hasContact': [email && `mailto:${email}`, phone && `tel:${phone.replace(/[^\d+]/g, '')}`, c.contact.url].filter((x): x is string => typeof x === 'string' && x.length > 0),
    ...(address !== undefined
      ? {
          'schema:address': {
            '@type': 'schema:PostalAddress',
            'schema:streetAddress': address.streetAddress,
            'schema:addressCountry': address.addressCountry,
            ...(address.addressLocality !== undefined && { 'schema:addressLocality': address.addressLocality }),
            ...(address.addressRegion !== undefined && { 'schema:addressRegion': address.addressRegion }),
            ...(address.postalCode !== undefined && { 'schema:postalCode': address.postalCode }),
          },
          'dpv:hasAddress': [address.streetAddress, address.addressLocality, address.addressRegion, address.postalCode, address.addressCountry].filter(Boolean).join(', '),
        }
      : addressText !== undefined
        ? { 'schema:address': { '@type': 'schema:PostalAddress', 'schema:streetAddress': langStrings(addressText) }, 'dpv:hasAddress': langStrings(addressText) }
        : {}),
  };
}

/** @internal A contact point and postal address from a policy's contact spec (controller or vendor). */
function contactNodes(contact: ContactSpec | undefined): Record<string, unknown> {
  if (contact === undefined) return {};
  const point = {
    '@type': 'schema:ContactPoint',
    ...(contact.department !== undefined && { 'schema:name': langStrings(contact.department) }),
    ...(contact.email !== undefined && { 'schema:email': contact.email }),
    ...(contact.phone !== undefined && { 'schema:telephone': contact.phone }),
    ...(contact.url !== undefined && { 'schema:url': contact.url }),
  };
  const hasPoint = contact.email !== undefined || contact.phone !== undefined || contact.url !== undefined;
  return {
    ...(hasPoint && { 'schema:contactPoint': point }),
    ...(contact.address !== undefined && {
      'schema:address': { '@type': 'schema:PostalAddress', 'schema:streetAddress': langStrings(contact.address) },
      'dpv:hasAddress': langStrings(contact.address),
    }),
  };
}

/** @internal Does a vendor have what 27560 requires of a recipient entity (contact point and postal address)? */
export function vendorHasContact(policy: AnyPolicy, vendor: string): boolean {
  const c = policy.vendor(vendor).contact;
  return c !== undefined && c.address !== undefined && (c.email !== undefined || c.phone !== undefined || c.url !== undefined);
}

/** @internal A recipient of the policy: contractor (processor) or third party. */
export function vendorNode(policy: AnyPolicy, vendor: string): Record<string, unknown> {
  const v = policy.vendor(vendor);
  const iri = vendorIri(policy, vendor);
  return {
    ...contactNodes(v.contact),
    '@id': iri,
    '@type': v.role === 'contractor' ? ['dpv:DataProcessor', 'dpv:Recipient', 'dpv:LegalEntity'] : ['dpv:ThirdParty', 'dpv:Recipient', 'dpv:LegalEntity'],
    'dpv:hasName': langStrings(v.name),
    'dpv:hasIdentifier': iri,
    ...(v.contract !== undefined && { 'dct:identifier': v.contract }),
    'dpv:hasLocation': `loc:${v.country}`,
  };
}

/** @internal A purpose with its DPV concepts, id, title and description. */
export function purposeNode(policy: AnyPolicy, purpose: string): Record<string, unknown> {
  const p = policy.purpose(purpose);
  return {
    '@id': purposeIri(policy, purpose),
    '@type': 'dpv:Purpose',
    'skos:broader': dpvPurposeConcepts(policy, purpose),
    'dct:identifier': purpose,
    'skos:prefLabel': langStrings(p.title) as Lit,
    'dct:description': langStrings(p.description) as Lit,
  };
}

/** @internal A field as a personal-data category (never a value). */
export function personalDataNode(policy: AnyPolicy, field: string, necessity?: 'dpv:Required' | 'dpv:Optional'): Record<string, unknown> {
  const f = policy.field(field);
  return {
    '@id': fieldIri(policy, field),
    '@type': dpvPersonalDataType(policy, field),
    'skos:broader': dpvPersonalDataConcepts(policy, field),
    'dct:identifier': field,
    'skos:prefLabel': langStrings(f.title),
    ...(necessity !== undefined && { 'dpv:hasNecessity': necessity }),
  };
}

/**
 * Laws whose rights the exports list.
 *
 * @example
 * ```ts
 * toIso27560Records(policy, consents, { rights: ['APPI'] satisfies RightsLaw[], controller });
 * ```
 */
export type RightsLaw = 'APPI' | 'GDPR';

const COUNTRY = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

/**
 * @internal the settings both DPV exports share, defaulted and checked: the jurisdiction (`JP`),
 * the storage location (the jurisdiction), the laws whose rights are listed (both) and whether
 * GDPR Art. 6(1) concepts are added (when GDPR is among them).
 * @throws InvalidArgumentError naming `options.jurisdiction` or `options.storageLocation` when not an ISO 3166 code
 */
export function dpvExportSettings(options: {
  readonly jurisdiction?: string;
  readonly storageLocation?: string;
  readonly rights?: readonly RightsLaw[];
  readonly gdpr?: boolean;
}): { readonly jurisdiction: string; readonly storage: string; readonly laws: readonly RightsLaw[]; readonly gdpr: boolean } {
  const jurisdiction = options.jurisdiction ?? 'JP';
  const storage = options.storageLocation ?? jurisdiction;
  if (!COUNTRY.test(jurisdiction)) throw new InvalidArgumentError('options.jurisdiction', 'must be an ISO 3166 code such as JP');
  if (!COUNTRY.test(storage)) throw new InvalidArgumentError('options.storageLocation', 'must be an ISO 3166 code such as JP');
  const laws = options.rights ?? ['APPI', 'GDPR'];
  return { jurisdiction, storage, laws, gdpr: options.gdpr ?? laws.includes('GDPR') };
}

/** @internal The rights of the given laws, each with where to exercise it. */
export function rightNodes(policy: AnyPolicy, laws: readonly RightsLaw[]): Record<string, unknown>[] {
  const exercisedAt =
    policy.spec.controller.contact.url ?? policy.spec.url ?? (policy.spec.controller.contact.email ? `mailto:${policy.spec.controller.contact.email}` : undefined);
  const want = new Set<DpvRight['law']>(laws.map((l) => (l === 'APPI' ? 'legal-jp:law-APPI' : 'legal-eu:law-GDPR')));
  return DPV_RIGHTS.filter((r) => want.has(r.law)).map((r) => ({
    '@id': policyIri(policy.id, 'right', r.id),
    '@type': [...r.concepts],
    'dct:title': langStrings(r.title),
    'dpv:hasApplicableLaw': r.law,
    ...(exercisedAt !== undefined && { 'dpv:isExercisedAt': exercisedAt }),
  }));
}

/** @internal Vendors that receive data for a purpose or one of its ancestors. */
export function vendorsFor(policy: AnyPolicy, purpose: string): string[] {
  const lineage = new Set(policy.lineage(purpose));
  return (policy.vendorIds as readonly string[]).filter((v) => policy.vendor(v).purposes.some((p: string) => lineage.has(p)));
}

/** @internal Fields allowed for a purpose (directly or through a parent). */
export function fieldsFor(policy: AnyPolicy, purpose: string): string[] {
  return (policy.fieldIds as readonly string[]).filter((f) => policy.isAllowed(f, purpose));
}
