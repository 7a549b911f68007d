/**
 * The API reference (typedoc, `npm run docs`): one module per import path, named by it, and the
 * root's exports grouped by area (`scripts/typedoc-groups.ts`), not one flat list. Generated
 * into a temporary directory as JSON and HTML; the HTML landing page is opened in headless
 * Chromium to check what a reader sees in the navigation.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/chromium.js';
import { API_GROUPS, groupOf } from '../../scripts/typedoc-groups.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Node {
  name: string;
  kind: number;
  children?: Node[];
  groups?: { title: string; children: number[] }[];
  id: number;
}

let dir: string;
let project: Node;
let importPaths: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-api-'));
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--json', join(dir, 'api.json'), '--out', join(dir, 'html')],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  project = JSON.parse(await readFile(join(dir, 'api.json'), 'utf8')) as Node;
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  importPaths = Object.keys(pkg.exports)
    .filter((k) => k !== './package.json')
    .map((k) => (k === '.' ? 'purpose-bound' : `purpose-bound/${k.slice(2)}`));
}, 180_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const moduleNamed = (name: string): Node => project.children?.find((m) => m.name === name) as Node;
function groupMembers(mod: Node, title: string): string[] {
  const ids = new Set(mod.groups?.find((g) => g.title === title)?.children ?? []);
  return (mod.children ?? []).filter((c) => ids.has(c.id)).map((c) => c.name);
}

describe('API reference', () => {
  it('has one module per import path of package.json, named by it, the root first', () => {
    expect(project.children?.map((m) => m.name)).toEqual(importPaths);
  });

  it("groups the root's exports by area, in order, leaving nothing ungrouped", () => {
    const root = moduleNamed('purpose-bound');
    const titles = root.groups?.map((g) => g.title) ?? [];
    expect(titles).toEqual(API_GROUPS.filter((g) => titles.includes(g)));
    expect(titles).not.toContain('Other');
    for (const g of ['Policy', 'Fields and guard', 'Vault', 'Storage, adapters and keys', 'Audit log', 'Notices', 'Requests', 'Receipts', 'Errors']) expect(titles).toContain(g);
    expect(groupMembers(root, 'Policy')).toContain('definePolicy');
    expect(groupMembers(root, 'Fields and guard')).toEqual(expect.arrayContaining(['PersonalField', 'createGuard']));
    expect(groupMembers(root, 'Vault')).toContain('createVault');
    expect(groupMembers(root, 'Storage, adapters and keys')).toEqual(expect.arrayContaining(['createLocalKeyring', 'StorageAdapter']));
    expect(groupMembers(root, 'Audit log')).toContain('verifyAuditLog');
    expect(groupMembers(root, 'Notices')).toContain('renderNotice');
    expect(groupMembers(root, 'Requests')).toContain('createRequestDesk');
    // Every error class in Errors, and nothing from the other areas.
    const errors = groupMembers(root, 'Errors');
    expect(errors).toContain('PurposeBoundError');
    const errorClasses = (root.children ?? []).filter((c) => c.kind === 128 && c.name.endsWith('Error')).map((c) => c.name);
    expect(errorClasses.length).toBeGreaterThan(20);
    for (const name of errorClasses) expect(errors).toContain(name);
    for (const name of ['createVault', 'definePolicy', 'renderNotice', 'PersonalField']) expect(errors).not.toContain(name);
  });

  it('assigns groups by source folder', () => {
    expect(groupOf('src/vault/create-vault.ts', 'createVault', false)).toBe('Vault');
    expect(groupOf('src/vault/errors.ts', 'ValueNotFoundError', true)).toBe('Errors');
    expect(groupOf('src/errors/purpose-not-allowed.ts', 'PurposeNotAllowedError', true)).toBe('Errors');
    expect(groupOf('src/provision/provisions.ts', 'createProvisions', false)).toBe('Requests');
    expect(groupOf('src/consent-receipts/kantara.ts', 'toKantaraReceipt', false)).toBe('Receipts');
    expect(groupOf('src/somewhere-new/x.ts', 'x', false)).toBe('Other');
  });

  it('shows the import paths in the navigation of the landing page (headless Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'html', 'index.html')).href);
      await page.locator('nav.tsd-navigation summary').first().click();
      const nav = (await page.locator('nav.tsd-navigation').innerText()).split('\n').map((l) => l.trim());
      for (const p of importPaths) expect(nav).toContain(p);
      expect(await page.locator('h1, h2').allTextContents()).toContain('API reference');
      // The landing page opens with what the package is, not with a contributor's set-up.
      const text = await page.locator('.tsd-panel.tsd-typography').first().innerText();
      expect(text).toContain('npm install purpose-bound zod');
      expect(text).not.toMatch(/apt-get|Debian|npm ci/);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
