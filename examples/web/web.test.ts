/**
 * The web example in headless Chromium (Debian's `chromium`, driven by playwright-core): two
 * people apply (notice at collection in Japanese and English), one asks for disclosure, staff
 * complete it, and the person sees their own data and never the other person's. A hostile name
 * renders as text; no dialog fires; no log line or audit entry holds a value.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { HtmlValidate } from 'html-validate';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLocalKeyring, createVault, generateKey, memorySubjectSecrets, type Vault } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ji4pePolicy, type Ji4pePolicy } from '../ji4pe/policy.js';
import { createWebApp, type WebLogLine } from './app.js';

const HOSTILE = '<img src=x onerror=alert(document.domain)>';
const A = { name: `${HOSTILE}山田花子`, dateOfBirth: '1990-04-12', address: '東京都千代田区丸の内1-1-1', phone: '03-1234-5678', email: 'hanako.yamada@example.jp' };
const B = { name: 'Kenji Ito', dateOfBirth: '1985-11-30', address: '大阪府大阪市北区梅田2-2-2', phone: '06-9876-5432', email: 'kenji.ito@example.org' };
const B_NEW_ADDRESS = '大阪府大阪市中央区本町3-3-3';
const STAFF_PASSWORD = 'correct horse battery staple';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const logs: WebLogLine[] = [];
const dialogs: string[] = [];
let offsetMs = 0;
const clock = (): Date => new Date(Date.now() + offsetMs);
let vault: Vault<Ji4pePolicy>;
let server: ServerType;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const shots = mkdtempSync(join(tmpdir(), 'pb-web-'));
const codes: { a?: string; b?: string } = {};
let disclosureId = '';

beforeAll(async () => {
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  vault = await createVault({ policy: ji4pePolicy, adapter: pgliteAdapter(), keyring });
  const { app } = createWebApp({ vault, keyring, staffPassword: STAFF_PASSWORD, sessionSecret: generateKey(), log: (l) => logs.push(l), clock });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await vault?.close();
});

/** A fresh browser profile (own cookies) for one person, with a dialog trap. */
async function person(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return page;
}

async function apply(page: Page, lang: 'ja' | 'en', values: typeof A, consent: boolean): Promise<string> {
  await page.goto(`${base}/apply?lang=${lang}`);
  for (const [field, value] of Object.entries(values)) await page.fill(`#f-${field}`, value);
  if (consent) await page.check('#f-prefillConsent');
  await page.click('form[action="/apply"] button[type=submit]');
  await page.waitForSelector('#access-code');
  return (await page.textContent('#access-code')) ?? '';
}

async function request(page: Page, code: string, kind: string, extra: { field?: string; value?: string } = {}): Promise<string> {
  await page.goto(`${base}/requests?lang=en`);
  await page.fill('#r-code', code);
  await page.check(`#k-${kind}`);
  if (extra.field) await page.selectOption('#r-field', extra.field);
  if (extra.value) await page.fill('#r-value', extra.value);
  await page.click('form[action="/requests"] button[type=submit]');
  await page.waitForURL(/\/me\/requests\//);
  return new URL(page.url()).pathname.split('/').pop() as string;
}

async function staffPage(): Promise<Page> {
  const page = await person();
  await page.goto(`${base}/staff?lang=en`);
  await page.fill('#st-id', 'aiko');
  await page.fill('#st-pw', STAFF_PASSWORD);
  await page.click('form[action="/staff/login"] button[type=submit]');
  await page.waitForSelector('#requests');
  return page;
}

const valuesOf = (p: typeof A): string[] => Object.values(p);

// `page.content()` serialises the DOM, which writes boolean attributes as `novalidate=""`.
const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'attribute-boolean-style': 'off' } });
/** The page's HTML is valid (html-validate recommended rules): messages, empty when valid. */
async function htmlProblems(page: Page): Promise<string[]> {
  const report = await validator.validateString(await page.content());
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
}

