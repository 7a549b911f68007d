/**
 * The policy the conformance suite stores through an adapter: one field of every value type
 * (string, e-mail, date string, `Date`, number, boolean, object, array, record), two lookup
 * fields, a consent-based purpose and a special-care field.
 *
 * @module
 */
import { z } from 'zod';
import { definePolicy } from '../policy/define-policy.js';

const t = (en: string, ja: string) => ({ en, ja });

/**
 * The conformance policy.
 *
 * @example
 * ```ts
 * import { conformancePolicy } from 'purpose-bound/testing';
 * conformancePolicy.fieldIds; // ['text', 'email', 'birthDate', ...]
 * ```
 */
export const conformancePolicy = definePolicy({
  id: 'pb-conformance',
  version: '1',
  effective: '2026-01-01',
  controller: { name: t('Conformance suite', '適合性テスト'), contact: { email: 'privacy@conformance.example' } },
  purposes: {
    service: { title: t('Service', 'サービス提供'), description: t('To provide the service.', 'サービス提供のため。'), basis: 'contract', retention: 'P1Y' },
    support: { title: t('Support', 'サポート'), description: t('To answer questions.', 'お問い合わせ対応のため。'), basis: 'contract', retention: 'P1Y', parent: 'service' },
    newsletter: { title: t('Newsletter', 'ニュースレター'), description: t('To send news.', 'お知らせ送付のため。'), basis: 'consent', retention: 'P1Y' },
  },
  fields: {
    text: { title: t('Name', '氏名'), schema: z.string().min(1).max(500), category: 'identifier', purposes: ['service'], lookup: true },
    email: { title: t('E-mail', 'メールアドレス'), schema: z.email(), category: 'contact', purposes: ['service', 'newsletter'], lookup: true },
    birthDate: { title: t('Date of birth', '生年月日'), schema: z.iso.date(), category: 'quasi-identifier', purposes: ['service'] },
    when: { title: t('Appointment', '予約日時'), schema: z.date(), category: 'other', purposes: ['service'] },
    count: { title: t('Visits', '来訪回数'), schema: z.number(), category: 'other', purposes: ['service'] },
    flag: { title: t('Member', '会員'), schema: z.boolean(), category: 'other', purposes: ['service'] },
    profile: {
      title: t('Address', '住所'),
      schema: z.object({ city: z.string(), street: z.string(), floor: z.number().int().optional() }),
      category: 'contact',
      purposes: ['service'],
    },
    tags: { title: t('Interests', '関心事'), schema: z.array(z.string()), category: 'other', purposes: ['service'] },
    notes: { title: t('Notes', 'メモ'), schema: z.record(z.string(), z.string()), category: 'other', purposes: ['service'] },
    health: { title: t('Allergies', 'アレルギー'), schema: z.array(z.string()), category: 'special-care', purposes: ['service'] },
  },
  collectionPoints: {
    form: {
      title: t('Form', 'フォーム'),
      fields: ['text', 'email', 'birthDate', 'when', 'count', 'flag', 'profile', 'tags', 'notes'],
      purposes: ['service', 'support'],
      optional: ['email', 'birthDate', 'when', 'count', 'flag', 'profile', 'tags', 'notes'],
    },
    clinic: { title: t('Clinic form', '問診票'), fields: ['text', 'health'], purposes: ['service'], optional: ['health'] },
  },
});
