/**
 * The Japanese disclosure report (APPI Art. 33) shows words, not the SDK's ids: the collection
 * point's title, who supplied the value, request kinds and states, audit actions and decisions,
 * field and purpose titles; and it names what it discloses 保有個人データ.
 */
import { describe, expect, it } from 'vitest';
import {
  authenticatedSubjectVerifier,
  createLocalKeyring,
  createProvisions,
  createRequestDesk,
  createVault,
  generateKey,
  memorySubjectSecrets,
  renderDisclosure,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

describe('disclosure report in Japanese', async () => {
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring });
  const { subject } = await vault.collect({
    collectionPoint: 'eventApplication',
    actor: 'web-form',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  await vault.read(subject, 'email', { purpose: 'contact', actor: 'staff:7' });
  await createProvisions({ vault }).provide({ vendor: 'mailingService', subject, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:7' });
  const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
  const request = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', fee: 'waived' });
  await desk.verifyIdentity(request.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
  const ja = renderDisclosure(await desk.disclose(request.id, { actor: 'dpo' }), { lang: 'ja' });
  const en = renderDisclosure(await desk.disclose((await verified()).id, { actor: 'dpo' }), { lang: 'en' });

  async function verified() {
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', fee: 'waived' });
    await desk.verifyIdentity(r.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    return r;
  }

  it('titles and intro say 保有個人データ and cite Art. 33(1)', () => {
    expect(ja).toContain('保有個人データの開示');
    expect(ja).toContain('ご本人の保有個人データ');
    expect(ja).toContain('個人情報保護法第33条第1項');
    expect(ja).not.toContain('お客様');
  });

  it('provenance: the collection point’s title and the source in words', () => {
    expect(ja).toContain('に「イベントのお申込み」においてご本人から取得');
    expect(ja).not.toContain('取得元');
    expect(ja).not.toContain('eventApplication');
    expect(ja).not.toMatch(/: subject|（subject）/);
    expect(en).toContain('Collected from you at “Application for an event”');
  });

  it('requests: kind and state in Japanese', () => {
    expect(ja).toMatch(/開示の請求（受付番号 [^）]+）：(受付済み|本人確認済み|対応中|完了)/);
    expect(ja).not.toMatch(/disclosure \(|: received|: completed|identity-verified/);
  });

  it('audit: actions, decisions, fields and purposes in words', () => {
    expect(ja).toContain('メールアドレスの利用（利用目的「ご案内及びご連絡」）、実施者 staff:7（許可）');
    expect(ja).toContain('：提供（利用目的「教材及び修了証の送付」）、実施者 staff:7（許可）');
    expect(ja).not.toMatch(/UTC: (read|provide|collect)\b/);
    expect(ja).not.toMatch(/（allow|（deny|（record/);
    expect(en).toContain('use of E-mail address for “Informing and contacting users” by staff:7 (allowed)');
  });

  it('provision lines use the field and purpose titles', () => {
    expect(ja).toContain('氏名、住所を印刷及び発送の委託先（委託先）に「教材及び修了証の送付」のために提供（根拠：取扱いの委託（個人情報保護法第27条第5項第1号））');
  });
});
