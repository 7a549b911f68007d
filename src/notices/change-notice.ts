/**
 * The change notice (seed policy §5 and §18) from two versions of one policy, as a
 * {@link NoticeDocument}: what changes, from which date, and which changes need the person's
 * consent as opposed to notice alone.
 *
 * @module
 */
import type { Lang } from '../i18n.js';
import { LEGAL_BASES, LEGAL_EXCEPTIONS } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { parseDuration } from '../util/duration.js';
import { policyPointer } from './collection-notice.js';
import { assertLanguage, createContext, type NoticeContext } from './context.js';
import { diffPolicies, type PolicyChange } from './diff.js';
import { closing, contactList, vendorItem } from './full-policy.js';
import { capitalize, formatNoticeDate, formatNoticeDuration, joinWords } from './localize.js';
import { item, list, type NoticeDocument, type NoticeInline, type NoticeListItem, type NoticeSection, p, text } from './model.js';
import { NOTICE_SECTIONS } from './sections.js';

/**
 * Build the change notice between two versions of one policy as a document model.
 *
 * @param previous - the version in force
 * @param next - the new version
 * @param lang - a language both versions declare
 * @throws PolicyMismatchError when they are not two versions of one policy
 * @throws TranslationMissingError when either version does not declare `lang`
 * @example
 * ```ts
 * const doc = buildChangeDocument(policyV1, policyV2, 'ja');
 * doc.title; // 'Ji4pe プライバシーポリシー（個人情報保護方針）改定のお知らせ'
 * ```
 */
export function buildChangeDocument(previous: AnyPolicy, next: AnyPolicy, lang: Lang): NoticeDocument {
  const diff = diffPolicies(previous, next);
  assertLanguage(previous, lang);
  assertLanguage(next, lang);
  const c = createContext(next, lang);
  const old = createContext(previous, lang);
  const title = next.spec.title ? c.t(next.spec.title) : c.l('Privacy Policy', 'プライバシーポリシー');
  const consent = diff.changes.filter((x) => x.requires === 'consent');
  const notice = diff.changes.filter((x) => x.requires === 'notice');
  const sections: NoticeSection[] = [];
  if (consent.length > 0) {
    sections.push({
      id: 'consent-changes',
      heading: c.l('Changes that need your consent', '本人の同意が必要な変更'),
      blocks: [
        p(
          c.l(
            `${c.Org} will not handle personal information already collected in the following new ways without your prior consent, and will ask for it separately.`,
            `次の変更について、${c.org}は、既に取得した個人情報をあらかじめ本人の同意を得ることなく取り扱うことはありません。同意のお願いは、別途ご案内します。`,
          ),
        ),
        list(changeItems(c, old, consent)),
      ],
    });
  }
  if (notice.length > 0 || consent.length === 0) {
    sections.push({
      id: 'notice-changes',
      heading: consent.length > 0 ? c.l('Other changes', 'その他の変更') : c.l('Changes', '変更内容'),
      blocks:
        notice.length > 0
          ? [list(changeItems(c, old, notice))]
          : [p(c.l('The content of the policy does not change; only its version and effective date do.', 'ポリシーの内容に変更はありません（版及び施行日のみの変更です）。'))],
    });
  }
  sections.push({
    id: 'contact',
    heading: c.l('Full policy and contact point', '改定後の全文及びお問い合わせ窓口'),
    blocks: [policyPointer(c), p(c.l('For questions about these changes, please contact:', '本改定に関するお問い合わせは、次の窓口までお願いいたします。')), contactList(c)],
  });
  const date = formatNoticeDate(diff.to.effective, lang);
  const oldDate = formatNoticeDate(diff.from.effective, lang);
  return {
    kind: 'change',
    lang,
    title: c.l(`Notice of changes to the ${title}`, `${title}改定のお知らせ`),
    subtitle: c.orgName,
    intro: [
      p(
        c.l(
          `${c.orgName} will revise the ${title}. The revised version (${diff.to.version}) takes effect on ${date}, replacing version ${diff.from.version} of ${oldDate}.`,
          `${c.orgName}は、「${title}」を改定いたします。改定後のポリシー（版：${diff.to.version}）は、${date}から施行します（改定前の版：${diff.from.version}、${oldDate}施行）。`,
        ),
      ),
    ],
    sections,
    closing: closing(c),
    meta: { policyId: next.id, version: next.version, effective: next.effective },
  };
}

function quoted(c: NoticeContext, value: string): string {
  return c.l(`“${value}”`, `「${value}」`);
}

function duration(iso: string, lang: Lang): string {
  const d = parseDuration(iso);
  return d ? formatNoticeDuration(d, lang) : iso;
}

function titlesOf(ctx: NoticeContext, ids: readonly string[], kind: 'field' | 'purpose' | 'point'): string {
  if (kind === 'field') return ctx.fieldList(ids);
  const titles = ids.map((id) => quoted(ctx, kind === 'purpose' ? ctx.purposeTitle(id) : ctx.t(ctx.policy.collectionPoint(id).title)));
  return joinWords(titles, ctx.lang, 'and');
}

