/**
 * What the operator submits and sends about an incident, as notice documents in English or
 * Japanese (render them with `renderDocument`):
 * - the report to the Commission (APPI Art. 26(1)): preliminary (速報, PPC Rules Art. 8(1)) with
 *   what is known so far, final (確報, Art. 8(2)) with every item of Art. 8(1);
 * - the notice to each person (Art. 26(2), Rules Art. 10): items (i), (ii), (iv), (v), (ix);
 * - for GDPR, the notification to the supervisory authority (Art. 33(3)).
 *
 * The SDK does not file anything: the Commission's report is submitted through its own form.
 *
 * @module
 */
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { createContext } from '../notices/context.js';
import { contactList } from '../notices/full-policy.js';
import { formatNoticeDate } from '../notices/localize.js';
import { item, list, type NoticeBlock, type NoticeDocument, type NoticeSection, p } from '../notices/model.js';
import { BreachInvalidError } from './errors.js';
import type { BreachIncident, ReportableGround } from './incident.js';

const KIND = {
  leakage: { en: 'leakage', ja: '漏えい' },
  loss: { en: 'loss', ja: '滅失' },
  damage: { en: 'damage', ja: '毀損' },
} as const;

const GROUNDS: Readonly<Record<ReportableGround, { en: string; ja: string }>> = {
  'special-care': {
    en: 'It concerns personal data that includes special care-required personal information (PPC Rules Art. 7(i)).',
    ja: '要配慮個人情報が含まれる個人データの漏えい等（個人情報保護委員会規則第7条第1号）',
  },
  'financial-damage': {
    en: 'Misuse of the personal data may cause financial damage (Art. 7(ii)).',
    ja: '不正に利用されることにより財産的被害が生じるおそれがある個人データの漏えい等（同条第2号）',
  },
  'wrongful-purpose': {
    en: 'It may have been caused by someone acting for a wrongful purpose (Art. 7(iii)).',
    ja: '不正の目的をもって行われたおそれがある個人データの漏えい等（同条第3号）',
  },
  'over-1000': { en: 'More than 1,000 persons are concerned (Art. 7(iv)).', ja: '個人データに係る本人の数が千人を超える漏えい等（同条第4号）' },
};

/** `2026-04-10T02:00:00Z` as a Japan-time date and time: 2026年4月10日 11時00分 / 10 April 2026, 11:00 JST. */
function jstTime(iso: string, lang: Lang): string {
  const d = new Date(Date.parse(iso) + 9 * 3_600_000);
  const date = formatNoticeDate(d.toISOString().slice(0, 10), lang);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return lang === 'ja' ? `${date} ${hh}時${mm}分（日本時間）` : `${date}, ${hh}:${mm} JST`;
}

function text(value: Localized | undefined, lang: Lang): string | undefined {
  const t = value?.[lang];
  return t !== undefined && t.trim() !== '' ? t : undefined;
}

interface Ctx {
  readonly lang: Lang;
  l(en: string, ja: string): string;
  fieldList(ids: readonly string[]): string;
}

function ctx(policy: AnyPolicy, lang: Lang): Ctx & { notice: ReturnType<typeof createContext> } {
  const notice = createContext(policy, lang);
  return { lang, l: notice.l, fieldList: (ids) => notice.fieldList(ids.filter((f) => policy.hasField(f))), notice };
}

function kindText(c: Ctx, incident: BreachIncident): string {
  const k = KIND[incident.kind][c.lang];
  return incident.suspected ? c.l(`suspected ${k}`, `${k}のおそれ`) : k;
}

function summaryBlocks(c: Ctx, incident: BreachIncident): NoticeBlock[] {
  const rows = [
    item(c.l(`What happened: ${kindText(c, incident)} of personal data`, `事態：個人データの${kindText(c, incident)}`)),
    item(c.l(`When it was found: ${jstTime(incident.discoveredAt, 'en')}`, `発覚日時：${jstTime(incident.discoveredAt, 'ja')}`)),
  ];
  if (incident.occurredAt !== undefined) rows.push(item(c.l(`When it occurred: ${jstTime(incident.occurredAt, 'en')}`, `発生日時：${jstTime(incident.occurredAt, 'ja')}`)));
  return [list(rows), p(text(incident.items.summary, c.lang) ?? '')];
}

