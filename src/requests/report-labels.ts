/**
 * Words the disclosure report shows instead of the SDK's ids: provenance sources, request
 * kinds and states, audit actions and decisions, in English and Japanese. An id the tables do
 * not know (a custom audit action) is shown as it is.
 *
 * @module
 */
import type { Lang } from '../i18n.js';

type Words = Readonly<Record<string, { readonly en: string; readonly ja: string }>>;

/** @internal who supplied a value. */
export const SOURCE_WORDS: Words = {
  subject: { en: 'you', ja: 'ご本人' },
  'third-party': { en: 'a third party', ja: '第三者' },
  entrusted: { en: 'the organisation that entrusted us with it', ja: '委託元' },
};

/** @internal request kinds. */
export const REQUEST_KIND_WORDS: Words = {
  disclosure: { en: 'disclosure', ja: '開示' },
  'provision-records': { en: 'disclosure of provision records', ja: '第三者提供記録の開示' },
  correction: { en: 'correction', ja: '訂正' },
  addition: { en: 'addition', ja: '追加' },
  deletion: { en: 'deletion', ja: '削除' },
  suspension: { en: 'suspension of use', ja: '利用の停止' },
  erasure: { en: 'erasure', ja: '消去' },
  'lift-suspension': { en: 'lifting a suspension of use', ja: '利用の停止の解除' },
  'purposes-notification': { en: 'notification of the purposes of use', ja: '利用目的の通知' },
  'stop-provision': { en: 'stopping provision to third parties', ja: '第三者への提供の停止' },
};

/** @internal request states. */
export const REQUEST_STATE_WORDS: Words = {
  received: { en: 'received', ja: '受付済み' },
  'identity-verified': { en: 'identity verified', ja: '本人確認済み' },
  'in-progress': { en: 'in progress', ja: '対応中' },
  completed: { en: 'completed', ja: '完了' },
  rejected: { en: 'refused', ja: '不応諾' },
};

/** @internal audit actions. */
export const AUDIT_ACTION_WORDS: Words = {
  read: { en: 'use', ja: '利用' },
  'read-outside-purpose': { en: 'use outside the purposes (legal exception)', ja: '利用目的の範囲外の利用（法令上の例外）' },
  collect: { en: 'collection', ja: '取得' },
  provide: { en: 'provision', ja: '提供' },
  'provision.expire': { en: 'provision record removed after its retention', ja: '第三者提供記録の保存期間満了による削除' },
  'consent.grant': { en: 'consent given', ja: '同意' },
  'consent.withdraw': { en: 'consent withdrawn', ja: '同意の撤回' },
  'value.correct': { en: 'correction', ja: '訂正' },
  'value.add': { en: 'addition', ja: '追加' },
  'value.delete': { en: 'deletion', ja: '削除' },
  'value.verify': { en: 'accuracy confirmed', ja: '正確性の確認' },
  'suspension.start': { en: 'suspension of use', ja: '利用停止' },
  'suspension.lift': { en: 'suspension lifted', ja: '利用停止の解除' },
  erase: { en: 'erasure', ja: '消去' },
  'erase.purge': { en: 'erasure completed', ja: '消去の完了' },
  'retention.destroy': { en: 'destroyed after its retention period', ja: '保存期間経過による消去' },
  'retention.destroy-history': { en: 'history destroyed after its retention period', ja: '保存期間経過による履歴の消去' },
  'notice.sent': { en: 'notice sent', ja: '通知の送付' },
  disclose: { en: 'disclosure', ja: '開示' },
  'keys.rotate': { en: 'key rotation', ja: '鍵の更新' },
  'request.receive': { en: 'request received', ja: '請求の受付' },
  'request.verify': { en: 'identity verified', ja: '本人確認' },
  'request.start': { en: 'request in progress', ja: '請求への対応開始' },
  'request.complete': { en: 'request completed', ja: '請求への対応完了' },
  'request.fulfil': { en: 'request fulfilled', ja: '請求への対応' },
  'request.reject': { en: 'request refused', ja: '請求への不応諾' },
  'request.extend': { en: 'deadline extended', ja: '期限の延長' },
  'request.alternative-measures': { en: 'alternative measures taken', ja: '代わるべき措置' },
  'breach.affected': { en: 'included in a leakage incident', ja: '漏えい等の事態の対象' },
};

/** @internal audit decisions. */
export const DECISION_WORDS: Words = {
  allow: { en: 'allowed', ja: '許可' },
  deny: { en: 'refused', ja: '拒否' },
  record: { en: 'recorded', ja: '記録' },
};

/** @internal the word for `id` in `lang`, or `id` itself when the table lacks it. */
export function wordFor(table: Words, id: string, lang: Lang): string {
  return Object.hasOwn(table, id) ? (table[id] as { en: string; ja: string })[lang] : id;
}
