/**
 * The disclosure as a readable report for the person, in English or Japanese, as plain text,
 * Markdown or HTML. It is built as a notice document and written by the notice renderers
 * (`src/notices`), which escape every string for their format: a value such as
 * `<script>` is shown, never run.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import { LEGAL_BASES, LEGAL_EXCEPTIONS } from '../legal.js';
import { formatNoticeDate } from '../notices/localize.js';
import { item, list, p, type NoticeBlock, type NoticeDocument, type NoticeListItem, type NoticeSection } from '../notices/model.js';
import { renderHtml } from '../notices/render-html.js';
import { renderMarkdown } from '../notices/render-markdown.js';
import { renderText } from '../notices/render-text.js';
import type { ProvisionRecord } from '../provision/provision-record.js';
import type { Disclosure, JsonValue } from './disclosure.js';
import { AUDIT_ACTION_WORDS, DECISION_WORDS, REQUEST_KIND_WORDS, REQUEST_STATE_WORDS, SOURCE_WORDS, wordFor } from './report-labels.js';

/**
 * Output formats of {@link renderDisclosure}.
 *
 * @example
 * ```ts
 * const format: DisclosureFormat = 'html';
 * ```
 */
export type DisclosureFormat = 'text' | 'markdown' | 'html';

/**
 * Options of {@link renderDisclosure}.
 *
 * @example
 * ```ts
 * renderDisclosure(disclosure, { lang: 'ja', format: 'html', page: true } satisfies RenderDisclosureOptions);
 * ```
 */
export interface RenderDisclosureOptions {
  readonly lang: Lang;
  /** Default `text`. */
  readonly format?: DisclosureFormat;
  /** HTML only: a whole page instead of a fragment. */
  readonly page?: boolean;
}

