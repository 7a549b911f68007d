/**
 * Keeps the documentation honest. Two checks, run by `test/docs/doc-examples.test.ts` (so CI
 * runs them) and by `npx tsx scripts/check-doc-examples.ts`:
 *
 * 1. **Every public export has TSDoc with an `@example`.** Public means exported from a
 *    package entry point: `src/index.ts` and `src/entries/**` (the subpaths of `package.json`
 *    `exports`). Symbols tagged `@internal` are not public. Found with the TypeScript compiler
 *    API, following re-exports to the declaration.
 * 2. **Every TypeScript block in the docs type-checks.** Fenced blocks marked `ts`, `typescript`
 *    or `mts` in `README.md` and `docs/*.md` are written to a scratch directory (one module per
 *    block) and type-checked with the project's `tsconfig.json`, where `purpose-bound` and
 *    `purpose-bound/<subpath>` resolve to `src/`. Markers after the language:
 *    - ` ```ts no-check `: not checked (pseudo-code, a fragment shown for its shape);
 *    - ` ```ts continue `: appended to the previous checked block of the same page, for a
 *      walk-through split into steps.
 *    Errors are reported at the page and line of the block.
 *
 * @module
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** A public export that lacks TSDoc or an `@example`. */
export interface ExportProblem {
  /** Entry point, e.g. `src/index.ts` or `src/entries/adapters/pglite.ts`. */
  readonly entry: string;
  /** Export name. */
  readonly name: string;
  /** `file:line` of its declaration. */
  readonly declaredAt: string;
  readonly problem: 'no TSDoc' | 'no @example' | `@example does not parse: ${string}`;
}

/** A TypeScript error in a docs code block. */
export interface DocBlockProblem {
  /** `docs/page.md:line` of the offending line. */
  readonly at: string;
  readonly message: string;
}

/** One fenced code block taken from a Markdown page. */
export interface DocBlock {
  readonly page: string;
  /** 1-based line of the first code line of the block. */
  readonly line: number;
  readonly lang: string;
  readonly markers: readonly string[];
  readonly code: string;
}

const TS_LANGS = new Set(['ts', 'typescript', 'mts']);

function loadTsconfig(): ts.ParsedCommandLine {
  const file = join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
}

async function listFiles(dir: string, predicate: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, predicate)));
    else if (predicate(e.name)) out.push(full);
  }
  return out.sort();
}