function sentence(c: NoticeContext, en: string, ja: string): NoticeListItem {
  return item(c.l(capitalize(en), ja));
}

/** One change in words. `c` reads the new version, `old` the previous one. */
function changeItem(c: NoticeContext, old: NoticeContext, x: PolicyChange): NoticeListItem | undefined {
  const col = c.l(': ', '：');
  switch (x.kind) {
    case 'purpose-added': {
      const desc = c.t(c.policy.purpose(x.purpose).description);
      if (x.scope === 'outside') {
        return item(
          c.l(`New use beyond the purposes of use${col}${c.purposeTitle(x.purpose)}${col}${desc}`, `利用目的の範囲外の取扱いの追加${col}${c.purposeTitle(x.purpose)}${col}${desc}`),
        );
      }
      const uses =
        x.fields.length > 0 ? c.l(` It would use your ${titlesOf(old, x.fields, 'field')} already collected.`, `取得済みの${titlesOf(old, x.fields, 'field')}を利用します。`) : '';
      return item(c.l(`New purpose of use${col}${desc}${uses}`, `利用目的の追加${col}${desc}${uses}`));
    }
    case 'purpose-removed':
      return item(c.l(`Purpose of use removed${col}${quoted(old, old.purposeTitle(x.purpose))}`, `利用目的の削除${col}${quoted(old, old.purposeTitle(x.purpose))}`));
    case 'purpose-description-changed':
      return item(
        c.l(
          `Purpose of use ${quoted(c, old.purposeTitle(x.purpose))} changed${col}${c.t(c.policy.purpose(x.purpose).description)}`,
          `利用目的の変更（${quoted(c, old.purposeTitle(x.purpose))}）${col}${c.t(c.policy.purpose(x.purpose).description)}`,
        ),
      );
    case 'purpose-fields-added':
      return sentence(
        c,
        `your ${titlesOf(old, x.fields, 'field')} already collected would also be used for ${quoted(c, c.purposeTitle(x.purpose))}.`,
        `取得済みの${titlesOf(old, x.fields, 'field')}を、${quoted(c, c.purposeTitle(x.purpose))}にも利用します。`,
      );
    case 'purpose-basis-changed':
      if (x.to === 'consent') {
        return sentence(
          c,
          `${quoted(c, c.purposeTitle(x.purpose))} will rest on your consent: ${c.org} will use your personal information for it only if you agree.`,
          `${quoted(c, c.purposeTitle(x.purpose))}は、本人の同意に基づく利用目的となります。同意をいただいた場合に限り利用します。`,
        );
      }
      return sentence(
        c,
        `the legal basis of ${quoted(c, c.purposeTitle(x.purpose))} changes from “${LEGAL_BASES[x.from].title.en}” to “${LEGAL_BASES[x.to].title.en}”.`,
        `${quoted(c, c.purposeTitle(x.purpose))}の根拠を「${LEGAL_BASES[x.from].title.ja}」から「${LEGAL_BASES[x.to].title.ja}」に変更します。`,
      );
    case 'retention-changed':
      return sentence(
        c,
        `the retention period for ${quoted(c, c.purposeTitle(x.purpose))} changes from ${duration(x.from, 'en')} to ${duration(x.to, 'en')}.`,
        `${quoted(c, c.purposeTitle(x.purpose))}の保存期間を${duration(x.from, 'ja')}から${duration(x.to, 'ja')}に変更します。`,
      );
    case 'field-added': {
      const where = x.collectionPoints.length > 0 ? c.l(` (at ${titlesOf(c, x.collectionPoints, 'point')})`, `（${titlesOf(c, x.collectionPoints, 'point')}）`) : '';
      return item(
        c.l(`New personal information collected${col}${c.t(c.policy.field(x.field).title)}${where}`, `新たに取得する個人情報${col}${c.t(c.policy.field(x.field).title)}${where}`),
      );
    }
    case 'field-removed':
      return item(c.l(`No longer collected${col}${old.t(old.policy.field(x.field).title)}`, `取得を終了する個人情報${col}${old.t(old.policy.field(x.field).title)}`));
    case 'collection-point-added': {
      const cp = c.policy.collectionPoint(x.collectionPoint);
      return item(
        c.l(
          `New point of collection${col}${quoted(c, c.t(cp.title))} (${c.fieldList(cp.fields)})`,
          `取得の場面の追加${col}${quoted(c, c.t(cp.title))}（${c.fieldList(cp.fields)}）`,
        ),
      );
    }
    case 'collection-point-removed':
      return item(c.l(`Point of collection discontinued${col}`, `取得の場面の廃止${col}`) + quoted(old, old.t(old.policy.collectionPoint(x.collectionPoint).title)));
    case 'collection-point-changed': {
      const parts: string[] = [];
      // Fields new to the policy are announced by their own `field-added` item.
      const fieldsAdded = x.fieldsAdded.filter((f) => old.policy.hasField(f));
      if (fieldsAdded.length > 0) parts.push(c.l(`also collects ${titlesOf(c, fieldsAdded, 'field')}`, `${titlesOf(c, fieldsAdded, 'field')}を新たに取得します`));
      if (x.fieldsRemoved.length > 0)
        parts.push(c.l(`no longer collects ${titlesOf(old, x.fieldsRemoved, 'field')}`, `${titlesOf(old, x.fieldsRemoved, 'field')}の取得を終了します`));
      if (x.purposesAdded.length > 0)
        parts.push(c.l(`also announces ${titlesOf(c, x.purposesAdded, 'purpose')}`, `利用目的に${titlesOf(c, x.purposesAdded, 'purpose')}を加えます`));
      if (x.purposesRemoved.length > 0)
        parts.push(c.l(`no longer announces ${titlesOf(old, x.purposesRemoved, 'purpose')}`, `利用目的から${titlesOf(old, x.purposesRemoved, 'purpose')}を除きます`));
      const title = quoted(c, c.t(c.policy.collectionPoint(x.collectionPoint).title));
      if (parts.length === 0) return undefined;
      return item(c.l(`At ${title}, ${c.org} ${parts.join('; ')}.`, `${title}において、${parts.join('。また、')}。`));
    }
    case 'vendor-added': {
      const v = c.policy.vendor(x.vendor);
      const label = x.abroad
        ? v.role === 'third-party'
          ? c.l('New third party in a foreign country receiving personal data', '外国にある第三者への提供の追加')
          : c.l('New vendor in a foreign country entrusted with personal data', '外国にある委託先への提供の追加')
        : v.role === 'third-party'
          ? c.l('New third party receiving personal data', '第三者提供先の追加')
          : v.role === 'joint-user'
            ? c.l('New joint use of personal data', '共同利用の追加')
            : c.l('New vendor entrusted with personal data', '委託先の追加');
      return withPrefix(c.l(`${label} — `, `【${label}】`), vendorItem(c, v));
    }
    case 'vendor-removed': {
      const v = old.policy.vendor(x.vendor);
      const label = v.role === 'third-party' ? c.l('Third party removed', '第三者提供先の削除') : c.l('Vendor removed', '委託先の削除');
      return item(`${label}${col}${old.t(v.name)}`);
    }
    case 'vendor-changed': {
      const v = c.policy.vendor(x.vendor);
      const label = x.abroad
        ? v.role === 'third-party'
          ? c.l('Third party in a foreign country changed', '外国にある第三者の変更')
          : c.l('Vendor in a foreign country changed', '外国にある委託先の変更')
        : v.role === 'third-party'
          ? c.l('Third party changed', '第三者提供先の変更')
          : c.l('Vendor changed', '委託先の変更');
      return withPrefix(c.l(`${label} — `, `【${label}】`), vendorItem(c, v));
    }
    case 'exception-added':
      return item(
        c.l(`New case in which personal information may be used or provided without consent${col}`, `本人の同意なく利用又は提供できる場合の追加${col}`) +
          LEGAL_EXCEPTIONS[x.exception].title[c.lang],
      );
    case 'exception-removed':
      return item(
        c.l(`Case removed in which personal information could be used or provided without consent${col}`, `本人の同意なく利用又は提供できる場合の削除${col}`) +
          LEGAL_EXCEPTIONS[x.exception].title[c.lang],
      );
    case 'controller-changed':
      return item(c.l('The business operator’s details or the contact point change (see below).', '事業者の情報又はお問い合わせ窓口を変更します（下記参照）。'));
    case 'retained-data-changed':
      return item(
        c.l(
          'The published matters on retained personal data (the procedure for requests, fees, or the security control measures) change; see the full policy.',
          '保有個人データに関する事項（開示等の請求等の手続、手数料又は安全管理措置）を変更します（改定後の全文参照）。',
        ),
      );
    case 'provision-record-retention-changed':
      return sentence(
        c,
        `records of provision to third parties will be kept for ${duration(x.to, 'en')} (previously ${duration(x.from, 'en')}).`,
        `第三者提供に係る記録の保存期間を${duration(x.from, 'ja')}から${duration(x.to, 'ja')}に変更します。`,
      );
    case 'prose-changed': {
      const heading = x.section === 'preamble' ? c.l('Introduction', '前文') : (NOTICE_SECTIONS.find((s) => s.id === x.section)?.heading[c.lang] ?? x.section);
      return sentence(c, `the section ${quoted(c, heading)} is revised.`, `${quoted(c, heading)}の記載を改定します。`);
    }
  }
}

function changeItems(c: NoticeContext, old: NoticeContext, changes: readonly PolicyChange[]): NoticeListItem[] {
  const out: NoticeListItem[] = [];
  for (const x of changes) {
    const i = changeItem(c, old, x);
    if (i !== undefined) out.push(i);
  }
  return out;
}

function withPrefix(prefix: string, i: NoticeListItem): NoticeListItem {
  const content: NoticeInline[] = [text(prefix), ...i.content];
  return i.children ? { content, children: i.children } : { content };
}
