/**
 * The notice at collection (APPI Art. 21) for one collection point, as a {@link NoticeDocument}:
 * who collects, which fields, for which purposes, provision to third parties and vendors,
 * retention, how to make requests, and where the full policy is.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Lang } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { VendorSpec } from '../policy/spec.js';
import { safeId } from '../util/safe-id.js';
import { assertLanguage, createContext, type NoticeContext, vendorsOf, withDescendants } from './context.js';
import { closing, contactList, purposeItems, vendorItem } from './full-policy.js';
import { item, link, list, type NoticeBlock, type NoticeDocument, type NoticeSection, p, para, text } from './model.js';

/**
 * Build the notice at collection for one collection point as a document model.
 *
 * @param policy - a policy from `definePolicy`
 * @param collectionPoint - id of one of the policy's collection points
 * @param lang - a language the policy declares
 * @throws TranslationMissingError when the policy does not declare `lang`
 * @throws InvalidArgumentError when `collectionPoint` is not one of the policy's
 * @example
 * ```ts
 * const doc = buildCollectionDocument(ji4pePolicy, 'inquiry', 'ja');
 * doc.title; // '個人情報の取扱いについて'
 * ```
 */
export function buildCollectionDocument(policy: AnyPolicy, collectionPoint: string, lang: Lang): NoticeDocument {
  assertLanguage(policy, lang);
  if (typeof collectionPoint !== 'string' || !policy.collectionPointIds.includes(collectionPoint)) {
    throw new InvalidArgumentError(
      'options.collectionPoint',
      `must be one of the collection points of policy "${policy.id}" (${policy.collectionPointIds.join(', ')}); got ${collectionPoint === undefined ? 'none' : safeId(collectionPoint)}`,
    );
  }
  const c = createContext(policy, lang);
  const cp = policy.collectionPoint(collectionPoint);
  const cpTitle = c.t(cp.title);
  const entrusted = cp.source === 'entrusted';
  const reachable = withDescendants(policy, cp.purposes);

  const sections: NoticeSection[] = [
    { id: 'operator', heading: c.l('Business operator', '個人情報取扱事業者'), blocks: operatorBlocks(c) },
    { id: 'collected', heading: c.l('Personal information collected', '取得する個人情報'), blocks: collectedBlocks(c, collectionPoint) },
    { id: 'purposes', heading: c.l('Purposes of use', '利用目的'), blocks: purposeBlocks(c, cp.purposes, reachable) },
    {
      id: 'third-parties',
      heading: c.l('Provision to third parties', '第三者への提供'),
      blocks: ((extra) => [...recipientBlocks(c, 'third-party', cp.fields, reachable, extra.optOut), ...extra.blocks])(optOutAndJointUseBlocks(c, cp.fields, reachable)),
    },
    { id: 'entrustment', heading: c.l('Entrustment', '個人データの取扱いの委託'), blocks: recipientBlocks(c, 'contractor', cp.fields, reachable) },
    {
      id: 'retention',
      heading: c.l('Retention period', '保存期間'),
      blocks: [
        p(c.l(`${c.Org} keeps the personal information no longer than the following period for each purpose of use:`, '利用目的ごとの保存期間は、次のとおりです。')),
        list(reachable.map((id) => item(`${c.purposeTitle(id)}${c.l(': ', '：')}${c.retention(id)}`))),
      ],
    },
    { id: 'requests', heading: c.l('Requests and inquiries', '開示等の請求及びお問い合わせ'), blocks: requestBlocks(c) },
    { id: 'policy', heading: c.l('Privacy policy', 'プライバシーポリシー'), blocks: [policyPointer(c)] },
  ];
  return {
    kind: 'collection',
    lang,
    title: c.l('Notice on the handling of personal information', '個人情報の取扱いについて'),
    subtitle: cpTitle,
    intro: [
      p(
        entrusted
          ? c.l(
              `${c.orgName} receives the personal information below from the organisation that entrusted it with “${cpTitle}”, and handles it only to perform that operation.`,
              `${c.orgName}は、「${cpTitle}」の委託元から次の個人情報を受け取り、当該委託業務の遂行に必要な範囲内でのみ取り扱います。`,
            )
          : c.l(
              `${c.orgName} collects the personal information below for “${cpTitle}”. Please read this notice before you provide it.`,
              `${c.orgName}は、「${cpTitle}」に際して、次のとおり個人情報を取得します。内容をご確認のうえ、ご提供ください。`,
            ),
      ),
    ],
    sections,
    closing: closing(c),
    meta: { policyId: policy.id, version: policy.version, effective: policy.effective },
  };
}