const PENDING = { en: 'Under investigation; to be given in the final report.', ja: '調査中（確報において報告します。）' };

/**
 * Build the report to the Commission (APPI Art. 26(1), PPC Rules Art. 8).
 *
 * @param policy - the policy (the operator's name, address, representative, contact)
 * @param incident - the recorded incident
 * @param stage - `preliminary` (what is known so far) or `final` (every item)
 * @param lang - `en` or `ja`
 * @throws BreachInvalidError when the final report lacks an item of Rules Art. 8(1)(i)-(viii)
 * @example
 * ```ts
 * const doc = buildPpcReportDocument(policy, incident, 'preliminary', 'ja');
 * renderDocument(doc, { format: 'text' });
 * ```
 */
export function buildPpcReportDocument(policy: AnyPolicy, incident: BreachIncident, stage: 'preliminary' | 'final', lang: Lang): NoticeDocument {
  const c = ctx(policy, lang);
  const it = incident.items;
  const responseToPersons =
    text(it.responseToPersons, lang) ??
    (incident.notified.length > 0
      ? c.l(`${incident.notified.length} of ${incident.personCount} persons notified so far.`, `本人${incident.personCount}人のうち${incident.notified.length}人に通知済み。`)
      : undefined);
  const required: [string, string | undefined][] = [
    ['summary', text(it.summary, lang)],
    ['cause', text(it.cause, lang)],
    ['secondaryDamage', text(it.secondaryDamage, lang)],
    ['responseToPersons', responseToPersons],
    ['publicAnnouncement', text(it.publicAnnouncement, lang)],
    ['preventionMeasures', text(it.preventionMeasures, lang)],
  ];
  if (stage === 'final') {
    const missing = required.filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) throw new BreachInvalidError(`report.${missing[0]}`, `is required in the final report (PPC Rules Art. 8(1)); missing: ${missing.join(', ')}`);
  }
  const value = (v: string | undefined): NoticeBlock[] => [p(v ?? c.l(PENDING.en, PENDING.ja))];
  const ctl = policy.spec.controller;
  const operator = [item(c.l(`Name: ${c.notice.orgName}`, `名称：${c.notice.orgName}`))];
  const addr = c.notice.opt(ctl.address);
  if (addr) operator.push(item(c.l(`Address: ${addr}`, `住所：${addr}`)));
  const rep = c.notice.opt(ctl.representative);
  if (rep) operator.push(item(c.l(`Representative: ${rep}`, `代表者：${rep}`)));
  const n = (i: number, en: string, ja: string): string => c.l(`(${i}) ${en}`, `（${i}）${ja}`);
  const sections: NoticeSection[] = [
    { id: 'operator', heading: c.l('Reporting business operator', '報告者'), blocks: [list(operator), contactList(c.notice)] },
    {
      id: 'grounds',
      heading: c.l('Why it is reported', '報告対象となる事態'),
      blocks: [list(incident.reportable.grounds.map((g) => item(GROUNDS[g][lang])))],
    },
    { id: 'summary', heading: n(1, 'Summary', '概要'), blocks: summaryBlocks(c, incident) },
    { id: 'items', heading: n(2, 'Items of personal data concerned', '漏えい等が発生し、又は発生したおそれがある個人データの項目'), blocks: [p(c.fieldList(incident.fields))] },
    {
      id: 'persons',
      heading: n(3, 'Number of persons concerned', '漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数'),
      blocks: [p(c.l(`${incident.personCount.toLocaleString('en-US')}`, `${incident.personCount.toLocaleString('en-US')}人`))],
    },
    { id: 'cause', heading: n(4, 'Cause', '原因'), blocks: value(text(it.cause, lang)) },
    { id: 'secondary-damage', heading: n(5, 'Secondary damage or its risk', '二次被害又はそのおそれの有無及びその内容'), blocks: value(text(it.secondaryDamage, lang)) },
    { id: 'response', heading: n(6, 'Response to the persons', '本人への対応の実施状況'), blocks: value(responseToPersons) },
    { id: 'announcement', heading: n(7, 'Public announcement', '公表の実施状況'), blocks: value(text(it.publicAnnouncement, lang)) },
    { id: 'prevention', heading: n(8, 'Measures to prevent recurrence', '再発防止のための措置'), blocks: value(text(it.preventionMeasures, lang)) },
  ];
  const other = text(it.other, lang);
  if (other !== undefined) sections.push({ id: 'other', heading: n(9, 'Other information', 'その他参考となる事項'), blocks: [p(other)] });
  const deadline = incident.deadlines.ppcFinal;
  return {
    kind: 'breach',
    lang,
    title:
      stage === 'preliminary'
        ? c.l('Report of a leakage etc. of personal data (preliminary report)', '個人データの漏えい等事案の報告（速報）')
        : c.l('Report of a leakage etc. of personal data (final report)', '個人データの漏えい等事案の報告（確報）'),
    subtitle: c.notice.orgName,
    intro: [
      p(
        c.l(
          `Under Article 26(1) of the Act on the Protection of Personal Information and Article 8(${stage === 'preliminary' ? 1 : 2}) of the Commission’s Rules, the business operator reports the following to the Personal Information Protection Commission. This document lists the items to report; submit them through the Commission’s reporting form.`,
          `個人情報の保護に関する法律第26条第1項及び個人情報保護委員会規則第8条第${stage === 'preliminary' ? 1 : 2}項の規定に基づき、個人情報保護委員会に対し、次のとおり報告します。本書は報告事項を整理したものです。報告は、個人情報保護委員会の定める報告フォームにより行ってください。`,
        ),
      ),
      ...(deadline !== undefined ? [p(c.l(`The final report is due by ${jstTime(deadline, 'en')}.`, `確報の期限：${jstTime(deadline, 'ja')}`))] : []),
    ],
    sections,
    closing: [p(c.l(`Incident ${incident.id}`, `事案番号：${incident.id}`))],
    meta: { policyId: policy.id, version: policy.version, effective: incident.discoveredAt.slice(0, 10) },
  };
}

