/**
 * The CLI's `notices` and `diff` commands on the ji4pe policy and a later version of it
 * (`fixtures/ji4pe-v2.ts`: a new consent purpose using the e-mail address, a new field, a
 * longer retention, a new contractor).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const V1 = 'examples/ji4pe/policy.ts';
const V2 = 'test/cli/fixtures/ji4pe-v2.ts';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-cli-notices-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('notices', () => {
  it('renders the collection notice of one collection point in Japanese', async () => {
    const r = await cli(['notices', V1, '--kind', 'collection', '--collection-point', 'inquiry', '--lang', 'ja']);
    expect(r.code).toBe(0);
    for (const s of ['個人情報の取扱いについて', '氏名', 'メールアドレス', '電話番号（任意）', 'お問い合わせ内容', '利用目的']) expect(r.stdout).toContain(s);
    expect(r.stdout).not.toContain('生年月日'); // not collected at the inquiry form
  });

  it('writes a full HTML page to --out', async () => {
    const out = join(dir, 'nested', 'policy.html');
    const r = await cli(['notices', V1, '--kind', 'policy', '--format', 'html', '--full-page', '--omit-missing-prose', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html.toLowerCase().startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('lang="en"');
    expect(html).toContain('Event insurance');
  });

  it('refuses inconsistent options before rendering anything', async () => {
    const change = await cli(['notices', V2, '--kind', 'change']);
    expect(change.code).toBe(2);
    expect(change.stderr).toContain('--previous is required with --kind change');
    const page = await cli(['notices', V1, '--full-page']);
    expect(page.code).toBe(2);
    const point = await cli(['notices', V1, '--kind', 'collection', '--collection-point', 'nope']);
    expect(point.code).toBe(3);
    expect(point.stderr).toContain('error INVALID_ARGUMENT: collectionPoint must be a collection point of policy "ji4pe"');
    expect(point.stdout).toBe('');
  });
});

describe('diff', () => {
  it('prints the change notice and, with --exit-code, exits 1 when the versions differ', async () => {
    const r = await cli(['diff', V1, V2, '--exit-code']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Changes that need your consent');
    expect(r.stdout).toContain('To send the Institute’s newsletter');
    const same = await cli(['diff', V1, V1, '--exit-code']);
    expect(same.code).toBe(0);
  });

  it('--format json gives the typed diff: which changes need consent, which notice alone', async () => {
    const r = await cli(['diff', V1, V2, '--format', 'json']);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as { requiresConsent: boolean; changes: { kind: string; requires: string }[]; from: { version: string }; to: { version: string } };
    expect(diff.from.version).toBe('2020-09');
    expect(diff.to.version).toBe('2026-04');
    expect(diff.requiresConsent).toBe(true);
    const kinds = diff.changes.map((c) => `${c.kind}:${c.requires}`);
    expect(kinds).toContain('purpose-added:consent');
    expect(kinds).toContain('retention-changed:notice');
    expect(kinds).toContain('field-added:notice');
    expect(kinds.some((k) => k.startsWith('vendor-added:'))).toBe(true);
  });

  it('refuses to compare two different policies (exit 3, POLICY_MISMATCH)', async () => {
    const r = await cli(['diff', V1, 'test/cli/fixtures/spec-default.mjs']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error POLICY_MISMATCH');
  });
});
