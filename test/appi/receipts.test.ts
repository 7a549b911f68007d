/**
 * APPI Art. 30: on receiving personal data from a third party, the provider (name, address,
 * representative) and how it obtained the data are confirmed and recorded, and the record is
 * disclosable (Art. 33(5)).
 */
import { describe, expect, it } from 'vitest';
import {
  authenticatedSubjectVerifier,
  createLocalKeyring,
  createReceipts,
  createRequestDesk,
  createVault,
  definePolicy,
  generateKey,
  isPurposeBoundError,
  memorySubjectSecrets,
  renderDisclosure,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const policy = definePolicy({
  ...ji4pePolicy.spec,
  collectionPoints: {
    ...ji4pePolicy.spec.collectionPoints,
    partnerReferral: { title: { en: 'Referral from a partner association', ja: '提携団体からのご紹介' }, fields: ['name', 'email'], purposes: ['contact'], source: 'third-party' },
  },
});
const provider = {
  name: { en: 'Kyoto Learning Association', ja: '京都学習協会' },
  address: { en: '1 Karasuma, Kyoto', ja: '京都市中京区烏丸1' },
  representative: { en: 'Ichiro Tanaka, Chair', ja: '会長 田中一郎' },
};
const acquisition = { en: 'Collected from its members with their consent to provide it to the Institute.', ja: '会員から、当研究所への提供について同意を得て取得したもの。' };

describe('records of receipt from third parties (APPI Art. 30)', async () => {
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy, adapter: memoryAdapter(), keyring });
  const { subject } = await vault.collect({ collectionPoint: 'partnerReferral', actor: 'staff:2', values: { name: '伊藤 健', email: 'ken@example.jp' } });
  const receipts = createReceipts({ vault });

  it('records who provided what and how they obtained it; audited on the person; listed back', async () => {
    const r = await receipts.record({ subject, collectionPoint: 'partnerReferral', fields: ['name', 'email'], provider, acquisition, consentConfirmed: true, actor: 'staff:2' });
    expect(r.provider).toEqual(provider);
    expect((await receipts.records(subject)).map((x) => x.id)).toEqual([r.id]);
    const e = await vault.audit.entries({ subject, action: 'receipt.record' });
    expect(e[0]?.basis).toBe('appi:Art. 30');
    expect(JSON.stringify(e)).not.toContain('ken@example.jp');
  });

  it('refuses a collection point that is not a third-party source, fields it does not receive, a missing provider address', async () => {
    const code = async (input: object) => {
      try {
        await receipts.record({ subject, collectionPoint: 'partnerReferral', fields: ['name'], provider, acquisition, actor: 'staff:2', ...input } as never);
      } catch (e) {
        return isPurposeBoundError(e) ? (e as { argument?: string; message: string }).message : 'other';
      }
      return 'accepted';
    };
    expect(await code({ collectionPoint: 'inquiry' })).toContain('third-party');
    expect(await code({ fields: ['phone'] })).toContain('input.fields');
    expect(await code({ provider: { name: provider.name } })).toContain('input.provider.address');
  });

  it('is disclosed with the provision records (Art. 33(5)) in Japanese', async () => {
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const req = await desk.receive({ kind: 'provision-records', subject, actor: 'subject', fee: 'waived' });
    await desk.verifyIdentity(req.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    const ja = renderDisclosure(await desk.disclose(req.id, { actor: 'dpo' }), { lang: 'ja' });
    expect(ja).toContain('第三者から個人データの提供を受けた記録');
    expect(ja).toContain('京都学習協会から氏名、メールアドレスの提供を受けました（提供者による取得の経緯：会員から、当研究所への提供について同意を得て取得したもの。）');
    expect(ja).toContain('代表者：会長 田中一郎');
  });
});