/**
 * Build the notice to one affected person (APPI Art. 26(2), PPC Rules Art. 10): what happened,
 * which of their personal data is concerned, the cause, secondary damage, other information,
 * and where to ask.
 *
 * @param policy - the policy (operator and contact point)
 * @param incident - the recorded incident
 * @param subject - an affected subject of the incident
 * @param lang - `en` or `ja`
 * @throws BreachInvalidError when `subject` is not affected by the incident
 * @example
 * ```ts
 * const doc = buildBreachNoticeDocument(policy, incident, subject, 'ja');
 * ```
 */
export function buildBreachNoticeDocument(policy: AnyPolicy, incident: BreachIncident, subject: string, lang: Lang): NoticeDocument {
  const c = ctx(policy, lang);
  const affected = incident.affected.find((a) => a.subject === subject);
  if (affected === undefined) throw new BreachInvalidError('subject', 'is not among the persons affected by this incident');
  const it = incident.items;
  const sections: NoticeSection[] = [
    { id: 'summary', heading: c.l('What happened', '事態の概要'), blocks: summaryBlocks(c, incident) },
    { id: 'items', heading: c.l('Your personal data concerned', '対象となるご本人の個人データの項目'), blocks: [p(c.fieldList(affected.fields))] },
    { id: 'cause', heading: c.l('Cause', '原因'), blocks: [p(text(it.cause, lang) ?? c.l('Under investigation.', '調査中です。'))] },
    {
      id: 'secondary-damage',
      heading: c.l('Secondary damage or its risk', '二次被害又はそのおそれの有無及びその内容'),
      blocks: [p(text(it.secondaryDamage, lang) ?? c.l('Under investigation.', '調査中です。'))],
    },
  ];
  const other = text(it.other, lang);
  if (other !== undefined) sections.push({ id: 'other', heading: c.l('Other information', 'その他参考となる事項'), blocks: [p(other)] });
  sections.push({
    id: 'contact',
    heading: c.l('Contact point', 'お問い合わせ窓口'),
    blocks: [p(c.l('For questions about this incident, please contact:', '本件に関するお問い合わせは、次の窓口までお願いいたします。')), contactList(c.notice)],
  });
  return {
    kind: 'breach',
    lang,
    title: c.l('Notice of a leakage etc. of your personal data', '個人データの漏えい等に関するお知らせ'),
    subtitle: c.notice.orgName,
    intro: [
      p(
        c.l(
          `${c.notice.Org} informs you, under Article 26(2) of the Act on the Protection of Personal Information, that a ${kindText(c, incident)} has occurred concerning personal data of yours that it handles. We sincerely apologise for the concern this causes.`,
          `${c.notice.org}が取り扱うご本人の個人データについて、${kindText(c, incident)}が生じましたので、個人情報の保護に関する法律第26条第2項の規定に基づきお知らせします。ご心配をおかけしますことを深くお詫び申し上げます。`,
        ),
      ),
    ],
    sections,
    closing: [p(c.notice.orgName)],
    meta: { policyId: policy.id, version: policy.version, effective: incident.discoveredAt.slice(0, 10) },
  };
}

