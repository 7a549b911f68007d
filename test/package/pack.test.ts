/**
 * What npm users get: the package is built from the current sources into a scratch copy
 * (so a stale or concurrently rebuilt `dist/` cannot mislead), then packed, linted and run.
 *
 * - `npm pack --dry-run --json` holds only `dist/**`, README.md, LICENSE, CHANGELOG.md and
 *   package.json, and every file the `exports` map and `bin` point at;
 * - `publint --strict` finds nothing;
 * - `attw --pack` (the strict default profile) finds no wrong types for ESM and CJS consumers,
 *   including TypeScript's `node10` resolution (`module: commonjs`), which ignores `exports` and
 *   finds the subpaths through `typesVersions`;
 * - npm metadata (repository, homepage, bugs) is there, `vitest` is an optional peer (for
 *   `purpose-bound/testing`), and the source maps carry no sources (size reported);
 * - the built CLI runs with its shebang and summarises a policy.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);

let dir: string;
let packed: { path: string; mode: number; size: number }[];
let tarball: { size: number; unpackedSize: number };

interface PackageJson {
  version: string;
  repository?: { type: string; url: string };
  homepage?: string;
  bugs?: { url: string };
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  files: string[];
  exports: Record<string, string | Record<string, Record<string, string>>>;
}
let pkg: PackageJson;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-pack-'));
  for (const f of ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    await cp(join(ROOT, f), join(dir, f), { recursive: true });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await run(process.execPath, [join(ROOT, 'node_modules/tsup/dist/cli-default.js')], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const [report] = JSON.parse(stdout) as [{ files: { path: string; mode: number; size: number }[]; size: number; unpackedSize: number }];
  packed = report.files;
  tarball = { size: report.size, unpackedSize: report.unpackedSize };
  pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('contains only dist, README.md, LICENSE, CHANGELOG.md and package.json', () => {
    const outside = packed.map((f) => f.path).filter((p) => !p.startsWith('dist/') && !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(p));
    expect(outside).toEqual([]);
    for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) expect(packed.map((f) => f.path)).toContain(required);
    // No test, example, source or scratch file slipped into dist.
    expect(packed.filter((f) => /\.test\.|\/test\/|\/examples\/|\.tmp/.test(f.path))).toEqual([]);
  });

  it('contains every file the exports map and bin point at; the bin is executable with a shebang', async () => {
    const paths = new Set(packed.map((f) => f.path));
    const targets: string[] = [];
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value === 'string') targets.push(value);
      else for (const cond of Object.values(value)) targets.push(...Object.values(cond));
      expect(key === '.' || key.startsWith('./')).toBe(true);
    }
    expect(targets.length).toBeGreaterThanOrEqual(4 * Object.keys(pkg.exports).length - 4);
    for (const t of targets) expect(paths, t).toContain(t.replace(/^\.\//, ''));
    const bin = pkg.bin['purpose-bound']?.replace(/^\.\//, '') as string;
    expect(paths).toContain(bin);
    expect((packed.find((f) => f.path === bin)?.mode ?? 0) & 0o111).not.toBe(0);
    expect((await readFile(join(dir, bin), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('passes publint --strict', async () => {
    const result = await run(BIN('publint'), ['run', '--strict', '--pack', 'npm', dir], { cwd: dir }).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\b(error|warning|Errors|Warnings)\b/i);
  }, 120_000);

  it('passes attw --pack (strict profile, node10 included): every consumer gets the right types on every subpath', async () => {
    // attw exits non-zero when a check fails; its JSON lists every resolution's problems.
    const result = await run(BIN('attw'), ['--pack', dir, '--format', 'json'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
      .then((r) => ({ ...r, code: 0 }))
      .catch((e: { stdout: string; stderr: string; code: number }) => e);
    const report = JSON.parse(result.stdout) as { analysis: { problems: { resolutionKind?: string }[]; entrypoints: Record<string, unknown> } };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(Object.keys(pkg.exports).sort());
    expect(report.analysis.problems).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);

  it('maps every subpath for node10 through typesVersions, to files that are packed', () => {
    const paths = new Set(packed.map((f) => f.path));
    const map = pkg.typesVersions['*'] ?? {};
    const subpaths = Object.keys(pkg.exports)
      .filter((k) => k !== '.' && k !== './package.json')
      .map((k) => k.slice(2));
    expect(Object.keys(map).sort()).toEqual(subpaths.sort());
    for (const [subpath, [target]] of Object.entries(map)) expect(paths, subpath).toContain((target as string).replace(/^\.\//, ''));
  });

  it('has npm metadata, and declares vitest an optional peer for purpose-bound/testing', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/purpose-bound/purpose-bound.git' });
    expect(pkg.homepage).toBe('https://github.com/purpose-bound/purpose-bound#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/purpose-bound/purpose-bound/issues' });
    expect(pkg.peerDependencies['vitest']).toMatch(/^\^4\./);
    expect(pkg.peerDependenciesMeta['vitest']).toEqual({ optional: true });
  });

  it('ships source maps without the sources; reports the tarball size', async () => {
    const maps = packed.filter((f) => f.path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const m of maps) {
      const map = JSON.parse(await readFile(join(dir, m.path), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(map.sourcesContent, m.path).toBeUndefined();
      expect(
        map.sources.every((s) => s.startsWith('../') && s.includes('src/')),
        m.path,
      ).toBe(true);
    }
    const mapBytes = maps.reduce((sum, f) => sum + f.size, 0);
    console.info(
      `tarball ${tarball.size} bytes packed, ${tarball.unpackedSize} unpacked, ${packed.length} files; source maps ${mapBytes} bytes unpacked (${Math.round((100 * mapBytes) / tarball.unpackedSize)}%)`,
    );
    // With the sources inside them the maps were 64% of the unpacked package; without, about 40%
    // (an absolute size bound stops meaning anything as the library grows).
    expect(mapBytes / tarball.unpackedSize).toBeLessThan(0.5);
  });

  it('runs the built CLI: --version and a summary of a JavaScript policy module', async () => {
    const cli = join(dir, pkg.bin['purpose-bound'] as string);
    expect((await stat(cli)).isFile()).toBe(true);
    const version = await run(process.execPath, [cli, '--version']);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const summary = await run(process.execPath, [cli, 'summary', join(ROOT, 'test/cli/fixtures/spec-default.mjs')]);
    expect(summary.stdout).toContain('Policy club  version 1  effective 2026-04-01');
    expect(summary.stdout).toContain('health  Health notes  [special-care]');
  }, 60_000);

  it('runs the built CLI on a TypeScript policy through the tsx of the project (the ji4pe policy)', async () => {
    const cli = join(dir, pkg.bin['purpose-bound'] as string);
    const summary = await run(process.execPath, [cli, 'summary', 'examples/ji4pe/policy.ts'], { cwd: ROOT });
    expect(summary.stdout).toContain('Policy ji4pe  version 2020-09  effective 2020-09-01');
    const notice = await run(
      process.execPath,
      [cli, 'notices', 'examples/ji4pe/policy.ts', '--kind', 'collection', '--collection-point', 'inquiry', '--lang', 'ja', '--format', 'text'],
      { cwd: ROOT },
    );
    expect(notice.stdout).toContain('個人情報取扱事業者');
  }, 60_000);
});
