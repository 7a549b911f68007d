/**
 * Opt-out provision (APPI Art. 27(2)-(4)) and joint use (Art. 27(5)(iii)): in the spec, the
 * full policy with the items the law requires, provide() and the disclosure.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  authenticatedSubjectVerifier,
  createLocalKeyring,
  createProvisions,
  createReceipts,
  createRequestDesk,
  createVault,
  definePolicy,
  diffPolicies,
  generateKey,
  memorySubjectSecrets,
  renderDisclosure,
  renderNotice,
  renderPolicy,
  VendorNotAllowedError,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const m = (en: string, ja: string) => ({ en, ja });
const spec = ji4pePolicy.spec;
const policy = definePolicy({
  ...spec,
  version: '2026-01',
  effective: '2026-01-01',
  purposes: {
    ...spec.purposes,
    directory: {
      title: m('Directory of alumni', '修了生名簿の提供'),
      description: m('To provide the alumni directory to the alumni association.', '修了生名簿を同窓会に提供するため。'),
      basis: 'legitimate-interests',
      retention: 'P3Y',
    },
  },
  fields: { ...spec.fields, name: { ...spec.fields.name, purposes: [...spec.fields.name.purposes, 'directory'] } },
  collectionPoints: {
    ...spec.collectionPoints,
    courseApplication: { ...spec.collectionPoints.courseApplication, purposes: [...spec.collectionPoints.courseApplication.purposes, 'directory'] },
    partnerReferral: { title: m('Referral', '紹介'), fields: ['name', 'email'], purposes: ['contact'], source: 'third-party' },
  },
  vendors: {
    ...spec.vendors,
    alumni: {
      name: m('Alumni association', '同窓会'),
      role: 'third-party',
      fields: ['name'],
      purposes: ['directory'],
      country: 'JP',
      optOut: {
        filedWithPpc: '2025-12-01',
        acquisition: m('Course application forms.', '講座の申込書による取得。'),
        method: m('A printed directory handed over in person.', '印刷した名簿の手渡し。'),
        stopRequests: m('By the request form or by post to the contact point.', '請求フォーム又はお問い合わせ窓口への郵送。'),
      },
    },
    network: {
      name: m('Kansai Public Engagement Network', '関西パブリックエンゲージメントネットワーク'),
      role: 'joint-user',
      fields: ['name', 'email'],
      purposes: ['contact'],
      country: 'JP',
      jointUse: {
        users: m(
          'The Institute and the member institutes of the Network listed at https://kpen.example/members',
          '当研究所及び https://kpen.example/members に掲載するネットワーク会員機関',
        ),
        responsible: {
          name: m('Ji4pe', 'Ji4pe'),
          address: m('2-3-4 Kanda-Nishikicho, Chiyoda-ku, Tokyo', '東京都千代田区神田錦町二丁目3番4号'),
          representative: m('Hanako Suzuki, President', '理事長 鈴木花子'),
        },
      },
    },
  },
});

async function world() {
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy, adapter: memoryAdapter(), keyring });
  const { subject } = await vault.collect({
    collectionPoint: 'courseApplication',
    actor: 'web',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  return { vault, subject, provisions: createProvisions({ vault }) };
}

describe('opt-out provision (Art. 27(2)) and joint use (Art. 27(5)(iii))', () => {
  it('the full policy states the items of Art. 27(2) and of joint use', () => {
    const ja = renderPolicy(policy, { lang: 'ja' });
    expect(ja).toContain('法第27条第2項の規定によるオプトアウトにより第三者に提供します');
    for (const item of [
      '利用目的：第三者への提供',
      '第三者に提供される個人データの項目：氏名',
      '第三者に提供される個人データの取得の方法：',
      '第三者への提供の方法：',
      '本人の求めを受け付ける方法：',
      '個人情報保護委員会への届出日：2025年12月1日',
    ])
      expect(ja).toContain(item);
    expect(ja).toContain('共同して利用します（法第27条第5項第3号）');
    for (const item of [
      '共同して利用される個人データの項目：氏名及びメールアドレス',
      '共同して利用する者の範囲：',
      '利用する者の利用目的：ご案内及びご連絡',
      '当該個人データの管理について責任を有する者：Ji4pe（住所：東京都千代田区神田錦町二丁目3番4号、代表者：理事長 鈴木花子）',
    ])
      expect(ja).toContain(item);
    // The opt-out recipient is not listed among the recipients "with consent".
    const consentList = ja.slice(ja.indexOf('本人の同意を得て、次の第三者に個人データを提供します'), ja.indexOf('オプトアウトにより'));
    expect(consentList).not.toContain('同窓会');
  });

  it('the notice at collection names the opt-out recipient apart from consent ones, and the joint use', () => {
    const ja = renderNotice(policy, { kind: 'collection', collectionPoint: 'courseApplication', lang: 'ja' });
    expect(ja).toContain('オプトアウトにより、次の第三者に個人データを提供します（法第27条第2項');
    expect(ja).toContain('同窓会');
    expect(ja).toContain('次のとおり共同して利用します（法第27条第5項第3号');
    expect(ja).toContain('共同して利用する者の範囲：当研究所及び https://kpen.example/members に掲載するネットワーク会員機関');
    const consentPart = ja.slice(ja.indexOf('本人の同意を得て、次の第三者'), ja.indexOf('オプトアウトにより'));
    expect(consentPart).not.toContain('同窓会');
  });

  it('definePolicy: joint users need the matters of joint use; no special care-required data by opt-out', () => {
    const bad = (vendor: object) => {
      try {
        definePolicy({ ...policy.spec, vendors: { ...policy.spec.vendors, x: vendor } } as never);
      } catch (e) {
        return (e as { issues: { path: string; message: string }[] }).issues;
      }
      return [];
    };
    expect(bad({ name: m('X', 'X'), role: 'joint-user', fields: ['name'], purposes: ['contact'], country: 'JP' })).toEqual([
      { path: 'vendors.x.jointUse', message: expect.stringContaining('Art. 27(5)(iii)') },
    ]);
    const withHealth = definePolicy({
      ...policy.spec,
      fields: { ...policy.spec.fields, health: { title: m('Health', '健康状態'), schema: z.string(), category: 'special-care', purposes: ['directory'] } },
    }).spec;
    try {
      definePolicy({ ...withHealth, vendors: { ...withHealth.vendors, alumni: { ...policy.vendor('alumni'), fields: ['name', 'health'] } } } as never);
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: { path: string; message: string }[] }).issues).toContainEqual({ path: 'vendors.alumni.fields[1]', message: expect.stringContaining('Art. 27(2)') });
    }
  });

  it('provide(): opt-out without consent; stopped at the person’s request; never data received by opt-out', async () => {
    const { vault, subject, provisions } = await world();
    const { record } = await provisions.provide({ vendor: 'alumni', subject, fields: ['name'], purpose: 'directory', actor: 'staff', basis: 'opt-out' });
    expect(record.basis).toBe('opt-out');
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const stop = await desk.receive({ kind: 'stop-provision', subject, actor: 'subject', vendors: ['alumni'] });
    await desk.verifyIdentity(stop.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    await desk.stopProvision(stop.id, { actor: 'dpo' });
    const refused = await provisions.provide({ vendor: 'alumni', subject, fields: ['name'], purpose: 'directory', actor: 'staff', basis: 'opt-out' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VendorNotAllowedError);
    expect((refused as VendorNotAllowedError).rule).toBe('stopped');

    const other = await vault.collect({ collectionPoint: 'partnerReferral', actor: 'staff', values: { name: '伊藤 健', email: 'ken@example.jp' } });
    await createReceipts({ vault }).record({
      subject: other.subject,
      collectionPoint: 'partnerReferral',
      fields: ['name', 'email'],
      provider: { name: m('List broker', '名簿業者'), address: m('Osaka', '大阪府') },
      acquisition: m('By opt-out.', 'オプトアウトによる取得。'),
      optOut: true,
      actor: 'staff',
    });
    const again = await provisions
      .provide({ vendor: 'alumni', subject: other.subject, fields: ['name'], purpose: 'directory', actor: 'staff', basis: 'opt-out' })
      .catch((e: unknown) => e);
    expect((again as Error).message).toContain('received by opt-out');
  });

  it('joint use: provided without a basis, recorded as joint use and disclosed as such; adding it later needs consent', async () => {
    const { vault, subject, provisions } = await world();
    const { record } = await provisions.provide({ vendor: 'network', subject, fields: ['name', 'email'], purpose: 'contact', actor: 'staff' });
    expect(record.basis).toBe('joint-use');
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const r = await desk.receive({ kind: 'provision-records', subject, actor: 'subject', fee: 'waived' });
    await desk.verifyIdentity(r.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    expect(renderDisclosure(await desk.disclose(r.id, { actor: 'dpo' }), { lang: 'ja' })).toContain(
      '（共同利用者）に「ご案内及びご連絡」のために提供（根拠：共同利用（個人情報保護法第27条第5項第3号））',
    );
    const added = diffPolicies(ji4pePolicy, policy).changes.filter((c) => c.kind === 'vendor-added');
    expect(added.map((c) => [c.vendor, c.requires])).toEqual([
      ['alumni', 'notice'],
      ['network', 'consent'],
    ]);
  });
});
