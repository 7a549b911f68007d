/**
 * `npm run mutation`: mutation testing with Stryker (not part of `npm test`). Mutates one target
 * at a time, runs only that target's tests, one mutant at a time (`--concurrency 1` by default:
 * the machine is shared), stops a target at its time budget, and prints the mutation score of
 * every file.
 *
 *   npm run mutation                       # every target
 *   npm run mutation -- memory sql         # some targets
 *   PB_MUTATION_MINUTES=20 PB_MUTATION_CONCURRENCY=2 npm run mutation -- guard
 *   PB_MUTATION_REPORT_ONLY=1 npm run mutation -- audit   # summarise the last run again
 *   PB_MUTATION_FILES=src/adapters/sqlite.ts npm run mutation -- sql   # re-run one file of a target
 *
 * PB_MUTATION_FILES (comma-separated paths, each optionally with Stryker's line range
 * `file.ts:10-40`) mutates only those of the target's files; a file re-run whole replaces its
 * entry in the target's report, a line range replaces the mutants it re-ran, and the rest stays
 * as the last run left it (the summary says which files were re-run), so a
 * changed file, or the rest of a run stopped at its budget, is scored without the whole target.
 *
 * A run stopped at its budget still reports the mutants tested until then (Stryker's event
 * recorder writes one file per mutant), marked PARTIAL.
 *
 * Targets (files mutated -> tests run):
 *   memory  src/adapters/memory.ts                -> the memory adapter's conformance run and its own tests
 *   sql     src/adapters/sql/*.ts, sqlite.ts      -> the SQLite adapter's tests and conformance run, the
 *                                                  SQL unit tests, and the audit tests that drive the
 *                                                  SQL audit code (tree, proofs, tampering, migration,
 *                                                  group commit) on SQLite only
 *   sql-postgres  the parts the PostgreSQL dialect uses (one-statement batch, error classes, the adapter
 *           core, the transaction with its `pb_audit_append` path, the audit rows/tree/function, dialect,
 *           the migrations' PostgreSQL branches, redaction) -> the PostgreSQL tests and the same audit
 *           tests on the PostgreSQL server only
 *
 * The SQL targets set PB_SQL_TARGETS (see test/security/fixtures/targets.ts) so that the shared
 * audit and security tests run on the target's own dialect: the SQLite run then starts no PGlite
 * instance per mutant, and the PostgreSQL run does not repeat what the SQLite run tests.
 *   pglite  src/adapters/pglite.ts, pglite-statements.ts -> the PGlite adapter's tests and conformance run
 *           (a PGlite instance per test file and mutant: slow; give it PB_MUTATION_CONCURRENCY=2)
 *   guard   src/guard/**                          -> the guard tests
 *   audit   src/audit/**                          -> the audit tests
 *
 * The PostgreSQL tests need DATABASE_URL (see scripts/ensure-postgres.sh). Reports:
 * reports/mutation/<target>.json (mutation-testing-report-schema) and a summary table; for files
 * more than one target mutates (the SQL layer, once per dialect), reports/mutation/combined.json
 * and a table of the combined score (a mutant detected by either target's tests counts).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Target {
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
  /** Environment of the test runs (added to this process's). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Audit and security tests that drive the SQL audit code (head, tree nodes, entry rows, migration 2). */
const SQL_AUDIT_TESTS = ['test/audit/migration.test.ts', 'test/audit/tree-log.test.ts', 'test/audit/group-commit.test.ts', 'test/security/tamper.test.ts'];

