/**
 * The sections of the full privacy policy, modelled on the 18 sections of the seed policy, and
 * the localised prose a policy supplies for them (`spec.prose`, keyed by section id).
 *
 * A section is built from the policy's facts, from prose, or both:
 * - `required` prose: the section is a promise only words can make (staff education, internal
 *   audits...); the policy must supply it in every language, or rendering throws
 *   `ProseMissingError` (or, with `omitMissingProse`, the section is left out).
 * - `optional` prose: the section has a built-in lead paragraph in the words of APPI; the
 *   policy's prose, when present, replaces that lead. The facts (purposes, fields, vendors,
 *   contact point...) are always generated from the policy after the lead.
 *
 * Prose format: paragraphs separated by a blank line; lines starting with `- ` or `・` are list
 * items. Text is plain: any markup characters are shown as written.
 *
 * @module
 */
import type { Lang, Localized } from '../i18n.js';

/**
 * Whether a section's prose must come from the policy (`required`) or replaces a built-in lead (`optional`).
 *
 * @example
 * ```ts
 * NOTICE_SECTIONS.find((s) => s.id === 'education')?.prose; // 'required'
 * ```
 */
export type ProseRequirement = 'required' | 'optional';

/**
 * One section of the full privacy policy.
 *
 * @example
 * ```ts
 * const s: NoticeSectionSpec | undefined = NOTICE_SECTIONS[15]; // education (§16)
 * ```
 */
export interface NoticeSectionSpec {
  /** Section id; the key of its prose in `spec.prose`. */
  readonly id: string;
  /** Heading in every language. */
  readonly heading: { readonly [L in Lang]: string };
  readonly prose: ProseRequirement;
  /** What the SDK generates from the policy for this section, for docs. */
  readonly generated: string;
}

const s = (id: string, en: string, ja: string, prose: ProseRequirement, generated = ''): NoticeSectionSpec =>
  Object.freeze({ id, heading: Object.freeze({ en, ja }), prose, generated });

/**
 * The sections of the full policy, in order (numbered 1–18 when all are present).
 *
 * @example
 * ```ts
 * NOTICE_SECTIONS.filter((s) => s.prose === 'required').map((s) => s.id);
 * // ['scope', 'acquisition', 'accuracy', 'security', 'staff', 'correction', 'suspension',
 * //  'contact', 'organisation', 'education', 'compliance', 'changes']
 * ```
 */
export const NOTICE_SECTIONS: readonly NoticeSectionSpec[] = Object.freeze([
  s('scope', 'Scope of personal information', '個人情報の範囲', 'required'),
  s('collection', 'Collection of personal information', '個人情報の取得', 'optional', 'fields and collection points'),
  s('purposes', 'Specification of the purposes of use', '利用目的の特定', 'optional', 'purposes, incidental purposes, legal exceptions, uses outside the purposes'),
  s('acquisition', 'Appropriate acquisition of personal information', '個人情報の適正な取得', 'required'),
  s('notification', 'Notification of the purpose of use upon acquisition', '取得に際しての利用目的の通知等', 'optional', 'collection points with a notice at collection'),
  s('accuracy', 'Ensuring the accuracy of information', 'データ内容の正確性の確保', 'required'),
  s('security', 'Security control measures', '安全管理措置', 'required', 'the security control measures taken, by the PPC’s categories (retainedData.securityMeasures)'),
  s('staff', 'Supervision of the persons in charge', '従業者の監督', 'required'),
  s('vendors', 'Supervision of outsourced vendors', '委託先の監督', 'optional', 'contractors, the data they receive, their country'),
  s('thirdParties', 'Provision to third parties', '第三者提供の制限', 'optional', 'the third-party rule with the policy’s exceptions, third-party recipients, provision records'),
  s('entrusted', 'Purpose of use of entrusted personal information', '受託した個人情報の利用目的', 'optional', 'entrusted collection points and their purpose'),
  s('correction', 'Correction etc. of retained personal data', '保有個人データの訂正等', 'required'),
  s('suspension', 'Suspension of use etc. of retained personal data', '保有個人データの利用停止等', 'required'),
  s(
    'contact',
    'Contact point for inquiries',
    'お問い合わせ窓口',
    'required',
    'the operator (name, address, representative), the contact point, the procedure for requests and fees (retainedData.requests)',
  ),
  s('organisation', 'Development of organisational systems', '組織体制の整備', 'required'),
  s('education', 'Education of employees', '従業者の教育', 'required'),
  s('compliance', 'Compliance with laws and regulations', '法令等の遵守', 'required'),
  s('changes', 'Changes to this privacy policy', 'プライバシーポリシーの変更', 'required', 'version and effective date'),
]);

/**
 * Prose keys that are not sections: `preamble` (before section 1, optional).
 *
 * @example
 * ```ts
 * NOTICE_PROSE_EXTRA_KEYS; // ['preamble']
 * ```
 */
export const NOTICE_PROSE_EXTRA_KEYS: readonly string[] = Object.freeze(['preamble']);

/** One parsed prose block. @internal */
export type ProseBlock = { readonly kind: 'paragraph'; readonly text: string } | { readonly kind: 'list'; readonly items: readonly string[] };

/**
 * Parse prose text: paragraphs separated by blank lines, `- ` / `・` lines as list items.
 *
 * @internal
 */
export function parseProse(value: string, lang: Lang): ProseBlock[] {
  const out: ProseBlock[] = [];
  const joiner = lang === 'ja' ? '' : ' ';
  let paragraph: string[] = [];
  let items: string[] = [];
  const flushParagraph = (): void => {
    if (paragraph.length > 0) out.push({ kind: 'paragraph', text: paragraph.join(joiner) });
    paragraph = [];
  };
  const flushList = (): void => {
    if (items.length > 0) out.push({ kind: 'list', items });
    items = [];
  };
  for (const raw of value.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      flushParagraph();
      flushList();
      continue;
    }
    const bullet = /^(?:-\s+|・\s*)(.*)$/.exec(line);
    if (bullet) {
      flushParagraph();
      items.push(bullet[1] ?? '');
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return out;
}

/** @internal the prose of a section in a language, when the policy has it. */
export function proseOf(prose: Readonly<Record<string, Localized>> | undefined, id: string, lang: Lang): string | undefined {
  if (prose === undefined || !Object.hasOwn(prose, id)) return undefined;
  const t = prose[id]?.[lang];
  return t !== undefined && t.trim() !== '' ? t : undefined;
}
