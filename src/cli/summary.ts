/**
 * `purpose-bound summary`: what a policy says, in one screen: purposes with parents, legal
 * basis and retention; fields with category and allowed purposes; collection points; vendors;
 * legal exceptions. Built from the policy object only: it never sees a personal value.
 *
 * @module
 */
import type { Lang, Localized } from '../i18n.js';
import { LEGAL_BASES, LEGAL_EXCEPTIONS, type LegalBasis, type LegalException } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { VendorSpec } from '../policy/spec.js';

/** A policy summary as data (`summary --format json`). */
export interface PolicySummary {
  readonly id: string;
  readonly version: string;
  readonly effective: string;
  readonly languages: readonly string[];
  readonly title: string | undefined;
  readonly controller: { readonly name: string | undefined; readonly contact: Readonly<Record<string, string>> };
  readonly purposes: readonly {
    readonly id: string;
    readonly title: string | undefined;
    readonly parent: string | undefined;
    readonly scope: 'announced' | 'outside';
    readonly basis: LegalBasis;
    readonly gdpr: string;
    readonly retention: string;
  }[];
  readonly fields: readonly {
    readonly id: string;
    readonly title: string | undefined;
    readonly category: string;
    readonly purposes: readonly string[];
    readonly allowedPurposes: readonly string[];
    readonly lookup: boolean;
  }[];
  readonly collectionPoints: readonly {
    readonly id: string;
    readonly title: string | undefined;
    readonly source: string;
    readonly fields: readonly string[];
    readonly optional: readonly string[];
    readonly purposes: readonly string[];
  }[];
  readonly vendors: readonly {
    readonly id: string;
    readonly name: string | undefined;
    readonly role: VendorSpec['role'];
    readonly country: string;
    readonly contract: string | undefined;
    readonly fields: readonly string[];
    readonly purposes: readonly string[];
  }[];
  readonly exceptions: readonly { readonly id: LegalException; readonly appi: string; readonly title: string }[];
  readonly provisionRecordRetention: string;
}

function text(value: Localized | undefined, lang: Lang): string | undefined {
  if (!value) return undefined;
  return value[lang] ?? value.en ?? value.ja;
}

/** Collect the summary of a policy in one language. */
export function summarizePolicy(policy: AnyPolicy, lang: Lang): PolicySummary {
  const spec = policy.spec;
  const contact: Record<string, string> = {};
  for (const key of ['email', 'phone', 'url'] as const) {
    const v = spec.controller.contact[key];
    if (v !== undefined) contact[key] = v;
  }
  const department = text(spec.controller.contact.department, lang);
  if (department !== undefined) contact.department = department;
  return {
    id: policy.id,
    version: policy.version,
    effective: policy.effective,
    languages: [...policy.languages],
    title: text(spec.title, lang),
    controller: { name: text(spec.controller.name, lang), contact },
    purposes: policy.purposeIds.map((id) => {
      const p = policy.purpose(id);
      return {
        id,
        title: text(p.title, lang),
        parent: p.parent,
        scope: p.scope ?? 'announced',
        basis: p.basis,
        gdpr: LEGAL_BASES[p.basis].gdpr,
        retention: p.retention,
      };
    }),
    fields: policy.fieldIds.map((id) => {
      const f = policy.field(id);
      return {
        id,
        title: text(f.title, lang),
        category: f.category,
        purposes: [...f.purposes],
        allowedPurposes: [...policy.allowedPurposes(id)],
        lookup: f.lookup === true,
      };
    }),
    collectionPoints: policy.collectionPointIds.map((id) => {
      const c = policy.collectionPoint(id);
      return {
        id,
        title: text(c.title, lang),
        source: c.source ?? 'subject',
        fields: [...c.fields],
        optional: [...(c.optional ?? [])],
        purposes: [...c.purposes],
      };
    }),
    vendors: policy.vendorIds.map((id) => {
      const v = policy.vendor(id);
      return {
        id,
        name: text(v.name, lang),
        role: v.role,
        country: v.country,
        contract: v.contract,
        fields: [...v.fields],
        purposes: [...v.purposes],
      };
    }),
    exceptions: policy.exceptions.map((id) => ({ id, appi: LEGAL_EXCEPTIONS[id].appi, title: LEGAL_EXCEPTIONS[id].title[lang] })),
    provisionRecordRetention: spec.provisionRecordRetention ?? 'P3Y',
  };
}

