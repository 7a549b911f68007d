/**
 * The documentation cannot rot: every public export has TSDoc with an `@example` that parses,
 * and every TypeScript block in README.md and docs/*.md type-checks against the source
 * (`scripts/check-doc-examples.ts`). The first group proves the checker catches what it must.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocBlocks, checkExportExamples, docPages, entryPoints, extractBlocks } from '../../scripts/check-doc-examples.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('the checker', () => {
  it('reports exports without TSDoc, without @example or with an example that does not parse; skips @internal', async () => {
    const problems = await checkExportExamples([fixture('entry.ts')]);
    expect(problems.map((p) => [p.name, p.problem.replace(/:.*/, '')]).sort()).toEqual([
      ['BrokenExample', '@example does not parse'],
      ['NoDoc', 'no TSDoc'],
      ['noExample', 'no @example'],
    ]);
    expect(problems.find((p) => p.name === 'NoDoc')?.declaredAt).toMatch(/^test\/docs\/fixtures\/entry\.ts:\d+$/);
  });

  it('extracts fenced blocks with their language, markers and first line, also when indented', () => {
    const blocks = extractBlocks('p.md', '# t\n\n```ts no-check\na\nb\n```\n\n  ```ts\n  c\n  ```\n');
    expect(blocks).toEqual([
      { page: 'p.md', line: 4, lang: 'ts', markers: ['no-check'], code: 'a\nb' },
      { page: 'p.md', line: 9, lang: 'ts', markers: [], code: 'c' },
    ]);
  });

  it('type-checks ts blocks at their page line, skips no-check, joins continue blocks', async () => {
    const result = await checkDocBlocks([fixture('page.md')]);
    expect(result.checked).toBe(4);
    expect(result.skipped).toBe(1);
    const page = 'test/docs/fixtures/page.md';
    expect(result.problems.map((p) => `${p.at} ${p.message.slice(0, 7)}`)).toEqual([`${page}:5 TS2322:`, `${page}:21 TS2322:`]);
  }, 120_000);
});

describe('this repository', () => {
  it('has TSDoc with an @example on every public export of every entry point', async () => {
    expect((await entryPoints()).length).toBeGreaterThan(1);
    const problems = await checkExportExamples();
    expect(problems.map((p) => `${p.entry}: ${p.name} (${p.declaredAt}): ${p.problem}`)).toEqual([]);
  }, 120_000);

  it('has docs whose TypeScript blocks all type-check', async () => {
    expect((await docPages()).length).toBeGreaterThan(1);
    const result = await checkDocBlocks();
    expect(result.checked).toBeGreaterThan(0);
    expect(result.problems.map((p) => `${p.at}: ${p.message}`)).toEqual([]);
  }, 120_000);
});