describe('web example in headless Chromium', () => {
  it('shows the notice at collection in Japanese and English, under a CSP without scripts', async () => {
    const page = await person();
    const res = await page.goto(`${base}/apply?lang=ja`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res?.headers()['cache-control']).toBe('no-store');
    const notice = page.locator('#notice');
    await expect.poll(() => notice.locator('h2').allTextContents()).toContain('利用目的');
    const ja = (await notice.textContent()) ?? '';
    for (const title of ['ご案内及びご連絡', '本人確認、認証、請求及び請求書の発行', 'お申込みの簡略化', '不正利用の防止']) expect(ja).toContain(title);
    expect(await page.textContent('label[for="f-dateOfBirth"]')).toBe('生年月日');
    expect(await page.locator('script').count()).toBe(0);
    expect(await htmlProblems(page)).toEqual([]);

    await page.click('a.lang');
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await notice.locator('h2').allTextContents()).toContain('Purposes of use');
    const en = (await notice.textContent()) ?? '';
    for (const title of ['Informing and contacting users', 'Identification, authentication, billing and invoicing', 'Easier applications', 'Refusing improper use']) expect(en).toContain(title);
    expect(en).not.toContain('利用目的');
  });

  it('re-shows the form naming the invalid fields, keeping values out of the log', async () => {
    const page = await person();
    await page.goto(`${base}/apply?lang=en`);
    await page.fill('#f-name', B.name);
    await page.fill('#f-dateOfBirth', B.dateOfBirth);
    await page.fill('#f-address', B.address);
    await page.fill('#f-email', 'not-an-email');
    await page.click('form[action="/apply"] button[type=submit]');
    await page.waitForSelector('#errors');
    expect(await Promise.all((await page.locator('#errors li').all()).map((li) => li.getAttribute('data-field')))).toEqual(['phone', 'email']);
    expect(await page.getAttribute('#f-email', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-name')).toBe(B.name);
    expect(await page.inputValue('#f-address')).toBe(B.address);
    expect(await htmlProblems(page)).toEqual([]);
    const line = logs.findLast((l) => l.method === 'POST' && l.route === '/apply');
    expect(line).toMatchObject({ status: 422, code: 'INVALID_PERSONAL_VALUE', invalid: ['phone', 'email'] });
    expect(await vault.adapter.transaction((tx) => tx.listSubjects())).toHaveLength(0);
  });

  it('two people apply; each is given an access code', async () => {
    codes.a = await apply(await person(), 'en', A, false);
    codes.b = await apply(await person(), 'ja', B, true);
    expect(codes.a).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{1,5}){5}$/);
    expect(codes.b).not.toBe(codes.a);
    const subjects = await vault.adapter.transaction((tx) => tx.listSubjects());
    expect(subjects).toHaveLength(2);
    const provenance = await vault.provenance(subjects[0]!.id);
    expect(provenance['email']).toMatchObject({ collectionPoint: 'courseApplication', noticeVersion: ji4pePolicy.version, source: 'subject' });
    // Only B ticked the consent box.
    const consents = await Promise.all(subjects.map((s) => vault.consents.list(s.id)));
    expect(consents.map((c) => c.length).sort()).toEqual([0, 1]);
  });

  it('A asks for disclosure, staff complete it, A sees only their own data, rendered as text', async () => {
    const pageA = await person();
    disclosureId = await request(pageA, codes.a as string, 'disclosure');
    expect(await pageA.getAttribute('.state', 'data-state')).toBe('identity-verified');

    const staff = await staffPage();
    const row = staff.locator(`tr[data-request="${disclosureId}"]`);
    expect(await row.getAttribute('data-state')).toBe('identity-verified');
    expect(await row.getAttribute('data-overdue')).toBe('no');
    await row.locator('button[value=complete]').click();
    await staff.waitForURL(/msg=DISCLOSED/);
    expect(await staff.locator(`tr[data-request="${disclosureId}"]`).getAttribute('data-state')).toBe('completed');
    const staffHtml = await staff.content();
    for (const v of [...valuesOf(A), ...valuesOf(B), 'Kenji', '山田花子']) expect(staffHtml).not.toContain(v);

    await pageA.reload();
    const report = pageA.locator('#disclosure');
    const text = (await report.textContent()) ?? '';
    for (const v of [A.email, A.address, A.phone, A.dateOfBirth, A.name]) expect(text).toContain(v);
    expect(await report.locator('img').count()).toBe(0);
    const html = await pageA.content();
    expect(html).toContain('&lt;img src=x onerror=alert(document.domain)&gt;');
    for (const v of valuesOf(B)) expect(html).not.toContain(v);
    expect(html).not.toContain('Kenji');
    expect(await htmlProblems(pageA)).toEqual([]);
    expect(await htmlProblems(staff)).toEqual([]);
    await pageA.screenshot({ path: join(shots, 'disclosure.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  it("B cannot open A's request, and B's own requests move to overdue, correction and refusal", async () => {
    const pageB = await person();
    await pageB.goto(`${base}/requests?lang=en`);
    await pageB.fill('#s-code', codes.b as string);
    await pageB.click('form[action="/me/session"] button[type=submit]');
    await pageB.waitForURL(/\/me\?/);
    const res = await pageB.goto(`${base}/me/requests/${disclosureId}?lang=en`);
    expect(res?.status()).toBe(404);
    const html = await pageB.content();
    for (const v of valuesOf(A)) expect(html).not.toContain(v);
    expect(html).not.toContain('onerror');

    const suspension = await request(pageB, codes.b as string, 'suspension');
    const correction = await request(pageB, codes.b as string, 'correction', { field: 'address', value: B_NEW_ADDRESS });
    offsetMs = 15 * 86_400_000; // fifteen days later: past the 14-day answer target
    const staff = await staffPage();
    const susRow = staff.locator(`tr[data-request="${suspension}"]`);
    expect(await susRow.getAttribute('data-overdue')).toBe('yes');
    expect(await susRow.locator('.overdue').textContent()).toBe('overdue');
    expect(await staff.locator(`tr[data-request="${disclosureId}"]`).getAttribute('data-overdue')).toBe('no');

    await staff.locator(`tr[data-request="${correction}"] button[value=complete]`).click();
    await staff.waitForURL(/msg=CORRECTED/);
    expect(await staff.content()).not.toContain(B_NEW_ADDRESS);
    const subjectB = (await vault.adapter.transaction((tx) => tx.getRecord('request', correction)))?.subjectId as string;
    expect(await vault.read(subjectB, 'address', { purpose: 'contact', actor: 'test' })).toBe(B_NEW_ADDRESS);

    const rejectForm = staff.locator(`tr[data-request="${suspension}"] form[action$="/reject"]`);
    await rejectForm.locator('select').selectOption('requirements-not-met');
    await rejectForm.locator('input[name=explanation]').fill('Use for the course you applied for is still needed.');
    await rejectForm.locator('button').click();
    await staff.waitForURL(/msg=REJECTED/);
    offsetMs = 0; // back to now: B's 30-minute session would have ended fifteen days later
    await pageB.goto(`${base}/me/requests/${suspension}?lang=en`);
    expect(await pageB.getAttribute('.state', 'data-state')).toBe('rejected');
    expect(await pageB.textContent('main')).toContain('The conditions the law sets for this request are not met.');
  });

  it('B asks for notification of the purposes and to stop provision to third parties; staff answer; B reads the letters', async () => {
    const pageB = await person();
    const purposes = await request(pageB, codes.b as string, 'purposes-notification');
    const stop = await request(pageB, codes.b as string, 'stop-provision');
    const staff = await staffPage();
    await staff.locator(`tr[data-request="${purposes}"] button[value=complete]`).click();
    await staff.waitForURL(/msg=PURPOSES_NOTIFIED/);
    await staff.locator(`tr[data-request="${stop}"] button[value=complete]`).click();
    await staff.waitForURL(/msg=PROVISION_STOPPED/);
    await pageB.goto(`${base}/me/requests/${purposes}?lang=ja`);
    expect(await pageB.getAttribute('.state', 'data-state')).toBe('completed');
    expect(await pageB.textContent('#answer')).toContain('ご本人が識別される保有個人データの利用目的は、次のとおりです（法第32条第2項）。');
    expect(await htmlProblems(pageB)).toEqual([]);
    await pageB.goto(`${base}/me/requests/${stop}?lang=ja`);
    expect(await pageB.textContent('#answer')).toContain('第三者への提供の停止を行いましたので、通知いたします（法第35条第7項）');
    const html = await pageB.content();
    for (const v of valuesOf(B)) expect(html).not.toContain(v);
  });

  it('refuses a cross-site form post before reading it', async () => {
    const before = (await vault.adapter.transaction((tx) => tx.listSubjects())).length;
    const body = new URLSearchParams({ ...B, lang: 'en', noticeVersion: ji4pePolicy.version });
    const res = await fetch(`${base}/apply`, { method: 'POST', body, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain(B.name);
    expect((await vault.adapter.transaction((tx) => tx.listSubjects())).length).toBe(before);
    expect(logs.at(-1)).toMatchObject({ method: 'POST', status: 403, code: 'CROSS_SITE_REQUEST' });
  });

  it('a wrong access code names no one; no log line or audit entry holds a value or a code', async () => {
    const page = await person();
    await page.goto(`${base}/requests?lang=ja`);
    await page.fill('#r-code', 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-F');
    await page.click('form[action="/requests"] button[type=submit]');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('アクセスコードが正しくありません');

    const logText = JSON.stringify(logs);
    const audit = JSON.stringify(await vault.audit.entries());
    for (const v of [...valuesOf(A), ...valuesOf(B), B_NEW_ADDRESS, 'Kenji', '山田', 'onerror', codes.a as string, codes.b as string]) {
      expect(logText).not.toContain(v);
      expect(audit).not.toContain(v);
    }
    expect(logs.some((l) => l.code === 'ACCESS_CODE_UNKNOWN' && l.status === 401)).toBe(true);
    expect(logs.filter((l) => l.code === 'APPLIED')).toHaveLength(2);
    expect(dialogs).toEqual([]);
  });
});