const LABELS = {
  en: {
    policy: 'Policy',
    version: 'version',
    effective: 'effective',
    controller: 'Controller',
    contact: 'Contact',
    languages: 'Languages',
    purposes: 'Purposes',
    fields: 'Fields',
    collectionPoints: 'Collection points',
    vendors: 'Vendors',
    exceptions: 'Legal exceptions (use outside the purposes without consent)',
    outside: 'outside the announced purposes: consent or a legal exception only',
    retention: 'retention',
    parent: 'parent',
    allowed: 'allowed for',
    via: 'incl. through parents',
    lookup: 'lookup by blind index',
    source: 'source',
    optional: 'optional',
    contract: 'contract',
    provision: 'Third-party provision records kept for',
    none: '(none)',
  },
  ja: {
    policy: 'ポリシー',
    version: '版',
    effective: '施行日',
    controller: '個人情報取扱事業者',
    contact: 'お問い合わせ窓口',
    languages: '言語',
    purposes: '利用目的',
    fields: '項目',
    collectionPoints: '取得の場面',
    vendors: '委託先及び第三者',
    exceptions: '本人の同意を得ない目的外利用が認められる場合',
    outside: '利用目的の範囲外：本人の同意又は法令上の例外による場合のみ',
    retention: '保存期間',
    parent: '上位の利用目的',
    allowed: '利用目的',
    via: '親の利用目的を通じたものを含む',
    lookup: 'ブラインドインデックスによる検索',
    source: '取得元',
    optional: '任意',
    contract: '契約',
    provision: '第三者提供に係る記録の保存期間',
    none: '（なし）',
  },
} as const;

/** Render a summary as plain text for a terminal. */
export function formatSummary(s: PolicySummary, lang: Lang): string {
  const L = LABELS[lang];
  const out: string[] = [];
  const title = (t: string | undefined) => (t === undefined ? '' : `  ${t}`);
  out.push(`${L.policy} ${s.id}  ${L.version} ${s.version}  ${L.effective} ${s.effective}${s.title ? `\n${s.title}` : ''}`);
  out.push(`${L.controller}: ${s.controller.name ?? ''}`);
  const contact = Object.entries(s.controller.contact).map(([k, v]) => `${k} ${v}`);
  if (contact.length > 0) out.push(`${L.contact}: ${contact.join(', ')}`);
  out.push(`${L.languages}: ${s.languages.join(', ')}`);

  out.push('', `${L.purposes} (${s.purposes.length})`);
  const byParent = new Map<string | undefined, PolicySummary['purposes'][number][]>();
  for (const p of s.purposes) byParent.set(p.parent, [...(byParent.get(p.parent) ?? []), p]);
  const emit = (parent: string | undefined, depth: number): void => {
    for (const p of byParent.get(parent) ?? []) {
      const indent = '  '.repeat(depth + 1);
      out.push(`${indent}${p.id}${title(p.title)}`);
      out.push(`${indent}  ${p.basis} (GDPR ${p.gdpr}), ${L.retention} ${p.retention}${p.parent ? `, ${L.parent} ${p.parent}` : ''}`);
      if (p.scope === 'outside') out.push(`${indent}  ${L.outside}`);
      emit(p.id, depth + 1);
    }
  };
  emit(undefined, 0);

  out.push('', `${L.fields} (${s.fields.length})`);
  for (const f of s.fields) {
    out.push(`  ${f.id}${title(f.title)}  [${f.category}]${f.lookup ? `  (${L.lookup})` : ''}`);
    const extra = f.allowedPurposes.filter((p) => !f.purposes.includes(p));
    out.push(`    ${L.allowed}: ${f.purposes.join(', ')}${extra.length > 0 ? `; ${L.via}: ${extra.join(', ')}` : ''}`);
  }

  out.push('', `${L.collectionPoints} (${s.collectionPoints.length})`);
  if (s.collectionPoints.length === 0) out.push(`  ${L.none}`);
  for (const c of s.collectionPoints) {
    out.push(`  ${c.id}${title(c.title)}  (${L.source}: ${c.source})`);
    out.push(`    ${L.fields}: ${c.fields.map((f) => (c.optional.includes(f) ? `${f} (${L.optional})` : f)).join(', ')}`);
    out.push(`    ${L.purposes}: ${c.purposes.join(', ')}`);
  }

  out.push('', `${L.vendors} (${s.vendors.length})`);
  if (s.vendors.length === 0) out.push(`  ${L.none}`);
  for (const v of s.vendors) {
    out.push(`  ${v.id}${title(v.name)}  [${v.role}, ${v.country}${v.contract ? `, ${L.contract} ${v.contract}` : ''}]`);
    out.push(`    ${L.fields}: ${v.fields.join(', ')}`);
    out.push(`    ${L.purposes}: ${v.purposes.join(', ')}`);
  }

  out.push('', L.exceptions);
  if (s.exceptions.length === 0) out.push(`  ${L.none}`);
  for (const e of s.exceptions) out.push(`  ${e.id} (APPI ${e.appi})  ${e.title}`);
  out.push('', `${L.provision}: ${s.provisionRecordRetention}`);
  return `${out.join('\n')}\n`;
}
