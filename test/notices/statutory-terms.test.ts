/**
 * The Japanese texts use the statutory term of the duty each section is about (glossary):
 * 個人情報 for acquisition and purposes, 個人データ for accuracy, security, supervision,
 * entrustment and third-party provision, 保有個人データ for the requests of Arts. 32-35; 明示
 * for written acquisition (Art. 21(2)); 提供, not 開示, for provision (Art. 27).
 */
import { describe, expect, it } from 'vitest';
import { buildCollectionDocument, buildPolicyDocument, type NoticeDocument } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { smallPolicy, textOf } from './helpers.js';

const of = (doc: NoticeDocument, id: string): string => textOf(doc.sections.find((s) => s.id === id)?.blocks ?? []);
const ja = buildPolicyDocument(ji4pePolicy, 'ja');
/** The built-in wording alone (no prose of the operator's). */
const generated = buildPolicyDocument(smallPolicy, 'ja', { omitMissingProse: true });

describe('statutory terms in the Japanese full policy, section by section', () => {
  it('§3 purposes (Art. 17, 18): 個人情報; the exceptions are not restated as purposes', () => {
    const t = of(ja, 'purposes');
    expect(t).toContain('利用目的の達成に必要な範囲を超えて個人情報を取り扱う場合は、あらかじめ本人の同意を得ます。');
    expect(t).toContain('これらは利用目的ではありません');
    expect(t).not.toContain('法令に基づく対応');
    expect(t).not.toContain('利用目的の範囲外の取扱いは次のとおり');
  });

  it('§5 notification (Art. 21): 通知又は公表, and 明示 for written acquisition directly from the person', () => {
    for (const doc of [ja, generated]) {
      const t = of(doc, 'notification');
      expect(t).toContain('速やかに、その利用目的を本人に通知し、又は公表します');
      expect(t).toContain('本人から直接書面（電磁的記録を含みます。）に記載された本人の個人情報を取得する場合は、あらかじめ、本人に対し、その利用目的を明示します。');
      expect(t).not.toContain('書面により個人情報を取得する場合も同様です');
    }
    expect(of(ja, 'notification')).toContain('取得に先立って利用目的を明示します');
  });

  it('§6 accuracy (Art. 22): 個人データ, kept accurate and erased when no longer needed', () => {
    const t = of(ja, 'accuracy');
    expect(t).toContain('個人データを正確かつ最新の内容に保つ');
    expect(t).toContain('利用する必要がなくなったときは、当該個人データを遅滞なく消去');
    expect(t).not.toContain('個人情報');
  });

  it('§7 security (Art. 23) and §8 staff (Art. 24): 個人データ', () => {
    expect(of(ja, 'security')).toContain('個人データの漏えい、滅失又は毀損の防止その他の個人データの安全管理');
    expect(of(ja, 'staff')).toContain('従業者に個人データを取り扱わせるに当たっては');
    expect(of(ja, 'staff')).not.toContain('個人情報');
  });

  it('§9 vendors (Art. 25): 個人データの取扱いの委託', () => {
    for (const doc of [ja, generated]) expect(of(doc, 'vendors')).toMatch(/個人データの取扱いの全部又は一部を委託|個人データの取扱いを委託している委託先はありません/);
    expect(of(ja, 'vendors')).toContain('委託された個人データの安全管理が図られるよう');
  });

  it('§10 third parties (Art. 27): 個人データを第三者に提供, never 開示', () => {
    for (const doc of [ja, generated]) {
      const t = of(doc, 'thirdParties');
      expect(t).toContain('個人データを第三者に提供しません');
      expect(t).not.toContain('開示');
      expect(t).not.toContain('個人情報を第三者');
    }
  });

  it('§12 correction (Art. 34): 保有個人データ, the ground (content not true), the outcome notified', () => {
    const t = of(ja, 'correction');
    expect(t).toContain('当該本人が識別される保有個人データの内容が事実でないという理由によって');
    expect(t).toContain('訂正等を行わない旨の決定をしたときは');
    expect(t).not.toMatch(/個人情報の訂正/);
    expect(ja.sections.find((s) => s.id === 'correction')?.heading).toBe('保有個人データの訂正等');
  });

  it('§13 suspension (Art. 35): 保有個人データ, the grounds of 35(1), (3) and (5), stopping provision', () => {
    const t = of(ja, 'suspension');
    expect(t).toContain('当該本人が識別される保有個人データについて');
    expect(t).toContain('法第35条第1項');
    expect(t).toContain('第三者への提供の停止、同条第3項');
    expect(t).toContain('同条第5項');
    expect(t).toContain('漏えい等の事態が生じたとき');
    expect(t).toContain('代わるべき措置');
    expect(ja.sections.find((s) => s.id === 'suspension')?.heading).toBe('保有個人データの利用停止等');
  });

  it('§14 contact (Art. 32, 40): 保有個人データ for the requests, 個人情報 for the complaints', () => {
    const t = of(ja, 'contact');
    expect(t).toContain('保有個人データに関するご本人からの利用目的の通知、開示、訂正等、利用停止等及び第三者への提供の停止の請求');
    expect(t).toContain('個人情報の取扱いに関するお問い合わせ、ご意見及び苦情');
  });

  it('the notice at collection: 保有個人データ for requests, 個人データ for provision and entrustment', () => {
    const doc = buildCollectionDocument(ji4pePolicy, 'eventApplication', 'ja');
    expect(of(doc, 'requests')).toContain('ご自身が識別される保有個人データについて、利用目的の通知、開示');
    expect(of(doc, 'entrustment')).toContain('個人データの取扱いを委託');
    expect(of(doc, 'third-parties')).toContain('個人データを提供します');
  });
});
