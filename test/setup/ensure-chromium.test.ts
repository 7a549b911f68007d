/**
 * `npm test` sets Chromium up by itself (`scripts/ensure-chromium.ts`), and the browser tests
 * find it through one search (`scripts/chromium.ts`): the environment variable first and
 * strictly, then `PATH`, then the usual install paths; nothing found is an error naming what to
 * install, never a skip.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, ChromiumNotFoundError, chromiumExecutable, findChromium } from '../../scripts/chromium.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let fake: string;
let notExecutable: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-chromium-'));
  fake = join(dir, 'chromium');
  await writeFile(fake, '#!/bin/sh\necho "Chromium 999.0 fake"\n');
  await chmod(fake, 0o755);
  notExecutable = join(dir, 'not-executable');
  await writeFile(notExecutable, 'x');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('takes PB_CHROMIUM first, then CHROMIUM_PATH', () => {
    expect(findChromium({ PB_CHROMIUM: fake, CHROMIUM_PATH: '/nowhere' }, [])).toEqual({ path: fake, via: 'env PB_CHROMIUM' });
    expect(findChromium({ CHROMIUM_PATH: fake, PATH: '' }, [])).toEqual({ path: fake, via: 'env CHROMIUM_PATH' });
  });

  it('refuses an environment variable that names no executable, rather than using another browser', () => {
    expect(() => findChromium({ PB_CHROMIUM: notExecutable, PATH: dir }, [fake])).toThrow(ChromiumNotFoundError);
    expect(() => findChromium({ PB_CHROMIUM: join(dir, 'missing'), PATH: dir }, [fake])).toThrow(/PB_CHROMIUM is set to .*not an executable file/);
  });

  it('looks on PATH, then at the install paths; undefined when there is none', () => {
    expect(findChromium({ PATH: `/nonexistent:${dir}` }, [])).toEqual({ path: fake, via: 'PATH chromium' });
    expect(findChromium({ PATH: '/nonexistent' }, [notExecutable, fake])).toEqual({ path: fake, via: 'path' });
    expect(findChromium({ PATH: '/nonexistent' }, [notExecutable])).toBeUndefined();
  });

  it('chromiumExecutable() throws the install advice when nothing is found', () => {
    expect(chromiumExecutable({ PB_CHROMIUM: fake })).toBe(fake);
    expect(CHROMIUM_MISSING).toMatch(/apt-get install chromium.*PB_CHROMIUM/s);
  });
});

describe('scripts/ensure-chromium.ts', () => {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');

  it('prints where Chromium is and its version, exit 0', async () => {
    const { stderr } = await run(tsx, ['scripts/ensure-chromium.ts'], { cwd: ROOT, env: { ...process.env, PB_CHROMIUM: fake } });
    expect(stderr).toBe(`ensure-chromium: ${fake} (env PB_CHROMIUM): Chromium 999.0 fake\n`);
  }, 60_000);

  it('fails (exit 1) naming the problem when the configured path is wrong', async () => {
    const failed = await run(tsx, ['scripts/ensure-chromium.ts'], { cwd: ROOT, env: { ...process.env, PB_CHROMIUM: join(dir, 'missing') } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('PB_CHROMIUM is set to');
  }, 60_000);
});
