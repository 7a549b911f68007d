/**
 * APPI Art. 28: provision to a recipient in a foreign country — a contractor included — needs
 * the person's consent to that recipient, or a recorded equivalent-measures system, or a
 * designated country; otherwise `provide()` refuses, audited, and hands nothing over. The
 * provision record carries the ground and the disclosure report states it.
 */
import { describe, expect, it } from 'vitest';
import {
  createLocalKeyring,
  createProvisions,
  createRequestDesk,
  createVault,
  definePolicy,
  foreignProvisionConsentPurpose,
  ForeignProvisionRefusedError,
  generateKey,
  isPurposeBoundError,
  memorySubjectSecrets,
  renderDisclosure,
  authenticatedSubjectVerifier,
  type AnyPolicy,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy2021 } from '../../examples/ji4pe/notices.js';

async function setup(policy: AnyPolicy = ji4pePolicy2021) {
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy, adapter: memoryAdapter(), keyring });
  const { subject } = await vault.collect({
    collectionPoint: 'courseApplication',
    actor: 'web-form',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  return { vault, subject, provisions: createProvisions({ vault }) };
}

const grantAbroad = (vault: Awaited<ReturnType<typeof setup>>['vault'], subject: string, state: 'granted' | 'withdrawn' = 'granted') =>
  vault.consents.record({
    subject,
    purpose: foreignProvisionConsentPurpose('newsletterService'),
    state,
    at: new Date().toISOString(),
    noticeVersion: '2021-04',
    actor: 'subject',
    method: 'web-form',
  });

describe('provide() to a recipient abroad (APPI Art. 28(1))', () => {
  it('refuses entrustment to a contractor in the US without consent to provision abroad, audited, nothing handed over', async () => {
    const { vault, subject, provisions } = await setup();
    let caught: unknown;
    try {
      await provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ForeignProvisionRefusedError);
    expect(isPurposeBoundError(caught, 'FOREIGN_PROVISION_REFUSED')).toBe(true);
    expect((caught as ForeignProvisionRefusedError).country).toBe('US');
    expect((caught as Error).message).not.toContain('mika@example.jp');
    expect(await provisions.records(subject)).toEqual([]);
    const denied = await vault.audit.entries({ subject, action: 'provide' });
    expect(denied.map((e) => [e.decision, e.reason])).toEqual([['deny', 'FOREIGN_PROVISION_REFUSED']]);
    expect(await vault.audit.entries({ subject, action: 'read' })).toEqual([]); // no value was read
  });

  it('with consent to provision to that recipient, provides and records the ground; withdrawn, refuses again', async () => {
    const { vault, subject, provisions } = await setup();
    const consent = await grantAbroad(vault, subject);
    const { record, values } = await provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' });
    expect(values).toEqual({ email: 'mika@example.jp' });
    expect(record.basis).toBe('entrustment');
    expect(record.foreign).toEqual({ basis: 'consent', consentId: consent.id });
    expect(record.recipient.country).toBe('US');
    await grantAbroad(vault, subject, 'withdrawn');
    await expect(provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' })).rejects.toThrow(
      ForeignProvisionRefusedError,
    );
  });

  it('a recipient with an equivalent-measures system receives without that consent; the record names the instrument', async () => {
    const spec = ji4pePolicy2021.spec;
    const service = ji4pePolicy2021.vendor('newsletterService');
    const policy = definePolicy({
      ...spec,
      vendors: {
        ...spec.vendors,
        newsletterService: {
          ...service,
          foreign: {
            basis: 'equivalent-measures',
            system: service.foreign?.system ?? {},
            measures: service.foreign?.measures ?? {},
            equivalentMeasures: { reference: 'JI4PE-DPA-2021-02', monitoring: { en: 'Yearly review.', ja: '年1回確認します。' } },
          },
        },
      },
    });
    const { subject, provisions } = await setup(policy);
    const { record } = await provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' });
    expect(record.foreign).toEqual({ basis: 'equivalent-measures', reference: 'JI4PE-DPA-2021-02' });
  });

  it('a recipient in Japan needs nothing more and its record has no foreign ground', async () => {
    const { subject, provisions } = await setup();
    const { record } = await provisions.provide({ vendor: 'mailingService', subject, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:7' });
    expect(record.foreign).toBeUndefined();
  });

  it('the disclosure report states the ground of provision abroad', async () => {
    const { vault, subject, provisions } = await setup();
    await grantAbroad(vault, subject);
    await provisions.provide({ vendor: 'newsletterService', subject, fields: ['email'], purpose: 'newsletter', actor: 'staff:7' });
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const request = await desk.receive({ kind: 'provision-records', subject, actor: 'subject', fee: 'waived' });
    await desk.verifyIdentity(request.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    const disclosure = await desk.disclose(request.id, { actor: 'dpo' });
    const ja = renderDisclosure(disclosure, { lang: 'ja' });
    expect(ja).toContain('メール配信の委託先（委託先）に「メールマガジンの配信」のために提供');
    expect(ja).toContain('外国にある第三者への提供を認める旨の本人の同意（個人情報保護法第28条第1項）');
  });
});

describe('definePolicy: foreign recipients (APPI Art. 28)', () => {
  const base = ji4pePolicy2021.spec;
  const issues = (vendor: Record<string, unknown>): { path: string; message: string }[] => {
    try {
      definePolicy({ ...base, vendors: { ...base.vendors, newsletterService: { ...ji4pePolicy2021.vendor('newsletterService'), ...vendor } } } as never);
    } catch (e) {
      if (isPurposeBoundError(e, 'POLICY_INVALID')) return [...(e as unknown as { issues: { path: string; message: string }[] }).issues];
      throw e;
    }
    return [];
  };

  it('a vendor outside Japan needs `foreign`', () => {
    expect(issues({ foreign: undefined })).toEqual([{ path: 'vendors.newsletterService.foreign', message: expect.stringContaining('APPI Art. 28') }]);
  });

  it('equivalent-measures needs its instrument; adequate-country only for the EU, the EEA and the UK', () => {
    const f = ji4pePolicy2021.vendor('newsletterService').foreign;
    expect(issues({ foreign: { ...f, basis: 'equivalent-measures' } })).toEqual([
      { path: 'vendors.newsletterService.foreign.equivalentMeasures', message: expect.stringContaining('Rules Art. 16') },
    ]);
    expect(issues({ foreign: { ...f, basis: 'adequate-country' } })).toEqual([{ path: 'vendors.newsletterService.foreign.basis', message: expect.stringContaining('not US') }]);
  });
});