const TARGETS: Readonly<Record<string, Target>> = {
  memory: { mutate: ['src/adapters/memory.ts'], tests: ['test/adapters/memory.test.ts', 'test/adapters/memory-*.test.ts'] },
  sql: {
    mutate: ['src/adapters/sql/*.ts', '!src/adapters/sql/write-batch.ts', '!src/adapters/sql/postgres-errors.ts', 'src/adapters/sqlite.ts'],
    tests: ['test/adapters/sqlite.test.ts', 'test/adapters/sqlite-*.test.ts', 'test/adapters/sql/*.test.ts', 'test/storage/nested-read-bound.test.ts', ...SQL_AUDIT_TESTS],
    env: { PB_SQL_TARGETS: 'sqlite' },
  },
  'sql-postgres': {
    mutate: [
      'src/adapters/sql/write-batch.ts',
      'src/adapters/sql/postgres-errors.ts',
      'src/adapters/sql/sql-adapter.ts',
      'src/adapters/sql/sql-transaction.ts',
      'src/adapters/sql/audit-rows.ts',
      'src/adapters/sql/audit-tree-sql.ts',
      'src/adapters/sql/audit-append-function.ts',
      'src/adapters/sql/dialect.ts',
      'src/adapters/sql/migrations.ts',
      'src/adapters/sql/redact.ts',
      'src/adapters/postgres.ts',
    ],
    tests: ['test/adapters/postgres.test.ts', 'test/adapters/postgres-*.test.ts', 'test/adapters/sql/*.test.ts', ...SQL_AUDIT_TESTS, 'test/audit/audit-sync.test.ts'],
    env: { PB_SQL_TARGETS: 'postgres' },
  },
  pglite: { mutate: ['src/adapters/pglite.ts', 'src/adapters/pglite-statements.ts'], tests: ['test/adapters/pglite.test.ts', 'test/adapters/pglite-*.test.ts'] },
  guard: { mutate: ['src/guard/**/*.ts'], tests: ['test/guard/*.test.ts', 'test/security/hostile-core.test.ts'] },
  audit: {
    mutate: ['src/audit/**/*.ts'],
    // Not crash.test.ts and disclosure-cli.test.ts: they spawn processes that do not load the mutated code.
    tests: [
      'test/audit/audit-entry.test.ts',
      'test/audit/audit-log.test.ts',
      'test/audit/checkpointer.test.ts',
      'test/audit/group-commit.test.ts',
      'test/audit/merkle.test.ts',
      'test/audit/migration.test.ts',
      'test/audit/signed-note.test.ts',
      'test/audit/tree-log.test.ts',
      'test/security/tamper.test.ts',
    ],
  },
};

const minutes = Number(process.env['PB_MUTATION_MINUTES'] ?? 30);
const onlyFiles = (process.env['PB_MUTATION_FILES'] ?? '').split(',').filter((f) => f !== '');

/**
 * Does a target's `mutate` list take `file`? (the patterns used here: a path, `dir/*.ts`,
 * `dir/**\/*.ts`, `!path`). `file` may end in Stryker's line range, `:10-40`.
 */
function mutates(target: Target, entry: string): boolean {
  const file = entry.replace(/:\d+-\d+$/, '');
  const dir = file.slice(0, file.lastIndexOf('/'));
  const matches = (p: string): boolean =>
    p === file ||
    (p.endsWith('/**/*.ts') && file.startsWith(`${p.slice(0, -'/**/*.ts'.length)}/`) && file.endsWith('.ts')) ||
    (p.endsWith('/*.ts') && !p.endsWith('/**/*.ts') && dir === p.slice(0, -'/*.ts'.length) && file.endsWith('.ts'));
  return target.mutate.some((p) => !p.startsWith('!') && matches(p)) && !target.mutate.some((p) => p === `!${file}`);
}

/** The files a run of `target` mutates: all of its list, or those of PB_MUTATION_FILES it takes. */
function mutateList(target: Target): readonly string[] {
  return onlyFiles.length === 0 ? target.mutate : onlyFiles.filter((f) => mutates(target, f));
}
const concurrency = process.env['PB_MUTATION_CONCURRENCY'] ?? '1';
const chosen = process.argv.slice(2);
for (const name of chosen) if (!(name in TARGETS)) throw new Error(`unknown target ${name}; targets: ${Object.keys(TARGETS).join(', ')}`);

interface Report {
  readonly files: Record<
    string,
    {
      readonly mutants: readonly {
        readonly status: string;
        readonly mutatorName: string;
        readonly replacement?: string;
        readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
      }[];
    }
  >;
}