const L = {
  en: {
    title: 'Disclosure of your personal data',
    provisionTitle: 'Records of provision of your personal data to third parties',
    subtitle: (name: string) => `From ${name}`,
    intro: (id: string, date: string) =>
      `This is our answer to your request ${id}, prepared on ${date}. It lists all personal data we hold about you, what we use it for, where it came from, and who it was given to.`,
    provisionIntro: (id: string, date: string) =>
      `This is our answer to your request ${id}, prepared on ${date}, for the records of provision of your personal data to third parties (APPI Art. 33(5)).`,
    erased: (date: string) => `Your personal data was erased on ${date}. We no longer hold any of its values; the fact of the erasure and the records below remain.`,
    values: 'Personal data we hold',
    noValues: 'We hold no values about you.',
    purposes: 'Used for',
    until: 'kept until',
    provenance: (point: string, date: string, notice: string, source: string) => `Collected from ${source} at “${point}” on ${date} (notice version ${notice})`,
    verified: (date: string) => `Last confirmed accurate on ${date}`,
    retained: (date: string) => `Destroyed after ${date} unless it changes`,
    history: 'Changes',
    change: { correction: 'corrected', addition: 'added', deletion: 'deleted' } as Record<string, string>,
    formerFields: 'Data no longer held',
    consents: 'Your consents',
    noConsents: 'No consents are recorded.',
    consentLine: (purpose: string, state: string, date: string, notice: string) =>
      `${purpose}: ${state === 'granted' ? 'given' : 'withdrawn'} on ${date} (notice version ${notice})`,
    suspensions: 'Suspensions of use',
    noSuspensions: 'No suspension of use is recorded.',
    suspensionLine: (purposes: string, date: string, lifted: string | undefined) => `Use for ${purposes} suspended on ${date}${lifted ? `, lifted on ${lifted}` : ' (in force)'}`,
    allPurposes: 'all purposes',
    provisions: 'Provision to third parties and contractors',
    noProvisions: 'Your personal data was not provided to anyone.',
    provisionLine: (to: string, role: string, date: string, fields: string, purpose: string, basis: string) =>
      `${date}: ${fields} to ${to} (${role}) for "${purpose}"; basis: ${basis}`,
    role: { contractor: 'contractor', 'third-party': 'third party', 'joint-user': 'joint user' } as Record<string, string>,
    optOutBasis: 'provision by opt-out (APPI Art. 27(2))',
    jointUseBasis: 'joint use (APPI Art. 27(5)(iii))',
    entrustment: 'entrustment of handling (APPI Art. 27(5)(i))',
    consentBasis: 'your consent (APPI Art. 27(1))',
    kept: (date: string) => `record kept until ${date}`,
    requests: 'Your requests',
    receipts: 'Records of receipt of your personal data from third parties',
    receiptLine: (date: string, provider: string, fields: string, how: string) => `${date}: ${fields} received from ${provider} (how the provider obtained it: ${how})`,
    audit: 'Record of use of your data',
    auditIntro: 'Every access to and change of your data, in order:',
    auditLine: (e: AuditEntry, field: string | undefined, purpose: string | undefined) =>
      `${e.at.slice(0, 19).replace('T', ' ')} UTC: ${wordFor(AUDIT_ACTION_WORDS, e.action, 'en')}${field ? ` of ${field}` : ''}${purpose ? ` for “${purpose}”` : ''} by ${e.actor} (${wordFor(DECISION_WORDS, e.decision, 'en')}${e.reason ? `: ${e.reason}` : ''})`,
    closing: (version: string) => `Privacy policy version ${version}.`,
  },
  ja: {
    title: '保有個人データの開示',
    provisionTitle: '第三者提供記録の開示',
    subtitle: (name: string) => name,
    intro: (id: string, date: string) =>
      `ご請求（受付番号 ${id}）に対し、${date}時点で当方が保有するご本人の保有個人データ、その利用目的、取得の経緯及び提供先を開示します（個人情報保護法第33条第1項）。`,
    provisionIntro: (id: string, date: string) => `ご請求（受付番号 ${id}）に対し、${date}時点の第三者提供記録（個人情報保護法第33条第5項）を開示します。`,
    erased: (date: string) => `ご本人の保有個人データは${date}に消去しました。その内容は保有していません。消去の事実及び以下の記録は残っています。`,
    values: '保有個人データ',
    noValues: 'ご本人に関する保有個人データはありません。',
    purposes: '利用目的',
    until: '保存期限',
    provenance: (point: string, date: string, notice: string, source: string) => `${date}に「${point}」において${source}から取得（通知した利用目的の版：${notice}）`,
    verified: (date: string) => `内容の正確性の最終確認日：${date}`,
    retained: (date: string) => `変更がなければ${date}の経過後に消去`,
    history: '変更履歴',
    change: { correction: '訂正', addition: '追加', deletion: '削除' } as Record<string, string>,
    formerFields: '現在保有していない項目',
    consents: '同意の記録',
    noConsents: '同意の記録はありません。',
    consentLine: (purpose: string, state: string, date: string, notice: string) =>
      `「${purpose}」：${date}に${state === 'granted' ? '同意' : '同意の撤回'}（通知した利用目的の版：${notice}）`,
    suspensions: '利用停止',
    noSuspensions: '利用停止の記録はありません。',
    suspensionLine: (purposes: string, date: string, lifted: string | undefined) => `${purposes}のための利用を${date}に停止${lifted ? `（${lifted}に解除）` : '（継続中）'}`,
    allPurposes: 'すべての利用目的',
    provisions: '第三者提供及び委託先への提供',
    noProvisions: 'ご本人の個人データを提供した記録はありません。',
    provisionLine: (to: string, role: string, date: string, fields: string, purpose: string, basis: string) =>
      `${date}：${fields}を${to}（${role}）に「${purpose}」のために提供（根拠：${basis}）`,
    role: { contractor: '委託先', 'third-party': '第三者', 'joint-user': '共同利用者' } as Record<string, string>,
    optOutBasis: 'オプトアウトによる第三者提供（個人情報保護法第27条第2項）',
    jointUseBasis: '共同利用（個人情報保護法第27条第5項第3号）',
    entrustment: '取扱いの委託（個人情報保護法第27条第5項第1号）',
    consentBasis: '本人の同意（個人情報保護法第27条第1項）',
    kept: (date: string) => `記録の保存期限 ${date}`,
    requests: 'ご請求の記録',
    receipts: '第三者から個人データの提供を受けた記録',
    receiptLine: (date: string, provider: string, fields: string, how: string) => `${date}：${provider}から${fields}の提供を受けました（提供者による取得の経緯：${how}）`,
    audit: '利用の記録',
    auditIntro: 'ご本人の個人データの利用及び変更のすべて（時系列）：',
    auditLine: (e: AuditEntry, field: string | undefined, purpose: string | undefined) =>
      `${e.at.slice(0, 19).replace('T', ' ')}（協定世界時）：${field ? `${field}の` : ''}${wordFor(AUDIT_ACTION_WORDS, e.action, 'ja')}${purpose ? `（利用目的「${purpose}」）` : ''}、実施者 ${e.actor}（${wordFor(DECISION_WORDS, e.decision, 'ja')}${e.reason ? `：${e.reason}` : ''}）`,
    closing: (version: string) => `プライバシーポリシー 第${version}版`,
  },
} as const;

