/**
 * The pages of the web example, written with Hono's `html` tagged template: every interpolated
 * value is HTML-escaped; only the notice and the disclosure report (already escaped by the SDK's
 * renderers) are inserted with `raw`. No page has a script or an inline style.
 *
 * @module
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DataSubjectRequest, Lang, Localized } from 'purpose-bound';
import { ji4pePolicy } from '../ji4pe/policy.js';

/** What a view returns. */
export type View = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The fields of the course application form, in order. */
export const FORM_FIELDS = ['name', 'dateOfBirth', 'address', 'phone', 'email'] as const;
/** A field of the form. */
export type FormField = (typeof FORM_FIELDS)[number];

/** Request kinds a person can make on the web. */
export const WEB_REQUEST_KINDS = ['disclosure', 'correction', 'deletion', 'suspension', 'erasure', 'purposes-notification', 'stop-provision'] as const;
/** A web request kind. */
export type WebRequestKind = (typeof WEB_REQUEST_KINDS)[number];

const UI = {
  en: {
    site: 'Ji4pe: Japanese Institute for Public Engagement',
    example: 'Example application of the purpose-bound SDK (not a real service).',
    navApply: 'Apply for a course',
    navRequests: 'Your data: requests',
    navStaff: 'Staff',
    otherLang: '日本語',
    applyTitle: 'Application for a study course',
    applyIntro: 'Please read the notice below before you enter your details.',
    inputTitle: 'Your details',
    prefillConsent: 'I agree that my registered details may be used to fill in my future applications (optional; you can withdraw this at any time).',
    submit: 'Apply',
    errorsTitle: 'Please check these fields:',
    invalid: 'is missing or not valid',
    noticeChanged: 'The notice changed while you were filling in the form. Please read the current notice and submit again.',
    appliedTitle: 'Thank you for your application',
    appliedText: 'Your application was received. Keep this access code: you need it to ask us to disclose, correct, delete or stop using your data. It is shown only once.',
    accessCode: 'Access code',
    requestsTitle: 'Requests about your personal data',
    requestsIntro:
      'You can ask us to disclose the personal data we hold about you, to correct it, to delete it, to stop using it, or to erase everything. Enter the access code you were given when you applied.',
    kind: 'Request',
    kinds: {
      disclosure: 'Disclosure: show me the data you hold about me',
      correction: 'Correction: one of my details is wrong',
      deletion: 'Deletion of one detail',
      suspension: 'Stop using my data (suspension of use)',
      erasure: 'Erase all my data',
      'purposes-notification': 'Tell me what you use my data for (notification of the purposes of use)',
      'stop-provision': 'Stop giving my data to third parties',
    } satisfies Record<WebRequestKind, string>,
    field: 'Detail concerned (correction, deletion)',
    newValue: 'Correct value (correction)',
    send: 'Send request',
    codeUnknown: 'This access code is not valid.',
    myRequests: 'Your requests',
    signOut: 'Sign out',
    signInTitle: 'See your requests',
    signIn: 'Show my requests',
    state: 'State',
    received: 'Received',
    due: 'Answer due',
    overdue: 'overdue',
    requestTitle: 'Your request',
    disclosureTitle: 'The personal data we hold about you',
    disclosurePending: 'The disclosure will be shown here once staff have answered your request.',
    disclosureGone: 'The disclosure report is no longer available.',
    rejected: 'Your request was refused:',
    states: { received: 'received', 'identity-verified': 'identity verified', 'in-progress': 'in progress', completed: 'completed', rejected: 'refused' },
    notFound: 'Not found.',
  },
  ja: {
    site: 'Ji4pe（Japanese Institute for Public Engagement）',
    example: 'purpose-bound SDK のサンプルアプリケーションです（実在のサービスではありません）。',
    navApply: '講座のお申込み',
    navRequests: 'ご本人からの請求',
    navStaff: '職員',
    otherLang: 'English',
    applyTitle: '講座のお申込み',
    applyIntro: 'ご入力の前に、次の「個人情報の取扱いについて」をお読みください。',
    inputTitle: 'お申込み内容',
    prefillConsent: '登録した情報を今後のお申込みの入力に利用することに同意します（任意。いつでも撤回できます）。',
    submit: '申し込む',
    errorsTitle: '次の項目をご確認ください：',
    invalid: 'が未入力か、正しくありません',
    noticeChanged: 'ご入力中に通知の内容が変更されました。最新の通知をお読みのうえ、もう一度お申し込みください。',
    appliedTitle: 'お申込みありがとうございました',
    appliedText: 'お申込みを受け付けました。開示、訂正、削除、利用停止等の請求に必要なアクセスコードを控えてください。このコードは一度しか表示されません。',
    accessCode: 'アクセスコード',
    requestsTitle: '保有個人データに関するご請求',
    requestsIntro: '当研究所が保有するご本人の個人データの開示、訂正、削除、利用停止又は消去を請求できます。お申込みの際に表示されたアクセスコードを入力してください。',
    kind: '請求の種類',
    kinds: {
      disclosure: '開示（保有個人データを確認したい）',
      correction: '訂正（登録内容に誤りがある）',
      deletion: '一項目の削除',
      suspension: '利用停止',
      erasure: 'すべてのデータの消去',
      'purposes-notification': '利用目的の通知',
      'stop-provision': '第三者への提供の停止',
    } satisfies Record<WebRequestKind, string>,
    field: '対象の項目（訂正・削除）',
    newValue: '正しい内容（訂正）',
    send: '請求する',
    codeUnknown: 'アクセスコードが正しくありません。',
    myRequests: 'ご請求の一覧',
    signOut: 'ログアウト',
    signInTitle: 'ご請求の確認',
    signIn: 'ご請求を表示する',
    state: '状況',
    received: '受付日時',
    due: '回答期限',
    overdue: '期限超過',
    requestTitle: 'ご請求',
    disclosureTitle: '当研究所が保有するご本人の個人データ',
    disclosurePending: 'ご請求への回答後、ここに開示内容が表示されます。',
    disclosureGone: '開示内容の表示期間は終了しました。',
    rejected: 'ご請求にはお応えできませんでした：',
    states: { received: '受付', 'identity-verified': '本人確認済み', 'in-progress': '対応中', completed: '完了', rejected: '不応諾' },
    notFound: 'ページが見つかりません。',
  },
} as const;

