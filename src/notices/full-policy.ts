/**
 * The full privacy policy as a {@link NoticeDocument}: the 18 sections of
 * {@link NOTICE_SECTIONS}, facts generated from the policy, promises in words from its prose.
 *
 * @module
 */
import type { Lang } from '../i18n.js';
import { LEGAL_EXCEPTIONS } from '../legal.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { VendorSpec } from '../policy/spec.js';
import { parseDuration } from '../util/duration.js';
import { assertLanguage, createContext, entrustedOnlyPurposes, isAnnounced, type NoticeContext, vendorsOf, withDescendants } from './context.js';
import { ProseMissingError, PublishedItemsMissingError } from '../errors.js';
import { missingPublishedItems, requestProcedureBlocks, securityMeasureBlocks } from './published-items.js';
import { countryName, formatNoticeDate, formatNoticeDuration } from './localize.js';
import { item, link, list, type NoticeBlock, type NoticeDocument, type NoticeInline, type NoticeListItem, type NoticeSection, p, strong, text } from './model.js';
import { NOTICE_SECTIONS, parseProse, proseOf } from './sections.js';

/**
 * Options of {@link buildPolicyDocument}.
 *
 * @example
 * ```ts
 * buildPolicyDocument(draftPolicy, 'en', { omitMissingProse: true });
 * ```
 */
export interface PolicyDocumentOptions {
  /**
   * Leave out a section whose required prose is missing (and number the rest 1..n) instead of
   * throwing `ProseMissingError`, and render without the Art. 32(1) matters the policy lacks
   * instead of throwing `PublishedItemsMissingError`. For drafts; a published policy should
   * have every section and every item.
   */
  readonly omitMissingProse?: boolean;
}

/**
 * The ids of the sections whose required prose the policy lacks in `lang`.
 *
 * @param policy - a policy from `definePolicy`
 * @param lang - the language to check
 * @example
 * ```ts
 * missingProse(ji4pePolicy, 'ja'); // []
 * ```
 */
export function missingProse(policy: AnyPolicy, lang: Lang): string[] {
  return NOTICE_SECTIONS.filter((s) => s.prose === 'required' && proseOf(policy.spec.prose, s.id, lang) === undefined).map((s) => s.id);
}

/**
 * Build the full privacy policy as a document model (render it with `renderDocument`).
 *
 * @param policy - a policy from `definePolicy`
 * @param lang - a language the policy declares
 * @param options - see {@link PolicyDocumentOptions}
 * @throws TranslationMissingError when the policy does not declare `lang`
 * @throws ProseMissingError when required prose is missing (unless `omitMissingProse`)
 * @throws PublishedItemsMissingError when an Art. 32(1) matter is missing (unless `omitMissingProse`)
 * @example
 * ```ts
 * const doc = buildPolicyDocument(ji4pePolicy, 'ja');
 * doc.sections.length; // 18
 * ```
 */
export function buildPolicyDocument(policy: AnyPolicy, lang: Lang, options: PolicyDocumentOptions = {}): NoticeDocument {
  assertLanguage(policy, lang);
  const missing = missingProse(policy, lang);
  if (missing.length > 0 && options.omitMissingProse !== true) throw new ProseMissingError(policy.id, missing);
  const unpublished = missingPublishedItems(policy);
  if (unpublished.length > 0 && options.omitMissingProse !== true) throw new PublishedItemsMissingError(policy.id, unpublished);
  const c = createContext(policy, lang);
  const sections: NoticeSection[] = [];
  for (const spec of NOTICE_SECTIONS) {
    if (missing.includes(spec.id)) continue;
    const prose = proseOf(policy.spec.prose, spec.id, lang);
    const lead = prose !== undefined ? proseBlocks(prose, lang) : defaultLead(c, spec.id);
    sections.push({ id: spec.id, number: sections.length + 1, heading: spec.heading[lang], blocks: [...lead, ...facts(c, spec.id)] });
  }
  const preamble = proseOf(policy.spec.prose, 'preamble', lang);
  return {
    kind: 'policy',
    lang,
    title: policy.spec.title ? c.t(policy.spec.title) : c.l('Privacy Policy', 'プライバシーポリシー'),
    subtitle: c.orgName,
    intro: preamble === undefined ? [] : proseBlocks(preamble, lang),
    sections,
    closing: closing(c),
    meta: { policyId: policy.id, version: policy.version, effective: policy.effective },
  };
}

