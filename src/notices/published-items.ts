/**
 * The matters on retained personal data the full policy publishes (APPI Art. 32(1)): the
 * security control measures taken, by the PPC's categories, and the procedure for requests
 * with its fees. Built from `spec.retainedData`; `missingPublishedItems` says what a policy
 * still lacks.
 *
 * @module
 */
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ChargeableRequest, DisclosureMethod, RetainedDataSpec } from '../policy/retained-data-spec.js';
import { SECURITY_MEASURE_CATEGORIES } from '../policy/retained-data-spec.js';
import type { NoticeContext } from './context.js';
import { countryName } from './localize.js';
import { item, list, type NoticeBlock, type NoticeListItem, p, strong, text } from './model.js';

/**
 * The Art. 32(1) matters a policy lacks for publication, as spec paths: `controller.address`,
 * `controller.representative` and `retainedData`. Empty when the full policy can be published.
 *
 * @param policy - a policy from `definePolicy`
 * @example
 * ```ts
 * missingPublishedItems(ji4pePolicy); // []
 * missingPublishedItems(draft); // ['controller.address', 'retainedData']
 * ```
 */
export function missingPublishedItems(policy: AnyPolicy): string[] {
  const spec = policy.spec;
  const out: string[] = [];
  if (spec.controller.address === undefined) out.push('controller.address');
  if (spec.controller.representative === undefined) out.push('controller.representative');
  if (spec.retainedData === undefined) out.push('retainedData');
  return out;
}

const CATEGORY_TITLES: Readonly<Record<(typeof SECURITY_MEASURE_CATEGORIES)[number] | 'externalEnvironment', { en: string; ja: string }>> = {
  basicPolicy: { en: 'Basic policy', ja: '基本方針の策定' },
  rules: { en: 'Rules for handling personal data', ja: '個人データの取扱いに係る規律の整備' },
  organisational: { en: 'Organisational security measures', ja: '組織的安全管理措置' },
  human: { en: 'Human security measures', ja: '人的安全管理措置' },
  physical: { en: 'Physical security measures', ja: '物理的安全管理措置' },
  technical: { en: 'Technical security measures', ja: '技術的安全管理措置' },
  externalEnvironment: { en: 'Understanding the external environment', ja: '外的環境の把握' },
};

/** @internal the §7 facts: the measures taken, by category. */
export function securityMeasureBlocks(c: NoticeContext): NoticeBlock[] {
  const rd = c.policy.spec.retainedData as RetainedDataSpec | undefined;
  if (rd === undefined) return [];
  const m = rd.securityMeasures;
  const items: NoticeListItem[] = SECURITY_MEASURE_CATEGORIES.map((cat) => item(c.l(CATEGORY_TITLES[cat].en, CATEGORY_TITLES[cat].ja), [list(m[cat].map((t) => item(c.t(t))))]));
  const abroad = m.externalEnvironment ?? [];
  if (abroad.length > 0) {
    items.push(
      item(c.l(CATEGORY_TITLES.externalEnvironment.en, CATEGORY_TITLES.externalEnvironment.ja), [
        list(abroad.map((e) => item([strong(countryName(e.country, c.lang)), text(c.l(': ', '：') + c.t(e.measures))]))),
      ]),
    );
  }
  return [
    p(c.l(`The security control measures ${c.org} takes for personal data are as follows:`, `${c.org}が講じている個人データの安全管理措置は、次のとおりです。`)),
    list(items),
  ];
}

const FEE_TITLES: Readonly<Record<ChargeableRequest, { en: string; ja: string }>> = {
  'purposes-notification': { en: 'a request for notification of the purposes of use', ja: '利用目的の通知の請求' },
  disclosure: { en: 'a request for disclosure', ja: '開示の請求' },
  'provision-records': { en: 'a request for disclosure of the records of provision to third parties', ja: '第三者提供記録の開示の請求' },
};