/** The package's entry points: `src/index.ts` and every `src/entries/**\/*.ts`. */
export async function entryPoints(): Promise<string[]> {
  return [join(ROOT, 'src/index.ts'), ...(await listFiles(join(ROOT, 'src/entries'), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts')))];
}

function hasTag(symbol: ts.Symbol, checker: ts.TypeChecker, tag: string): boolean {
  return symbol.getJsDocTags(checker).some((t) => t.name === tag);
}

function hasDoc(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return symbol.getDocumentationComment(checker).some((p) => p.text.trim() !== '') || symbol.getJsDocTags(checker).length > 0;
}

/**
 * The first syntax error in a symbol's `@example` code (fenced or bare), or `undefined`.
 * Examples are fragments that use names from their context, so only their syntax is checked;
 * the docs pages carry the fully type-checked examples.
 */
function exampleSyntaxError(symbol: ts.Symbol, checker: ts.TypeChecker): string | undefined {
  for (const tag of symbol.getJsDocTags(checker)) {
    if (tag.name !== 'example') continue;
    const text = (tag.text ?? []).map((p) => p.text).join('');
    const fenced = extractBlocks('@example', text).filter((b) => TS_LANGS.has(b.lang) || b.lang === '');
    const codes = fenced.length > 0 ? fenced.map((b) => b.code) : [text];
    for (const code of codes) {
      const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
      const first = out.diagnostics?.[0];
      if (first) return ts.flattenDiagnosticMessageText(first.messageText, ' ');
    }
  }
  return undefined;
}

/**
 * Find public exports without TSDoc or without an `@example`.
 *
 * @param entries - entry files; default {@link entryPoints}
 */
export async function checkExportExamples(entries?: readonly string[]): Promise<ExportProblem[]> {
  const files = entries ?? (await entryPoints());
  const config = loadTsconfig();
  const program = ts.createProgram({ rootNames: files, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const problems: ExportProblem[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue; // a file with no exports
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (hasTag(target, checker, 'internal')) continue;
      const decl = target.declarations?.[0];
      const declaredAt = decl ? `${relative(ROOT, decl.getSourceFile().fileName)}:${decl.getSourceFile().getLineAndCharacterOfPosition(decl.getStart()).line + 1}` : '(unknown)';
      const base = { entry: relative(ROOT, file), name: exported.getName(), declaredAt };
      if (!hasDoc(target, checker)) problems.push({ ...base, problem: 'no TSDoc' });
      else if (!hasTag(target, checker, 'example')) problems.push({ ...base, problem: 'no @example' });
      else {
        const syntax = exampleSyntaxError(target, checker);
        if (syntax !== undefined) problems.push({ ...base, problem: `@example does not parse: ${syntax}` });
      }
    }
  }
  return problems;
}

/** Extract the fenced code blocks of a Markdown text. */
export function extractBlocks(page: string, markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', lang = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (
        line.trim().startsWith(fence) &&
        line
          .trim()
          .replace(new RegExp(`^${fence[0] === '`' ? '`' : '~'}+`), '')
          .trim() === ''
      )
        break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    blocks.push({ page, line: i + 2, lang: lang.toLowerCase(), markers: rest.split(/[\s,]+/).filter(Boolean), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The Markdown pages whose TypeScript blocks are checked: README.md and docs/*.md (not docs/api). */
export async function docPages(): Promise<string[]> {
  const docs = await readdir(join(ROOT, 'docs')).catch(() => [] as string[]);
  return [
    join(ROOT, 'README.md'),
    ...docs
      .filter((n) => n.endsWith('.md'))
      .sort()
      .map((n) => join(ROOT, 'docs', n)),
  ];
}

interface Unit {
  readonly page: string;
  /** Lines of the generated module and where each came from. */
  readonly lines: string[];
  readonly origin: (number | undefined)[];
}

/**
 * Type-check the TypeScript blocks of the docs.
 *
 * @param pages - Markdown files; default {@link docPages}
 */
export async function checkDocBlocks(pages?: readonly string[]): Promise<{ checked: number; skipped: number; problems: DocBlockProblem[] }> {
  const files = pages ?? (await docPages());
  const units: Unit[] = [];
  const problems: DocBlockProblem[] = [];
  let checked = 0;
  let skipped = 0;
  for (const file of files) {
    const page = relative(ROOT, file);
    const markdown = await readFile(file, 'utf8').catch(() => undefined);
    if (markdown === undefined) continue;
    let previous: Unit | undefined;
    for (const block of extractBlocks(page, markdown)) {
      if (!TS_LANGS.has(block.lang)) continue;
      if (block.markers.includes('no-check')) {
        skipped++;
        continue;
      }
      checked++;
      const codeLines = block.code.split('\n');
      const origin = codeLines.map((_, k) => block.line + k);
      if (block.markers.includes('continue')) {
        if (!previous) {
          problems.push({ at: `${page}:${block.line - 1}`, message: '```ts continue has no earlier checked block on this page to continue' });
          continue;
        }
        previous.lines.push(...codeLines);
        previous.origin.push(...origin);
        continue;
      }
      previous = { page, lines: [...codeLines], origin };
      units.push(previous);
    }
  }
  if (units.length === 0) return { checked, skipped, problems };

  // Scratch modules inside the repository so `zod` and the tsconfig paths resolve as for src.
  const scratch = join(ROOT, 'node_modules', '.cache', 'purpose-bound-doc-examples', `${process.pid}-${Date.now()}`);
  await mkdir(scratch, { recursive: true });
  try {
    const byFile = new Map<string, Unit>();
    for (const [k, unit] of units.entries()) {
      const name = join(scratch, `${unit.page.replace(/[^A-Za-z0-9]+/g, '-')}-${k}.ts`);
      // `export {}` makes every block a module: top-level await works and names do not clash.
      await writeFile(name, `${unit.lines.join('\n')}\nexport {};\n`);
      byFile.set(name, unit);
    }
    const config = loadTsconfig();
    const program = ts.createProgram({ rootNames: [...byFile.keys()], options: { ...config.options, noEmit: true } });
    const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
    for (const d of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const unit = d.file ? byFile.get(resolve(d.file.fileName)) : undefined;
      if (!d.file || !unit) {
        // An error outside the blocks (in src, reached through an import) is the typecheck's business.
        continue;
      }
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.push({ at: `${unit.page}:${unit.origin[line] ?? '?'}`, message: `TS${d.code}: ${message}` });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { checked, skipped, problems };
}

/** `tsx scripts/check-doc-examples.ts [page.md ...]`: both checks, or only the given pages' blocks. */
async function main(): Promise<void> {
  const pages = process.argv.slice(2).map((p) => resolve(p));
  const exportsProblems = pages.length > 0 ? [] : await checkExportExamples();
  for (const p of exportsProblems) process.stdout.write(`${p.entry}: export ${p.name} (${p.declaredAt}): ${p.problem}\n`);
  const docs = await checkDocBlocks(pages.length > 0 ? pages : undefined);
  for (const p of docs.problems) process.stdout.write(`${p.at}: ${p.message}\n`);
  process.stdout.write(
    `\n${exportsProblems.length} export(s) without TSDoc or @example; ` +
      `${docs.checked} docs block(s) checked, ${docs.skipped} marked no-check, ${docs.problems.length} error(s)\n`,
  );
  process.exitCode = exportsProblems.length + docs.problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
