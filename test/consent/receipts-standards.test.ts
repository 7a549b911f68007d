/**
 * Issue 13: consent records and receipts checked by tools that implement the standards.
 *
 * - ISO/IEC TS 27560 records (DPV profile) are expanded to RDF by a JSON-LD processor
 *   (`jsonld`, safe mode: a term it cannot map is an error) with a document loader that refuses
 *   every fetch, then validated with SHACL shapes written from the DPV guide (`rdf-validate-shacl`).
 * - Kantara v1.1 receipts are validated with ajv against a JSON schema of the specification.
 * - The DPV record of processing is expanded and validated with its own shapes.
 * - Consent is recorded only for purposes whose basis is consent; a record or receipt for a
 *   consent to a contract purpose cannot be produced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import jsonld from 'jsonld';
import { DataFactory, Parser, Store, type Term } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { describe, expect, it } from 'vitest';
import {
  authenticatedSubjectVerifier,
  consentPurposesOf,
  createRequestDesk,
  renderDisclosure,
  createLocalKeyring,
  createVault,
  definePolicy,
  DPV_27560_RECORD_SCHEMA,
  generateKey,
  isConsentPurpose,
  memorySubjectSecrets,
  toDpvRecordOfProcessing,
  toIso27560Records,
  toKantaraReceipt,
  validateIso27560Record,
  type ConsentRecord,
  type Iso27560Record,
  type KantaraConsentReceipt,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4peConsentReceipts, ji4peControllerDetails } from '../../examples/ji4pe/consent-receipts.js';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const here = import.meta.dirname;

/** No network at test time: every context is inlined, so any fetch is a bug. */
const refuseEverything = async (url: string): Promise<never> => {
  throw new Error(`documentLoader refused ${url}: the DPV context must be inlined`);
};

async function toStore(doc: unknown): Promise<Store> {
  const nquads = (await jsonld.toRDF(
    doc as jsonld.JsonLdDocument,
    { format: 'application/n-quads', documentLoader: refuseEverything as never, safe: true } as never,
  )) as unknown as string;
  return new Store(new Parser({ format: 'application/n-quads' }).parse(nquads));
}

function shapes(file: string): Store {
  return new Store(new Parser({ format: 'text/turtle' }).parse(readFileSync(join(here, file), 'utf8')));
}