/** @internal the closing lines every document ends with. */
export function closing(c: NoticeContext): NoticeBlock[] {
  const date = formatNoticeDate(c.policy.effective, c.lang);
  return [p(c.orgName), p(c.l(`Effective date: ${date} (version ${c.policy.version})`, `施行日：${date}（版：${c.policy.version}）`))];
}

/** @internal prose text as blocks. */
export function proseBlocks(value: string, lang: Lang): NoticeBlock[] {
  return parseProse(value, lang).map((b) => (b.kind === 'paragraph' ? p(b.text) : list(b.items.map((i) => item(i)))));
}

function defaultLead(c: NoticeContext, id: string): NoticeBlock[] {
  const { org, Org } = c;
  switch (id) {
    case 'collection': {
      const fields = collectedFields(c.policy, false);
      return [
        p(
          c.l(
            `${Org} may ask for personal information such as ${c.fieldList(fields)}. The personal information collected at each point of collection is as follows.`,
            `${org}は、${c.fieldList(fields)}等の個人情報をご提供いただく場合があります。取得の場面ごとの個人情報は、次のとおりです。`,
          ),
        ),
      ];
    }
    case 'purposes':
      return [
        p(
          c.l(
            `When ${org} collects personal information, the purpose of its use will be specifically defined, and the information will be used only to the extent necessary to achieve that purpose. The purposes for which ${org} collects and uses personal information are as follows.`,
            `${org}は、個人情報を取得するにあたり、その利用目的をできる限り特定し、利用目的の達成に必要な範囲内でのみ個人情報を利用します。${org}が個人情報を取得し、利用する目的は、次のとおりです。`,
          ),
        ),
      ];
    case 'notification':
      return [
        p(
          c.l(
            `When ${org} acquires personal information, it will notify the person of the purpose of use or announce it, promptly, unless it has announced the purpose in advance. When it acquires personal information written in a document (including an electronic record) directly from the person, it will expressly state the purpose of use to the person in advance. If the purpose of use is changed, ${org} will notify the person of the changed purpose or announce it.`,
            `${org}は、個人情報を取得した場合は、あらかじめその利用目的を公表している場合を除き、速やかに、その利用目的を本人に通知し、又は公表します。本人から直接書面（電磁的記録を含みます。）に記載された本人の個人情報を取得する場合は、あらかじめ、本人に対し、その利用目的を明示します。利用目的を変更した場合は、変更された利用目的について、本人に通知し、又は公表します。`,
          ),
        ),
      ];
    case 'vendors':
      return [
        p(
          c.l(
            `${Org} may entrust all or part of the handling of personal data to vendors, to the extent necessary to achieve the purposes of use. In such a case, ${org} will select a vendor recognised as handling personal data appropriately, oblige it by contract and other means to manage the personal data securely, and supervise it as necessary and appropriate so that the entrusted personal data is managed securely.`,
            `${org}は、利用目的の達成に必要な範囲内において、個人データの取扱いの全部又は一部を委託することがあります。この場合、個人データを適正に取り扱っていると認められる委託先を選定し、契約等により個人データの安全管理を義務付けるとともに、委託された個人データの安全管理が図られるよう、委託先に対して必要かつ適切な監督を行います。`,
          ),
        ),
      ];
    case 'thirdParties': {
      const ex = c.policy.exceptions;
      if (ex.length === 0) {
        return [
          p(
            c.l(
              `${Org} will not provide personal data to any third party without the prior consent of the person concerned.`,
              `${org}は、あらかじめ本人の同意を得ることなく、個人データを第三者に提供しません。`,
            ),
          ),
        ];
      }
      return [
        p(
          c.l(
            `${Org} will not provide personal data to any third party without the prior consent of the person concerned, except in the following cases:`,
            `${org}は、次のいずれかに該当する場合を除き、あらかじめ本人の同意を得ることなく、個人データを第三者に提供しません。`,
          ),
        ),
        exceptionList(c),
      ];
    }
    case 'entrusted':
      return [
        p(
          c.l(
            `${Org} will use personal information obtained through entrusted operations only for the purpose of performing the relevant operations.`,
            `${org}は、委託を受けて取得した個人情報を、当該委託業務の遂行に必要な範囲内でのみ利用します。`,
          ),
        ),
      ];
    default:
      return [];
  }
}

