/**
 * Audit log benchmark (issue 17):
 *
 * - 8 processes appending on one PostgreSQL schema, each with 32 concurrent callers through its
 *   own group-commit audit log and a checkpointer (every 5,000 entries, to a file), as 8
 *   application servers under load would: entries/s in all; afterwards the whole log verifies
 *   against the last checkpoint, and every checkpoint written is consistent with the final tree
 *   (`BENCH_AUDIT_LOAD_N` entries per process, default 20,000);
 * - appends through the group-commit log at 1, 8 and 32 concurrent callers on SQLite and
 *   PostgreSQL (`BENCH_AUDIT_SKIP_APPENDS=1` leaves them out, as `BENCH_AUDIT_SKIP_LOAD=1` the load test), against the same appends written one by one (`writeBatch` per entry, committed
 *   synchronously: the audit log before group commit) in the same run, alternating, best of two;
 * - verifying a log of 1,000,000 entries against a checkpoint (entries already in memory, as
 *   read from an export; `BENCH_AUDIT_VERIFY_N`), with the leaves hashed in worker threads (the
 *   default) and all on the calling thread, in the same run, with the machine's load average;
 * - checking one inclusion and one consistency proof in that tree;
 * - building the inclusion proofs of the 500 entries about one subject in a log of 100,000 on
 *   SQLite and PostgreSQL (a disclosure's), leaves read in one `getAuditEntries` call against
 *   `listAudit` runs (`BENCH_AUDIT_SKIP_PROOFS=1` leaves it out).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  buildProof,
  consistencyProofRanges,
  createAuditProofs,
  createGroupCommitAuditLog,
  generateNoteKeys,
  inclusionProofRanges,
  noteSigner,
  openCheckpoint,
  signCheckpoint,
  verifyAuditLog,
  verifyConsistency,
  verifyInclusion,
  type AuditEntry,
  type AuditEntryInput,
  type StorageAdapter,
  type StorageTransaction,
} from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { extendTree, EMPTY_TREE_HEAD } from '../../src/audit/tree-append.js';
import type { BenchCase, BenchContext } from '../run.js';

const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test';
const LOAD_N = Number(process.env['BENCH_AUDIT_LOAD_N'] ?? 20_000);
const VERIFY_N = Number(process.env['BENCH_AUDIT_VERIFY_N'] ?? 1_000_000);
const APPENDS = Number(process.env['BENCH_AUDIT_APPENDS'] ?? 3000);
const worker = fileURLToPath(new URL('../audit-load-worker.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const origin = 'bench.example/purpose-bound-audit';

const input = (i: number, actor = 'bench'): AuditEntryInput => ({
  at: '2026-12-01T10:00:00.000Z',
  action: 'read',
  actor,
  subject: `s${i % 1000}`,
  field: 'email',
  purpose: 'contact',
  decision: 'allow',
});

/** 8 processes × 32 callers on PostgreSQL. */
async function loadTest(dir: string): Promise<BenchCase[]> {
  const schema = `pb_bench_audit_${process.pid}`;
  const keys = generateNoteKeys(origin);
  const setup = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 2 });
  await setup.open();
  const workers = 8;
  const children = Array.from({ length: workers }, (_, w) =>
    spawn(process.execPath, ['--import', 'tsx', worker], {
      cwd: root,
      env: {
        ...process.env,
        // the workers measure the published build too (bench/tsconfig.json)
        TSX_TSCONFIG_PATH: path.join(root, 'bench', 'tsconfig.json'),
        DATABASE_URL,
        PB_AUDIT_LOAD_SCHEMA: schema,
        PB_AUDIT_LOAD_N: String(LOAD_N),
        PB_AUDIT_LOAD_WORKER: String(w),
        PB_AUDIT_LOAD_CHECKPOINT: path.join(dir, `server-${w}.checkpoint`),
        PB_AUDIT_LOAD_SIGNER: keys.signerKey,
        PB_AUDIT_LOAD_ORIGIN: origin,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const lines = children.map((c) => {
    let out = '';
    let err = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    return {
      ready: new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (out.includes('ready\n')) {
            clearInterval(check);
            resolve();
          }
        }, 10);
        c.on('exit', (code) => {
          clearInterval(check);
          if (!out.includes('ready\n')) reject(new Error(`load worker exited with ${code}: ${err.slice(0, 1500)}`));
        });
      }),
      done: new Promise<void>((resolve, reject) => c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load worker exited with ${code}: ${err.slice(0, 1500)}`))))),
    };
  });
  await Promise.all(lines.map((l) => l.ready));
  const t0 = performance.now();
  for (const c of children) c.stdin.write('go\n');
  await Promise.all(lines.map((l) => l.done));
  const wall = performance.now() - t0;
  const total = workers * LOAD_N;

  // Afterwards: the log verifies against the last checkpoint; every checkpoint is consistent with the final tree.
  const log = createGroupCommitAuditLog({ adapter: setup });
  const proofs = createAuditProofs(setup);
  const head = await proofs.head();
  const notes: string[] = [];
  for (let w = 0; w < workers; w++) {
    const history = readFileSync(path.join(dir, `server-${w}.checkpoint.history.jsonl`), 'utf8')
      .trim()
      .split('\n');
    for (const line of history) notes.push((JSON.parse(line) as { note: string }).note);
  }
  let consistent = 0;
  let largest = notes[0] as string;
  for (const note of notes) {
    const c = openCheckpoint(note, { verifierKey: keys.verifierKey });
    const p = await proofs.consistency(c.size, head.size);
    if (verifyConsistency(c.size, head.size, p.path, c.rootHash, head.rootHash)) consistent++;
    if (c.size > openCheckpoint(largest, { verifierKey: keys.verifierKey }).size) largest = note;
  }
  const tv = performance.now();
  const verified = await verifyAuditLog(log, { checkpoint: largest, verifierKey: keys.verifierKey });
  const verifyMs = performance.now() - tv;
  await setup.close();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  if (!verified.valid || verified.entries !== total) throw new Error(`the load test's log does not verify: ${JSON.stringify(verified)}`);
  if (consistent !== notes.length) throw new Error(`${notes.length - consistent} of ${notes.length} checkpoints are not consistent with the final tree`);
  return [
    {
      name: `audit: 8 processes x 32 callers appending on PostgreSQL (${total.toLocaleString('en-US')} entries, group commit, checkpoints every 5,000)`,
      unit: 'entries/s',
      value: total / (wall / 1000),
      target: '>= 10000',
      comparisons: [],
    },
    {
      name: `audit: after the load test, ${notes.length} checkpoints consistent with the final tree; full log verified from PostgreSQL against the last (read + verify)`,
      unit: 'ms',
      value: verifyMs,
      comparisons: [],
    },
  ];
}

/** Appends at `callers` concurrency: through the group-commit log, and one writeBatch per entry. */
async function appendFigures(ctx: BenchContext, name: string, make: (options?: { lazy: boolean }) => Promise<StorageAdapter>): Promise<BenchCase[]> {
  const out: BenchCase[] = [];
  for (const callers of [1, 8, 32]) {
    const rate = async (append: (i: number) => Promise<unknown>): Promise<number> => {
      const per = Math.ceil(APPENDS / callers);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: callers }, async (_, k) => {
          for (let i = 0; i < per; i++) await append(k * per + i);
        }),
      );
      return (per * callers) / ((performance.now() - t0) / 1000);
    };
    // Each measured twice, alternating, best of two (the first run of a fresh store pays for
    // warming up; the machine is shared).
    const a = await make();
    const log = createGroupCommitAuditLog({ adapter: a });
    // Before group commit: one writeBatch per entry, its one statement committed synchronously.
    const b = await make({ lazy: false });
    const one = (i: number) => (b.writeBatch as NonNullable<StorageAdapter['writeBatch']>)([{ op: 'appendAudit', entry: input(i) }]);
    let grouped = 0;
    let single = 0;
    for (let round = 0; round < 2; round++) {
      single = Math.max(single, await rate(one));
      grouped = Math.max(grouped, await rate((i) => log.append(input(i))));
    }
    await a.close();
    await b.close();
    out.push({
      name: `audit: ${name}: appends at ${callers} concurrent caller${callers === 1 ? '' : 's'} (group commit)`,
      unit: 'entries/s',
      value: grouped,
      comparisons: [ctx.compare(grouped, `${name}: one writeBatch per entry (no group commit)`, single)],
    });
  }
  return out;
}

