/**
 * Benchmark runner: `npm run bench [-- <filter>...]`.
 *
 * Imports every module in `bench/cases/*.ts`; each exports
 * `export async function run(ctx: BenchContext): Promise<BenchCase[]>` and imports only types
 * from this file (a value import would deadlock on this module's top-level await). Prints a table and
 * writes `bench/results.json`. With filters, only the case modules whose file name contains
 * one of them run; the other modules' earlier results are kept in the file.
 *
 * Environment: `BENCH_TIME` (ms of measurement per task, default 1000).
 *
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { PairedRatio } from './paired-ratio.js';

/** One peer measured in the same run as a case. `ratio` = case value / peer value. */
export interface BenchComparison {
  readonly peer: string;
  readonly value: number;
  readonly ratio: number;
  /**
   * Optional, where the case and the peer ran in turns: the ratio turn by turn (case ÷ peer in
   * the same turn), its median and quartiles over `n` turns. Load that drifts during a run
   * moves both members of a pair, so this is steadier than the ratio of the totals.
   */
  readonly paired?: PairedRatio;
}

/** One measured figure. */
export interface BenchCase {
  /** Unique across all modules, e.g. `guard.read allowed (no audit)`. */
  readonly name: string;
  /** e.g. `decisions/s`, `ops/s`, `ms`. */
  readonly unit: string;
  readonly value: number;
  readonly comparisons: readonly BenchComparison[];
  /** Optional target, e.g. `>= 1000000`; reported, never asserted. */
  readonly target?: string;
}

/** A task to time: `fn` performs `opsPerCall` operations per call (default 1). */
export interface BenchTask {
  readonly fn: () => unknown;
  readonly opsPerCall?: number;
}

/** What case modules get from the runner. */
export interface BenchContext {
  /** Measurement time per task, ms. */
  readonly time: number;
  /**
   * Time tasks in one tinybench run (so they compare fairly) and return operations per second
   * for each (mean over the run: `opsPerCall * runs / totalTime`).
   */
  measure(tasks: Readonly<Record<string, BenchTask>>): Promise<Record<string, number>>;
  /** A comparison of `value` against a peer's figure, with `ratio = value / peerValue`. */
  compare(value: number, peer: string, peerValue: number): BenchComparison;
}

/** A stored result: a case plus the module that produced it. */
interface StoredCase extends BenchCase {
  readonly module: string;
}

interface Results {
  readonly generatedAt: string;
  readonly node: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memory: number };
  readonly cases: readonly StoredCase[];
}

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = join(here, 'results.json');

/** A comparison as the summary table shows it: the peer's figure, the ratio, and the paired ratio where there is one. */
function comparisonText(p: BenchComparison): string {
  const paired = p.paired === undefined ? '' : `; paired x${p.paired.median.toFixed(2)}, quartiles ${p.paired.q1.toFixed(2)}–${p.paired.q3.toFixed(2)}, ${p.paired.n} turns`;
  return `${p.peer}: ${fmt(p.value)} (x${p.ratio.toFixed(2)}${paired})`;
}

/** Build a comparison with its ratio. */
function compare(value: number, peer: string, peerValue: number): BenchComparison {
  return { peer, value: peerValue, ratio: peerValue > 0 ? value / peerValue : Number.POSITIVE_INFINITY };
}

function context(time: number): BenchContext {
  return {
    time,
    compare,
    async measure(tasks) {
      const bench = new Bench({ time, warmupTime: Math.min(500, time / 2), throws: true });
      for (const [name, task] of Object.entries(tasks)) bench.add(name, task.fn);
      await bench.run();
      const out: Record<string, number> = {};
      for (const task of bench.tasks) {
        const r = task.result;
        if (r.state !== 'completed') throw new Error(`bench task "${task.name}" ended ${r.state}`);
        const ops = tasks[task.name]?.opsPerCall ?? 1;
        out[task.name] = (ops * 1000) / r.period;
      }
      return out;
    },
  };
}

async function readResults(): Promise<Results | undefined> {
  try {
    return JSON.parse(await readFile(resultsPath, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => a !== '--');
  const time = Number(process.env.BENCH_TIME ?? 1000);
  if (!Number.isFinite(time) || time <= 0) throw new Error('BENCH_TIME must be a positive number of milliseconds');
  const files = (await readdir(join(here, 'cases'))).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const selected = files.filter((f) => filters.length === 0 || filters.some((flt) => basename(f, '.ts').includes(flt)));
  if (selected.length === 0) throw new Error(`no bench case module matches ${filters.join(', ')} (have: ${files.join(', ')})`);

  const ctx = context(time);
  const fresh: StoredCase[] = [];
  for (const file of selected) {
    const module = basename(file, '.ts');
    const mod = (await import(pathToFileURL(join(here, 'cases', file)).href)) as { run?: (c: BenchContext) => Promise<BenchCase[]> };
    if (typeof mod.run !== 'function') throw new Error(`bench/cases/${file} must export run(ctx)`);
    process.stdout.write(`running ${module}...\n`);
    for (const c of await mod.run(ctx)) fresh.push({ module, ...c });
  }

  const ran = new Set(selected.map((f) => basename(f, '.ts')));
  const previous = (await readResults())?.cases ?? [];
  const kept = previous.filter((c) => !ran.has(c.module) && files.includes(`${c.module}.ts`));
  const results: Results = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memory: os.totalmem() },
    cases: [...kept, ...fresh].sort((a, b) => a.module.localeCompare(b.module)),
  };
  await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);

  const rows = fresh.map((c) => ({
    case: c.name,
    value: `${fmt(c.value)} ${c.unit}`,
    target: c.target ?? '',
    comparisons: c.comparisons.map(comparisonText).join('; '),
  }));
  console.table(rows);
  process.stdout.write(`wrote ${resultsPath} (${results.cases.length} cases, ${fresh.length} fresh)\n`);
}

await main();
