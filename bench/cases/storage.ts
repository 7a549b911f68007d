/**
 * Storage benchmark (issue 4), per adapter (SQLite file, PGlite in memory, PostgreSQL):
 *
 * - collect N subjects (default 10,000; `BENCH_STORAGE_N`) through the vault (name + e-mail,
 *   e-mail with its blind index; atomically per subject: one statement on PostgreSQL/PGlite,
 *   one transaction on SQLite), and read one field of each, through the vault alone (data keys
 *   cached since the collection, the default; and again with the cache off) and through the
 *   vault + guard (an audited read);
 * - in the same run, (a) the same driver writing and reading plaintext rows directly,
 *   (b) the same driver plus node:crypto AES-256-GCM under a per-subject key on the same values
 *   (the limit the issue sets), and (c) the vault's own work written by hand on the same driver
 *   (wrapped data key, blind index, hash-chained audit entry and head, same indexes): what the
 *   library costs over hand-written code with the same guarantees; ratios against all three;
 * - erasing a subject with 1 stored value vs one with 10,000 (1 value + 9,999 history
 *   ciphertexts, written in bulk through the adapter), median of 3 each;
 * - the memory each adapter needs: RSS and heap growth over its vault run (PGlite: including
 *   the instance; it runs last, so that freeing its ~0.8 GB does not skew the others).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createLocalKeyring, createVault, generateKey, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import type { BenchCase, BenchContext } from '../run.js';
import { encrypted, people, pgliteRaw, plaintext, postgresRaw, sameWork, sqliteRaw, type Person, type RawDriver } from '../storage-baselines.js';

const N = Number(process.env['BENCH_STORAGE_N'] ?? 10_000);
const BIG = 10_000;
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test';
const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey() });
const MB = 1024 * 1024;

/** A full GC before each memory reading, so garbage of an earlier phase does not count (or go negative). */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const settledMemory = (): NodeJS.MemoryUsage => {
  gc();
  return process.memoryUsage();
};

interface VaultFigures {
  readonly write: number;
  readonly read: number;
  /** The same reads through a vault with `dataKeyCache: false`: a key unwrap (HKDF + AES-GCM) per read. */
  readonly readUncached: number;
  readonly guardedRead: number;
  readonly erase1: number;
  readonly eraseBig: number;
  /** Deleting the 9,999 unreadable history ciphertexts of the big erased subject afterwards (vault.purgeErased). */
  readonly purgeBig: number;
  readonly rss: number;
  readonly heap: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function vaultRun(adapter: StorageAdapter, rows: readonly Person[], before: NodeJS.MemoryUsage): Promise<VaultFigures> {
  const vault = await createVault({ policy: ji4pePolicy, adapter, keyring });
  const ids: string[] = [];
  let t0 = performance.now();
  for (const p of rows) {
    ids.push((await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'bench', values: { name: p.name, email: p.email } })).subject);
  }
  const write = rows.length / ((performance.now() - t0) / 1000);

  let sink = 0;
  t0 = performance.now();
  for (const id of ids) sink += (await vault.read(id, 'email')).field.length;
  const read = ids.length / ((performance.now() - t0) / 1000);

  const uncached = await createVault({ policy: ji4pePolicy, adapter, keyring, dataKeyCache: false });
  t0 = performance.now();
  for (const id of ids) sink += (await uncached.read(id, 'email')).field.length;
  const readUncached = ids.length / ((performance.now() - t0) / 1000);

  const guard = vault.guard();
  t0 = performance.now();
  for (const id of ids) sink += (await vault.read(id, 'email', { purpose: 'entrustedOperation', actor: 'bench' })).length;
  const guardedRead = ids.length / ((performance.now() - t0) / 1000);
  if (sink === 0) throw new Error('nothing read');
  const after = settledMemory();

  // Erasure: 1 stored value vs 10,000 (1 value + 9,999 history ciphertexts of the same size).
  const erase1: number[] = [];
  const eraseBig: number[] = [];
  const purgeBig: number[] = [];
  for (let k = 0; k < 3; k++) {
    const small = (await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'bench', values: { name: `erase-${k}`, email: `e${k}@example.jp` } })).subject;
    const big = (await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'bench', values: { name: `erase-big-${k}`, email: `b${k}@example.jp` } })).subject;
    await vault.deleteValue(small, 'email', { actor: 'bench', reason: 'one stored value' });
    await vault.deleteValue(big, 'email', { actor: 'bench', reason: 'setup' });
    await adapter.transaction(async (tx) => {
      const [value] = await tx.getValues(big, ['name']);
      for (let i = 1; i < BIG; i++) {
        await tx.appendHistory({ id: `${big}-h${i}`, subjectId: big, field: 'name', ciphertext: value!.ciphertext, meta: '{"change":"correction"}', changedAt: new Date().toISOString() });
      }
    });
    // the small subject: 1 value and its deletion's history row; drop the latter so it holds exactly 1
    await adapter.transaction((tx) => tx.deleteHistory(small));
    let s = performance.now();
    await vault.erase(small, { actor: 'bench', reference: `r-small-${k}` });
    erase1.push(performance.now() - s);
    s = performance.now();
    await vault.erase(big, { actor: 'bench', reference: `r-big-${k}` });
    eraseBig.push(performance.now() - s);
    s = performance.now();
    await vault.purgeErased();
    purgeBig.push(performance.now() - s);
  }
  await vault.close();
  return {
    write,
    read,
    readUncached,
    guardedRead,
    erase1: median(erase1),
    eraseBig: median(eraseBig),
    purgeBig: median(purgeBig),
    rss: (after.rss - before.rss) / MB,
    heap: (after.heapUsed - before.heapUsed) / MB,
  };
}