/** `adapter` with `getAuditEntries` hidden from its transactions (proofs then read leaves with `listAudit` runs). */
function withoutBatchReads(adapter: StorageAdapter): StorageAdapter {
  const hide = (tx: StorageTransaction): StorageTransaction =>
    new Proxy(tx, {
      get(target, key) {
        if (key === 'getAuditEntries') return undefined;
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v; // methods keep their receiver (private fields)
      },
    });
  return { ...adapter, transaction: (fn, options) => adapter.transaction((tx) => fn(hide(tx)), options) };
}

/** Inclusion proofs of the 500 entries about one subject in a log of 100,000 (a disclosure's). */
async function disclosureProofs(ctx: BenchContext, name: string, adapter: StorageAdapter): Promise<BenchCase> {
  const n = 100_000;
  const about = 500;
  const inputs = (from: number) =>
    Array.from({ length: 5000 }, (_, k) => ({ ...input(from + k), subject: (from + k) % (n / about) === 7 ? 'the-subject' : `s${(from + k) % 997}` }));
  for (let i = 0; i < n; i += 5000) await adapter.transaction(async (tx) => void (await (tx.appendAuditMany as NonNullable<StorageTransaction['appendAuditMany']>)(inputs(i))));
  const seqs = (await adapter.transaction((tx) => tx.listAudit({ subject: 'the-subject' }))).map((e) => e.seq);
  const batch = createAuditProofs(adapter);
  const runs = createAuditProofs(withoutBatchReads(adapter));
  const head = await batch.head();
  let best = Number.POSITIVE_INFINITY;
  let fallback = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    for (const [proofs, which] of [
      [batch, 'batch'],
      [runs, 'runs'],
    ] as const) {
      const t0 = performance.now();
      const got = await proofs.inclusionMany(seqs, head.size);
      const ms = performance.now() - t0;
      if (!got.every((p) => verifyInclusion(p.seq - 1, p.treeSize, p.leafHash, p.path, head.rootHash))) throw new Error('a disclosure proof does not verify');
      if (which === 'batch') best = Math.min(best, ms);
      else fallback = Math.min(fallback, ms);
    }
  }
  return {
    name: `audit: ${name}: inclusion proofs of the ${seqs.length} entries about one subject in a log of ${n.toLocaleString('en-US')} (leaves read with getAuditEntries)`,
    unit: 'ms',
    value: best,
    comparisons: [ctx.compare(best, `${name}: the same, leaves read with listAudit runs (an adapter without getAuditEntries)`, fallback)],
  };
}

