import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('examples/ji4pe/notices.ts', () => {
  it('writes every notice in both languages and three formats', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pb-notices-'));
    dirs.push(out);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/ji4pe/notices.ts', out], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.json' },
    });
    expect(stdout).toContain('Wrote 42 notices');
    const files = (await readdir(out)).sort();
    expect(files).toHaveLength(42);
    for (const lang of ['en', 'ja']) for (const ext of ['txt', 'md', 'html']) expect(files).toContain(`policy.${lang}.${ext}`);
    expect(files).toContain('collection-inquiry.ja.html');
    expect(files).toContain('change-2021-04.ja.md');
    const ja = await readFile(join(out, 'policy.ja.html'), 'utf8');
    expect(ja.startsWith('<!DOCTYPE html>\n<html lang="ja">')).toBe(true);
    expect(ja).toContain('施行日：2020年9月1日');
  }, 60_000);
});