/** UI strings of a language. */
export function ui(lang: Lang) {
  return UI[lang];
}

/** A policy text in a language (falls back to English). */
export function tr(text: Localized, lang: Lang): string {
  return text[lang] ?? text.en ?? '';
}

/** Format an instant for a person: a date and time in Japan time. */
export function when(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}

/** The page frame: language switch and navigation; the stylesheet is the only resource. */
export function layout(lang: Lang, title: string, body: View, options: { readonly path: string; readonly query?: Readonly<Record<string, string>> } = { path: '/' }): View {
  const t = ui(lang);
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const q = new URLSearchParams({ ...(options.query ?? {}), lang: other }).toString();
  return html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Ji4pe</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header>
<p class="site">${t.site}</p>
<nav aria-label="main">
<a href="/apply?lang=${lang}">${t.navApply}</a>
<a href="/requests?lang=${lang}">${t.navRequests}</a>
<a href="/staff?lang=${lang}">${t.navStaff}</a>
<a class="lang" hreflang="${other}" lang="${other}" href="${options.path}?${q}">${t.otherLang}</a>
</nav>
<p class="example">${t.example}</p>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

/** Values typed into the form, kept only to re-show the form to the same person. */
export type FormValues = Partial<Record<FormField | 'prefillConsent', string>>;

/** The course application form with the notice at collection. */
export function applyPage(input: {
  readonly lang: Lang;
  readonly noticeHtml: string;
  readonly noticeVersion: string;
  readonly values?: FormValues;
  readonly errors?: readonly FormField[];
  readonly noticeChanged?: boolean;
}): View {
  const { lang } = input;
  const t = ui(lang);
  const errors = new Set(input.errors ?? []);
  const v = input.values ?? {};
  const types: Record<FormField, string> = { name: 'text', dateOfBirth: 'date', address: 'text', phone: 'tel', email: 'email' };
  const autocomplete: Record<FormField, string> = { name: 'name', dateOfBirth: 'bday', address: 'street-address', phone: 'tel', email: 'email' };
  const body = html`<h1>${t.applyTitle}</h1>
<p>${t.applyIntro}</p>
${input.noticeChanged ? html`<p class="error" role="alert">${t.noticeChanged}</p>` : ''}
<section class="notice" id="notice" aria-label="notice">
${raw(input.noticeHtml)}
</section>
<form method="post" action="/apply" novalidate>
<h2>${t.inputTitle}</h2>
${
  errors.size > 0
    ? html`<div class="error" role="alert" id="errors"><p>${t.errorsTitle}</p><ul>${FORM_FIELDS.filter((f) => errors.has(f)).map(
        (f) => html`<li data-field="${f}"><a href="#f-${f}">${tr(ji4pePolicy.field(f).title, lang)}</a> ${t.invalid}</li>`,
      )}</ul></div>`
    : ''
}
<input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="noticeVersion" value="${input.noticeVersion}">
${FORM_FIELDS.map(
  (f) => html`<p class="field${errors.has(f) ? ' invalid' : ''}">
<label for="f-${f}">${tr(ji4pePolicy.field(f).title, lang)}</label>
${
  f === 'address'
    ? html`<textarea id="f-${f}" name="${f}" rows="2" autocomplete="street-address"${errors.has(f) ? raw(' aria-invalid="true"') : ''}>${v[f] ?? ''}</textarea>`
    : html`<input id="f-${f}" name="${f}" type="${types[f]}" autocomplete="${autocomplete[f]}" value="${v[f] ?? ''}"${errors.has(f) ? raw(' aria-invalid="true"') : ''}>`
}
</p>`,
)}
<p class="check"><input type="checkbox" id="f-prefillConsent" name="prefillConsent" value="yes"${v.prefillConsent === 'yes' ? raw(' checked') : ''}> <label for="f-prefillConsent">${t.prefillConsent}</label></p>
<p><button type="submit">${t.submit}</button></p>
</form>`;
  return layout(lang, t.applyTitle, body, { path: '/apply' });
}

/** After a successful application: the access code, shown once. */
export function appliedPage(lang: Lang, code: string): View {
  const t = ui(lang);
  return layout(
    lang,
    t.appliedTitle,
    html`<h1>${t.appliedTitle}</h1>
<p>${t.appliedText}</p>
<p class="code">${t.accessCode}: <strong id="access-code">${code}</strong></p>
<p><a href="/requests?lang=${lang}">${t.navRequests}</a></p>`,
    { path: '/requests' },
  );
}

/** The request form (access code, kind, details) and the sign-in to see earlier requests. */
export function requestsPage(input: { readonly lang: Lang; readonly error?: 'code' | 'field' | 'value'; readonly signedIn: boolean }): View {
  const { lang } = input;
  const t = ui(lang);
  const fields = FORM_FIELDS.map((f) => html`<option value="${f}">${tr(ji4pePolicy.field(f).title, lang)}</option>`);
  const body = html`<h1>${t.requestsTitle}</h1>
<p>${t.requestsIntro}</p>
${input.error === 'code' ? html`<p class="error" role="alert">${t.codeUnknown}</p>` : ''}
${input.error === 'field' || input.error === 'value' ? html`<p class="error" role="alert">${t.field} / ${t.newValue}: ${t.invalid}</p>` : ''}
<form method="post" action="/requests">
<input type="hidden" name="lang" value="${lang}">
<p class="field"><label for="r-code">${t.accessCode}</label><input id="r-code" name="code" autocomplete="off" required></p>
<fieldset><legend>${t.kind}</legend>
${WEB_REQUEST_KINDS.map((k, i) => html`<p class="check"><input type="radio" id="k-${k}" name="kind" value="${k}"${i === 0 ? raw(' checked') : ''}> <label for="k-${k}">${t.kinds[k]}</label></p>`)}
</fieldset>
<p class="field"><label for="r-field">${t.field}</label><select id="r-field" name="field"><option value=""></option>${fields}</select></p>
<p class="field"><label for="r-value">${t.newValue}</label><input id="r-value" name="value" autocomplete="off"></p>
<p><button type="submit">${t.send}</button></p>
</form>
<h2>${t.signInTitle}</h2>
${
  input.signedIn
    ? html`<p><a href="/me?lang=${lang}">${t.myRequests}</a></p>`
    : html`<form method="post" action="/me/session">
<input type="hidden" name="lang" value="${lang}">
<p class="field"><label for="s-code">${t.accessCode}</label><input id="s-code" name="code" autocomplete="off" required></p>
<p><button type="submit">${t.signIn}</button></p>
</form>`
}`;
  return layout(lang, t.requestsTitle, body, { path: '/requests' });
}

function stateCell(r: DataSubjectRequest, lang: Lang, overdue: boolean): View {
  const t = ui(lang);
  return html`<span class="state" data-state="${r.state}">${t.states[r.state]}</span>${overdue ? html` <strong class="overdue">${t.overdue}</strong>` : ''}`;
}

/** The signed-in person's own requests. */
export function myRequestsPage(lang: Lang, requests: readonly DataSubjectRequest[], isOverdue: (r: DataSubjectRequest) => boolean): View {
  const t = ui(lang);
  const kindTitle = (k: string): string => (k in t.kinds ? t.kinds[k as WebRequestKind] : k);
  const body = html`<h1>${t.myRequests}</h1>
<table>
<thead><tr><th>${t.kind}</th><th>${t.state}</th><th>${t.received}</th><th>${t.due}</th></tr></thead>
<tbody>
${requests.map(
  (r) =>
    html`<tr><td><a href="/me/requests/${r.id}?lang=${lang}">${kindTitle(r.kind)}</a></td><td>${stateCell(r, lang, isOverdue(r))}</td><td>${when(r.receivedAt, lang)}</td><td>${when(r.dueAt, lang)}</td></tr>`,
)}
</tbody>
</table>
<form method="post" action="/me/sign-out"><input type="hidden" name="lang" value="${lang}"><button type="submit">${t.signOut}</button></form>`;
  return layout(lang, t.myRequests, body, { path: '/me' });
}

/** One of the person's requests; a completed disclosure shows the report (escaped by the SDK). */
export function myRequestPage(lang: Lang, r: DataSubjectRequest, disclosureHtml: string | undefined | null): View {
  const t = ui(lang);
  const kindTitle = r.kind in t.kinds ? t.kinds[r.kind as WebRequestKind] : r.kind;
  const body = html`<h1>${t.requestTitle}: ${kindTitle}</h1>
<p>${t.state}: <span class="state" data-state="${r.state}">${t.states[r.state]}</span> · ${t.received}: ${when(r.receivedAt, lang)} · ${t.due}: ${when(r.dueAt, lang)}</p>
${r.rejection ? html`<p class="error">${t.rejected} ${tr(r.rejection.explanation, lang)}</p>` : ''}
${
  r.kind === 'disclosure' && r.state !== 'rejected'
    ? html`<section class="disclosure" id="disclosure" aria-label="${t.disclosureTitle}">${
        // The SDK's report brings its own headings; escaped by renderDisclosure.
        disclosureHtml ? raw(disclosureHtml) : html`<h2>${t.disclosureTitle}</h2><p>${r.state === 'completed' ? t.disclosureGone : t.disclosurePending}</p>`
      }</section>`
    : ''
}
${
  // The answer letter of other kinds (APPI Arts. 32(2), 34(3), 35(7), 36), escaped by renderRequestNotice.
  r.kind !== 'disclosure' && disclosureHtml ? html`<section class="answer" id="answer" aria-label="${t.requestTitle}">${raw(disclosureHtml)}</section>` : ''
}
<p><a href="/me?lang=${lang}">${t.myRequests}</a></p>`;
  return layout(lang, t.requestTitle, body, { path: `/me/requests/${r.id}` });
}

/** A plain message page (not found, forbidden, errors): never a value, never an error message. */
export function messagePage(lang: Lang, title: string, text: string): View {
  return layout(lang, title, html`<h1>${title}</h1><p>${text}</p>`, { path: '/apply' });
}

/** The stylesheet (served from /assets/app.css: the CSP allows no inline style). */
export const STYLESHEET = `
body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem 3rem; line-height: 1.6; color: #1b1b1b; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
header .site { font-weight: bold; margin: .5rem 0; }
nav a { margin-right: 1rem; }
nav a.lang { float: right; }
.example { font-size: .85rem; color: #555; }
.notice { border: 1px solid #bbb; background: #f7f7f4; padding: .5rem 1rem; margin: 1rem 0; max-height: 28rem; overflow: auto; }
.field label { display: block; font-weight: bold; }
.field input, .field select, .field textarea { width: 100%; max-width: 30rem; padding: .3rem; font: inherit; }
.field.invalid input { border: 2px solid #b00020; }
.error { color: #b00020; }
.code strong { font-family: ui-monospace, monospace; font-size: 1.2rem; letter-spacing: .05em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.overdue { color: #b00020; }
.disclosure { border: 1px solid #bbb; padding: .5rem 1rem; }
.actions form { display: inline-block; margin: 0 .3rem .3rem 0; }
`;

/** Staff sign-in (example only: one shared password, see README). */
export function staffLoginPage(lang: Lang, failed: boolean): View {
  const title = lang === 'ja' ? '職員ログイン' : 'Staff sign-in';
  return layout(
    lang,
    title,
    html`<h1>${title}</h1>
${failed ? html`<p class="error" role="alert">${lang === 'ja' ? '職員IDかパスワードが正しくありません。' : 'Unknown staff id or wrong password.'}</p>` : ''}
<form method="post" action="/staff/login">
<input type="hidden" name="lang" value="${lang}">
<p class="field"><label for="st-id">${lang === 'ja' ? '職員ID' : 'Staff id'}</label><input id="st-id" name="staffId" autocomplete="username" required></p>
<p class="field"><label for="st-pw">${lang === 'ja' ? 'パスワード' : 'Password'}</label><input id="st-pw" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">${lang === 'ja' ? 'ログイン' : 'Sign in'}</button></p>
</form>`,
    { path: '/staff' },
  );
}

/** Rejection reasons staff can pick, with a default explanation to the person. */
export const STAFF_REJECTIONS = {
  'identity-not-verified': { en: 'We could not confirm that you are the person concerned.', ja: 'ご本人であることを確認できませんでした。' },
  'content-accurate': { en: 'We checked the detail and found it correct, so there is nothing to correct.', ja: '確認の結果、登録内容に誤りはなかったため、訂正は行いません。' },
  'requirements-not-met': { en: 'The conditions the law sets for this request are not met.', ja: '法令の定める請求の要件を満たしていません。' },
  'no-data-held': { en: 'We hold no personal data about you that matches the request.', ja: 'ご請求に該当する保有個人データはありません。' },
  other: { en: 'See the explanation from our staff.', ja: '職員からの説明をご覧ください。' },
} as const;

/** The staff list of requests with their actions. */
export function staffPage(input: {
  readonly lang: Lang;
  readonly actor: string;
  readonly requests: readonly DataSubjectRequest[];
  readonly isOverdue: (r: DataSubjectRequest) => boolean;
  readonly notice?: string;
}): View {
  const { lang } = input;
  const t = ui(lang);
  const ja = lang === 'ja';
  const title = ja ? '請求の一覧（職員）' : 'Requests (staff)';
  const open = (r: DataSubjectRequest) => r.state === 'received' || r.state === 'identity-verified' || r.state === 'in-progress';
  const body = html`<h1>${title}</h1>
<p>${ja ? 'ログイン中：' : 'Signed in as '}<strong id="staff-actor">${input.actor}</strong></p>
${input.notice ? html`<p class="error" role="alert" id="staff-notice">${input.notice}</p>` : ''}
<table id="requests">
<thead><tr><th>ID</th><th>${t.kind}</th><th>${ja ? '本人（ID）' : 'Subject (id)'}</th><th>${t.state}</th><th>${t.received}</th><th>${t.due}</th><th>${ja ? '操作' : 'Actions'}</th></tr></thead>
<tbody>
${input.requests.map(
  (r) => html`<tr data-request="${r.id}" data-kind="${r.kind}" data-state="${r.state}" data-overdue="${input.isOverdue(r) ? 'yes' : 'no'}">
<td><code>${r.id}</code></td><td>${r.kind}${r.fields ? html` (${r.fields.join(', ')})` : ''}</td><td><code>${r.subject}</code></td>
<td>${stateCell(r, lang, input.isOverdue(r))}</td><td>${when(r.receivedAt, lang)}</td><td>${when(r.dueAt, lang)}</td>
<td class="actions">${
    open(r)
      ? html`${
          r.state === 'received'
            ? html`<form method="post" action="/staff/requests/${r.id}/verify"><input type="hidden" name="lang" value="${lang}"><label>${t.accessCode} <input name="code" autocomplete="off" required></label> <button type="submit">${ja ? '本人確認' : 'Verify'}</button></form>`
            : html`<form method="post" action="/staff/requests/${r.id}/complete"><input type="hidden" name="lang" value="${lang}"><button type="submit" name="action" value="complete">${ja ? '対応して完了' : 'Complete'}</button></form>`
        }
<form method="post" action="/staff/requests/${r.id}/reject"><input type="hidden" name="lang" value="${lang}">
<select name="reason" aria-label="${ja ? '理由' : 'Reason'}">${Object.keys(STAFF_REJECTIONS).map((k) => html`<option value="${k}">${k}</option>`)}</select>
<input name="explanation" aria-label="${ja ? '説明' : 'Explanation'}" placeholder="${ja ? '本人への説明（個人情報を書かない）' : 'Explanation to the person (no personal data)'}">
<button type="submit">${ja ? '不応諾' : 'Reject'}</button></form>`
      : html`${r.rejection ? r.rejection.reason : ''}`
  }</td>
</tr>`,
)}
</tbody>
</table>
<form method="post" action="/staff/sign-out"><input type="hidden" name="lang" value="${lang}"><button type="submit">${t.signOut}</button></form>`;
  return layout(lang, title, body, { path: '/staff' });
}