function operatorBlocks(c: NoticeContext): NoticeBlock[] {
  const { controller } = c.policy.spec;
  const out: NoticeBlock[] = [p(c.orgName)];
  const addr = c.opt(controller.address);
  if (addr) out.push(p(`${c.l('Address: ', '住所：')}${addr}`));
  const rep = c.opt(controller.representative);
  if (rep) out.push(p(`${c.l('Representative: ', '代表者：')}${rep}`));
  return out;
}

function collectedBlocks(c: NoticeContext, id: string): NoticeBlock[] {
  const cp = c.policy.collectionPoint(id);
  const optional = new Set(cp.optional ?? []);
  const items = cp.fields.map((f) => {
    const spec = c.policy.field(f);
    let line = c.t(spec.title);
    if (optional.has(f)) line += c.l(' (optional)', '（任意）');
    if (spec.category === 'special-care')
      line += c.l(' (special care-required personal information; collected only with your consent)', '（要配慮個人情報。本人の同意を得て取得します）');
    const description = c.opt(spec.description);
    return item(line, description ? [p(description)] : undefined);
  });
  const out: NoticeBlock[] = [list(items)];
  if (optional.size > 0) {
    out.push(
      p(
        c.l(
          'Items marked “optional” may be left blank; the others are needed for the purposes below.',
          '「任意」と記載した項目のご提供は任意です。その他の項目は、下記の利用目的のために必要です。',
        ),
      ),
    );
  }
  const description = c.opt(cp.description);
  if (description) out.unshift(p(description));
  return out;
}

function purposeBlocks(c: NoticeContext, announced: readonly string[], reachable: readonly string[]): NoticeBlock[] {
  const out: NoticeBlock[] = [list(purposeItems(c, announced, false), true)];
  const consent = reachable.filter((id) => c.policy.purpose(id).basis === 'consent');
  if (consent.length > 0) {
    const titles = consent.map((id) => c.l(`“${c.purposeTitle(id)}”`, `「${c.purposeTitle(id)}」`)).join(c.l(' and ', '及び'));
    out.push(
      p(
        c.l(
          `Use for ${titles} is based on your consent: ${c.org} uses your personal information for it only if you agree, and you may withdraw your consent at any time.`,
          `${titles}のための利用は、本人の同意に基づきます。同意をいただいた場合に限り利用し、同意はいつでも撤回できます。`,
        ),
      ),
    );
  }
  out.push(
    p(
      c.policy.exceptions.length > 0
        ? c.l(
            `${c.Org} will not use the personal information beyond these purposes without your prior consent, except in the cases permitted by law set out in the privacy policy.`,
            '上記の利用目的の範囲を超えて利用する場合は、プライバシーポリシーに定める法令上認められる場合を除き、あらかじめ本人の同意を得ます。',
          )
        : c.l(
            `${c.Org} will not use the personal information beyond these purposes without your prior consent.`,
            '上記の利用目的の範囲を超えて利用する場合は、あらかじめ本人の同意を得ます。',
          ),
    ),
  );
  return out;
}

function recipientBlocks(c: NoticeContext, role: 'third-party' | 'contractor', fields: readonly string[], reachable: readonly string[], optOutFollows = false): NoticeBlock[] {
  const items = [];
  for (const [, v] of vendorsOf(c.policy, role)) {
    if (v.optOut !== undefined) continue; // opt-out recipients: optOutAndJointUseBlocks
    const vf = v.fields.filter((f) => fields.includes(f));
    const vp = v.purposes.filter((q) => reachable.includes(q));
    if (vf.length > 0 && vp.length > 0) items.push(vendorItem(c, v, vf, vp));
  }
  if (role === 'third-party') {
    if (items.length === 0) {
      if (optOutFollows) return [];
      return [
        p(
          c.l(
            `${c.Org} will not provide the personal data collected here to third parties without your consent, except where permitted by law.`,
            'ここで取得した個人情報に係る個人データは、法令に基づく場合等を除き、本人の同意なく第三者に提供しません。',
          ),
        ),
      ];
    }
    return [
      p(c.l(`With your consent, ${c.org} provides personal data to the following third parties:`, `${c.org}は、本人の同意を得て、次の第三者に個人データを提供します。`)),
      list(items),
      p(
        c.l(
          'Otherwise it is not provided to third parties without your consent, except where permitted by law.',
          'これ以外に、法令に基づく場合等を除き、本人の同意なく第三者に提供することはありません。',
        ),
      ),
    ];
  }
  if (items.length === 0)
    return [
      p(
        c.l(
          `${c.Org} does not entrust the handling of the personal data collected here to any vendor.`,
          'ここで取得した個人情報に係る個人データの取扱いを外部に委託することはありません。',
        ),
      ),
    ];
  return [
    p(
      c.l(
        `${c.Org} entrusts the handling of personal data to the following vendors under contract, and supervises them:`,
        `${c.org}は、契約に基づき、次の委託先に個人データの取扱いを委託し、委託先に対して必要かつ適切な監督を行います。`,
      ),
    ),
    list(items),
  ];
}

