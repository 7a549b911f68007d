/**
 * A small but complete policy used across the core tests: purposes with a parent chain, a
 * consent-basis purpose, an outside-scope purpose, object and record fields.
 *
 * @module
 */
import { z } from 'zod';
import { definePolicy } from 'purpose-bound';

const t = (en: string, ja: string) => ({ en, ja });

/** Spec literal, kept separate so tests can derive broken variants of it. */
export const shopSpec = {
  id: 'shop',
  version: '3',
  effective: '2026-01-01',
  controller: { name: t('Shop', 'ショップ'), contact: { email: 'privacy@shop.example' } },
  purposes: {
    contact: { title: t('Contact', '連絡'), description: t('To contact you.', 'ご連絡のため。'), basis: 'contract', retention: 'P1Y' },
    billing: { title: t('Billing', '請求'), description: t('To bill you.', '請求のため。'), basis: 'contract', retention: 'P7Y' },
    receipts: { title: t('Receipts', '領収書'), description: t('To issue receipts.', '領収書発行のため。'), basis: 'contract', retention: 'P7Y', parent: 'billing' },
    reprints: { title: t('Reprints', '再発行'), description: t('To reprint receipts.', '再発行のため。'), basis: 'contract', retention: 'P7Y', parent: 'receipts' },
    newsletter: { title: t('Newsletter', 'ニュースレター'), description: t('To send news.', 'お知らせのため。'), basis: 'consent', retention: 'P2Y' },
    marketing: { title: t('Marketing', 'マーケティング'), description: t('To analyse.', '分析のため。'), basis: 'legitimate-interests', retention: 'P1Y' },
    courtOrder: { title: t('Court order', '裁判所の命令'), description: t('When a court orders it.', '裁判所の命令による場合。'), basis: 'legal-obligation', retention: 'P3Y', scope: 'outside' },
  },
  fields: {
    email: { title: t('E-mail', 'メール'), schema: z.email(), category: 'contact', purposes: ['contact', 'newsletter'], lookup: true },
    name: { title: t('Name', '氏名'), schema: z.string().min(1).max(100), category: 'identifier', purposes: ['contact', 'billing'] },
    age: { title: t('Age', '年齢'), schema: z.number().int().min(0).max(150), category: 'quasi-identifier', purposes: ['billing'] },
    address: {
      title: t('Address', '住所'),
      schema: z.object({ city: z.string().min(1), street: z.string().min(1), zip: z.string().regex(/^\d{3}-\d{4}$/) }),
      category: 'contact',
      purposes: ['billing'],
    },
    notes: { title: t('Notes', 'メモ'), schema: z.record(z.string(), z.string().max(20)), category: 'other', purposes: ['marketing'] },
    health: { title: t('Allergies', 'アレルギー'), schema: z.array(z.string()), category: 'special-care', purposes: ['newsletter'] },
  },
  collectionPoints: {
    signup: { title: t('Sign-up', '登録'), fields: ['email', 'name'], purposes: ['contact'] },
  },
  vendors: {
    printer: { name: t('Printer', '印刷会社'), role: 'contractor', fields: ['name', 'address'], purposes: ['receipts'], contract: 'C-1', country: 'JP' },
  },
  exceptions: ['law', 'life-body-property'],
} as const;

/** The fixture policy. */
export const shop = definePolicy(shopSpec);

/** A second policy with the same field ids: its fields must not pass the first one's guard. */
export const otherShop = definePolicy({ ...shopSpec, id: 'other-shop' });

/** Deep-clone a JSON-ish spec while keeping zod schemas (which structuredClone cannot copy). */
export function cloneSpec<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneSpec) as T;
  if (typeof value !== 'object' || value === null || '_zod' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneSpec(v);
  return out as T;
}
