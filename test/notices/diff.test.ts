import { describe, expect, it } from 'vitest';
import { buildChangeDocument, definePolicy, diffPolicies, PolicyMismatchError, renderChangeNotice, TranslationMissingError, type PolicyChange } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { ji4pePolicy2021 } from '../../examples/ji4pe/notices.js';
import { smallPolicy, smallSpec } from './helpers.js';

const kinds = (changes: readonly PolicyChange[]) => changes.map((c) => `${c.kind}:${c.requires}`);

describe('diffPolicies', () => {
  const diff = diffPolicies(ji4pePolicy, ji4pePolicy2021);

  it('reports versions, effective dates, and each change with what it requires', () => {
    expect(diff.policyId).toBe('ji4pe');
    expect(diff.from).toEqual({ version: '2020-09', effective: '2020-09-01' });
    expect(diff.to).toEqual({ version: '2021-04', effective: '2021-04-01' });
    expect(kinds(diff.changes)).toEqual([
      'purpose-fields-added:consent',
      'purpose-added:consent',
      'retention-changed:notice',
      'field-added:notice',
      'collection-point-changed:notice',
      // A contractor in the US on the ground of consent (APPI Art. 28): entrustment does not lift it.
      'vendor-added:consent',
      'retained-data-changed:notice',
    ]);
    expect(diff.requiresConsent).toBe(true);
    expect(diff.changed).toBe(true);
  });

  it('details: new purpose with the existing fields it may use; widened purpose; longer retention; new field and where', () => {
    expect(diff.changes).toContainEqual({ kind: 'purpose-added', purpose: 'newsletter', scope: 'announced', fields: ['email'], requires: 'consent' });
    expect(diff.changes).toContainEqual({ kind: 'purpose-fields-added', purpose: 'abusePrevention', fields: ['phone'], requires: 'consent' });
    expect(diff.changes).toContainEqual({ kind: 'retention-changed', purpose: 'inquiryResponse', from: 'P1Y', to: 'P2Y', longer: true, requires: 'notice' });
    expect(diff.changes).toContainEqual({ kind: 'field-added', field: 'occupation', collectionPoints: ['courseApplication'], requires: 'notice' });
    expect(diff.changes).toContainEqual({ kind: 'vendor-added', vendor: 'newsletterService', role: 'contractor', abroad: true, requires: 'consent' });
    expect(Object.isFrozen(diff.changes)).toBe(true);
  });

  it('the same policy twice has no changes', () => {
    const same = diffPolicies(ji4pePolicy, ji4pePolicy);
    expect(same.changes).toEqual([]);
    expect(same.changed).toBe(false);
    expect(same.requiresConsent).toBe(false);
  });

  it('the reverse direction: removals need notice only', () => {
    const spec = ji4pePolicy2021.spec;
    const later = definePolicy({ ...ji4pePolicy.spec, version: '2022', effective: '2022-01-01' });
    const back = diffPolicies(definePolicy({ ...spec }), later);
    expect(back.requiresConsent).toBe(false);
    expect(kinds(back.changes)).toEqual(expect.arrayContaining(['purpose-removed:notice', 'field-removed:notice', 'vendor-removed:notice', 'retention-changed:notice']));
    expect(back.changes.find((c) => c.kind === 'retention-changed')).toMatchObject({ longer: false });
  });

  it('classifies basis changes, third-party recipients, exceptions, prose, controller', () => {
    const a = definePolicy({ ...smallSpec(), prose: { scope: { en: 'a', ja: 'あ' } } });
    const s = smallSpec();
    const b = definePolicy({
      ...s,
      version: '2',
      effective: '2026-06-01',
      exceptions: ['law'],
      controller: { ...s.controller, contact: { email: 'dpo@shop.example' } },
      purposes: { contact: { ...s.purposes.contact, basis: 'consent' } },
      vendors: { partner: { name: { en: 'Partner', ja: '提携先' }, role: 'third-party', fields: ['email'], purposes: ['contact'], country: 'JP' } },
      prose: { scope: { en: 'b', ja: 'い' } },
    });
    const d = diffPolicies(a, b);
    expect(kinds(d.changes)).toEqual([
      'purpose-basis-changed:consent',
      'vendor-added:consent',
      'exception-removed:notice',
      'exception-removed:notice',
      'exception-removed:notice',
      'controller-changed:notice',
      'prose-changed:notice',
    ]);
  });

  it('two unrelated policies, or versions in the wrong order, are a PolicyMismatchError', () => {
    expect(() => diffPolicies(smallPolicy, ji4pePolicy)).toThrow(PolicyMismatchError);
    try {
      diffPolicies(smallPolicy, ji4pePolicy);
    } catch (e) {
      expect((e as PolicyMismatchError).code).toBe('POLICY_MISMATCH');
      expect((e as Error).message).toContain('"shop"');
      expect((e as Error).message).toContain('"ji4pe"');
    }
    expect(() => diffPolicies(ji4pePolicy2021, ji4pePolicy)).toThrow(/before the previous one/);
    expect(() => renderChangeNotice(smallPolicy, ji4pePolicy, { lang: 'en' })).toThrow(PolicyMismatchError);
  });
});

