/**
 * APPI Art. 32(1): the matters on retained personal data the full policy must publish — the
 * operator's name, address and representative, the procedure for requests with its fees, the
 * security control measures taken (Cabinet Order Art. 10(i), by the PPC's categories) — are
 * validated by definePolicy and rendered in both languages.
 */
import { describe, expect, it } from 'vitest';
import {
  buildPolicyDocument,
  definePolicy,
  isPurposeBoundError,
  missingPublishedItems,
  PolicyDefinitionError,
  PublishedItemsMissingError,
  renderPolicy,
  type PolicyIssue,
} from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { ji4peProse } from '../../examples/ji4pe/prose.js';
import { ji4peRetainedData } from '../../examples/ji4pe/retained-data.js';
import { smallSpec, textOf } from './helpers.js';

const sectionText = (lang: 'en' | 'ja', id: string) => textOf(buildPolicyDocument(ji4pePolicy, lang).sections.find((s) => s.id === id)?.blocks ?? []);

/** A complete spec: small, with prose and every Art. 32(1) item. */
function publishable() {
  const s = smallSpec();
  return {
    ...s,
    controller: { ...s.controller, address: { en: '1-1 Chiyoda, Tokyo', ja: '東京都千代田区千代田1-1' }, representative: { en: 'Taro Yamada, CEO', ja: '代表取締役 山田太郎' } },
    prose: ji4peProse,
    retainedData: ji4peRetainedData,
  };
}

function issuesOf(spec: unknown): PolicyIssue[] {
  try {
    definePolicy(spec as never);
  } catch (e) {
    if (e instanceof PolicyDefinitionError) return [...e.issues];
    throw e;
  }
  return [];
}