/** Entries of a log of `n`, built in memory as an export would hold them. */
function bigLog(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = EMPTY_TREE_HEAD;
  const chunk = 10_000;
  for (let i = 0; i < n; i += chunk) {
    const inputs = Array.from({ length: Math.min(chunk, n - i) }, (_, k) => input(i + k, `staff:${(i + k) % 97}`));
    const r = extendTree(head, inputs);
    out.push(...r.entries);
    head = r.head;
  }
  return out;
}

async function verification(ctx: BenchContext): Promise<BenchCase[]> {
  const entries = bigLog(VERIFY_N);
  const keys = generateNoteKeys(origin);
  const signer = noteSigner(keys.signerKey);
  const m = Math.floor(VERIFY_N * 0.9);
  const first = await verifyAuditLog(entries.slice(0, m));
  if (!first.valid) throw new Error('bench log does not verify');
  const checkpoint = signCheckpoint({ origin, size: m, rootHash: first.rootHash, extensions: [] }, signer);
  // The default (worker threads hash the leaves) against every leaf hashed on the calling
  // thread, alternating, best of two; the machine is shared, so its load is reported alongside.
  let threaded = Number.POSITIVE_INFINITY;
  let alone = Number.POSITIVE_INFINITY;
  let result: Awaited<ReturnType<typeof verifyAuditLog>> | undefined;
  const load: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const threads of [undefined, 0]) {
      load.push(loadavg()[0] as number);
      const t0 = performance.now();
      result = await verifyAuditLog(entries, { checkpoint: checkpoint.note, verifierKey: keys.verifierKey, ...(threads !== undefined && { threads }) });
      const ms = performance.now() - t0;
      if (!result.valid) throw new Error('bench log does not verify against its checkpoint');
      if (threads === undefined) threaded = Math.min(threaded, ms);
      else alone = Math.min(alone, ms);
    }
  }
  if (result === undefined || !result.valid) throw new Error('bench log does not verify against its checkpoint');
  const ms = threaded;
  // Proofs in the same tree, from nodes held in memory.
  const leaves = entries.map((e) => Buffer.from(e.hash, 'hex'));
  const nodes = new Map<string, Buffer>();
  const { CompactRange } = await import('purpose-bound');
  const r = new CompactRange();
  leaves.forEach((l, i) => {
    nodes.set(`0/${i}`, l);
    r.append(l, (level, index, hash) => nodes.set(`${level}/${index}`, hash));
  });
  const source = (refs: readonly { level: number; index: number }[]) => refs.map((x) => nodes.get(`${x.level}/${x.index}`) as Buffer);
  const index = 123_457 % VERIFY_N;
  const inclusion = await buildProof(inclusionProofRanges(index, VERIFY_N), source);
  const consistency = await buildProof(consistencyProofRanges(m, VERIFY_N), source);
  if (!verifyInclusion(index, VERIFY_N, leaves[index] as Buffer, inclusion, result.rootHash)) throw new Error('inclusion proof does not verify');
  if (!verifyConsistency(m, VERIFY_N, consistency, first.rootHash, result.rootHash)) throw new Error('consistency proof does not verify');
  const hz = await ctx.measure({
    inclusion: { fn: () => verifyInclusion(index, VERIFY_N, leaves[index] as Buffer, inclusion, result.rootHash) },
    consistency: { fn: () => verifyConsistency(m, VERIFY_N, consistency, first.rootHash, result.rootHash) },
  });
  return [
    {
      name: `audit: verify a log of ${VERIFY_N.toLocaleString('en-US')} entries against a checkpoint at ${m.toLocaleString('en-US')} (every hash, link and the tree; leaves hashed in ${Math.min(4, availableParallelism())} worker threads)`,
      unit: 'ms',
      value: ms,
      target: '< 5000',
      comparisons: [ctx.compare(ms, 'the same, every leaf hashed on the calling thread (threads: 0)', alone)],
    },
    {
      name: 'audit: machine load average (1 min) during the verification runs (2-core machine shared with other work)',
      unit: 'load',
      value: load.reduce((a, b) => a + b, 0) / load.length,
      comparisons: [],
    },
    {
      name: `audit: check an inclusion proof (${inclusion.length} hashes) in a tree of ${VERIFY_N.toLocaleString('en-US')}`,
      unit: 'ms',
      value: 1000 / (hz['inclusion'] as number),
      target: '< 1',
      comparisons: [],
    },
    {
      name: `audit: check a consistency proof (${consistency.length} hashes) ${m.toLocaleString('en-US')} -> ${VERIFY_N.toLocaleString('en-US')}`,
      unit: 'ms',
      value: 1000 / (hz['consistency'] as number),
      target: '< 1',
      comparisons: [],
    },
  ];
}

