/**
 * The notice the operator sends the person when it answers a request (APPI):
 * - refusal with the reasons (理由の説明, Art. 36, with the notices of 32(3), 33(3), 34(3), 35(7));
 * - correction etc. done, with its content (Art. 34(3));
 * - suspension of use, erasure or stopping provision done, or alternative measures (Art. 35(7));
 * - notification of the purposes of use (Art. 32(2));
 * - disclosure by another method than the one asked for, with why (Art. 33(3)).
 * Built as a notice document and written by the notice renderers (escaped for each format).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { DisclosureMethod } from '../policy/retained-data-spec.js';
import { createContext } from '../notices/context.js';
import { contactList } from '../notices/full-policy.js';
import { formatNoticeDate } from '../notices/localize.js';
import { item, list, type NoticeBlock, type NoticeDocument, p } from '../notices/model.js';
import { disclosureMethodTitle } from '../notices/published-items.js';
import { renderDocument } from '../notices/render-notice.js';
import { REQUEST_KIND_WORDS, wordFor } from './report-labels.js';
import type { DataSubjectRequest, RejectionReason } from './request.js';

const REASONS: Readonly<Record<RejectionReason, { en: string; ja: string }>> = {
  'identity-not-verified': { en: 'Your identity could not be verified (Art. 37).', ja: '本人確認ができなかったため（法第37条）。' },
  'harm-to-person-or-others': {
    en: 'Answering could harm the life, body, property or other rights and interests of you or a third party (Art. 33(2)(i)).',
    ja: '本人又は第三者の生命、身体、財産その他の権利利益を害するおそれがあるため（法第33条第2項第1号）。',
  },
  'business-interference': {
    en: 'Answering would seriously interfere with the proper conduct of our business (Art. 33(2)(ii)).',
    ja: '当方の業務の適正な実施に著しい支障を及ぼすおそれがあるため（法第33条第2項第2号）。',
  },
  'violates-other-law': { en: 'Answering would violate another law (Art. 33(2)(iii)).', ja: '他の法令に違反することとなるため（法第33条第2項第3号）。' },
  'content-accurate': {
    en: 'Our investigation found that the content of the data is true (Art. 34(1)).',
    ja: '調査の結果、保有個人データの内容が事実であったため（法第34条第1項）。',
  },
  'requirements-not-met': { en: 'The request does not meet the requirements of the law (Art. 35).', ja: '法の定める要件に該当しないため（法第35条）。' },
  'no-data-held': { en: 'We hold no retained personal data about you.', ja: 'ご本人が識別される保有個人データを保有していないため。' },
  withdrawn: { en: 'You withdrew the request.', ja: 'ご請求が取り下げられたため。' },
  other: { en: 'For the reason below.', ja: '次の理由によります。' },
};

function t(value: Localized | undefined, lang: Lang): string | undefined {
  return value?.[lang] ?? undefined;
}

/**
 * Build the notice answering a request.
 *
 * @param policy - the policy (operator, purposes, fields, contact point)
 * @param request - a completed or rejected request
 * @param lang - `en` or `ja`
 * @throws InvalidArgumentError while the request is still open
 * @example
 * ```ts
 * const doc = buildRequestNoticeDocument(policy, await desk.get(id), 'ja');
 * ```
 */