function facts(c: NoticeContext, id: string): NoticeBlock[] {
  switch (id) {
    case 'collection':
      return collectionFacts(c);
    case 'purposes':
      return purposeFacts(c);
    case 'notification':
      return notificationFacts(c);
    case 'vendors':
      return vendorFacts(c);
    case 'thirdParties':
      return thirdPartyFacts(c);
    case 'entrusted':
      return entrustedFacts(c);
    case 'security':
      return securityMeasureBlocks(c);
    case 'contact':
      return [contactList(c), ...requestProcedureBlocks(c)];
    default:
      return [];
  }
}

/** Fields collected at any collection point (entrusted ones included or not), in field order. */
function collectedFields(policy: AnyPolicy, includeEntrusted: boolean): string[] {
  const used = new Set<string>();
  for (const id of policy.collectionPointIds) {
    const cp = policy.collectionPoint(id);
    if (!includeEntrusted && cp.source === 'entrusted') continue;
    for (const f of cp.fields) used.add(f);
  }
  return policy.fieldIds.filter((f: string) => used.has(f));
}

function collectionFacts(c: NoticeContext): NoticeBlock[] {
  const { policy } = c;
  const items: NoticeListItem[] = [];
  for (const id of policy.collectionPointIds) {
    const cp = policy.collectionPoint(id);
    if (cp.source === 'entrusted') continue;
    items.push(collectionPointItem(c, id));
  }
  const out: NoticeBlock[] = items.length > 0 ? [list(items)] : [];
  const special = collectedFields(policy, true).filter((f) => policy.field(f).category === 'special-care');
  if (special.length > 0) {
    out.push(
      p(
        c.l(
          `${capitalizeFirst(c.fieldList(special))} ${special.length === 1 ? 'is' : 'are'} special care-required personal information: ${c.org} will acquire ${special.length === 1 ? 'it' : 'them'} only with the prior consent of the person, except where the law provides otherwise.`,
          `${c.fieldList(special)}は要配慮個人情報に該当するため、法令に基づく場合等を除き、あらかじめ本人の同意を得て取得します。`,
        ),
      ),
    );
  }
  return out;
}