const METHOD_TITLES: Readonly<Record<DisclosureMethod, { en: string; ja: string }>> = {
  electronic: { en: 'by electronic record', ja: '電磁的記録の提供による方法' },
  paper: { en: 'by delivery of a paper copy', ja: '書面の交付による方法' },
  other: { en: 'by another method we set', ja: 'その他当方の定める方法' },
};

/** @internal the localised name of a disclosure method. */
export function disclosureMethodTitle(method: DisclosureMethod, lang: 'en' | 'ja'): string {
  return METHOD_TITLES[method][lang];
}

/** @internal `1,000円` / `JPY 1,000`. */
export function formatYen(amount: number, lang: 'en' | 'ja'): string {
  const n = amount.toLocaleString('en-US');
  return lang === 'ja' ? `${n}円` : `JPY ${n}`;
}

/** @internal the §14 facts after the contact point: the procedure for requests (Art. 32(1)(iii), 37, 38). */
export function requestProcedureBlocks(c: NoticeContext): NoticeBlock[] {
  const rd = c.policy.spec.retainedData as RetainedDataSpec | undefined;
  if (rd === undefined) return [];
  const r = rd.requests;
  const sep = c.l(': ', '：');
  const row = (en: string, ja: string, value: string, children?: NoticeBlock[]): NoticeListItem => item(c.l(en, ja) + sep + value, children);
  const methods = r.disclosureMethods.map((m) => disclosureMethodTitle(m, c.lang));
  const items: NoticeListItem[] = [
    row('Where to send requests', '申出先', c.t(r.submitTo)),
    row('Form of the request', '請求の方式', c.t(r.form)),
    row('Identity verification', '本人確認の方法', c.t(r.identityVerification)),
    row('Requests by an agent', '代理人による請求', c.t(r.agents)),
    row(
      'Method of disclosure',
      '開示の方法',
      c.l(
        `${methods.join(' or ')}, as the person asks (by delivery of a paper copy where the method asked for would cost a great deal or is otherwise difficult)`,
        `${methods.join('又は')}のうち、本人が請求した方法（当該方法による開示に多額の費用を要する場合その他の当該方法による開示が困難である場合は、書面の交付による方法）`,
      ),
    ),
    row('How we answer', '回答の方法', c.t(r.delivery)),
  ];
  if (r.fees.length === 0) {
    items.push(row('Fees', '手数料', c.l('No fee is charged for any request.', 'いずれの請求についても、手数料はいただきません。')));
  } else {
    items.push(
      item(c.l('Fees', '手数料'), [
        list(
          r.fees.map((f) =>
            item(
              c.l(
                `For ${FEE_TITLES[f.request].en}: ${formatYen(f.amountJpy, 'en')} per request. ${c.t(f.payment)}`,
                `${FEE_TITLES[f.request].ja}：1件につき${formatYen(f.amountJpy, 'ja')}。${c.t(f.payment)}`,
              ),
            ),
          ),
        ),
        p(
          c.l(
            'Requests for correction etc., suspension of use etc. and stopping provision to third parties are free of charge.',
            '訂正等、利用停止等及び第三者への提供の停止の請求については、手数料はいただきません。',
          ),
        ),
      ]),
    );
  }
  const out: NoticeBlock[] = [
    p(
      c.l(
        `Requests concerning retained personal data — for notification of the purposes of use, disclosure (including the records of provision to third parties), correction etc., suspension of use etc. and stopping provision to third parties — are accepted by the following procedure:`,
        `保有個人データの利用目的の通知、開示（第三者提供記録の開示を含みます。）、訂正等、利用停止等又は第三者への提供の停止の請求（以下「開示等の請求等」といいます。）は、次の手続により受け付けます。`,
      ),
    ),
    list(items),
  ];
  const accredited = c.opt(rd.accreditedOrganisation);
  if (accredited !== undefined) {
    out.push(
      p(
        c.l(
          `Accredited personal information protection organisation to which ${c.org} belongs: ${accredited}`,
          `${c.org}が対象事業者となっている認定個人情報保護団体：${accredited}`,
        ),
      ),
    );
  }
  return out;
}