/** Opt-out recipients (Art. 27(2)) and joint users (Art. 27(5)(iii)) of the data collected here. */
function optOutAndJointUseBlocks(c: NoticeContext, fields: readonly string[], reachable: readonly string[]): { blocks: NoticeBlock[]; optOut: boolean } {
  const out: NoticeBlock[] = [];
  const concerned = (v: VendorSpec): { vf: string[]; vp: string[] } => ({ vf: v.fields.filter((f) => fields.includes(f)), vp: v.purposes.filter((q) => reachable.includes(q)) });
  const optOut = vendorsOf(c.policy, 'third-party').filter(([, v]) => v.optOut !== undefined && concerned(v).vf.length > 0 && concerned(v).vp.length > 0);
  if (optOut.length > 0) {
    out.push(
      p(
        c.l(
          'Without your consent but stoppable at your request, provided by opt-out (Art. 27(2)); see the privacy policy for the items filed with the Commission:',
          '本人の同意を得ずに、本人の求めに応じて停止するオプトアウトにより、次の第三者に個人データを提供します（法第27条第2項。届出事項はプライバシーポリシーをご覧ください。）。',
        ),
      ),
      list(optOut.map(([, v]) => vendorItem(c, v, concerned(v).vf, concerned(v).vp))),
    );
  }
  const joint = vendorsOf(c.policy, 'joint-user').filter(([, v]) => concerned(v).vf.length > 0 && concerned(v).vp.length > 0);
  if (joint.length > 0) {
    out.push(
      p(c.l('Used jointly (Art. 27(5)(iii)); not a provision to a third party:', '次のとおり共同して利用します（法第27条第5項第3号。第三者への提供には該当しません。）。')),
      list(
        joint.map(([, v]) => {
          const j = v.jointUse as NonNullable<VendorSpec['jointUse']>;
          const { vf, vp } = concerned(v);
          return item(c.t(v.name), [
            list([
              item(c.l('Items', '共同して利用される個人データの項目') + c.l(': ', '：') + c.fieldList(vf)),
              item(c.l('Joint users', '共同して利用する者の範囲') + c.l(': ', '：') + c.t(j.users)),
              item(c.l('Purposes', '利用する者の利用目的') + c.l(': ', '：') + vp.map((q) => c.purposeTitle(q)).join(c.l(', ', '、'))),
              item(
                c.l('Responsible', '管理について責任を有する者') +
                  c.l(': ', '：') +
                  `${c.t(j.responsible.name)}${c.l(', ', '（')}${c.t(j.responsible.address)}${c.l(', ', '、')}${c.t(j.responsible.representative)}${c.l('', '）')}`,
              ),
            ]),
          ]);
        }),
      ),
    );
  }
  return { blocks: out, optOut: optOut.length > 0 };
}

function requestBlocks(c: NoticeContext): NoticeBlock[] {
  return [
    p(
      c.l(
        `You may ask ${c.org} to notify you of the purposes of use of your retained personal data, to disclose it, to correct, add to or delete it (correction, etc.), to suspend its use or erase it (suspension of use, etc.), and to stop providing it to third parties. Inquiries and complaints are also welcome. ${c.Org} will verify your identity before responding.`,
        `ご本人は、${c.org}に対し、ご自身が識別される保有個人データについて、利用目的の通知、開示、訂正、追加又は削除（訂正等）、利用の停止又は消去（利用停止等）及び第三者への提供の停止を請求することができます。お問い合わせ及び苦情も受け付けます。請求に際しては、本人確認をさせていただきます。`,
      ),
    ),
    contactList(c),
  ];
}

/** @internal where the full policy is. */
export function policyPointer(c: NoticeContext): NoticeBlock {
  const title = c.policy.spec.title ? c.t(c.policy.spec.title) : c.l('privacy policy', 'プライバシーポリシー');
  const url = c.policy.spec.url;
  if (url === undefined) return p(c.l(`For details, see the ${title}.`, `詳しくは、${title}をご覧ください。`));
  return c.lang === 'ja'
    ? para(text(`詳しくは、${title}（`), link(url, url), text('）をご覧ください。'))
    : para(text(`For details, see the ${title} at `), link(url, url), text('.'));
}