export async function run(ctx: BenchContext): Promise<BenchCase[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-bench-audit-'));
  const out: BenchCase[] = [];
  try {
    if (process.env['BENCH_AUDIT_SKIP_LOAD'] !== '1') out.push(...(await loadTest(dir)));
    let n = 0;
    const appends = process.env['BENCH_AUDIT_SKIP_APPENDS'] !== '1';
    if (appends)
      out.push(
        ...(await appendFigures(ctx, 'sqlite', async () => {
          const a = sqliteAdapter({ filename: path.join(dir, `appends-${n++}.db`) });
          await a.open();
          return a;
        })),
      );
    const schemas: string[] = [];
    if (appends)
      out.push(
        ...(await appendFigures(ctx, 'postgres', async (options) => {
          const schema = `pb_bench_appends_${process.pid}_${n++}`;
          schemas.push(schema);
          const a = postgresAdapter({ connectionString: DATABASE_URL, schema, lazyAuditCommit: options?.lazy ?? true });
          await a.open();
          return a;
        })),
      );
    if (process.env['BENCH_AUDIT_SKIP_PROOFS'] !== '1') {
      const lite = sqliteAdapter({ filename: path.join(dir, 'disclosure.db') });
      await lite.open();
      out.push(await disclosureProofs(ctx, 'sqlite', lite));
      await lite.close();
      const schema = `pb_bench_disclosure_${process.pid}`;
      schemas.push(schema);
      const remote = postgresAdapter({ connectionString: DATABASE_URL, schema });
      await remote.open();
      out.push(await disclosureProofs(ctx, 'postgres', remote));
      await remote.close();
    }
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool.end();
    out.push(...(await verification(ctx)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
