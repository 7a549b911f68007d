/**
 * The web example in headless Chromium (the system's, found by `scripts/chromium.ts`; driven by playwright-core): two
 * people apply (notice at collection in Japanese and English), one asks for disclosure, staff
 * complete it, and the person sees their own data and never the other person's. A hostile name
 * renders as text; no dialog fires; no log line or audit entry holds a value.
 *
 * Then the security review, over HTTP: cookie confusion (a person's cookie replayed as staff),
 * brute force on access codes and the staff password (lockout), framing and feature headers,
 * and log lines that never hold a raw URL segment.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { HtmlValidate } from 'html-validate';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/chromium.js';
import { createLocalKeyring, createVault, generateKey, memorySubjectSecrets, type Vault } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ji4pePolicy, type Ji4pePolicy } from '../ji4pe/policy.js';
import { createWebApp, type WebLogLine } from './app.js';
import { cookieKey, parseSessionValue, sessionValue } from './cookie-keys.js';

const HOSTILE = '<img src=x onerror=alert(document.domain)>';
const A = { name: `${HOSTILE}山田花子`, dateOfBirth: '1990-04-12', address: '東京都千代田区丸の内1-1-1', phone: '03-1234-5678', email: 'hanako.yamada@example.jp' };
const B = { name: 'Kenji Ito', dateOfBirth: '1985-11-30', address: '大阪府大阪市北区梅田2-2-2', phone: '06-9876-5432', email: 'kenji.ito@example.org' };
const B_NEW_ADDRESS = '大阪府大阪市中央区本町3-3-3';
const STAFF_PASSWORD = 'correct horse battery staple';

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
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] });
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
    for (const title of ['Informing and contacting users', 'Identification, authentication, billing and invoicing', 'Easier applications', 'Refusing improper use'])
      expect(en).toContain(title);
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

/**
 * What a security reviewer checks, over HTTP (no browser needed): a second app on the memory
 * adapter, with a per-test client key so lockouts of one test do not leak into another.
 */
