import { describe, expect, it } from 'vitest';
import { buildCollectionDocument, InvalidArgumentError, renderCollectionNotice, renderNotice, TranslationMissingError, definePolicy, type NoticeDocument } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { smallSpec } from './helpers.js';

const flat = (doc: NoticeDocument, id: string): string => {
  const s = doc.sections.find((x) => x.id === id);
  if (!s) throw new Error(`no section ${id}`);
  const out: string[] = [];
  for (const b of s.blocks) {
    if (b.kind === 'paragraph') out.push(b.content.map((r) => r.text).join(''));
    else
      for (const i of b.items)
        out.push(
          i.content.map((r) => r.text).join(''),
          ...(i.children ?? []).flatMap((c) => (c.kind === 'list' ? c.items.map((x) => x.content.map((r) => r.text).join('')) : [c.content.map((r) => r.text).join('')])),
        );
  }
  return out.join('\n');
};

describe('notice at collection (APPI Art. 21)', () => {
  const event = buildCollectionDocument(ji4pePolicy, 'eventApplication', 'en');
  const inquiryJa = buildCollectionDocument(ji4pePolicy, 'inquiry', 'ja');

  it('has who, what, why, recipients, retention, requests and where the policy is', () => {
    expect(event.sections.map((s) => s.id)).toEqual(['operator', 'collected', 'purposes', 'third-parties', 'entrustment', 'retention', 'requests', 'policy']);
    expect(event.subtitle).toBe('Application for an event');
    // APPI Art. 21 notice names the operator; with Art. 32(1)(i) its address and representative.
    expect(flat(event, 'operator').split('\n')).toEqual([
      'Japanese Institute for Public Engagement (Ji4pe)',
      'Address: 2-3-4 Kanda-Nishikicho, Chiyoda-ku, Tokyo 101-0054, Japan',
      'Representative: Hanako Suzuki, President',
    ]);
    expect(inquiryJa.sections.map((s) => s.heading)).toEqual([
      '個人情報取扱事業者',
      '取得する個人情報',
      '利用目的',
      '第三者への提供',
      '個人データの取扱いの委託',
      '保存期間',
      '開示等の請求及びお問い合わせ',
      'プライバシーポリシー',
    ]);
  });

  it('lists the collected fields, marking optional ones', () => {
    expect(flat(event, 'collected').split('\n')).toEqual(['Name', 'Date of birth', 'Address', 'Telephone number', 'E-mail address']);
    expect(flat(inquiryJa, 'collected')).toContain('電話番号（任意）');
    expect(flat(inquiryJa, 'collected')).toContain('「任意」と記載した項目のご提供は任意です。');
  });

  it('lists only the purposes announced here, with their incidental purposes, and the consent note', () => {
    const t = flat(event, 'purposes');
    expect(t).toContain('purchase event insurance');
    expect(t).toContain('Issuing receipts, incidental to billing and invoicing.');
    expect(t).not.toContain('respond to inquiries');
    expect(t).toContain('Use for “Easier applications” is based on your consent');
    const j = flat(inquiryJa, 'purposes');
    expect(j).toContain('お問い合わせに対応するため');
    expect(j).not.toContain('イベント保険');
    expect(j).not.toContain('同意に基づきます');
  });

  it('names the third party and contractors that receive data collected here, for purposes announced here', () => {
    expect(flat(event, 'third-parties')).toContain('Event insurance underwriter (Japan): name and date of birth, for the purpose “Event insurance”');
    expect(flat(event, 'entrustment')).toContain('Printing and mailing contractor (Japan): name and address');
    const course = buildCollectionDocument(ji4pePolicy, 'courseApplication', 'en');
    expect(flat(course, 'third-parties')).not.toContain('insurance'); // the insurer is announced at events only
    expect(flat(inquiryJa, 'third-parties')).toBe('ここで取得した個人情報に係る個人データは、法令に基づく場合等を除き、本人の同意なく第三者に提供しません。');
    expect(flat(inquiryJa, 'entrustment')).toBe('ここで取得した個人情報に係る個人データの取扱いを外部に委託することはありません。');
  });

  it('gives the retention of each purpose in words and the contact point and policy URL', () => {
    expect(flat(event, 'retention')).toContain('Identification, authentication, billing and invoicing: 7 years');
    expect(flat(event, 'retention')).toContain('Issuing receipts: 7 years');
    expect(flat(inquiryJa, 'retention')).toContain('お問い合わせへの対応：1年');
    expect(flat(inquiryJa, 'requests')).toContain('訂正、追加又は削除（訂正等）');
    expect(flat(inquiryJa, 'requests')).toContain('メールアドレス：privacy@ji4pe.example');
    expect(flat(event, 'policy')).toBe('For details, see the Ji4pe Privacy Policy at https://ji4pe.example/privacy.');
  });

  it('describes entrusted data as received from the client and used only for the entrusted operation', () => {
    const doc = buildCollectionDocument(ji4pePolicy, 'entrustedSeminar', 'ja');
    expect(doc.intro[0]?.kind === 'paragraph' && doc.intro[0].content[0]?.text).toContain('委託元から次の個人情報を受け取り、当該委託業務の遂行に必要な範囲内でのみ取り扱います');
  });

  it('needs a known collection point; never echoes a non-id', () => {
    expect(() => renderNotice(ji4pePolicy, { kind: 'collection', lang: 'en' })).toThrow(InvalidArgumentError);
    try {
      renderCollectionNotice(ji4pePolicy, 'hana@example.jp', { lang: 'en' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as InvalidArgumentError).argument).toBe('options.collectionPoint');
      expect((e as Error).message).not.toContain('hana');
      expect((e as Error).message).toContain('courseApplication');
    }
  });

  it('a language the policy lacks is a TranslationMissingError', () => {
    const enOnly = definePolicy({ ...smallSpec(), languages: ['en'] });
    expect(() => renderCollectionNotice(enOnly, 'signup', { lang: 'ja' })).toThrow(TranslationMissingError);
    expect(renderCollectionNotice(enOnly, 'signup', { lang: 'en' })).toContain('Sign-up');
  });

  it('rejects options that do not belong to the kind or format', () => {
    expect(() => renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', format: 'text', page: true })).toThrow(/options.page/);
    expect(() => renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', collectionPoint: 'inquiry' })).toThrow(/options.collectionPoint/);
    expect(() => renderNotice(ji4pePolicy, { kind: 'letter' as 'policy', lang: 'en' })).toThrow(/options.kind/);
    expect(() => renderNotice(ji4pePolicy, { kind: 'policy', lang: 'en', format: 'pdf' as 'text' })).toThrow(/options.format/);
    expect(() => renderNotice(ji4pePolicy, { kind: 'change', lang: 'en' })).toThrow(/options.previous/);
    expect(() => renderNotice(ji4pePolicy.spec as never, { kind: 'policy', lang: 'en' })).toThrow(/policy/);
  });
});
