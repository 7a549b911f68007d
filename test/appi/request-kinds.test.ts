/**
 * The APPI request kinds and steps of issue #14 in the desk's state machine: notification of
 * the purposes (Art. 32(2)), stopping provision to third parties (35(3)) and the 2020 grounds
 * (35(5)), agents (37(3)), fees (38), the disclosure method (33(1), 33(3)), the notice with
 * reasons on refusal (36) and of the correction done (34(3)), and GDPR Art. 12(3)'s cap.
 */
import { describe, expect, it } from 'vitest';
import {
  authenticatedSubjectVerifier,
  createLocalKeyring,
  createProvisions,
  createRequestDesk,
  createVault,
  generateKey,
  isPurposeBoundError,
  memorySubjectSecrets,
  renderRequestNotice,
  REQUEST_ARTICLES,
  VendorNotAllowedError,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

async function setup() {
  let now = new Date('2026-04-01T00:00:00Z');
  const clock = () => new Date(now);
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring, clock });
  const { subject } = await vault.collect({
    collectionPoint: 'eventApplication',
    actor: 'web-form',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier(), clock });
  const verify = (id: string) => desk.verifyIdentity(id, { actor: 'web', evidence: { authenticatedSubject: subject } });
  return { vault, subject, desk, verify, clock, advance: (days: number) => void (now = new Date(now.getTime() + days * 86_400_000)) };
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (isPurposeBoundError(e)) return e.code;
    throw e;
  }
  return 'allowed';
};