type Figures = { write: number; read: number };

function cases(ctx: BenchContext, name: string, v: VaultFigures, a: Figures, b: Figures, c: Figures): BenchCase[] {
  const vs = (value: number, kind: 'write' | 'read') => [
    ctx.compare(value, `(a) ${name} plaintext rows`, a[kind]),
    ctx.compare(value, `(b) ${name} + AES-256-GCM`, b[kind]),
    ctx.compare(value, `(c) ${name}, the vault's work by hand`, c[kind]),
  ];
  // Ratios are value/peer: for throughput, "within 1.3x of (b)" means ratio >= 1/1.3 = 0.77.
  return [
    { name: `${name}: vault.collect (2 values, blind index, audit)`, unit: 'subjects/s', value: v.write, target: '>= 0.77x of (b)', comparisons: vs(v.write, 'write') },
    { name: `${name}: vault.read one field`, unit: 'reads/s', value: v.read, target: '>= 0.77x of (b)', comparisons: vs(v.read, 'read') },
    { name: `${name}: vault.read one field, data-key cache off (an unwrap per read)`, unit: 'reads/s', value: v.readUncached, comparisons: vs(v.readUncached, 'read') },
    { name: `${name}: vault.read + guard.read (audited)`, unit: 'reads/s', value: v.guardedRead, comparisons: vs(v.guardedRead, 'read') },
    { name: `${name}: erase subject with 1 stored value`, unit: 'ms', value: v.erase1, comparisons: [] },
    {
      name: `${name}: erase subject with ${BIG.toLocaleString('en-US')} stored values`,
      unit: 'ms',
      value: v.eraseBig,
      target: 'same as 1 value',
      comparisons: [ctx.compare(v.eraseBig, 'erase with 1 value', v.erase1)],
    },
    {
      name: `${name}: purgeErased: delete the ${(BIG - 1).toLocaleString('en-US')} unreadable history rows of that erased subject (housekeeping, after the erasure)`,
      unit: 'ms',
      value: v.purgeBig,
      comparisons: [],
    },
    { name: `${name}: memory, RSS growth over ${N.toLocaleString('en-US')} subjects`, unit: 'MB', value: v.rss, comparisons: [] },
    { name: `${name}: memory, heap growth over ${N.toLocaleString('en-US')} subjects`, unit: 'MB', value: v.heap, comparisons: [] },
  ];
}

async function baselines(raw: RawDriver, rows: readonly Person[]) {
  const a = await plaintext(raw, rows);
  const b = await encrypted(raw, rows);
  const c = await sameWork(raw, rows);
  return { a, b, c };
}

export async function run(ctx: BenchContext): Promise<BenchCase[]> {
  const rows = people(N);
  const out: BenchCase[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-bench-storage-'));
  try {
    {
      const before = settledMemory();
      const v = await vaultRun(sqliteAdapter({ filename: path.join(dir, 'vault.db') }), rows, before);
      const raw = sqliteRaw(path.join(dir, 'raw.db'));
      const { a, b, c } = await baselines(raw, rows);
      await raw.close();
      out.push(...cases(ctx, 'sqlite', v, a, b, c));
    }
    {
      const schema = `pb_bench_${process.pid}`;
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema}_raw CASCADE; CREATE SCHEMA ${schema}_raw`);
        const before = settledMemory();
        const v = await vaultRun(postgresAdapter({ connectionString: DATABASE_URL, schema }), rows, before);
        const { a, b, c } = await baselines(postgresRaw(pool, `${schema}_raw`), rows);
        out.push(...cases(ctx, 'postgres', v, a, b, c));
      } finally {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_raw CASCADE`);
        await pool.end();
      }
    }
    {
      const before = settledMemory();
      const client = await PGlite.create();
      const v = await vaultRun(pgliteAdapter({ client, schema: 'vault' }), rows, before);
      await client.exec('CREATE SCHEMA raw');
      const { a, b, c } = await baselines(pgliteRaw(client, 'raw'), rows);
      await client.close();
      out.push(...cases(ctx, 'pglite', v, a, b, c));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
