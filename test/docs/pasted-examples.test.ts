/**
 * The docs' examples run when pasted, as a user would paste them: the package is built and
 * packed (`npm pack`), a new project installs the tarball from npm's point of view (with `zod`,
 * `@electric-sql/pglite` and `tsx` from the registry, as the install instructions say), and
 * every TypeScript block of README.md and docs/*.md meant to run is written to a file and run
 * with `npx tsx`. Type-checking is `doc-examples.test.ts`'s job; this one runs them.
 *
 * Which blocks run: every ` ```ts ` block (with its ` ```ts continue ` parts joined, as the
 * type check joins them) except those marked ` no-check ` (not meant to compile), those marked
 * ` no-run ` (they compile but need what a pasted file cannot have: a server, keys in the
 * environment, a directory of the reader's) and those that `declare` a name the reader
 * supplies (`declare const policy: AnyPolicy`): shown for their types, not meant to run alone. The project is an ES module project
 * (`npm pkg set type=module`), as the getting-started page tells readers to make; one test
 * shows that a CommonJS project gets the top-level-await error the page warns about, and that
 * the page's advice (wrap the code in `async function main()`) makes it run.
 *
 * Bounded: one install (offline from npm's cache when it can), then one `tsx` process per
 * block with a 60 s limit each.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docPages, extractBlocks } from '../../scripts/check-doc-examples.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TS_LANGS = new Set(['ts', 'typescript', 'mts']);
const BLOCK_TIMEOUT_MS = 60_000;
/** A block that declares a name for the reader to supply is a fragment in context. */
const DECLARES = /^\s*declare\s+(const|let|function|class)\b/m;

/** A runnable example: a block and the `continue` blocks joined to it. */
interface Unit {
  readonly at: string;
  readonly code: string;
}

async function runnableUnits(): Promise<{ units: Unit[]; notRun: string[] }> {
  const units: Unit[] = [];
  const notRun: string[] = [];
  for (const file of await docPages()) {
    const page = relative(ROOT, file);
    let previous: { at: string; lines: string[]; run: boolean } | undefined;
    const pageUnits: { at: string; lines: string[]; run: boolean }[] = [];
    for (const block of extractBlocks(page, await readFile(file, 'utf8'))) {
      if (!TS_LANGS.has(block.lang) || block.markers.includes('no-check')) continue;
      if (block.markers.includes('continue') && previous) {
        previous.lines.push(block.code);
        if (block.markers.includes('no-run') || DECLARES.test(block.code)) previous.run = false;
        continue;
      }
      previous = { at: `${page}:${block.line}`, lines: [block.code], run: !block.markers.includes('no-run') && !DECLARES.test(block.code) };
      pageUnits.push(previous);
    }
    for (const u of pageUnits) {
      if (u.run) units.push({ at: u.at, code: u.lines.join('\n') });
      else notRun.push(u.at);
    }
  }
  return { units, notRun };
}

let scratch: string;
let project: string;
let tsx: string;
let found: { units: Unit[]; notRun: string[] };

beforeAll(async () => {
  found = await runnableUnits();
  scratch = await mkdtemp(join(tmpdir(), 'pb-pasted-'));
  // Build from the current sources in a copy (a concurrently rebuilt dist/ cannot mislead).
  const build = join(scratch, 'build');
  await mkdir(build);
  for (const f of ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) await cp(join(ROOT, f), join(build, f), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(build, 'node_modules'), 'dir');
  await exec(process.execPath, [join(ROOT, 'node_modules/tsup/dist/cli-default.js')], { cwd: build, maxBuffer: 64 * 1024 * 1024 });
  await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], { cwd: build, maxBuffer: 16 * 1024 * 1024 });
  const tarball = (await readdir(scratch)).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();

  // A new project, as the getting-started page makes it.
  project = join(scratch, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'pasted-docs', private: true, type: 'module' }, null, 2)}\n`);
  const dev = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
  const wanted = ['zod', '@electric-sql/pglite', 'tsx'].map((name) => `${name}@${dev[name] as string}`);
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(scratch, tarball as string), ...wanted], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 240_000,
  });
  tsx = join(project, 'node_modules/tsx/dist/cli.mjs');
}, 420_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Run one file with the project's tsx; never throws, returns the outcome. */
async function runFile(file: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(process.execPath, [tsx, file], { cwd, timeout: BLOCK_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' }, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
}

describe('docs examples pasted into a new project that installed the packed tarball', () => {
  it('finds the runnable blocks: the README example and the getting-started quickstart among them', () => {
    console.info(`runnable docs blocks: ${found.units.length}; not run (no-run or declares a name): ${found.notRun.join(', ')}`);
    const at = found.units.map((u) => u.at);
    expect(at.some((a) => a.startsWith('README.md:'))).toBe(true);
    expect(at.filter((a) => a.startsWith('docs/getting-started.md:')).length).toBeGreaterThanOrEqual(2);
    expect(found.units.length).toBeGreaterThanOrEqual(10);
  });

  it(
    'runs every runnable block with npx tsx, exit 0',
    async () => {
      const failures: string[] = [];
      for (const [i, unit] of found.units.entries()) {
        const file = join(project, `block-${i}.ts`);
        await writeFile(file, `${unit.code}\n`);
        const r = await runFile(file, project);
        if (r.code !== 0) failures.push(`${unit.at} (exit ${r.code}): ${r.stderr.split('\n').filter(Boolean).slice(0, 4).join(' | ')}`);
      }
      expect(failures).toEqual([]);
    },
    40 * BLOCK_TIMEOUT_MS,
  );

  it(
    'the quickstart prints what its comments say',
    async () => {
      const quickstart = found.units.find((u) => u.at.startsWith('docs/getting-started.md:')) as Unit;
      const file = join(project, 'quickstart.ts');
      await writeFile(file, quickstart.code);
      const r = await runFile(file, project);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('[personal:email] {"email":"[personal:email]"}');
      expect(r.stdout).toContain('hana@example.jp');
      expect(r.stdout).toContain('denied: PURPOSE_NOT_ALLOWED');
      expect(r.stdout).toMatch(/valid: true/);
    },
    BLOCK_TIMEOUT_MS,
  );

  it(
    'in a CommonJS project the quickstart fails on top-level await, as the page warns, and runs wrapped in main()',
    async () => {
      const quickstart = found.units.find((u) => u.at.startsWith('docs/getting-started.md:')) as Unit;
      const cjs = join(project, 'cjs');
      await mkdir(cjs, { recursive: true });
      await writeFile(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
      await writeFile(join(cjs, 'pasted.ts'), quickstart.code);
      const pasted = await runFile(join(cjs, 'pasted.ts'), cjs);
      expect(pasted.code).not.toBe(0);
      expect(pasted.stderr).toMatch(/Top-level await is currently not supported with the "?cjs"? output format/);
      const lines = quickstart.code.split('\n');
      const imports = lines.filter((l) => l.startsWith('import '));
      const body = lines.filter((l) => !l.startsWith('import '));
      await writeFile(join(cjs, 'wrapped.ts'), `${imports.join('\n')}\n\nasync function main() {\n${body.join('\n')}\n}\nvoid main();\n`);
      const wrapped = await runFile(join(cjs, 'wrapped.ts'), cjs);
      expect(wrapped.stderr).toBe('');
      expect(wrapped.code).toBe(0);
      expect(wrapped.stdout).toContain('denied: PURPOSE_NOT_ALLOWED');
    },
    2 * BLOCK_TIMEOUT_MS,
  );
});