describe('request kinds (APPI)', () => {
  it('purposes-notification (Art. 32(2)): fee paid first (Art. 38), then the purposes of the person’s data, notified in words', async () => {
    const { desk, subject, verify } = await setup();
    expect(REQUEST_ARTICLES['purposes-notification']).toBe('Art. 32(2)');
    const r = await desk.receive({ kind: 'purposes-notification', subject, actor: 'subject', channel: 'post' });
    expect(r.fee).toEqual({ amountJpy: 500 });
    await verify(r.id);
    expect(await codeOf(desk.notifyPurposes(r.id, { actor: 'dpo' }))).toBe('REQUEST_STATE');
    await desk.recordFeePaid(r.id, { actor: 'dpo', method: 'postal-money-order' });
    const done = await desk.notifyPurposes(r.id, { actor: 'dpo' });
    expect(done.state).toBe('completed');
    expect(done.outcome?.purposesNotified).toEqual(expect.arrayContaining(['contact', 'identification', 'eventInsurance', 'courseMaterials']));
    // Only what was announced where her data was collected: not the inquiry or entrusted purposes.
    expect(done.outcome?.purposesNotified).not.toContain('inquiryResponse');
    expect(done.outcome?.purposesNotified).not.toContain('entrustedOperation');
    const ja = renderRequestNotice(ji4pePolicy, done, { lang: 'ja' });
    expect(ja).toContain('利用目的の通知');
    expect(ja).toContain('法第32条第2項');
    expect(ja).toContain('連絡先及び氏名を利用して、利用者へのご案内及びご連絡を行うため。');
  });

  it('a fee waived (web requests) needs no payment; a request with no fee in the policy carries none', async () => {
    const { desk, subject, verify } = await setup();
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: 'web-form', fee: 'waived' });
    expect(r.fee).toEqual({ amountJpy: 1000, waived: true });
    await verify(r.id);
    expect((await desk.disclose(r.id, { actor: 'dpo' })).values.length).toBe(5);
    expect((await desk.receive({ kind: 'correction', subject, actor: 'subject', fields: ['address'] })).fee).toBeUndefined();
    // The policy waives the disclosure fee for requests through the website (waivedChannels).
    expect((await desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: 'web-form' })).fee).toEqual({ amountJpy: 1000, waived: true });
    expect((await desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: 'post' })).fee).toEqual({ amountJpy: 1000 });
  });

  it('stop-provision (Art. 35(3)): provide() then refuses the third party, not the contractor in Japan; audited', async () => {
    const { vault, desk, subject, verify, clock } = await setup();
    const provisions = createProvisions({ vault, clock });
    await vault.guard().grantConsent({ subject, purpose: 'eventInsurance', actor: 'subject', method: 'web-form' });
    await provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:7' });
    const r = await desk.receive({ kind: 'stop-provision', subject, actor: 'subject', ground: 'improper-provision' });
    expect(r.vendors).toBe('all');
    await verify(r.id);
    const done = await desk.stopProvision(r.id, { actor: 'dpo' });
    expect(done.outcome?.provisionStopped).toEqual({ vendors: 'all' });
    let caught: unknown;
    try {
      await provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:7' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(VendorNotAllowedError);
    expect((caught as VendorNotAllowedError).rule).toBe('stopped');
    await provisions.provide({ vendor: 'mailingService', subject, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:7' });
    // A legal exception still applies (Art. 27(1)(i)).
    await provisions.provide({
      vendor: 'eventInsurer',
      subject,
      fields: ['name'],
      purpose: 'eventInsurance',
      actor: 'staff:7',
      basis: { exception: 'law', reference: 'court order 2026-17' },
    });
    expect(renderRequestNotice(ji4pePolicy, done, { lang: 'ja' })).toContain('第三者への提供の停止を行いましたので、通知いたします（法第35条第7項）');
  });

  it('the grounds of Art. 35(1), (3) and (5) are recorded and checked against the kind', async () => {
    const { desk, subject, vault } = await setup();
    const r = await desk.receive({ kind: 'erasure', subject, actor: 'subject', ground: 'no-longer-needed' });
    expect(r.ground).toBe('no-longer-needed');
    const received = await vault.audit.entries({ subject, action: 'request.receive' });
    expect(received.at(-1)?.basis).toBe('appi:Art. 35(5)');
    expect(await codeOf(desk.receive({ kind: 'suspension', subject, actor: 'subject', ground: 'improper-provision' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(desk.receive({ kind: 'stop-provision', subject, actor: 'subject', ground: 'improper-handling' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(desk.receive({ kind: 'disclosure', subject, actor: 'subject', ground: 'breach' }))).toBe('INVALID_ARGUMENT');
  });

  it('an agent (Art. 37(3)): nothing is answered until the authority is confirmed; audited', async () => {
    const { desk, subject, verify, vault } = await setup();
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'desk:1', channel: 'counter', agent: { kind: 'legal-representative' }, fee: 'waived' });
    await verify(r.id);
    expect(await codeOf(desk.disclose(r.id, { actor: 'dpo' }))).toBe('IDENTITY_NOT_VERIFIED');
    const confirmed = await desk.confirmAgent(r.id, { actor: 'desk:1', document: 'family-register' });
    expect(confirmed.agent?.confirmed?.document).toBe('family-register');
    expect((await desk.disclose(r.id, { actor: 'dpo' })).values.length).toBe(5);
    expect((await vault.audit.entries({ subject, action: 'request.agent-confirm' })).length).toBe(1);
  });

  it('the disclosure method (Art. 33(1)) must be one the policy offers; another one used needs the reason told (33(3))', async () => {
    const { desk, subject, verify } = await setup();
    expect(await codeOf(desk.receive({ kind: 'disclosure', subject, actor: 'subject', disclosureMethod: 'other' }))).toBe('INVALID_ARGUMENT');
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', disclosureMethod: 'electronic', fee: 'waived' });
    await verify(r.id);
    expect(await codeOf(desk.disclose(r.id, { actor: 'dpo', method: 'paper' }))).toBe('INVALID_ARGUMENT');
    await desk.disclose(r.id, {
      actor: 'dpo',
      method: 'paper',
      methodReason: { en: 'The file is too large to send electronically.', ja: '電磁的記録の容量が大きく、送付が困難なため。' },
    });
    const done = await desk.get(r.id);
    expect(done.outcome?.disclosureMethod).toEqual({
      requested: 'electronic',
      used: 'paper',
      reason: { en: 'The file is too large to send electronically.', ja: '電磁的記録の容量が大きく、送付が困難なため。' },
    });
    const ja = renderRequestNotice(ji4pePolicy, done, { lang: 'ja' });
    expect(ja).toContain('ご請求の方法（電磁的記録の提供による方法）による開示が困難であるため、書面の交付による方法により開示しました。');
    expect(ja).toContain('法第33条第3項');
  });

  it('refusal: the notice gives the reason code in words and the explanation (Art. 36); correction done: its content (Art. 34(3))', async () => {
    const { desk, subject, verify } = await setup();
    const r = await desk.receive({ kind: 'correction', subject, actor: 'subject', fields: ['address'] });
    await verify(r.id);
    const rejected = await desk.reject(r.id, {
      actor: 'dpo',
      reason: 'content-accurate',
      explanation: { en: 'The address we hold matches your residence certificate.', ja: '保有している住所は住民票の記載と一致しています。' },
    });
    const ja = renderRequestNotice(ji4pePolicy, rejected, { lang: 'ja' });
    expect(ja).toContain('ご請求に応じない旨の通知及び理由の説明');
    expect(ja).toContain('調査の結果、保有個人データの内容が事実であったため（法第34条第1項）。');
    expect(ja).toContain('保有している住所は住民票の記載と一致しています。');
    expect(ja).toContain('法第36条');
    const c = await desk.receive({ kind: 'correction', subject, actor: 'subject', fields: ['address'] });
    await verify(c.id);
    const corrected = await desk.correct(c.id, { actor: 'dpo', values: { address: '京都府京都市左京区2-2' } });
    const notice = renderRequestNotice(ji4pePolicy, corrected, { lang: 'ja' });
    expect(notice).toContain('訂正等を行いましたので、その内容を通知いたします（法第34条第3項）');
    expect(notice).toContain('住所：訂正');
    expect(notice).not.toContain('左京区'); // the letter names the change, not the value
    expect(() => renderRequestNotice(ji4pePolicy, c, { lang: 'ja' })).toThrow(/completed or rejected/);
  });

  it('GDPR Art. 12(3): an extension of at most two further months, decided within the first month', async () => {
    const { desk, subject, advance, clock } = await setup();
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject' });
    const received = Date.parse(r.receivedAt);
    const reason = { en: 'Archive search.', ja: '書庫の調査のため。' };
    expect(await codeOf(desk.extendDue(r.id, { actor: 'dpo', until: new Date(received + 100 * 86_400_000), reason }))).toBe('INVALID_ARGUMENT');
    await desk.extendDue(r.id, { actor: 'dpo', until: new Date('2026-07-01T00:00:00Z'), reason });
    const late = await desk.receive({ kind: 'disclosure', subject, actor: 'subject' });
    advance(31);
    expect(clock().getTime()).toBeGreaterThan(Date.parse(late.receivedAt) + 30 * 86_400_000);
    expect(await codeOf(desk.extendDue(late.id, { actor: 'dpo', until: new Date('2026-06-01T00:00:00Z'), reason }))).toBe('INVALID_ARGUMENT');
  });
});
