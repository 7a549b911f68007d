/**
 * The notices in a real browser: headless Chromium (the system's, found by
 * `scripts/chromium.ts`; driven by playwright-core). Asserts on text and layout, never on pixels; screenshots go to a temp dir.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE_SECTIONS, renderNotice } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { hostilePolicy } from './helpers.js';

/** The few browser globals the page-side callbacks touch (the project compiles without the DOM lib). */
interface PageGlobals {
  __ran: number;
  alert: () => void;
  confirm: () => boolean;
  prompt: () => null;
  document: { documentElement: { lang: string }; querySelectorAll(selector: string): { length: number } };
}

let browser: Browser;
let shots: string;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] });
  shots = await mkdtemp(join(tmpdir(), 'pb-notice-shots-'));
});
afterAll(async () => {
  await browser?.close();
  if (shots) await rm(shots, { recursive: true, force: true });
});

interface Loaded {
  readonly page: Page;
  readonly dialogs: string[];
  readonly errors: string[];
}

/** Load HTML with every other network request blocked and script-execution detectors installed first. */
async function load(html: string): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // The page is served from a fake origin; every other request (an injected <img>, a font...) is refused.
  await page.route('**/*', (route) =>
    route.request().url() === 'https://notice.test/' ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort(),
  );
  // Runs before any page script: a script that ran would flip this flag via alert/onerror.
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__ran = 0;
    const mark = (): void => {
      w.__ran++;
    };
    w.alert = mark;
    w.confirm = () => (mark(), false);
    w.prompt = () => (mark(), null);
  });
  await page.goto('https://notice.test/', { waitUntil: 'load' });
  expect(await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).__ran)).toBe('number');
  return { page, dialogs, errors };
}

describe('notices in Chromium', () => {
  for (const lang of ['en', 'ja'] as const) {
    it(`the ${lang} full policy page: lang, title, 18 visible headings in order, purposes list`, async () => {
      const html = renderNotice(ji4pePolicy, { kind: 'policy', lang, format: 'html', page: true });
      const { page, dialogs, errors } = await load(html);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe(lang);
      expect(await page.title()).toBe(lang === 'ja' ? 'Ji4pe プライバシーポリシー（個人情報保護方針）' : 'Ji4pe Privacy Policy');
      const h2 = page.locator('h2');
      expect(await h2.count()).toBe(18);
      const texts = await h2.allInnerTexts();
      NOTICE_SECTIONS.forEach((s, i) => expect(texts[i]).toBe(`${i + 1}${lang === 'ja' ? '．' : '. '}${s.heading[lang]}`));
      // Layout: every heading is visible, has a size, and they go down the page in order.
      let lastY = (await page.locator('h1').boundingBox())?.y ?? Number.NaN;
      for (let i = 0; i < 18; i++) {
        const box = await h2.nth(i).boundingBox();
        expect(box).not.toBeNull();
        expect(box!.height).toBeGreaterThan(10);
        expect(box!.width).toBeGreaterThan(100);
        expect(box!.y).toBeGreaterThan(lastY);
        lastY = box!.y;
        expect(await h2.nth(i).isVisible()).toBe(true);
      }
      // The purposes: an ordered list of 7 items, the 7th holding the 2 incidental purposes.
      const purposes = page.locator('section[aria-labelledby="pb-policy-purposes"] > ol > li');
      expect(await purposes.count()).toBe(7);
      expect(await purposes.nth(6).locator('li').count()).toBe(2);
      const body = await page.locator('body').innerText();
      expect(body).toContain(lang === 'ja' ? '施行日：2020年9月1日' : 'Effective date: 1 September 2020');
      // Readable width: the text column is centred and narrower than the viewport.
      const main = await page.locator('main').boundingBox();
      expect(main!.width).toBeLessThan(800);
      expect(main!.x).toBeGreaterThan(50);
      await page.screenshot({ path: join(shots, `policy-${lang}.png`), fullPage: true });
      expect((await stat(join(shots, `policy-${lang}.png`))).size).toBeGreaterThan(10_000);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('a hostile policy renders as text: no dialog, no script, no injected element', async () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const html of [
        renderNotice(hostilePolicy, { kind: 'policy', lang, format: 'html', page: true }),
        renderNotice(hostilePolicy, { kind: 'collection', collectionPoint: 'form', lang, format: 'html', page: true }),
      ]) {
        const { page, dialogs, errors } = await load(html);
        await page.waitForTimeout(50);
        expect(dialogs).toEqual([]);
        expect(errors).toEqual([]);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__ran)).toBe(0);
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('script, img, svg, iframe, b, a[href^="javascript"]').length)).toBe(0);
        const text = await page.locator('body').innerText();
        expect(text).toContain('<img src=x onerror=alert(1)>');
        expect(text).toContain('<script>alert(5)</script>');
        expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang)).toBe(lang);
        await page.screenshot({ path: join(shots, `hostile-${lang}.png`) });
        await page.close();
      }
    }
  });

  it('the ja collection notice lays out its purposes and fields as lists', async () => {
    const html = renderNotice(ji4pePolicy, { kind: 'collection', collectionPoint: 'eventApplication', lang: 'ja', format: 'html', page: true });
    const { page } = await load(html);
    expect(await page.title()).toBe('個人情報の取扱い（イベントのお申込み）');
    expect(await page.locator('h1').innerText()).toBe('個人情報の取扱いについて');
    expect(await page.locator('section[aria-labelledby="pb-collection-collected"] li').count()).toBe(5);
    expect(await page.locator('section[aria-labelledby="pb-collection-purposes"] > ol > li').count()).toBe(6);
    expect(await page.locator('h2').allInnerTexts()).toEqual([
      '個人情報取扱事業者',
      '取得する個人情報',
      '利用目的',
      '第三者への提供',
      '個人データの取扱いの委託',
      '保存期間',
      '開示等の請求及びお問い合わせ',
      'プライバシーポリシー',
    ]);
    await page.screenshot({ path: join(shots, 'collection-ja.png'), fullPage: true });
    await page.close();
  });
});