/**
 * Build the notification to a GDPR supervisory authority (Art. 33(3)): the nature of the
 * breach with the categories and approximate number of persons and records, the contact
 * point, the likely consequences, and the measures taken or proposed. English and Japanese.
 *
 * @param policy - the policy (operator and contact point)
 * @param incident - the recorded incident
 * @param lang - `en` or `ja`
 * @example
 * ```ts
 * renderDocument(buildGdprAuthorityDocument(policy, incident, 'en'));
 * ```
 */
export function buildGdprAuthorityDocument(policy: AnyPolicy, incident: BreachIncident, lang: Lang): NoticeDocument {
  const c = ctx(policy, lang);
  const it = incident.items;
  const pending = c.l('Not yet known; to be provided in phases (Art. 33(4)).', '未判明（第33条第4項により段階的に提供します。）');
  const records = incident.affected.reduce((n, a) => n + a.fields.length, 0);
  return {
    kind: 'breach',
    lang,
    title: c.l('Notification of a personal data breach (GDPR Art. 33)', '個人データ侵害の通知（GDPR第33条）'),
    subtitle: c.notice.orgName,
    intro: [
      p(
        c.l(
          `Became aware: ${jstTime(incident.discoveredAt, 'en')} (${incident.discoveredAt}).`,
          `認識した日時：${jstTime(incident.discoveredAt, 'ja')}（${incident.discoveredAt}）`,
        ),
      ),
    ],
    sections: [
      {
        id: 'nature',
        heading: c.l('(a) Nature of the breach', '（a）侵害の性質'),
        blocks: [
          ...summaryBlocks(c, incident),
          list([
            item(c.l(`Categories of personal data: ${c.fieldList(incident.fields)}`, `個人データの種類：${c.fieldList(incident.fields)}`)),
            item(c.l(`Approximate number of persons: ${incident.personCount}`, `おおよその本人の数：${incident.personCount}人`)),
            item(c.l(`Approximate number of records: ${records}`, `おおよその記録の数：${records}件`)),
          ]),
        ],
      },
      { id: 'contact', heading: c.l('(b) Contact point', '（b）連絡先'), blocks: [contactList(c.notice)] },
      { id: 'consequences', heading: c.l('(c) Likely consequences', '（c）想定される結果'), blocks: [p(text(it.secondaryDamage, lang) ?? pending)] },
      {
        id: 'measures',
        heading: c.l('(d) Measures taken or proposed', '（d）講じた又は講じる予定の措置'),
        blocks: [p([text(it.preventionMeasures, lang), text(it.responseToPersons, lang)].filter((x) => x !== undefined).join(c.l(' ', '')) || pending)],
      },
    ],
    closing: [p(c.l(`Incident ${incident.id}`, `事案番号：${incident.id}`))],
    meta: { policyId: policy.id, version: policy.version, effective: incident.discoveredAt.slice(0, 10) },
  };
}