/** Score per file as Stryker computes it: detected (killed + timeout) / valid (all but compile errors and ignored). */
function scores(report: Report): { file: string; killed: number; survived: number; noCoverage: number; timeout: number; score: number }[] {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (s: string) => mutants.filter((m) => m.status === s).length;
    const killed = count('Killed');
    const timeout = count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const valid = killed + timeout + survived + noCoverage;
    return { file, killed, survived, noCoverage, timeout, score: valid === 0 ? 100 : (100 * (killed + timeout)) / valid };
  });
}

/**
 * A configuration file per target (its own sandbox and report), so that the report of one
 * target never overwrites another's.
 */
function configFor(name: string): string {
  const base = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown>;
  const file = `.tmp/stryker-${name}.config.json`;
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        ...base,
        tempDirName: `.tmp/stryker-${name}`,
        jsonReporter: { fileName: reportOf(name) },
        // One file per tested mutant as it is tested: a run stopped at its budget still has a partial report.
        reporters: [...((base['reporters'] as string[] | undefined) ?? []), 'event-recorder'],
        eventReporter: { baseDir: eventsOf(name) },
      },
      null,
      2,
    ),
  );
  return file;
}

const reportOf = (name: string): string => `reports/mutation/${name}.json`;
const eventsOf = (name: string): string => `.tmp/stryker-events-${name}`;

/**
 * The report of a run stopped at its budget: the mutants tested so far (from the event
 * recorder's files), and how many of all the instrumented ones that is.
 */
