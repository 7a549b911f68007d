/**
 * Crash test (issues 4 and 8): a child process collecting subjects through the vault in a loop is killed with
 * SIGKILL at a random point; on reopen every subject is whole or absent, every commit the child
 * reported is there, and the audit chain verifies. PB_CRASH_ITERATIONS multiplies the
 * iterations (default bounded to keep the file well under a minute).
 */
import { runUntilKilled } from './support/kill-writer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, verifyAuditLog, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { CRASH_INDEX_KEY, CRASH_KEK, FIELDS } from './fixtures/crash-fields.js';
import { DATABASE_URL, uniqueSchema } from './support/postgres-env.js';

const scale = Math.max(1, Number(process.env['PB_CRASH_ITERATIONS'] ?? 1));
const script = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'pb-crash-'));
const schema = uniqueSchema('pbcrash');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

/** Start the writer, wait for `min` commits, then SIGKILL it after a random delay; returns the ids it reported committed. */
async function runAndKill(kind: string, where: string, prefix: string, min: number, maxDelayMs: number): Promise<string[]> {
  const committed: string[] = [];
  await runUntilKilled(script, [kind, where, prefix, DATABASE_URL], {
    onLine(line) {
      if (line.startsWith('c ')) committed.push(line.slice(2));
    },
    ready: () => committed.length >= min,
    maxDelayMs,
  });
  return committed;
}

const keyring = createLocalKeyring({ keys: { 'kek-1': CRASH_KEK }, current: 'kek-1', indexKey: CRASH_INDEX_KEY });

/**
 * Every subject whole or absent (all five values stored and decrypting, or no row at all), each
 * commit the writer reported is there, the audit chain verifies with one collect entry per subject.
 */
async function check(adapter: StorageAdapter, committed: readonly string[]): Promise<number> {
  const vault = await createVault({ policy: ji4pePolicy, adapter, keyring });
  const subjects = await adapter.transaction((tx) => tx.listSubjects());
  const ids = new Set(subjects.map((s) => s.id));
  for (const id of committed) expect(ids.has(id), `reported commit ${id} is missing`).toBe(true);
  for (const s of subjects) {
    const values = await adapter.transaction((tx) => tx.getValues(s.id));
    expect(values.map((v) => v.field).sort(), `subject ${s.id} is half-written`).toEqual([...FIELDS].sort());
    // Every value decrypts: no one purpose allows all five fields, two together do.
    const all = {
      ...(await vault.readAll(s.id, { purpose: 'contact', actor: 'crash-check' })),
      ...(await vault.readAll(s.id, { purpose: 'identification', actor: 'crash-check' })),
    };
    expect(Object.keys(all).sort()).toEqual([...FIELDS].sort());
  }
  const entries = await adapter.transaction((tx) => tx.listAudit());
  expect(await verifyAuditLog(entries)).toMatchObject({ valid: true });
  const collected = entries.filter((e) => e.subject !== undefined).map((e) => e.subject as string);
  expect(new Set(collected)).toEqual(ids);
  await vault.close();
  return subjects.length;
}

/**
 * PostgreSQL: a statement the killed writer had sent runs to its end on the server (and, in
 * autocommit, commits) after the client is gone. Wait until no backend is still running one on
 * the writer's schema, so the check reads a settled database (else it can list the subjects
 * before that last commit and the audit entries after it).
 */
async function serverSettled(schemaName: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state <> 'idle' AND query LIKE '%' || $1 || '%'`, [
        schemaName,
      ]);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`a statement on ${schemaName} is still running 5 s after the writer was killed`);
  } finally {
    await pool.end();
  }
}

async function crashLoop(kind: string, where: string, open: () => StorageAdapter, iterations: number, maxDelayMs: number): Promise<void> {
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    const committed = await runAndKill(kind, where, `it${i}`, 1 + (i % 3) * 5, maxDelayMs);
    if (kind === 'postgres') await serverSettled(where);
    const count = await check(open(), committed);
    expect(count).toBeGreaterThanOrEqual(total + committed.length);
    total = count;
  }
  // eslint-disable-next-line no-console -- figures for the report
  console.info(`crash test ${kind}: ${iterations} SIGKILL iterations, ${total} subjects, all whole, audit chain valid`);
}

describe('SIGKILL of a writer mid-loop leaves every subject whole or absent', () => {
  it(
    'sqlite file (WAL)',
    async () => {
      const file = path.join(dir, 'crash.db');
      await crashLoop('sqlite', file, () => sqliteAdapter({ filename: file }), 10 * scale, 120);
    },
    60_000 * scale,
  );

  it(
    'pglite data directory',
    async () => {
      const data = path.join(dir, 'pgdata');
      await crashLoop('pglite', data, () => pgliteAdapter({ dataDir: data }), 3 * scale, 300);
    },
    120_000 * scale,
  );

  it(
    'postgresql server',
    async () => {
      await crashLoop('postgres', schema, () => postgresAdapter({ connectionString: DATABASE_URL, schema }), 8 * scale, 120);
    },
    60_000 * scale,
  );
});