function capitalizeFirst(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** @internal one collection point as a list item: its title, fields, optional fields, source. */
export function collectionPointItem(c: NoticeContext, id: string): NoticeListItem {
  const cp = c.policy.collectionPoint(id);
  const optional = cp.optional ?? [];
  let line = `${c.t(cp.title)}${c.l(': ', '：')}${c.fieldList(cp.fields)}`;
  if (optional.length > 0) line += c.l(` (${c.fieldList(optional)} optional)`, `（${c.fieldList(optional)}は任意）`);
  if (cp.source === 'third-party') line += c.l(' (obtained from a third party)', '（第三者から取得）');
  if (cp.source === 'entrusted') line += c.l(' (received from the organisation that entrusted the operation)', '（委託元から受領）');
  const description = c.opt(cp.description);
  return item(line, description ? [p(description)] : undefined);
}

/** @internal "(Retention period: 3 years.)" plus the consent note of consent-based purposes. */
export function purposeDetail(c: NoticeContext, id: string): string {
  const consent = c.policy.purpose(id).basis === 'consent';
  const r = c.retention(id);
  return consent
    ? c.l(` (Based on your consent, which you may withdraw at any time. Retention period: ${r}.)`, `（本人の同意に基づく利用目的です。同意はいつでも撤回できます。保存期間：${r}）`)
    : c.l(` (Retention period: ${r}.)`, `（保存期間：${r}）`);
}

/** @internal announced purposes: roots as items, descendants in an "incidental purposes" item. */
export function purposeItems(c: NoticeContext, roots: readonly string[], withDetail: boolean): NoticeListItem[] {
  const { policy } = c;
  const items = roots.map((id) => item(c.t(policy.purpose(id).description) + (withDetail ? purposeDetail(c, id) : '')));
  const incidental = withDescendants(policy, roots).filter((id) => !roots.includes(id));
  if (incidental.length > 0) {
    items.push(
      item(c.l('Purposes incidental to the above purposes of use:', '上記の利用目的に付随する目的'), [
        list(incidental.map((id) => item(c.t(policy.purpose(id).description) + (withDetail ? purposeDetail(c, id) : '')))),
      ]),
    );
  }
  return items;
}

function exceptionList(c: NoticeContext): NoticeBlock {
  return list(c.policy.exceptions.map((e) => item(LEGAL_EXCEPTIONS[e].title[c.lang])));
}

function purposeFacts(c: NoticeContext): NoticeBlock[] {
  const { policy, org } = c;
  const entrusted = entrustedOnlyPurposes(policy);
  const roots = policy.purposeIds.filter((id: string) => {
    const ps = policy.purpose(id);
    return isAnnounced(ps) && ps.parent === undefined && !entrusted.has(id);
  });
  const out: NoticeBlock[] = [list(purposeItems(c, roots, true), true)];
  if (policy.exceptions.length === 0) {
    out.push(
      p(
        c.l(
          `When handling personal information beyond the scope of the purposes of use, ${org} will obtain the consent of the person in advance.`,
          `利用目的の範囲を超えて個人情報を取り扱う場合は、あらかじめ本人の同意を得ます。`,
        ),
      ),
    );
  } else {
    out.push(
      p(
        c.l(
          `When handling personal information beyond the scope of the purposes of use, ${org} will obtain the consent of the person in advance. However, this does not apply in the following cases, which the law allows without consent and which are not purposes of use:`,
          `利用目的の達成に必要な範囲を超えて個人情報を取り扱う場合は、あらかじめ本人の同意を得ます。ただし、次のいずれかに該当する場合は、法令により本人の同意なく取り扱うことが認められているため、この限りではありません（これらは利用目的ではありません。）。`,
        ),
      ),
      exceptionList(c),
    );
  }
  // Purposes of scope `outside` (uses under a legal exception) are not purposes of use
  // (Art. 17): the exceptions above say when they happen, so they are not listed as purposes.
  return out;
}

function notificationFacts(c: NoticeContext): NoticeBlock[] {
  const points = c.policy.collectionPointIds.filter((id: string) => (c.policy.collectionPoint(id).source ?? 'subject') === 'subject');
  if (points.length === 0) return [];
  return [
    p(
      c.l(
        'At each of the following points of collection the person writes their personal information in a form, so the purposes of use are expressly stated to them before it is acquired:',
        '次の取得の場面では、本人が申込書等の書面（電磁的記録を含みます。）に記載した個人情報を取得するため、取得に先立って利用目的を明示します。',
      ),
    ),
    list(points.map((id: string) => item(c.t(c.policy.collectionPoint(id).title)))),
  ];
}

/** @internal a recipient as a list item: name, country, fields and purposes. */
export function vendorItem(c: NoticeContext, vendor: VendorSpec, fields: readonly string[] = vendor.fields, purposes: readonly string[] = vendor.purposes): NoticeListItem {
  const country = countryName(vendor.country, c.lang);
  const titles = purposes.map((id) => c.purposeTitle(id));
  const rest =
    c.lang === 'ja'
      ? `（${country}）：${c.fieldList(fields)}（利用目的：${titles.map((t) => `「${t}」`).join('及び')}）`
      : ` (${country}): ${c.fieldList(fields)}, for the purpose${titles.length === 1 ? '' : 's'} ${titles.map((t) => `“${t}”`).join(' and ')}`;
  const description = c.opt(vendor.description);
  const children: NoticeBlock[] = description ? [p(description)] : [];
  children.push(...foreignRecipientBlocks(c, vendor));
  return item([strong(c.t(vendor.name)), text(rest)], children.length > 0 ? children : undefined);
}

/** @internal the information of APPI Art. 28(2) / PPC Rules Art. 17(2) for a recipient abroad. */
export function foreignRecipientBlocks(c: NoticeContext, vendor: VendorSpec): NoticeBlock[] {
  const f = vendor.foreign;
  if (vendor.country === 'JP' || f === undefined) return [];
  const country = countryName(vendor.country, c.lang);
  const sep = c.l(': ', '：');
  const ground =
    f.basis === 'consent'
      ? c.l(
          `with the prior consent of the person to provision to a third party in a foreign country (${country})`,
          `外国（${country}）にある第三者への提供を認める旨の本人の同意を得て提供します`,
        )
      : f.basis === 'equivalent-measures'
        ? c
            .l(
              'the recipient has a system meeting the standards of the Commission’s Rules (Art. 16) for continuously taking measures equivalent to those of the Act; on request, the Institute informs the person of that system and of the measures taken to ensure it is implemented',
              '提供先は、個人情報保護委員会規則第16条で定める基準に適合する体制（基準適合体制）を整備しています。当該体制の整備の方法及び当該体制の実施を確保するために講じている措置については、本人の求めに応じて情報を提供します',
            )
            .replace('the Institute', c.org)
        : c.l(
            `${country} is a country the Commission designates as having a system equivalent to Japan’s (Rules Art. 15)`,
            `${country}は、個人情報保護委員会が我が国と同等の水準にあると認める個人情報の保護に関する制度を有する国として定める国です`,
          );
  const rows = [item(c.l('Provision to a third party in a foreign country (APPI Art. 28)', '外国にある第三者への提供（法第28条）') + sep + ground + c.l('.', '。'))];
  rows.push(item(c.l('The system for the protection of personal information in that country', '当該外国における個人情報の保護に関する制度') + sep + c.t(f.system)));
  rows.push(item(c.l('Measures the recipient takes for the protection of personal information', '提供先が講ずる個人情報の保護のための措置') + sep + c.t(f.measures)));
  if (f.basis === 'equivalent-measures' && f.equivalentMeasures !== undefined) {
    rows.push(item(c.l('How its implementation is checked', '実施の確認方法') + sep + c.t(f.equivalentMeasures.monitoring)));
  }
  return [list(rows)];
}

function foreignNote(c: NoticeContext, vendors: readonly VendorSpec[]): NoticeBlock[] {
  const foreign = [...new Set(vendors.filter((v) => v.country !== 'JP').map((v) => countryName(v.country, c.lang)))];
  if (foreign.length === 0) return [];
  const names = foreign.join(c.l(', ', '、'));
  return [
    p(
      c.l(
        `Some recipients are in a foreign country (${names}). Entrustment to a vendor abroad is also a provision to a third party in a foreign country: ${c.org} provides personal data to them only on a ground of Article 28 of the Act on the Protection of Personal Information, stated with each recipient above together with the information on that country's system and the recipient's measures.`,
        `一部の提供先は外国（${names}）にあります。外国にある委託先への提供も外国にある第三者への提供に当たるため、${c.org}は、個人情報の保護に関する法律第28条に定める根拠（上記の各提供先に記載）に基づいてのみ、これらの提供先に個人データを提供します。各提供先には、当該外国における個人情報の保護に関する制度及び提供先が講ずる個人情報の保護のための措置を記載しています。`,
      ),
    ),
  ];
}

function vendorFacts(c: NoticeContext): NoticeBlock[] {
  const contractors = vendorsOf(c.policy, 'contractor');
  if (contractors.length === 0) {
    return [p(c.l(`${c.Org} does not currently entrust the handling of personal data to any vendor.`, `現在、個人データの取扱いを委託している委託先はありません。`))];
  }
  return [
    p(c.l(`${c.Org} currently entrusts personal information to the following vendors:`, '現在の委託先は、次のとおりです。')),
    list(contractors.map(([, v]) => vendorItem(c, v))),
    ...foreignNote(
      c,
      contractors.map(([, v]) => v),
    ),
  ];
}

function thirdPartyFacts(c: NoticeContext): NoticeBlock[] {
  const out: NoticeBlock[] = [];
  const allThirdParties = vendorsOf(c.policy, 'third-party');
  const thirdParties = allThirdParties.filter(([, v]) => v.optOut === undefined);
  if (thirdParties.length > 0) {
    out.push(
      p(
        c.l(
          `With the consent of the person, ${c.org} provides personal data to the following third parties:`,
          `${c.org}は、本人の同意を得て、次の第三者に個人データを提供します。`,
        ),
      ),
      list(thirdParties.map(([, v]) => vendorItem(c, v))),
      ...foreignNote(
        c,
        thirdParties.map(([, v]) => v),
      ),
    );
  }
  out.push(
    ...optOutBlocks(
      c,
      allThirdParties.filter(([, v]) => v.optOut !== undefined).map(([, v]) => v),
    ),
  );
  out.push(
    ...jointUseBlocks(
      c,
      vendorsOf(c.policy, 'joint-user').map(([, v]) => v),
    ),
  );
  if (vendorsOf(c.policy, 'contractor').length > 0) {
    out.push(
      p(
        c.l(
          'Providing personal data to a vendor in Japan along with entrusting its handling, as described under “Supervision of outsourced vendors”, is not a provision to a third party.',
          'なお、「委託先の監督」に記載する委託に伴って国内の委託先に個人データを提供する場合は、第三者への提供には該当しません。',
        ),
      ),
    );
  }
  const d = parseDuration(c.policy.spec.provisionRecordRetention ?? 'P3Y');
  const period = d ? formatNoticeDuration(d, c.lang) : '';
  out.push(
    p(
      c.l(
        `When ${c.org} provides personal data to a third party, it records the provision and keeps the record for ${period}.`,
        `${c.org}は、個人データを第三者に提供したときは、その記録を作成し、${period}${period.endsWith('間') ? '' : '間'}保存します。`,
      ),
    ),
  );
  return out;
}

/** @internal Art. 27(2): the items of opt-out provision, per recipient. */
function optOutBlocks(c: NoticeContext, vendors: readonly VendorSpec[]): NoticeBlock[] {
  if (vendors.length === 0) return [];
  const sep = c.l(': ', '：');
  return [
    p(
      c.l(
        `${c.Org} provides the following personal data to third parties without consent by opt-out (Article 27(2) of the Act), having filed the following items with the Personal Information Protection Commission. At the request of the person, it stops providing personal data by which the person is identified.`,
        `${c.org}は、次の個人データについて、個人情報保護委員会に届け出たうえで、法第27条第2項の規定によるオプトアウトにより第三者に提供します。本人の求めに応じて、当該本人が識別される個人データの第三者への提供を停止します。`,
      ),
    ),
    list(
      vendors.map((v) => {
        const o = v.optOut as NonNullable<VendorSpec['optOut']>;
        const rows = [
          item(c.l('Purpose of use: provision to third parties', '利用目的：第三者への提供') + c.l(` (${c.t(v.name)})`, `（${c.t(v.name)}）`)),
          item(c.l('Items of personal data provided', '第三者に提供される個人データの項目') + sep + c.fieldList(v.fields)),
          item(c.l('How it was acquired', '第三者に提供される個人データの取得の方法') + sep + c.t(o.acquisition)),
          item(c.l('How it is provided', '第三者への提供の方法') + sep + c.t(o.method)),
          item(
            c.l('Stopping provision at the request of the person', '本人の求めに応じて当該本人が識別される個人データの第三者への提供を停止すること') +
              sep +
              c.l('yes', '停止します'),
          ),
          item(c.l('How such requests are received', '本人の求めを受け付ける方法') + sep + c.t(o.stopRequests)),
          item(c.l('Filed with the Commission on', '個人情報保護委員会への届出日') + sep + formatNoticeDate(o.filedWithPpc, c.lang)),
        ];
        const updates = c.opt(o.updates);
        if (updates !== undefined) rows.push(item(c.l('Updates of the data', '個人データの更新の方法') + sep + updates));
        return item([strong(c.t(v.name))], [list(rows)]);
      }),
    ),
  ];
}

/** @internal Art. 27(5)(iii): the matters of joint use, per joint use. */
function jointUseBlocks(c: NoticeContext, vendors: readonly VendorSpec[]): NoticeBlock[] {
  if (vendors.length === 0) return [];
  const sep = c.l(': ', '：');
  return [
    p(
      c.l(
        `${c.Org} uses personal data jointly as follows (Article 27(5)(iii) of the Act); this is not a provision to a third party.`,
        `${c.org}は、次のとおり個人データを共同して利用します（法第27条第5項第3号）。この場合の提供は、第三者への提供には該当しません。`,
      ),
    ),
    list(
      vendors.map((v) => {
        const j = v.jointUse as NonNullable<VendorSpec['jointUse']>;
        return item(
          [strong(c.t(v.name))],
          [
            list([
              item(c.l('Items of personal data used jointly', '共同して利用される個人データの項目') + sep + c.fieldList(v.fields)),
              item(c.l('Scope of the joint users', '共同して利用する者の範囲') + sep + c.t(j.users)),
              item(c.l('Purposes of use of the joint users', '利用する者の利用目的') + sep + v.purposes.map((id) => c.purposeTitle(id)).join(c.l(', ', '、'))),
              item(
                c.l('Responsible for managing the data', '当該個人データの管理について責任を有する者') +
                  sep +
                  `${c.t(j.responsible.name)}${c.l(', ', '（')}${c.l('address: ', '住所：')}${c.t(j.responsible.address)}${c.l(', representative: ', '、代表者：')}${c.t(j.responsible.representative)}${c.l('', '）')}`,
              ),
            ]),
          ],
        );
      }),
    ),
  ];
}

function entrustedFacts(c: NoticeContext): NoticeBlock[] {
  const points = c.policy.collectionPointIds.filter((id: string) => c.policy.collectionPoint(id).source === 'entrusted');
  if (points.length === 0) return [];
  return [
    p(c.l(`Personal information ${c.org} currently receives under entrustment:`, '現在、委託を受けて取得している個人情報は、次のとおりです。')),
    list(points.map((id: string) => collectionPointItem(c, id))),
  ];
}

/** @internal the contact point as a list: operator, department, address, e-mail, phone, website. */
export function contactList(c: NoticeContext): NoticeBlock {
  const { controller } = c.policy.spec;
  const contact = controller.contact;
  const sep = c.l(': ', '：');
  const row = (label: string, value: NoticeInline[]): NoticeListItem => item([text(label + sep), ...value]);
  const items: NoticeListItem[] = [row(c.l('Business operator', '個人情報取扱事業者'), [text(c.orgName)])];
  const addr = c.opt(controller.address);
  if (addr) items.push(row(c.l('Address', '住所'), [text(addr)]));
  const rep = c.opt(controller.representative);
  if (rep) items.push(row(c.l('Representative', '代表者'), [text(rep)]));
  const dept = c.opt(contact.department);
  if (dept) items.push(row(c.l('Contact point', '窓口'), [text(dept)]));
  const caddr = c.opt(contact.address);
  if (caddr) items.push(row(c.l('Postal address', '所在地'), [text(caddr)]));
  if (contact.email) items.push(row(c.l('E-mail', 'メールアドレス'), [link(contact.email, `mailto:${contact.email}`)]));
  if (contact.phone) items.push(row(c.l('Telephone', '電話番号'), [text(contact.phone)]));
  if (contact.url) items.push(row(c.l('Website', 'ウェブサイト'), [link(contact.url, contact.url)]));
  return list(items);
}