describe('change notice', () => {
  it('puts consent changes first, then the others, with the effective date', () => {
    const en = buildChangeDocument(ji4pePolicy, ji4pePolicy2021, 'en');
    expect(en.sections.map((s) => s.id)).toEqual(['consent-changes', 'notice-changes', 'contact']);
    const text = renderChangeNotice(ji4pePolicy, ji4pePolicy2021, { lang: 'en' });
    expect(text).toContain('takes effect on 1 April 2021, replacing version 2020-09 of 1 September 2020');
    expect(text).toContain('Your telephone number already collected would also be used for “Refusing improper use”.');
    expect(text).toContain('New purpose of use: To send the Institute’s newsletter about study courses and events by e-mail. It would use your e-mail address already collected.');
    expect(text).toContain('The retention period for “Responding to inquiries” changes from 1 year to 2 years.');
    // APPI Art. 28: the US contractor is a change needing consent, with the country's system and the recipient's measures.
    expect(text).toContain('New vendor in a foreign country entrusted with personal data — E-mail delivery contractor (United States)');
    expect(text.indexOf('New vendor in a foreign country')).toBeLessThan(text.indexOf('Other changes'));
    expect(text).toContain(
      'Provision to a third party in a foreign country (APPI Art. 28): with the prior consent of the person to provision to a third party in a foreign country (United States).',
    );
    expect(text).toContain('The system for the protection of personal information in that country: The United States has no comprehensive federal law');
    expect(text).toContain('Measures the recipient takes for the protection of personal information: The contractor is bound by contract');
    expect(text).toContain('At “Application for a study course”, the Institute also announces “Newsletter”.');
    expect(text.indexOf('Changes that need your consent')).toBeLessThan(text.indexOf('Other changes'));
    const ja = renderChangeNotice(ji4pePolicy, ji4pePolicy2021, { lang: 'ja' });
    expect(ja).toContain('2021年4月1日から施行します');
    expect(ja).toContain('本人の同意が必要な変更');
    expect(ja).toContain('取得済みの電話番号を、「不正利用の防止」にも利用します。');
    expect(ja).toContain('「お問い合わせへの対応」の保存期間を1年から2年に変更します。');
    const consentPart = ja.slice(ja.indexOf('本人の同意が必要な変更'), ja.indexOf('その他の変更'));
    expect(consentPart).toContain('【外国にある委託先への提供の追加】メール配信の委託先（アメリカ合衆国）');
    expect(consentPart).toContain('外国（アメリカ合衆国）にある第三者への提供を認める旨の本人の同意を得て提供します。');
    expect(consentPart).toContain('当該外国における個人情報の保護に関する制度：');
    expect(consentPart).toContain('提供先が講ずる個人情報の保護のための措置：');
  });

  it('a foreign recipient on the ground of equivalent measures needs notice, not consent (APPI Art. 28(1))', () => {
    const spec = ji4pePolicy2021.spec;
    const service = ji4pePolicy2021.vendor('newsletterService');
    const v3 = definePolicy({
      ...spec,
      vendors: {
        ...spec.vendors,
        newsletterService: {
          ...service,
          foreign: {
            basis: 'equivalent-measures',
            system: service.foreign?.system ?? {},
            measures: service.foreign?.measures ?? {},
            equivalentMeasures: { reference: 'JI4PE-DPA-2021-02', monitoring: { en: 'Checked every year.', ja: '年1回確認します。' } },
          },
        },
      },
    });
    const added = diffPolicies(ji4pePolicy, v3).changes.find((c) => c.kind === 'vendor-added');
    expect(added).toEqual({ kind: 'vendor-added', vendor: 'newsletterService', role: 'contractor', abroad: true, requires: 'notice' });
    const changed = diffPolicies(v3, definePolicy({ ...spec, version: '2021-10', effective: '2021-10-01' })).changes.find((c) => c.kind === 'vendor-changed');
    expect(changed).toMatchObject({ vendor: 'newsletterService', abroad: true, foreignBasisChanged: true, requires: 'consent' });
    expect(renderChangeNotice(ji4pePolicy, v3, { lang: 'ja' })).toContain('基準適合体制');
  });

  it('with no change in content says so', () => {
    const next = definePolicy({ ...smallSpec(), version: '1.1', effective: '2026-02-01' });
    const text = renderChangeNotice(smallPolicy, next, { lang: 'ja' });
    expect(text).toContain('ポリシーの内容に変更はありません');
  });

  it('both versions must declare the language', () => {
    const enOnly = definePolicy({ ...smallSpec(), version: '2', effective: '2026-02-01', languages: ['en'] });
    expect(() => renderChangeNotice(smallPolicy, enOnly, { lang: 'ja' })).toThrow(TranslationMissingError);
    expect(() => renderChangeNotice(enOnly, definePolicy({ ...smallSpec(), version: '3', effective: '2026-03-01' }), { lang: 'ja' })).toThrow(TranslationMissingError);
  });
});
