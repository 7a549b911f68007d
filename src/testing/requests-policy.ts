/**
 * The policy the data-subject request suite runs on: purposes with short and long retention,
 * a consent-based purpose, an incidental child purpose, a contractor and a third party, a
 * special-care field. Field ids are prefixed `dsr` so that a retention sweep run by the suite
 * on a database shared with other suites never judges their values.
 *
 * @module
 */
import { z } from 'zod';
import { definePolicy } from '../policy/define-policy.js';

const t = (en: string, ja: string) => ({ en, ja });

/**
 * The request suite's policy.
 *
 * @example
 * ```ts
 * import { requestsPolicy } from 'purpose-bound/testing';
 * requestsPolicy.vendorIds; // ['mailer', 'insurer']
 * ```
 */
export const requestsPolicy = definePolicy({
  id: 'pb-requests',
  version: '3',
  effective: '2026-01-01',
  url: 'https://requests.example/privacy',
  title: t('Requests suite policy', '請求テスト用ポリシー'),
  controller: {
    name: t('Requests Example Inc.', '請求例株式会社'),
    contact: { email: 'privacy@requests.example', url: 'https://requests.example/contact', department: t('Privacy desk', '個人情報窓口') },
  },
  purposes: {
    service: { title: t('Service', 'サービス提供'), description: t('To provide the service.', 'サービス提供のため。'), basis: 'contract', retention: 'P3Y' },
    shipping: { title: t('Shipping', '発送'), description: t('To ship goods.', '商品発送のため。'), basis: 'contract', retention: 'P3Y', parent: 'service' },
    support: { title: t('Support', 'サポート'), description: t('To answer questions.', 'お問い合わせ対応のため。'), basis: 'legitimate-interests', retention: 'P1Y' },
    insurance: { title: t('Insurance', '保険'), description: t('To insure events.', 'イベント保険のため。'), basis: 'contract', retention: 'P3Y' },
    newsletter: { title: t('Newsletter', 'ニュースレター'), description: t('To send news.', 'お知らせ送付のため。'), basis: 'consent', retention: 'P2Y' },
  },
  fields: {
    dsrName: { title: t('Name', '氏名'), schema: z.string().trim().min(1).max(100), category: 'identifier', purposes: ['service', 'support', 'insurance'] },
    dsrEmail: { title: t('E-mail', 'メールアドレス'), schema: z.email(), category: 'contact', purposes: ['service', 'support', 'newsletter'], lookup: true },
    dsrAddress: { title: t('Address', '住所'), schema: z.string().min(1).max(300), category: 'contact', purposes: ['service'] },
    dsrBirthDate: { title: t('Date of birth', '生年月日'), schema: z.iso.date(), category: 'quasi-identifier', purposes: ['insurance'] },
    dsrNote: { title: t('Inquiry', 'お問い合わせ内容'), schema: z.string().min(1).max(2000), category: 'other', purposes: ['support'] },
    dsrAllergy: { title: t('Allergies', 'アレルギー'), schema: z.array(z.string()), category: 'special-care', purposes: ['service'] },
  },
  collectionPoints: {
    signup: {
      title: t('Sign-up', '会員登録'),
      fields: ['dsrName', 'dsrEmail', 'dsrAddress', 'dsrBirthDate'],
      purposes: ['service', 'insurance'],
      optional: ['dsrBirthDate'],
    },
    inquiry: { title: t('Inquiry', 'お問い合わせ'), fields: ['dsrName', 'dsrEmail', 'dsrNote'], purposes: ['support'] },
  },
  vendors: {
    mailer: {
      name: t('Shipping contractor', '発送委託先'),
      role: 'contractor',
      fields: ['dsrName', 'dsrAddress'],
      purposes: ['shipping'],
      contract: 'CT-001',
      country: 'JP',
    },
    insurer: {
      name: t('Event insurer', 'イベント保険会社'),
      role: 'third-party',
      fields: ['dsrName', 'dsrBirthDate'],
      purposes: ['insurance'],
      country: 'JP',
    },
  },
});