export function buildRequestNoticeDocument(policy: AnyPolicy, request: DataSubjectRequest, lang: Lang): NoticeDocument {
  if (request.state !== 'completed' && request.state !== 'rejected')
    throw new InvalidArgumentError('request', 'must be completed or rejected: the notice answers a decided request');
  const c = createContext(policy, lang);
  const kind = wordFor(REQUEST_KIND_WORDS, request.kind, lang);
  const received = formatNoticeDate(request.receivedAt.slice(0, 10), lang);
  const blocks: NoticeBlock[] = [];
  let title: string;
  const o = request.outcome;
  if (request.state === 'rejected') {
    const r = request.rejection;
    title = c.l('Notice that we will not act on your request, with the reasons', 'ご請求に応じない旨の通知及び理由の説明');
    blocks.push(
      p(
        c.l(
          `We have decided not to act on your request for ${kind} received on ${received}, for the following reasons (Art. 36).`,
          `${received}に受け付けた${kind}のご請求について、次の理由により、その全部に応じないことといたしましたので、通知いたします（法第36条）。`,
        ),
      ),
    );
    if (r !== undefined) {
      blocks.push(list([item(REASONS[r.reason][lang])]));
      const exp = t(r.explanation, lang);
      if (exp !== undefined) blocks.push(p(exp));
    }
  } else if (request.kind === 'purposes-notification') {
    title = c.l('Notification of the purposes of use', '利用目的の通知');
    blocks.push(
      p(c.l('The purposes of use of your retained personal data are as follows (Art. 32(2)):', 'ご本人が識別される保有個人データの利用目的は、次のとおりです（法第32条第2項）。')),
    );
    blocks.push(
      list(
        (o?.purposesNotified ?? []).map((id) => item(c.t(policy.purpose(id).description))),
        true,
      ),
    );
  } else if (request.kind === 'correction' || request.kind === 'addition' || request.kind === 'deletion') {
    title = c.l('Notice of correction etc.', '訂正等の通知');
    const changes = o?.changed ?? [];
    const word = { correction: c.l('corrected', '訂正'), addition: c.l('added', '追加'), deletion: c.l('deleted', '削除') } as const;
    blocks.push(
      p(
        c.l(
          `We have made the following correction etc. of your retained personal data at your request received on ${received} (Art. 34(3)):`,
          `${received}に受け付けたご請求に基づき、ご本人が識別される保有個人データについて、次のとおり訂正等を行いましたので、その内容を通知いたします（法第34条第3項）。`,
        ),
      ),
    );
    blocks.push(list(changes.map((ch) => item(`${c.t(policy.field(ch.field).title)}${c.l(': ', '：')}${word[ch.change]}`))));
    if (changes.length === 0) blocks.push(p(c.l('No value needed to change.', '変更を要する項目はありませんでした。')));
  } else if (request.kind === 'suspension' || request.kind === 'erasure' || request.kind === 'stop-provision') {
    const measure =
      request.kind === 'suspension'
        ? c.l('suspension of use', '利用停止')
        : request.kind === 'erasure'
          ? c.l('erasure', '消去')
          : c.l('stopping provision to third parties', '第三者への提供の停止');
    if (o?.alternativeMeasures !== undefined) {
      title = c.l('Notice of alternative measures', '代わるべき措置の通知');
      blocks.push(
        p(
          c.l(
            `The requested ${measure} would cost a great deal or is otherwise difficult; instead we have taken the following measures to protect your rights and interests (Art. 35(2), (4), (6), (7)).`,
            `ご請求の${measure}には多額の費用を要する等の事情があるため、これに代わるべき次の措置をとりましたので、通知いたします（法第35条第2項、第4項、第6項及び第7項）。`,
          ),
        ),
        p(c.t(o.alternativeMeasures.description)),
        p(c.l(`Why: ${c.t(o.alternativeMeasures.reason)}`, `理由：${c.t(o.alternativeMeasures.reason)}`)),
      );
    } else {
      title = c.l(`Notice of ${measure}`, `${measure}の通知`);
      blocks.push(
        p(
          c.l(
            `We have carried out the ${measure} of your retained personal data requested on ${received} (Art. 35(7)).`,
            `${received}に受け付けたご請求に基づき、ご本人が識別される保有個人データの${measure}を行いましたので、通知いたします（法第35条第7項）。`,
          ),
        ),
      );
    }
  } else if ((request.kind === 'disclosure' || request.kind === 'provision-records') && o?.disclosureMethod?.reason !== undefined) {
    const m = o.disclosureMethod;
    title = c.l('Notice on the method of disclosure', '開示の方法に関する通知');
    const requested = m.requested === undefined ? '' : disclosureMethodTitle(m.requested as DisclosureMethod, lang);
    blocks.push(
      p(
        c.l(
          `We could not disclose by the method you asked for (${requested}); we disclosed ${disclosureMethodTitle(m.used as DisclosureMethod, 'en')} instead (Art. 33(3)).`,
          `ご請求の方法（${requested}）による開示が困難であるため、${disclosureMethodTitle(m.used as DisclosureMethod, 'ja')}により開示しました。その旨を通知いたします（法第33条第3項）。`,
        ),
      ),
      p(c.l(`Why: ${t(m.reason, 'en') ?? ''}`, `理由：${t(m.reason, 'ja') ?? ''}`)),
    );
  } else {
    title = c.l('Notice of our answer to your request', 'ご請求への対応の通知');
    blocks.push(p(c.l(`We have answered your request for ${kind} received on ${received}.`, `${received}に受け付けた${kind}のご請求に対応いたしました。`)));
  }
  return {
    kind: 'disclosure',
    lang,
    title,
    subtitle: c.orgName,
    intro: [p(c.l(`Request ${request.id}`, `受付番号：${request.id}`))],
    sections: [
      { id: 'answer', heading: c.l('Our answer', '回答'), blocks },
      { id: 'contact', heading: c.l('Contact point', 'お問い合わせ窓口'), blocks: [contactList(c)] },
    ],
    closing: [p(c.orgName)],
    meta: { policyId: policy.id, version: policy.version, effective: (request.transitions.at(-1)?.at ?? request.receivedAt).slice(0, 10) },
  };
}

/**
 * Write the notice answering a request as text, Markdown or HTML.
 *
 * @param policy - the policy
 * @param request - a completed or rejected request
 * @param options - `lang`, `format` (default `text`)
 * @example
 * ```ts
 * const letter = renderRequestNotice(policy, await desk.get(id), { lang: 'ja' });
 * ```
 */
export function renderRequestNotice(policy: AnyPolicy, request: DataSubjectRequest, options: { readonly lang: Lang; readonly format?: 'text' | 'markdown' | 'html' }): string {
  return renderDocument(buildRequestNoticeDocument(policy, request, options.lang), { format: options.format ?? 'text' });
}