describe('web example security review', () => {
  const secLogs: WebLogLine[] = [];
  let secVault: Vault<Ji4pePolicy>;
  let secServer: ServerType;
  let url: string;
  let code = '';
  let staffCookie = '';
  const LIMITS = { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 900, staffFailuresPerHour: 8 };

  beforeAll(async () => {
    const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
    secVault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring });
    const { app } = createWebApp({
      vault: secVault,
      keyring,
      staffPassword: STAFF_PASSWORD,
      sessionSecret: generateKey(),
      log: (l) => secLogs.push(l),
      attemptLimits: LIMITS,
      clientKey: (c) => c.req.header('x-test-client') ?? 'default',
    });
    await new Promise<void>((resolve) => {
      secServer = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(secServer.address() as AddressInfo).port}`;
    const applied = await post('/apply', { ...B, lang: 'en', noticeVersion: ji4pePolicy.version }, 'applicant');
    expect(applied.status).toBe(201);
    code = /id="access-code">([A-Z2-9-]+)</.exec(await applied.text())?.[1] ?? '';
    expect(code).toMatch(/^[A-Z2-9]{5}-/);
    staffCookie = cookieOf(await post('/staff/login', { staffId: 'aiko', password: STAFF_PASSWORD, lang: 'en' }, 'staff-log'), 'pb_staff');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (secServer ? secServer.close(() => resolve()) : resolve()));
    await secVault?.close();
  });

  function post(path: string, form: Record<string, string>, client: string, cookie?: string): Promise<Response> {
    return fetch(`${url}${path}`, {
      method: 'POST',
      body: new URLSearchParams(form),
      redirect: 'manual',
      headers: { origin: url, 'x-test-client': client, ...(cookie !== undefined && { cookie }) },
    });
  }
  const get = (path: string, client: string, cookie?: string): Promise<Response> =>
    fetch(`${url}${path}`, { redirect: 'manual', headers: { 'x-test-client': client, ...(cookie !== undefined && { cookie }) } });
  /** `name=value` of a Set-Cookie header. */
  const cookieOf = (res: Response, name: string): string => {
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
    expect(line, `Set-Cookie ${name}`).toBeDefined();
    return (line as string).split(';')[0] as string;
  };

  it("a person's session cookie is not a staff session: copied into pb_staff it opens nothing", async () => {
    const session = await post('/me/session', { code, lang: 'en' }, 'person');
    expect(session.status).toBe(303);
    const person = cookieOf(session, 'pb_person');
    const value = person.slice('pb_person='.length);
    // The person's own cookie works for the person's pages...
    expect((await get('/me?lang=en', 'person', person)).status).toBe(200);
    // ...and the same signed value under the staff cookie's name is refused everywhere.
    const forged = `pb_staff=${value}`;
    const staffPage = await get('/staff?lang=en', 'person', forged);
    expect(staffPage.status).toBe(200);
    const html = await staffPage.text();
    expect(html).toContain('st-pw'); // the login form
    expect(html).not.toContain('id="requests"');
    const requestId = (await secVault.adapter.transaction((tx) => tx.listRecords('request', {}))).map((r) => r.id)[0];
    const action = await post(`/staff/requests/${requestId ?? 'none'}/complete`, { lang: 'en' }, 'person', forged);
    expect(action.status).toBe(401);
    expect(secLogs.at(-1)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(secLogs.at(-1)?.actor).toBeUndefined();
    // A staff cookie does not open a person's pages either.
    const login = await post('/staff/login', { staffId: 'aiko', password: STAFF_PASSWORD, lang: 'en' }, 'staff-1');
    expect(login.status).toBe(303);
    const staffValue = cookieOf(login, 'pb_staff').slice('pb_staff='.length);
    expect((await get('/staff?lang=en', 'staff-1', `pb_staff=${staffValue}`)).status).toBe(200);
    const asPerson = await get('/me?lang=en', 'staff-1', `pb_person=${staffValue}`);
    expect(asPerson.status).toBe(303);
    expect(asPerson.headers.get('location')).toMatch(/^\/requests/);
  });

  it('signs each cookie with its own key and role', () => {
    const secret = generateKey();
    expect(cookieKey(secret, 'pb_person')).not.toBe(cookieKey(secret, 'pb_staff'));
    expect(cookieKey(secret, 'pb_person')).toBe(cookieKey(secret, 'pb_person'));
    const now = Date.now();
    expect(parseSessionValue(sessionValue('person', 's1', now + 1000), 'person', now)).toBe('s1');
    expect(parseSessionValue(sessionValue('person', 'staff:aiko', now + 1000), 'staff', now)).toBeUndefined();
    expect(parseSessionValue(sessionValue('staff', 'staff:aiko', now - 1), 'staff', now)).toBeUndefined();
    expect(parseSessionValue('staff:aiko|99999999999999', 'staff', now)).toBeUndefined(); // the old shape
  });

  it('locks a client out after 5 wrong access codes, refusing even the right code meanwhile', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post('/me/session', { code: `AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-${'F'}`, lang: 'en' }, 'guesser')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const right = await post('/me/session', { code, lang: 'en' }, 'guesser');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(right.headers.getSetCookie()).toEqual([]);
    // The request form counts against the same lockout.
    expect((await post('/requests', { code, kind: 'disclosure', lang: 'en' }, 'guesser')).status).toBe(429);
    expect(secLogs.at(-1)).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    // Another client is not affected.
    expect((await post('/me/session', { code, lang: 'en' }, 'someone-else')).status).toBe(303);
  });

  it('locks a client out after 5 wrong staff passwords, and everyone after 8 failures overall', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('/staff/login', { staffId: 'aiko', password: `wrong password ${i}`, lang: 'en' }, 'pw-guesser')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const right = await post('/staff/login', { staffId: 'aiko', password: STAFF_PASSWORD, lang: 'en' }, 'pw-guesser');
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    // A distributed guess: 3 more failures from other addresses spend the shared budget of 8...
    for (const client of ['pw-2', 'pw-3', 'pw-4']) expect((await post('/staff/login', { staffId: 'aiko', password: 'nope nope nope', lang: 'en' }, client)).status).toBe(401);
    // ...and staff sign-in is closed for every client, the right password included.
    const staff = await post('/staff/login', { staffId: 'ren', password: STAFF_PASSWORD, lang: 'en' }, 'staff-office');
    expect(staff.status).toBe(429);
    expect(secLogs.filter((l) => l.code === 'TOO_MANY_ATTEMPTS').length).toBeGreaterThanOrEqual(2);
  });

  it("forbids framing (frame-ancestors 'none' and X-Frame-Options DENY) and every powerful browser feature", async () => {
    for (const path of ['/apply?lang=en', '/requests?lang=ja', '/staff?lang=en', '/no-such-page']) {
      const res = await get(path, 'headers');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const permissions = res.headers.get('permissions-policy') ?? '';
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(permissions).toContain(`${feature}=()`);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('never logs a raw URL segment: made-up request ids are not found and not logged', async () => {
    const staff = staffCookie;
    const session = cookieOf(await post('/me/session', { code, lang: 'en' }, 'person-log'), 'pb_person');
    const planted = `${encodeURIComponent(B.email)}%0A{"status":200}`;
    const before = secLogs.length;
    expect((await post(`/staff/requests/${planted}/complete`, { lang: 'en' }, 'staff-log', staff)).status).toBe(404);
    expect((await get(`/me/requests/${planted}?lang=en`, 'person-log', session)).status).toBe(404);
    const lines = secLogs.slice(before);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => [l.route, l.status, l.code, l.request])).toEqual([
      ['/staff/requests/:id/:action', 404, 'REQUEST_NOT_FOUND', undefined],
      ['/me/requests/:id', 404, 'REQUEST_NOT_FOUND', undefined],
    ]);
    const text = JSON.stringify(lines);
    for (const v of [B.email, 'kenji', '{"status"', planted]) expect(text.toLowerCase()).not.toContain(v.toLowerCase());
    // A real id is logged once it is known.
    const real = (await secVault.adapter.transaction((tx) => tx.listRecords('request', {})))[0]?.id;
    if (real !== undefined) {
      await post(`/staff/requests/${real}/verify`, { code, lang: 'en' }, 'staff-log', staff);
      expect(secLogs.at(-1)?.request).toBe(real);
    }
  });
});