describe('Art. 32(1): the full policy publishes the matters on retained personal data', () => {
  it('(i) the operator’s name, address and representative, in both languages', () => {
    expect(sectionText('ja', 'contact')).toContain('住所：〒101-0054 東京都千代田区神田錦町二丁目3番4号');
    expect(sectionText('ja', 'contact')).toContain('代表者：理事長 鈴木花子');
    expect(sectionText('en', 'contact')).toContain('Representative: Hanako Suzuki, President');
  });

  it('(iii) the procedure for requests: where, the form, identity checks, agents, method of disclosure, how answered, fees', () => {
    const ja = sectionText('ja', 'contact');
    for (const label of ['申出先：', '請求の方式：', '本人確認の方法：', '代理人による請求：', '開示の方法：', '回答の方法：']) expect(ja).toContain(label);
    expect(ja).toContain(
      '保有個人データの利用目的の通知、開示（第三者提供記録の開示を含みます。）、訂正等、利用停止等又は第三者への提供の停止の請求（以下「開示等の請求等」といいます。）',
    );
    expect(ja).toContain('電磁的記録の提供による方法又は書面の交付による方法のうち、本人が請求した方法');
    expect(ja).toContain('利用目的の通知の請求：1件につき500円。');
    expect(ja).toContain('開示の請求：1件につき1,000円。');
    expect(ja).toContain('訂正等、利用停止等及び第三者への提供の停止の請求については、手数料はいただきません。');
    const en = sectionText('en', 'contact');
    expect(en).toContain('For a request for disclosure: JPY 1,000 per request.');
    expect(en).toContain('Identity verification: A copy of one official document');
  });

  it('no fee at all is said in words', () => {
    const spec = publishable();
    const policy = definePolicy({ ...spec, retainedData: { ...spec.retainedData, requests: { ...spec.retainedData.requests, fees: [] } } });
    expect(renderPolicy(policy, { lang: 'ja' })).toContain('手数料：いずれの請求についても、手数料はいただきません。');
  });

  it('(iv) the security control measures taken, by the PPC’s categories (guidelines 10-1 to 10-6)', () => {
    const ja = sectionText('ja', 'security');
    for (const cat of ['基本方針の策定', '個人データの取扱いに係る規律の整備', '組織的安全管理措置', '人的安全管理措置', '物理的安全管理措置', '技術的安全管理措置'])
      expect(ja).toContain(cat);
    expect(ja).not.toContain('外的環境の把握'); // every ji4pe recipient is in Japan
    expect(ja).not.toContain('SSL');
    const en = sectionText('en', 'security');
    for (const cat of ['Organisational security measures', 'Human security measures', 'Physical security measures', 'Technical security measures']) expect(en).toContain(cat);
  });

  it('understanding the external environment (10-7) for each country where data is handled abroad', async () => {
    const { ji4pePolicy2021 } = await import('../../examples/ji4pe/notices.js');
    const ja = renderPolicy(ji4pePolicy2021, { lang: 'ja' });
    expect(ja).toContain('外的環境の把握');
    expect(ja).toContain('アメリカ合衆国：メールマガジンの配信の委託先は米国においてメールアドレスを保管しており');
  });

  it('a policy without them cannot be published: PublishedItemsMissingError names each missing item', () => {
    const s = smallSpec();
    const draft = definePolicy({ ...s, prose: ji4peProse });
    expect(missingPublishedItems(draft)).toEqual(['controller.address', 'controller.representative', 'retainedData']);
    let caught: unknown;
    try {
      renderPolicy(draft, { lang: 'ja' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PublishedItemsMissingError);
    expect(isPurposeBoundError(caught, 'PUBLISHED_ITEMS_MISSING')).toBe(true);
    expect((caught as PublishedItemsMissingError).items).toEqual(['controller.address', 'controller.representative', 'retainedData']);
    expect((caught as Error).message).toContain('Art. 32(1)');
    // Drafts still render.
    expect(renderPolicy(draft, { lang: 'ja', omitMissingProse: true })).toContain('サンプル商店');
    expect(missingPublishedItems(definePolicy(publishable()))).toEqual([]);
  });
});

describe('Art. 32(1) items are validated by definePolicy', () => {
  it('with retainedData, the address and the representative are required (Art. 32(1)(i))', () => {
    const s = publishable();
    const { address: _a, representative: _r, ...controller } = s.controller;
    const issues = issuesOf({ ...s, controller });
    expect(issues).toContainEqual({ path: 'controller.address', message: expect.stringContaining('Art. 32(1)(i)') });
    expect(issues).toContainEqual({ path: 'controller.representative', message: expect.stringContaining('Art. 32(1)(i)') });
  });

  it('every category of measures lists at least one, in every language', () => {
    const s = publishable();
    const empty = issuesOf({ ...s, retainedData: { ...s.retainedData, securityMeasures: { ...s.retainedData.securityMeasures, physical: [] } } });
    expect(empty).toContainEqual({ path: 'retainedData.securityMeasures.physical', message: 'must list at least one measure' });
    const untranslated = issuesOf({ ...s, retainedData: { ...s.retainedData, securityMeasures: { ...s.retainedData.securityMeasures, technical: [{ en: 'Encrypted.' }] } } });
    expect(untranslated).toEqual([{ path: 'retainedData.securityMeasures.technical[0].ja', message: 'missing Japanese text' }]);
  });

  it('fees only for the requests Art. 38(1) allows, in whole non-negative yen, once each', () => {
    const s = publishable();
    const fee = (request: string, amountJpy: number) => ({ request, amountJpy, payment: { en: 'Cash.', ja: '現金。' } });
    const issues = issuesOf({
      ...s,
      retainedData: { ...s.retainedData, requests: { ...s.retainedData.requests, fees: [fee('correction', 500), fee('disclosure', -1), fee('disclosure', 10.5)] } },
    });
    expect(issues.find((i) => i.path === 'retainedData.requests.fees[0].request')?.message).toContain('Art. 38(1)');
    expect(issues).toContainEqual({ path: 'retainedData.requests.fees[1].amountJpy', message: 'must not be negative' });
    expect(issues).toContainEqual({ path: 'retainedData.requests.fees[2].amountJpy', message: 'must be a whole number of yen' });
  });

  it('at least one method of disclosure (Art. 33(1)); the procedure’s texts in every language', () => {
    const s = publishable();
    const none = issuesOf({ ...s, retainedData: { ...s.retainedData, requests: { ...s.retainedData.requests, disclosureMethods: [] } } });
    expect(none.find((i) => i.path === 'retainedData.requests.disclosureMethods')?.message).toContain('Art. 33(1)');
    const untranslated = issuesOf({ ...s, retainedData: { ...s.retainedData, requests: { ...s.retainedData.requests, agents: { en: 'Power of attorney.' } } } });
    expect(untranslated).toEqual([{ path: 'retainedData.requests.agents.ja', message: 'missing Japanese text' }]);
  });

  it('a vendor abroad needs the external environment of its country (guidelines 10-7)', () => {
    const s = publishable();
    const issues = issuesOf({
      ...s,
      vendors: {
        mailer: {
          name: { en: 'Mailer', ja: 'メーラー' },
          role: 'contractor',
          fields: ['email'],
          purposes: ['contact'],
          contract: 'C-1',
          country: 'SG',
          foreign: { basis: 'consent', system: { en: 'PDPA.', ja: '個人情報保護法（PDPA）。' }, measures: { en: 'Contract.', ja: '契約。' } },
        },
      },
    });
    expect(issues).toEqual([{ path: 'retainedData.securityMeasures.externalEnvironment', message: expect.stringContaining('must describe SG, where vendor "mailer"') }]);
  });
});