async function shaclMessages(doc: unknown, shapesFile: string): Promise<string[]> {
  const report = await new SHACLValidator(shapes(shapesFile)).validate(await toStore(doc));
  return report.results.map((r) => `${r.message.map((m) => m.value).join(' ')} @ ${r.focusNode?.value ?? '?'}`);
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
// ajv-formats is CommonJS: its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
const kantaraSchema = ajv.compile(JSON.parse(readFileSync(join(here, 'kantara-cr-v1.1.schema.json'), 'utf8')) as object);

/** The consent steps of the requests walkthrough (examples/ji4pe/requests-walkthrough.ts). */
async function walkthroughConsents(): Promise<{ consents: readonly ConsentRecord[]; subject: string }> {
  let now = new Date('2026-04-01T09:00:00.000Z');
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring, clock: () => new Date(now) });
  const { subject } = await vault.collect({
    collectionPoint: 'eventApplication',
    actor: 'web-form',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市中京区1-1', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  // A consent given where no announced purpose rests on consent records nothing.
  const { subject: ken } = await vault.collect({
    collectionPoint: 'inquiry',
    actor: 'web-form',
    values: { name: 'Ken', email: 'ken@example.jp', inquiry: 'Hello?' },
    consent: { method: 'web-form' },
  });
  expect(await vault.consents.list(ken)).toEqual([]);
  now = new Date('2026-04-02T09:00:00.000Z');
  await vault.guard().grantConsent({ subject, purpose: 'eventInsurance', actor: 'subject', method: 'web-form' });
  const consents = await vault.consents.list(subject);
  await vault.close();
  return { consents, subject };
}

describe('collect records consent only for purposes whose basis is consent', () => {
  it('the application form announces five purposes; only the consent-based one gets a grant', async () => {
    const { consents } = await walkthroughConsents();
    // applicationPrefill from the form; eventInsurance is the Art. 27(1) provision consent granted separately.
    expect(consents.map((c) => c.purpose)).toEqual(['applicationPrefill', 'eventInsurance']);
    expect(consentPurposesOf(ji4pePolicy, ji4pePolicy.collectionPoint('eventApplication').purposes)).toEqual(['applicationPrefill']);
    expect(consentPurposesOf(ji4pePolicy, ji4pePolicy.collectionPoint('inquiry').purposes)).toEqual([]);
  });

  it('special-care fields: the consent to their acquisition (APPI Art. 20(2)) is recorded for the purposes they serve', () => {
    const t = (en: string, ja: string) => ({ en, ja });
    const clinic = definePolicy({
      id: 'clinic13',
      version: '1',
      effective: '2026-01-01',
      controller: { name: t('Clinic', 'クリニック'), contact: { email: 'privacy@clinic.example' } },
      purposes: {
        care: { title: t('Care', '診療'), description: t('To treat you.', '診療のため。'), basis: 'contract', retention: 'P5Y' },
        news: { title: t('News', 'お知らせ'), description: t('To send news.', 'お知らせのため。'), basis: 'consent', retention: 'P1Y' },
      },
      fields: {
        email: { title: t('E-mail', 'メール'), schema: definePolicyEmail(), category: 'contact', purposes: ['care', 'news'] },
        allergies: { title: t('Allergies', 'アレルギー'), schema: definePolicyEmail(), category: 'special-care', purposes: ['care'] },
      },
      collectionPoints: { intake: { title: t('Intake', '問診'), fields: ['email', 'allergies'], purposes: ['care', 'news'] } },
    });
    expect(consentPurposesOf(clinic, ['care', 'news'], ['email'])).toEqual(['news']);
    expect(consentPurposesOf(clinic, ['care', 'news'], ['email', 'allergies'])).toEqual(['care', 'news']);
  });
});

function definePolicyEmail() {
  return ji4pePolicy.field('email').schema;
}

describe('ISO/IEC TS 27560 records (DPV profile) through a JSON-LD processor and SHACL', () => {
  it('every record of the walkthrough expands without loss and conforms to the shapes from the DPV guide', async () => {
    const { consents } = await walkthroughConsents();
    const { records } = ji4peConsentReceipts(consents);
    expect(records).toHaveLength(1);
    for (const record of records) {
      expect(validateIso27560Record(record)).toEqual([]);
      expect(await shaclMessages(record, 'dpv-27560-record.shapes.ttl')).toEqual([]);
    }
  });

  it('the graph says what the guide requires: the person indicated consent, by which method, having seen which notice', async () => {
    const { consents, subject } = await walkthroughConsents();
    const [record] = ji4peConsentReceipts(consents).records as [Iso27560Record];
    const store = await toStore(record);
    const term = (s: string): Term => (s.startsWith('_:') ? DataFactory.blankNode(s.slice(2)) : DataFactory.namedNode(s));
    const one = (s: string, p: string) => store.getObjects(term(s), DataFactory.namedNode(p), null).map((o) => (o.termType === 'BlankNode' ? `_:${o.value}` : o.value));
    const DPV = 'https://w3id.org/dpv#';
    const recordIri = record['@id'];
    expect(one(recordIri, 'http://purl.org/dc/terms/conformsTo')).toEqual([DPV_27560_RECORD_SCHEMA]);
    expect(record['dct:identifier']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const subjectIri = one(recordIri, `${DPV}hasDataSubject`)[0] as string;
    expect(one(subjectIri, `${DPV}hasIdentifier`)).toEqual([subject]);
    const [event] = one(recordIri, `${DPV}hasConsentStatus`);
    expect(one(event as string, `${DPV}isIndicatedBy`)).toEqual([subjectIri]);
    expect(one(event as string, `${DPV}hasIndicationMethod`)).toEqual(['web-form']);
    expect(one(event as string, 'http://purl.org/dc/terms/creator')).toEqual(['web-form']);
    const notice = one(event as string, `${DPV}hasNotice`)[0] as string;
    expect(one(notice, 'http://purl.org/dc/terms/hasVersion')).toEqual(['2020-09']);
    // The controller survives as a node with name, contact point and address.
    const [process] = one(recordIri, `${DPV}hasProcess`);
    const controller = one(process as string, `${DPV}hasDataController`)[0] as string;
    expect(one(controller, `${DPV}hasName`)).toContain('Japanese Institute for Public Engagement (Ji4pe)');
    expect(store.getQuads(controller, 'https://schema.org/address', null, null)).toHaveLength(1);
    // DPV taxonomy, not bare classes: purpose, basis, personal-data categories, law.
    const purpose = one(process as string, `${DPV}hasPurpose`)[0] as string;
    expect(one(purpose, 'http://www.w3.org/2004/02/skos/core#broader')).toEqual([`${DPV}ServicePersonalisation`]);
    expect(one(process as string, `${DPV}hasLegalBasis`)).toEqual([`${DPV}ExpressedConsent`, 'https://w3id.org/dpv/legal/eu/gdpr#A6-1-a']);
    const categories = one(process as string, `${DPV}hasPersonalData`).flatMap((pd) => one(pd, 'http://www.w3.org/2004/02/skos/core#broader'));
    expect(categories.sort()).toEqual(['Name', 'BirthDate', 'PhysicalAddress', 'TelephoneNumber', 'EmailAddress'].map((c) => `https://w3id.org/dpv/pd#${c}`).sort());
    expect(one(recordIri, `${DPV}hasApplicableLaw`)).toContain('https://w3id.org/dpv/legal/jp#law-APPI');
    const rights = one(process as string, `${DPV}hasRight`).flatMap((r) => one(r, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'));
    for (const a of ['A15', 'A16', 'A17', 'A18', 'A19', 'A20', 'A21']) expect(rights).toContain(`https://w3id.org/dpv/legal/eu/gdpr#${a}`);
    expect(store.getQuads(null, 'http://purl.org/dc/terms/title', null, null).map((q) => q.object.value)).toEqual(
      expect.arrayContaining(['Disclosure of retained personal data (APPI Art. 33)', 'Correction, addition or deletion (APPI Art. 34)']),
    );
    // No personal value in the record.
    const text = JSON.stringify(record);
    for (const value of ['中村 美香', 'mika@example.jp', '1992-07-07', '075-111-2222', '京都府']) expect(text).not.toContain(value);
  });

  it('a withdrawal closes the record: newest event first, each with its duration', async () => {
    const { consents, subject } = await walkthroughConsents();
    const withdrawal: ConsentRecord = {
      ...(consents[0] as ConsentRecord),
      id: 'w-1',
      state: 'withdrawn',
      at: '2026-05-01T00:00:00.000Z',
      actor: 'subject',
      noticeVersion: '2020-09',
    };
    const [record] = toIso27560Records(ji4pePolicy, [consents[0] as ConsentRecord, withdrawal], { controller: ji4peControllerDetails });
    expect(record?.['dpv:hasConsentStatus'].map((e) => [e['@type'][0], e['dpv:hasDuration']['@type']])).toEqual([
      ['dpv:ConsentWithdrawn', 'dpv:UntilEventDuration'],
      ['dpv:ConsentGiven', 'dpv:UntilEventDuration'],
    ]);
    expect(record?.['dpv:hasDataSubject']).toContain(subject);
    expect(await shaclMessages(record, 'dpv-27560-record.shapes.ttl')).toEqual([]);
  });

  it('the shapes fail what issue 13 found: the software as the consenting party, a contract basis, missing rights', async () => {
    const { consents } = await walkthroughConsents();
    const [good] = ji4peConsentReceipts(consents).records as [Iso27560Record];
    const bySoftware = structuredClone(good) as unknown as Record<string, Record<string, unknown>[]>;
    (bySoftware['dpv:hasConsentStatus'] as Record<string, unknown>[])[0]!['dpv:isIndicatedBy'] = 'urn:purpose-bound:ji4pe:controller';
    expect((await shaclMessages(bySoftware, 'dpv-27560-record.shapes.ttl')).join('\n')).toMatch(/8\.5\.5/);
    const contract = structuredClone(good) as unknown as { 'dpv:hasProcess': Record<string, unknown>[] };
    contract['dpv:hasProcess'][0]!['dpv:hasLegalBasis'] = ['dpv:Contract'];
    expect((await shaclMessages(contract, 'dpv-27560-record.shapes.ttl')).join('\n')).toMatch(/legal basis is consent/);
    const noRights = structuredClone(good) as unknown as { 'dpv:hasProcess': Record<string, unknown>[] };
    delete noRights['dpv:hasProcess'][0]!['dpv:hasRight'];
    expect((await shaclMessages(noRights, 'dpv-27560-record.shapes.ttl')).join('\n')).toMatch(/8\.3\.10/);
    // The old shape of the export: a context of prefixes only and entities as map keys. Safe-mode
    // JSON-LD refuses what it would silently drop.
    const legacy = { ...good, '@context': { dpv: 'https://w3id.org/dpv#' }, 'dpv:hasEntity': { controller: { 'dpv:hasName': 'x' } } };
    await expect(toStore(legacy)).rejects.toThrow();
  });

  it('recipients of a consent-based purpose are entities with contact and address, as the guide requires', async () => {
    const t = (en: string, ja: string) => ({ en, ja });
    const spec = {
      id: 'shop13',
      version: '1',
      effective: '2026-01-01',
      controller: {
        name: t('Shop', 'ショップ'),
        address: t('1-1 Chiyoda, Tokyo', '東京都千代田区1-1'),
        contact: { email: 'privacy@shop.example', url: 'https://shop.example/privacy' },
      },
      purposes: {
        offers: {
          title: t('Partner offers', '提携先のご案内'),
          description: t('Partners send you offers.', '提携先からご案内を送ります。'),
          basis: 'consent',
          retention: 'P1Y',
          dpv: 'dpv:Marketing',
        },
      },
      fields: { email: { title: t('E-mail', 'メール'), schema: ji4pePolicy.field('email').schema, category: 'contact', purposes: ['offers'], dpv: 'pd:EmailAddress' } },
      collectionPoints: { signup: { title: t('Sign-up', '登録'), fields: ['email'], purposes: ['offers'] } },
      // APPI Art. 28: a recipient abroad needs its ground and information (issue #14).
      vendors: {
        partner: {
          name: t('Partner', '提携先'),
          role: 'third-party',
          fields: ['email'],
          purposes: ['offers'],
          country: 'US',
          foreign: {
            basis: 'consent',
            system: t('No federal privacy law.', '連邦の包括的な法律はありません。'),
            measures: t('Bound by contract.', '契約により義務付けています。'),
          },
        },
      },
    } as const;
    const grant: ConsentRecord = {
      id: 'c-1',
      subject: 's-1',
      purpose: 'offers',
      state: 'granted',
      at: '2026-02-01T00:00:00.000Z',
      noticeVersion: '1',
      actor: 'subject',
      method: 'web-form',
    };
    const bare = definePolicy(spec);
    expect(() => toIso27560Records(bare, [grant])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'policy.vendors.partner.contact' }));
    const withContact = definePolicy({
      ...spec,
      vendors: { partner: { ...spec.vendors.partner, contact: { email: 'dpo@partner.example', address: t('1 Main St, Springfield', '米国スプリングフィールド') } } },
    });
    const [record] = toIso27560Records(withContact, [grant]);
    expect(await shaclMessages(record, 'dpv-27560-record.shapes.ttl')).toEqual([]);
    const store = await toStore(record);
    expect(store.getQuads(DataFactory.namedNode('urn:purpose-bound:shop13:recipient:partner'), DataFactory.namedNode('https://schema.org/address'), null, null)).toHaveLength(1);
    // The shapes hold recipients to it: drop the partner's address and the record fails.
    const stripped = structuredClone(record) as unknown as { 'dpv:hasEntity': Record<string, unknown>[] };
    for (const e of stripped['dpv:hasEntity']) if (e['@id'] === 'urn:purpose-bound:shop13:recipient:partner') delete e['schema:address'];
    expect((await shaclMessages(stripped, 'dpv-27560-record.shapes.ttl')).join('\n')).toMatch(/8\.4\.4\.1/);
    // The Kantara receipt names the third party in the receipt's language.
    // The controller's address comes from the policy (free text, in the receipt's language).
    const receipt = toKantaraReceipt(withContact, [grant], { lang: 'ja', controller: { phone: '+81-3-0000-0000' } });
    expect(receipt.piiControllers[0]?.address).toEqual({ streetAddress: '東京都千代田区1-1', addressCountry: 'JP' });
    expect(kantaraSchema(receipt)).toBe(true);
    expect(receipt.services[0]?.purposes[0]).toMatchObject({
      thirdPartyDisclosure: true,
      thirdPartyName: '提携先',
      primaryPurpose: true,
      purposeCategory: ['6 - Marketing'],
      piiCategory: ['2 - Contact'],
    });
  });

  it('a consent for a contract purpose cannot be turned into a record', async () => {
    const { consents } = await walkthroughConsents();
    expect(() => toIso27560Records(ji4pePolicy, consents, { controller: ji4peControllerDetails })).toThrow(
      expect.objectContaining({ code: 'CONSENT_NOT_THE_BASIS', purpose: 'eventInsurance', basis: 'contract' }),
    );
    const forged: ConsentRecord = { ...(consents[0] as ConsentRecord), purpose: 'contact' };
    expect(() => toIso27560Records(ji4pePolicy, [forged], { controller: ji4peControllerDetails })).toThrow(expect.objectContaining({ code: 'CONSENT_NOT_THE_BASIS' }));
    expect(() => toKantaraReceipt(ji4pePolicy, [forged], { controller: ji4peControllerDetails })).toThrow(expect.objectContaining({ code: 'CONSENT_NOT_THE_BASIS' }));
    expect(isConsentPurpose(ji4pePolicy, 'eventInsurance')).toBe(false);
  });
});

describe('Kantara Consent Receipt v1.1 (ajv, JSON schema of the specification)', () => {
  it('both languages of the walkthrough pass the schema; one entry per purpose, from its basis', async () => {
    const { consents } = await walkthroughConsents();
    const twice = [...consents, { ...(consents[0] as ConsentRecord), id: 'again', at: '2026-04-03T09:00:00.000Z' }];
    const { kantara } = ji4peConsentReceipts(twice);
    expect(kantara).toHaveLength(2);
    for (const receipt of kantara) {
      const ok = kantaraSchema(receipt);
      expect(kantaraSchema.errors ?? [], JSON.stringify(kantaraSchema.errors)).toEqual([]);
      expect(ok).toBe(true);
      const purposes = receipt.services[0]?.purposes ?? [];
      expect(purposes).toHaveLength(1); // applicationPrefill, granted twice, listed once
      expect(purposes[0]).toMatchObject({
        consentType: 'EXPLICIT',
        primaryPurpose: false,
        purposeCategory: ['5 - Personalized Experience'],
        piiCategory: ['1 - Biographical', '2 - Contact'],
      });
      expect(receipt.consentReceiptID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const [en, ja] = kantara as [KantaraConsentReceipt, KantaraConsentReceipt];
    expect(en.services[0]?.purposes[0]?.termination).toBe('Until you withdraw consent (you may do so at any time); data is kept for at most 2 years. Notice version seen: 2020-09');
    expect(ja.services[0]?.purposes[0]?.termination).toBe('同意を撤回されるまで（撤回はいつでも可能です）。保存期間は最長2年。ご覧いただいた通知の版: 2020-09');
    expect(ja.collectionMethod).toBe('ウェブフォーム');
    // Every free text of the Japanese receipt is Japanese (ids, URLs and codes aside).
    for (const s of [ja.collectionMethod, ja.services[0]?.service, ja.services[0]?.purposes[0]?.purpose, ja.piiControllers[0]?.contact])
      expect(s).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(en.consentReceiptID).toBe(ja.consentReceiptID); // same consents, same receipt
  });

  it('the schema rejects what the specification forbids', () => {
    const bad = { version: 'KI-CR-v1.1.0', jurisdiction: 'JP', consentTimestamp: 'today' };
    expect(kantaraSchema(bad)).toBe(false);
    expect(kantaraSchema.errors?.map((e) => e.instancePath || e.params)).toEqual(expect.arrayContaining(['/consentTimestamp']));
  });
});

describe('the policy as a DPV record of processing', () => {
  it('expands to RDF and conforms to the record-of-processing shapes; every purpose, basis, category, recipient, retention', async () => {
    const ropa = toDpvRecordOfProcessing(ji4pePolicy, { controller: ji4peControllerDetails });
    expect(await shaclMessages(ropa, 'dpv-ropa.shapes.ttl')).toEqual([]);
    const store = await toStore(ropa);
    const DPV = 'https://w3id.org/dpv#';
    expect(store.getQuads(null, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', `${DPV}Process`, null)).toHaveLength(ji4pePolicy.purposeIds.length);
    const broader = store.getQuads(null, 'http://www.w3.org/2004/02/skos/core#broader', null, null).map((q) => q.object.value);
    for (const c of ['CommunicationManagement', 'IdentityVerification', 'FraudPreventionAndDetection']) expect(broader).toContain(`${DPV}${c}`);
    for (const c of ['EmailAddress', 'BirthDate']) expect(broader).toContain(`https://w3id.org/dpv/pd#${c}`);
    expect(store.getQuads(null, `${DPV}hasThirdParty`, 'urn:purpose-bound:ji4pe:recipient:eventInsurer', null)).toHaveLength(1);
    expect(store.getQuads(null, `${DPV}hasDataProcessor`, 'urn:purpose-bound:ji4pe:recipient:mailingService', null).length).toBeGreaterThan(0);
    expect(store.getQuads(null, `${DPV}hasLegalBasis`, `${DPV}LegitimateInterest`, null).length).toBe(2);
  });

  it('a transfer abroad is a cross-border transfer with its location', async () => {
    // APPI Art. 28 and PPC Guidelines 10-7 (issue #14): a recipient abroad needs its ground and the external environment.
    const t = (en: string, ja: string) => ({ en, ja });
    const abroad = {
      basis: 'equivalent-measures' as const,
      system: t('No federal privacy law.', '連邦の包括的な法律はありません。'),
      measures: t('Bound by contract.', '契約により義務付けています。'),
      equivalentMeasures: { reference: 'DPA-1', monitoring: t('Yearly audit.', '年1回監査します。') },
    };
    const rd = ji4pePolicy.spec.retainedData!;
    const spec = {
      ...ji4pePolicy.spec,
      vendors: { ...ji4pePolicy.spec.vendors, mailingService: { ...ji4pePolicy.spec.vendors!.mailingService, country: 'US', foreign: abroad } },
      retainedData: {
        ...rd,
        securityMeasures: { ...rd.securityMeasures, externalEnvironment: [{ country: 'US', measures: t('Checked before entrusting.', '委託前に把握しています。') }] },
      },
    };
    const ropa = toDpvRecordOfProcessing(definePolicy(spec));
    const store = await toStore(ropa);
    expect(store.getQuads(null, 'http://www.w3.org/2004/02/skos/core#broader', 'https://w3id.org/dpv#CrossBorderTransfer', null)).toHaveLength(1);
    expect(store.getQuads(null, 'https://w3id.org/dpv#hasLocation', 'https://w3id.org/dpv/loc#US', null).length).toBeGreaterThan(0);
  });

  it('a policy names DPV concepts only in the DPV grammar', () => {
    const spec = { ...ji4pePolicy.spec, fields: { ...ji4pePolicy.spec.fields, email: { ...ji4pePolicy.spec.fields.email, dpv: 'EmailAddress' } } };
    expect(() => definePolicy(spec)).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', issues: expect.arrayContaining([expect.objectContaining({ path: 'fields.email.dpv' })]) }),
    );
  });
});

describe('the disclosure report names the DPV concepts', () => {
  it('each disclosed value carries its personal-data and purpose concepts, and the report prints them', async () => {
    const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring });
    try {
      const { subject } = await vault.collect({ collectionPoint: 'inquiry', actor: 'web-form', values: { name: 'Ken Ito', email: 'ken@example.jp', inquiry: 'Weekend courses?' } });
      const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
      const request = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: 'web-form' });
      await desk.verifyIdentity(request.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
      const disclosure = await desk.disclose(request.id, { actor: 'dpo' });
      const email = disclosure.values.find((v) => v.field === 'email');
      expect(email?.dpv).toEqual(['pd:EmailAddress']);
      expect(email?.purposes.map((p) => [p.id, p.dpv, p.dpvBasis])).toEqual([['inquiryResponse', ['dpv:CommunicationForCustomerCare'], ['dpv:LegitimateInterest']]]);
      expect(renderDisclosure(disclosure, { lang: 'en', format: 'text' })).toContain('DPV: pd:EmailAddress, dpv:CommunicationForCustomerCare');
    } finally {
      await vault.close();
    }
  });
});
