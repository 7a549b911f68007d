/**
 * `npm run mutation`: mutation testing with Stryker (not part of `npm test`). Mutates one target
 * at a time, runs only that target's tests, one mutant at a time (`--concurrency 1` by default:
 * the machine is shared), stops a target at its time budget, and prints the mutation score of
 * every file.
 *
 *   npm run mutation                       # every target
 *   npm run mutation -- memory sql         # some targets
 *   PB_MUTATION_MINUTES=20 PB_MUTATION_CONCURRENCY=2 npm run mutation -- guard
 *
 * Targets (files mutated -> tests run):
 *   memory  src/adapters/memory.ts                -> the memory adapter's conformance run
 *   sql     src/adapters/sql/*.ts, sqlite.ts      -> the SQLite adapter's tests and conformance run
 *   sql-postgres  the parts the PostgreSQL dialect uses (one-statement batch, error classes, the adapter core, dialect, redaction) -> the PostgreSQL tests
 *   guard   src/guard/**                          -> the guard tests
 *   audit   src/audit/**                          -> the audit tests
 *
 * The PostgreSQL tests need DATABASE_URL (see scripts/ensure-postgres.sh). Reports:
 * reports/mutation/<target>.json (mutation-testing-report-schema) and a summary table.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';

interface Target {
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
}

const TARGETS: Readonly<Record<string, Target>> = {
  memory: { mutate: ['src/adapters/memory.ts'], tests: ['test/adapters/memory.test.ts'] },
  sql: {
    mutate: ['src/adapters/sql/*.ts', '!src/adapters/sql/write-batch.ts', '!src/adapters/sql/postgres-errors.ts', 'src/adapters/sqlite.ts'],
    tests: ['test/adapters/sqlite.test.ts'],
  },
  'sql-postgres': {
    mutate: [
      'src/adapters/sql/write-batch.ts',
      'src/adapters/sql/postgres-errors.ts',
      'src/adapters/sql/sql-adapter.ts',
      'src/adapters/sql/dialect.ts',
      'src/adapters/sql/redact.ts',
    ],
    tests: ['test/adapters/postgres.test.ts'],
  },
  guard: { mutate: ['src/guard/**/*.ts'], tests: ['test/guard/guard.test.ts', 'test/security/hostile-core.test.ts'] },
  audit: { mutate: ['src/audit/**/*.ts'], tests: ['test/audit/audit-log.test.ts', 'test/security/tamper.test.ts'] },
};

const minutes = Number(process.env['PB_MUTATION_MINUTES'] ?? 30);
const concurrency = process.env['PB_MUTATION_CONCURRENCY'] ?? '1';
const chosen = process.argv.slice(2);
for (const name of chosen) if (!(name in TARGETS)) throw new Error(`unknown target ${name}; targets: ${Object.keys(TARGETS).join(', ')}`);

interface Report {
  readonly files: Record<string, { readonly mutants: readonly { readonly status: string }[] }>;
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

function run(name: string, target: Target): Promise<number | null> {
  const args = ['stryker', 'run', 'stryker.config.json', '--concurrency', concurrency, '--mutate', target.mutate.join(',')];
  return new Promise((resolve) => {
    const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, PB_MUTATION_TESTS: target.tests.join(',') }, detached: true });
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
for (const name of chosen.length > 0 ? chosen : Object.keys(TARGETS)) {
  const target = TARGETS[name] as Target;
  const code = await run(name, target);
  const out = `reports/mutation/${name}.json`;
  if (!existsSync('reports/mutation/mutation.json')) {
    summary.push(`${name}: no report (exit ${code})`);
    continue;
  }
  renameSync('reports/mutation/mutation.json', out);
  for (const s of scores(JSON.parse(readFileSync(out, 'utf8')) as Report)) {
    summary.push(`${s.score.toFixed(1).padStart(5)}%  ${s.file}  (killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage})`);
  }
}
console.log(`\nMutation score per file:\n${summary.join('\n')}`);