function partialReport(name: string): { report: Report; tested: number; planned: number } | undefined {
  const dir = eventsOf(name);
  if (!existsSync(dir)) return undefined;
  const files: Record<string, { mutants: Mutant[] }> = {};
  let tested = 0;
  let planned = 0;
  for (const entry of readdirSync(dir)) {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(readFileSync(`${dir}/${entry}`, 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // the file being written when the run was stopped
    }
    if (entry.endsWith('-onMutationTestingPlanReady.json')) planned = (event['mutantPlans'] as unknown[] | undefined)?.length ?? 0;
    if (!entry.endsWith('-onMutantTested.json')) continue;
    const m = event as unknown as Mutant & { fileName: string };
    const file = relative(process.cwd(), m.fileName);
    (files[file] ??= { mutants: [] }).mutants.push(m);
    tested++;
  }
  return tested === 0 ? undefined : { report: { files }, tested, planned };
}

type Mutant = Report['files'][string]['mutants'][number];
const DETECTED = new Set(['Killed', 'Timeout']);
const IGNORED = new Set(['CompileError', 'RuntimeError', 'Ignored']);

function mutantKey(m: Mutant): string {
  return `${m.mutatorName}|${m.replacement ?? ''}|${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}`;
}

/** The files that appear in more than one report, each mutant with the best status any report gave it. */
function combine(all: readonly Report[]): Report {
  const counts = new Map<string, number>();
  for (const r of all) for (const file of Object.keys(r.files)) counts.set(file, (counts.get(file) ?? 0) + 1);
  const files: Record<string, { mutants: Mutant[] }> = {};
  for (const [file, times] of counts) {
    if (times < 2) continue;
    const best = new Map<string, Mutant>();
    for (const r of all) {
      for (const m of r.files[file]?.mutants ?? []) {
        const key = mutantKey(m);
        const known = best.get(key);
        const rank = (x: Mutant) => (DETECTED.has(x.status) ? 3 : x.status === 'Survived' ? 2 : x.status === 'NoCoverage' ? 1 : IGNORED.has(x.status) ? 0 : 1);
        if (known === undefined || rank(m) > rank(known)) best.set(key, m);
      }
    }
    files[file] = { mutants: [...best.values()] };
  }
  return { files };
}

function run(name: string, target: Target): Promise<number | null> {
  const args = ['stryker', 'run', configFor(name), '--concurrency', concurrency, '--mutate', mutateList(target).join(',')];
  return new Promise((resolve) => {
    const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, ...target.env, PB_MUTATION_TESTS: target.tests.join(',') }, detached: true });
    const timer = setTimeout(() => {
      console.error(`\nmutation ${name}: stopped at its budget of ${minutes} minutes (PB_MUTATION_MINUTES)`);
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        // already gone
      }
    }, minutes * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

mkdirSync('reports/mutation', { recursive: true });
const summary: string[] = [];
const line = (s: ReturnType<typeof scores>[number]): string =>
  `${s.score.toFixed(1).padStart(5)}%  ${s.file}  (killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage})`;
for (const name of chosen.length > 0 ? chosen : Object.keys(TARGETS)) {
  const target = TARGETS[name] as Target;
  const out = reportOf(name);
  // PB_MUTATION_REPORT_ONLY=1: no run, only the summary of the last run's report or events.
  const reportOnly = process.env['PB_MUTATION_REPORT_ONLY'] === '1';
  const narrowed = onlyFiles.length > 0 && !reportOnly;
  if (narrowed && mutateList(target).length === 0) {
    summary.push(`${name}: none of PB_MUTATION_FILES is mutated by this target; not run`);
    continue;
  }
  // A narrowed run keeps the other files of the last report.
  const previous = narrowed && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Report) : undefined;
  if (existsSync(out) && !reportOnly) rmSync(out);
  const code = reportOnly ? null : await run(name, target);
  if (!existsSync(out)) {
    const partial = partialReport(name);
    if (partial === undefined) {
      summary.push(`${name}: no report (exit ${code})`);
      continue;
    }
    writeFileSync(out, JSON.stringify({ ...partial.report, partial: { tested: partial.tested, planned: partial.planned } }));
    summary.push(`${name}: PARTIAL, stopped at the budget: ${partial.tested} of ${partial.planned} mutants tested (scores of those only)`);
  }
  if (previous !== undefined) {
    const fresh = JSON.parse(readFileSync(out, 'utf8')) as Report;
    // Per file, the re-run's mutants replace the same mutants of the last run; the others stay
    // (a file re-run over a line range keeps the rest of its last results).
    const files: Record<string, { readonly mutants: readonly Mutant[] }> = { ...previous.files };
    // A whole file re-run replaces the file (its lines may have moved); a line range merges.
    const ranged = new Set(onlyFiles.filter((f) => /:\d+-\d+$/.test(f)).map((f) => f.replace(/:\d+-\d+$/, '')));
    const wholeFiles = new Set(onlyFiles.filter((f) => !/:\d+-\d+$/.test(f)));
    for (const [file, { mutants }] of Object.entries(fresh.files)) {
      const rerun = new Set(mutants.map(mutantKey));
      const kept = wholeFiles.has(file) || !ranged.has(file) ? [] : (previous.files[file]?.mutants ?? []).filter((m) => !rerun.has(mutantKey(m)));
      files[file] = { mutants: [...kept, ...mutants] };
    }
    writeFileSync(out, JSON.stringify({ ...previous, ...fresh, files }));
    summary.push(`${name}: re-run ${Object.keys(fresh.files).join(', ')}; the other files as the last run left them`);
  }
  summary.push(`${name}:`, ...scores(JSON.parse(readFileSync(out, 'utf8')) as Report).map(line));
}
console.log(`\nMutation score per file:\n${summary.join('\n')}`);

// Files mutated by more than one target (the SQL layer: each run reaches one dialect): a mutant
// counts as detected when any target's tests detected it (same place, mutator and replacement).
const reports = Object.keys(TARGETS)
  .filter((name) => existsSync(reportOf(name)))
  .map((name) => JSON.parse(readFileSync(reportOf(name), 'utf8')) as Report);
const combined = combine(reports);
if (Object.keys(combined.files).length > 0) {
  console.log(`\nCombined over the reports in reports/mutation/ (files in more than one):\n${scores(combined).map(line).join('\n')}`);
  writeFileSync('reports/mutation/combined.json', JSON.stringify(combined));
}