function t(text: Localized, lang: Lang): string {
  return text[lang] ?? text.en ?? text.ja ?? '';
}

function day(iso: string, lang: Lang): string {
  return formatNoticeDate(iso.slice(0, 10), lang);
}

/** A value as one line of text: strings as they are, anything else as compact JSON. */
function valueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const FOREIGN_BASIS = {
  consent: {
    en: 'your consent to provision to a third party in a foreign country (APPI Art. 28(1))',
    ja: '外国にある第三者への提供を認める旨の本人の同意（個人情報保護法第28条第1項）',
  },
  'equivalent-measures': { en: 'the recipient’s system meeting the standards (APPI Art. 28(1))', ja: '提供先の基準適合体制（個人情報保護法第28条第1項）' },
  'adequate-country': { en: 'a country designated by the Commission (APPI Art. 28(1))', ja: '個人情報保護委員会が定める国（個人情報保護法第28条第1項）' },
} as const;

function basisText(r: ProvisionRecord, lang: Lang): string {
  const main = mainBasisText(r, lang);
  if (r.foreign === undefined) return main;
  return lang === 'ja' ? `${main}、${FOREIGN_BASIS[r.foreign.basis].ja}` : `${main}; ${FOREIGN_BASIS[r.foreign.basis].en}`;
}

function mainBasisText(r: ProvisionRecord, lang: Lang): string {
  const l = L[lang];
  if (r.basis === 'entrustment') return l.entrustment;
  if (r.basis === 'consent') return l.consentBasis;
  if (r.basis === 'opt-out') return l.optOutBasis;
  if (r.basis === 'joint-use') return l.jointUseBasis;
  const ex = r.basis.slice('exception:'.length) as keyof typeof LEGAL_EXCEPTIONS;
  const title = LEGAL_EXCEPTIONS[ex]?.title[lang] ?? ex;
  return `${title}${r.reference ? ` (${r.reference})` : ''}`;
}

function provisionItems(d: Disclosure, lang: Lang, fieldTitle: (f: string) => string, purposeTitle: (p: string) => string): NoticeBlock {
  const l = L[lang];
  return list(
    d.provisions.map((r) =>
      item(
        l.provisionLine(
          t(r.recipient.name, lang),
          l.role[r.recipient.role] ?? r.recipient.role,
          day(r.providedAt, lang),
          r.fields.map(fieldTitle).join(lang === 'ja' ? '、' : ', '),
          purposeTitle(r.purpose),
          basisText(r, lang),
        ),
        [list([item(l.kept(day(r.keepUntil, lang)))])],
      ),
    ),
  );
}

/**
 * Build the report as a notice document (for callers that render it themselves).
 *
 * @param disclosure - from `desk.disclose()`
 * @param lang - `en` or `ja`
 * @throws InvalidArgumentError for another language
 * @example
 * ```ts
 * const doc = buildDisclosureDocument(disclosure, 'ja');
 * doc.sections.map((s) => s.id); // ['values', 'consents', ...]
 * ```
 */
