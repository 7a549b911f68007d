import { describe, expect, it } from 'vitest';
import {
  buildPolicyDocument,
  definePolicy,
  isPurposeBoundError,
  missingProse,
  NOTICE_SECTIONS,
  ProseMissingError,
  renderPolicy,
  TranslationMissingError,
  type NoticeDocument,
  type NoticeSection,
} from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { ji4peProse } from '../../examples/ji4pe/prose.js';
import { smallPolicy, smallSpec, textOf } from './helpers.js';

const section = (doc: NoticeDocument, id: string): NoticeSection => {
  const s = doc.sections.find((x) => x.id === id);
  if (!s) throw new Error(`no section ${id}`);
  return s;
};
const sectionText = (doc: NoticeDocument, id: string) => textOf(section(doc, id).blocks);

const en = buildPolicyDocument(ji4pePolicy, 'en');
const ja = buildPolicyDocument(ji4pePolicy, 'ja');

describe('full policy: structure', () => {
  it('has the 18 sections of the seed policy, numbered 1–18, in both languages', () => {
    for (const doc of [en, ja]) {
      expect(doc.sections.map((s) => s.id)).toEqual(NOTICE_SECTIONS.map((s) => s.id));
      expect(doc.sections.map((s) => s.number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    }
    expect(ja.sections[15]?.heading).toBe('従業者の教育');
    expect(en.sections[8]?.heading).toBe('Supervision of outsourced vendors');
  });

  it('titles the document from the policy and names the operator', () => {
    expect(en.title).toBe('Ji4pe Privacy Policy');
    expect(ja.title).toBe('Ji4pe プライバシーポリシー（個人情報保護方針）');
    expect(ja.subtitle).toBe('Japanese Institute for Public Engagement（Ji4pe）');
    expect(textOf(ja.intro)).toContain('プライバシーポリシーを定めます');
  });

  it('ends with the effective date and version', () => {
    expect(textOf(en.closing)).toContain('Effective date: 1 September 2020 (version 2020-09)');
    expect(textOf(ja.closing)).toContain('施行日：2020年9月1日（版：2020-09）');
  });
});

describe('full policy: sections generated from the facts', () => {
  it('§2 lists each collection point with its fields and optional fields, not the entrusted one', () => {
    const t = sectionText(en, 'collection');
    expect(t).toContain('Inquiry: name, e-mail address, telephone number, and content of the inquiry (telephone number optional)');
    expect(t).toContain('Application for a study course: name, date of birth, address, telephone number, and e-mail address');
    expect(t).not.toContain('Seminar');
    expect(sectionText(ja, 'collection')).toContain('お問い合わせ：氏名、メールアドレス、電話番号及びお問い合わせ内容（電話番号は任意）');
  });

  it('§3 lists the six announced purposes in order, the incidental ones (§3.7) nested, retention in words', () => {
    const list = section(en, 'purposes').blocks.find((b) => b.kind === 'list');
    expect(list?.kind === 'list' && list.ordered).toBe(true);
    if (list?.kind !== 'list') throw new Error('no list');
    expect(list.items).toHaveLength(7);
    expect(list.items[0]?.content[0]?.text).toContain('For the purpose of using contact information and names to inform and contact users.');
    expect(list.items[0]?.content[0]?.text).toContain('(Retention period: 3 years.)');
    expect(list.items[3]?.content[0]?.text).toContain('Based on your consent, which you may withdraw at any time.');
    expect(list.items[6]?.content[0]?.text).toBe('Purposes incidental to the above purposes of use:');
    expect(textOf(list.items[6]?.children ?? [])).toContain('Issuing receipts, incidental to billing and invoicing.');
    // The entrusted operation is the client's purpose: §11, not §3.
    expect(sectionText(en, 'purposes')).not.toContain('entrusted operations');
  });

  it('§3 states the consent rule and the policy’s exceptions, without restating them as purposes', () => {
    const t = sectionText(en, 'purposes');
    expect(t).toContain(
      'will obtain the consent of the person in advance. However, this does not apply in the following cases, which the law allows without consent and which are not purposes of use:',
    );
    expect(t).toContain('When based on laws and regulations');
    expect(t).toContain("When necessary to protect a person's life, body or property");
    expect(t).not.toContain('public health'); // not one of ji4pe's exceptions
    // The `outside` purposes (legalCompliance, emergency) are the exceptions again: not listed as purposes.
    expect(t).not.toContain('Responding as required by law');
    const j = sectionText(ja, 'purposes');
    expect(j).toContain('法令に基づく場合');
    expect(j).toContain(
      'あらかじめ本人の同意を得ます。ただし、次のいずれかに該当する場合は、法令により本人の同意なく取り扱うことが認められているため、この限りではありません（これらは利用目的ではありません。）。',
    );
    expect(j).not.toContain('法令に基づく対応');
    expect(j).toContain('（保存期間：3年）');
  });

  it('§9 lists the contractors, §10 the third party, the third-party rule and provision records', () => {
    const v = sectionText(en, 'vendors');
    expect(v).toContain('Printing and mailing contractor (Japan): name and address, for the purpose “Sending course materials and certificates”');
    expect(v).not.toContain('Event insurance underwriter');
    const t = sectionText(en, 'thirdParties');
    expect(t).toContain('The Institute will not provide personal data to any third party without the prior consent of the person concerned, except in the following cases:');
    expect(t).not.toContain('disclose');
    expect(t).toContain('Event insurance underwriter (Japan): name and date of birth');
    expect(t).toContain('keeps the record for 3 years');
    expect(sectionText(ja, 'thirdParties')).toContain('その記録を作成し、3年間保存します。');
    expect(sectionText(ja, 'vendors')).toContain('印刷及び発送の委託先（日本）：氏名及び住所（利用目的：「教材及び修了証の送付」）');
  });

  it('§11 lists entrusted collection points; §14 the contact point; §5 the points with a notice', () => {
    expect(sectionText(en, 'entrusted')).toContain('Seminar run on behalf of a client organisation: name and e-mail address');
    expect(sectionText(en, 'contact')).toContain('E-mail: privacy@ji4pe.example');
    expect(sectionText(ja, 'contact')).toContain('窓口：個人情報お問い合わせ窓口');
    expect(sectionText(en, 'notification')).toContain('Application for an event');
    expect(sectionText(en, 'notification')).not.toContain('Seminar');
  });
});

describe('full policy: prose sections', () => {
  it('renders every required section from the policy’s prose, §7 with the measures taken by category', () => {
    for (const s of NOTICE_SECTIONS.filter((x) => x.prose === 'required')) {
      const first = ji4peProse[s.id]?.en?.split('\n')[0] ?? '';
      expect(sectionText(en, s.id)).toContain(first);
    }
    const security = section(en, 'security').blocks;
    expect(textOf(security)).toContain('uses cookies');
    expect(security.at(-1)?.kind).toBe('list');
    expect(textOf(security)).toContain('The security control measures the Institute takes for personal data are as follows:');
    expect(textOf(security)).toContain('the website uses TLS encryption');
    expect(section(ja, 'security').blocks.at(-1)?.kind).toBe('list');
  });

  it('a reader comparing with the seed finds its promises', () => {
    const text = renderPolicy(ji4pePolicy, { lang: 'en' });
    for (const promise of [
      'easily be collated with other information',
      'lawful and fair',
      'notify the person of the purpose of use or announce it',
      'written in a document (including an electronic record) directly from the person',
      'accurate and up to date',
      'reviews them appropriately',
      'necessary and appropriate supervision over them',
      'oblige it by contract',
      'only for the purpose of performing the relevant operations',
      'after verifying their identity',
      'alternative measures',
      'inquiries, opinions and complaints',
      'internal audits periodically',
      'directors and staff',
      'internal rules',
      'takes effect when it is posted on this website',
    ])
      expect(text).toContain(promise);
  });

  it('throws ProseMissingError naming every missing section, before any output', () => {
    let caught: unknown;
    try {
      renderPolicy(smallPolicy, { lang: 'en', format: 'html' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProseMissingError);
    expect(isPurposeBoundError(caught, 'PROSE_MISSING')).toBe(true);
    const required = NOTICE_SECTIONS.filter((s) => s.prose === 'required').map((s) => s.id);
    expect((caught as ProseMissingError).sections).toEqual(required);
    expect(missingProse(smallPolicy, 'ja')).toEqual(required);
    expect(missingProse(ji4pePolicy, 'ja')).toEqual([]);
  });

  it('omitMissingProse leaves prose-only sections out and renumbers; built-in leads remain', () => {
    const doc = buildPolicyDocument(smallPolicy, 'ja', { omitMissingProse: true });
    expect(doc.sections.map((s) => s.id)).toEqual(['collection', 'purposes', 'notification', 'vendors', 'thirdParties', 'entrusted']);
    expect(doc.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(doc.title).toBe('プライバシーポリシー');
    expect(textOf(doc.sections[1]?.blocks ?? [])).toContain('サンプル商店は、個人情報を取得するにあたり');
    expect(textOf(doc.sections[1]?.blocks ?? [])).toContain('保存期間：1年6か月');
    expect(textOf(doc.sections[3]?.blocks ?? [])).toContain('現在、個人データの取扱いを委託している委託先はありません。');
  });

  it('prose for a generated section replaces its built-in lead; the facts stay', () => {
    const policy = definePolicy({ ...smallSpec(), prose: { purposes: { en: 'Our own words.', ja: '独自の文言。' } } });
    const doc = buildPolicyDocument(policy, 'en', { omitMissingProse: true });
    const t = textOf(doc.sections.find((s) => s.id === 'purposes')?.blocks ?? []);
    expect(t.startsWith('Our own words.')).toBe(true);
    expect(t).not.toContain('specifically defined');
    expect(t).toContain('To contact you. (Retention period: 1 year and 6 months.)');
  });
});

describe('full policy: facts that ji4pe lacks', () => {
  it('special care-required fields, foreign recipients, no exceptions', () => {
    const spec = smallSpec();
    const policy = definePolicy({
      ...spec,
      exceptions: [],
      fields: {
        ...spec.fields,
        allergies: { title: { en: 'Allergies', ja: 'アレルギー情報' }, schema: spec.fields.email.schema, category: 'special-care', purposes: ['contact'] },
      },
      collectionPoints: { signup: { ...spec.collectionPoints.signup, fields: ['email', 'allergies'] } },
      vendors: {
        mailer: {
          name: { en: 'Mailer Inc.', ja: 'メーラー社' },
          role: 'contractor',
          fields: ['email'],
          purposes: ['contact'],
          contract: 'C-1',
          country: 'US',
          foreign: {
            basis: 'equivalent-measures',
            system: { en: 'No comprehensive federal law.', ja: '包括的な連邦法はありません。' },
            measures: { en: 'Bound by contract.', ja: '契約により義務付けています。' },
            equivalentMeasures: { reference: 'DPA-1', monitoring: { en: 'Yearly audit.', ja: '年1回の監査。' } },
          },
        },
      },
    });
    const en2 = buildPolicyDocument(policy, 'en', { omitMissingProse: true });
    const ja2 = buildPolicyDocument(policy, 'ja', { omitMissingProse: true });
    expect(sectionText(en2, 'collection')).toContain('Allergies is special care-required personal information');
    expect(sectionText(ja2, 'collection')).toContain('アレルギー情報は要配慮個人情報に該当するため');
    expect(sectionText(en2, 'vendors')).toContain('Mailer Inc. (United States)');
    expect(sectionText(en2, 'vendors')).toContain('Article 28');
    expect(sectionText(ja2, 'vendors')).toContain('個人情報の保護に関する法律第28条');
    expect(sectionText(en2, 'purposes')).not.toContain('However');
    expect(sectionText(ja2, 'thirdParties')).toContain('あらかじめ本人の同意を得ることなく、個人データを第三者に提供しません。');
    // APPI Art. 28(2)-(3): the ground, the country's system, the recipient's measures, with the recipient.
    expect(sectionText(ja2, 'vendors')).toContain(
      '外国にある第三者への提供（法第28条）：提供先は、個人情報保護委員会規則第16条で定める基準に適合する体制（基準適合体制）を整備しています。',
    );
    expect(sectionText(ja2, 'vendors')).toContain('当該外国における個人情報の保護に関する制度：包括的な連邦法はありません。');
    expect(sectionText(ja2, 'vendors')).toContain('提供先が講ずる個人情報の保護のための措置：契約により義務付けています。');
    expect(sectionText(en2, 'vendors')).toContain('How its implementation is checked: Yearly audit.');
  });
});

describe('full policy: languages', () => {
  it('a language the policy does not declare is a TranslationMissingError before any output', () => {
    const enOnly = definePolicy({ ...smallSpec(), languages: ['en'] });
    expect(() => renderPolicy(enOnly, { lang: 'ja', omitMissingProse: true })).toThrow(TranslationMissingError);
    try {
      renderPolicy(enOnly, { lang: 'ja', omitMissingProse: true });
    } catch (e) {
      expect((e as TranslationMissingError).code).toBe('TRANSLATION_MISSING');
      expect((e as Error).message).toContain('ja');
      expect((e as TranslationMissingError).policyId).toBe('shop');
    }
    expect(() => renderPolicy(ji4pePolicy, { lang: 'fr' as 'en' })).toThrow(TranslationMissingError);
    expect(renderPolicy(enOnly, { lang: 'en', omitMissingProse: true })).toContain('Example Shop');
  });

  it('Japanese uses the law’s terms and full-width punctuation, no half-width colons or parentheses in running text', () => {
    const text = renderPolicy(ji4pePolicy, { lang: 'ja' });
    for (const term of [
      '利用目的',
      '本人の同意',
      '法令に基づく場合',
      '第三者',
      '委託',
      '開示',
      '訂正等',
      '利用停止等',
      '保存期間',
      '施行日',
      '安全管理措置',
      '従業者の監督',
      '代わるべき措置',
    ]) {
      expect(text).toContain(term);
    }
    const withoutUrlsAndNames = text.replace(/https?:\/\/\S+|\S+@\S+|TLS|Japanese Institute for Public Engagement|Ji4pe|Cookie|\d{4}-\d{2}/g, '');
    expect(withoutUrlsAndNames).not.toMatch(/[A-Za-z]{3,}/);
    expect(withoutUrlsAndNames).not.toMatch(/[:()]/);
    expect(text).toMatch(/します。/);
  });
});