export function buildDisclosureDocument(disclosure: Disclosure, lang: Lang): NoticeDocument {
  if (lang !== 'en' && lang !== 'ja') throw new InvalidArgumentError('lang', "must be 'en' or 'ja'");
  const l = L[lang];
  const d = disclosure;
  const titles = new Map<string, string>();
  for (const [id, title] of Object.entries(d.titles?.fields ?? {})) titles.set(id, t(title, lang));
  for (const v of d.values) titles.set(v.field, t(v.title, lang));
  for (const f of d.formerFields) titles.set(f.field, t(f.title, lang));
  const fieldTitle = (f: string): string => titles.get(f) ?? f;
  const purposeTitles = new Map<string, string>();
  for (const [id, title] of Object.entries(d.titles?.purposes ?? {})) purposeTitles.set(id, t(title, lang));
  for (const v of d.values) for (const pu of v.purposes) purposeTitles.set(pu.id, t(pu.title, lang));
  const purposeTitle = (id: string): string => purposeTitles.get(id) ?? id;
  const generated = day(d.generatedAt, lang);
  const sections: NoticeSection[] = [];
  const intro: NoticeBlock[] = [p(d.scope === 'full' ? l.intro(d.request.id, generated) : l.provisionIntro(d.request.id, generated))];
  if (d.erased !== null) intro.push(p(l.erased(day(d.erased.erasedAt, lang))));

  if (d.scope === 'full') {
    const valueItems: NoticeListItem[] = d.values.map((v) => {
      const details: NoticeListItem[] = [
        item(
          lang === 'ja'
            ? `${l.purposes}：${v.purposes.map((pu) => `「${t(pu.title, lang)}」（${t(LEGAL_BASES[pu.basis].title, lang)}、${l.until} ${day(pu.until, lang)}）`).join('、')}`
            : `${l.purposes}: ${v.purposes.map((pu) => `${t(pu.title, lang)} — ${t(LEGAL_BASES[pu.basis].title, lang)} (${l.until} ${day(pu.until, lang)})`).join('; ')}`,
        ),
        ...(v.dpv !== undefined ? [item(`DPV: ${[...v.dpv, ...v.purposes.flatMap((pu) => pu.dpv ?? [])].filter((c, i, all) => all.indexOf(c) === i).join(', ')}`)] : []),
        item(
          l.provenance(
            t(v.collectionPointTitle ?? { en: v.provenance.collectionPoint, ja: v.provenance.collectionPoint }, lang),
            day(v.provenance.collectedAt, lang),
            v.provenance.noticeVersion,
            wordFor(SOURCE_WORDS, v.provenance.source, lang),
          ),
        ),
        item(l.verified(day(v.provenance.verifiedAt, lang))),
        item(l.retained(day(v.retainedUntil, lang))),
      ];
      if (v.history.length > 0) {
        details.push(item(l.history, [list(v.history.map((h) => item(`${day(h.changedAt, lang)}: ${l.change[h.change] ?? h.change} (${h.actor})`)))]));
      }
      return item(`${t(v.title, lang)}: ${valueText(v.value)}`, [list(details)]);
    });
    sections.push({ id: 'values', heading: l.values, blocks: valueItems.length > 0 ? [list(valueItems)] : [p(l.noValues)] });
    if (d.formerFields.length > 0) {
      sections.push({
        id: 'former-fields',
        heading: l.formerFields,
        blocks: [
          list(d.formerFields.map((f) => item(t(f.title, lang), [list(f.history.map((h) => item(`${day(h.changedAt, lang)}: ${l.change[h.change] ?? h.change} (${h.actor})`)))]))),
        ],
      });
    }
    sections.push({
      id: 'consents',
      heading: l.consents,
      blocks: d.consents.length > 0 ? [list(d.consents.map((c) => item(l.consentLine(purposeTitle(c.purpose), c.state, day(c.at, lang), c.noticeVersion))))] : [p(l.noConsents)],
    });
    sections.push({
      id: 'suspensions',
      heading: l.suspensions,
      blocks:
        d.suspensions.length > 0
          ? [
              list(
                d.suspensions.map((s) =>
                  item(
                    l.suspensionLine(
                      s.purposes === 'all' ? l.allPurposes : s.purposes.map(purposeTitle).join(lang === 'ja' ? '、' : ', '),
                      day(s.at, lang),
                      s.liftedAt === undefined ? undefined : day(s.liftedAt, lang),
                    ),
                  ),
                ),
              ),
            ]
          : [p(l.noSuspensions)],
    });
  }
  if ((d.receipts ?? []).length > 0) {
    sections.push({
      id: 'receipts',
      heading: l.receipts,
      blocks: [
        list(
          (d.receipts ?? []).map((r) => {
            const rows = [item(`${lang === 'ja' ? '住所：' : 'Address: '}${t(r.provider.address, lang)}`)];
            if (r.provider.representative !== undefined) rows.push(item(`${lang === 'ja' ? '代表者：' : 'Representative: '}${t(r.provider.representative, lang)}`));
            return item(l.receiptLine(day(r.receivedAt, lang), t(r.provider.name, lang), r.fields.map(fieldTitle).join(lang === 'ja' ? '、' : ', '), t(r.acquisition, lang)), [
              list(rows),
            ]);
          }),
        ),
      ],
    });
  }
  sections.push({ id: 'provisions', heading: l.provisions, blocks: d.provisions.length > 0 ? [provisionItems(d, lang, fieldTitle, purposeTitle)] : [p(l.noProvisions)] });
  if (d.scope === 'full' && d.requests.length > 0) {
    sections.push({
      id: 'requests',
      heading: l.requests,
      blocks: [
        list(
          d.requests.map((r) =>
            item(
              lang === 'ja'
                ? `${day(r.receivedAt, lang)}：${wordFor(REQUEST_KIND_WORDS, r.kind, lang)}の請求（受付番号 ${r.id}）：${wordFor(REQUEST_STATE_WORDS, r.state, lang)}`
                : `${day(r.receivedAt, lang)}: request for ${wordFor(REQUEST_KIND_WORDS, r.kind, lang)} (${r.id}): ${wordFor(REQUEST_STATE_WORDS, r.state, lang)}`,
            ),
          ),
        ),
      ],
    });
  }
  const auditField = (f: string | undefined): string | undefined => (f === undefined ? undefined : fieldTitle(f));
  const auditPurpose = (q: string | undefined): string | undefined => (q === undefined ? undefined : purposeTitle(q));
  if (d.audit.length > 0)
    sections.push({ id: 'audit', heading: l.audit, blocks: [p(l.auditIntro), list(d.audit.map((e) => item(l.auditLine(e, auditField(e.field), auditPurpose(e.purpose)))))] });

  return {
    kind: 'disclosure',
    lang,
    title: d.scope === 'full' ? l.title : l.provisionTitle,
    subtitle: l.subtitle(t(d.controller.name, lang)),
    intro,
    sections,
    closing: [p(l.closing(d.policy.version))],
    meta: { policyId: d.policy.id, version: d.policy.version, effective: d.generatedAt.slice(0, 10) },
  };
}

/**
 * Write the disclosure as a report for the person: plain text, Markdown or HTML, in English
 * or Japanese. Every string (values included) is escaped for the format.
 *
 * @param disclosure - from `desk.disclose()`
 * @param options - `lang`, `format` (default `text`), `page` (HTML)
 * @throws InvalidArgumentError for an unknown language or format
 * @example
 * ```ts
 * const text = renderDisclosure(disclosure, { lang: 'ja' });
 * const html = renderDisclosure(disclosure, { lang: 'en', format: 'html', page: true });
 * ```
 */
export function renderDisclosure(disclosure: Disclosure, options: RenderDisclosureOptions): string {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with lang');
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'html') throw new InvalidArgumentError('options.format', "must be 'text', 'markdown' or 'html'");
  if (options.page !== undefined && format !== 'html') throw new InvalidArgumentError('options.page', 'applies to format "html" only');
  const doc = buildDisclosureDocument(disclosure, options.lang);
  if (format === 'text') return renderText(doc);
  if (format === 'markdown') return renderMarkdown(doc);
  return renderHtml(doc, { page: options.page === true });
}
