/**
 * Crash test of group commit: a child process with 32 concurrent callers appending through the
 * group-commit audit log is SIGKILLed in the middle of its batches; on reopen every entry a
 * caller was told about (its append resolved: a read would have returned the value) is stored
 * with the same hash, and the log and its stored tree verify. On SQLite (synchronous FULL),
 * PGlite (data directory) and PostgreSQL.
 */
import { runUntilKilled } from '../adapters/support/kill-writer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupCommitAuditLog, verifyAuditLog, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { DATABASE_URL, uniqueSchema } from '../adapters/support/postgres-env.js';

const script = fileURLToPath(new URL('./fixtures/group-commit-writer.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'pb-gc-crash-'));
const schema = uniqueSchema('pbgccrash');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

/** Start the writer, wait for `min` acknowledged appends, SIGKILL it after a random delay; the acknowledged (seq, hash) pairs. */
async function runAndKill(kind: string, where: string, min: number, maxDelayMs: number): Promise<Map<number, string>> {
  const acked = new Map<number, string>();
  await runUntilKilled(script, [kind, where, DATABASE_URL], {
    onLine(line) {
      const [tag, seq, hash] = line.split(' ');
      if (tag === 'a') acked.set(Number(seq), String(hash));
    },
    ready: () => acked.size >= min,
    maxDelayMs,
  });
  return acked;
}

async function check(adapter: StorageAdapter, acked: Map<number, string>): Promise<void> {
  await adapter.open();
  const log = createGroupCommitAuditLog({ adapter });
  const stored = new Map((await log.entries()).map((e) => [e.seq, e.hash]));
  for (const [seq, hash] of acked) expect(stored.get(seq), `acknowledged entry ${seq} is not durable`).toBe(hash);
  expect(stored.size).toBeGreaterThanOrEqual(acked.size);
  expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: stored.size });
  await adapter.close();
}

describe('SIGKILL during group commit', () => {
  it('sqlite: every acknowledged entry is durable, the tree verifies', async () => {
    const file = path.join(dir, 'gc.db');
    for (let round = 0; round < 2; round++) {
      const acked = await runAndKill('sqlite', file, 200 + round * 100, 60);
      await check(sqliteAdapter({ filename: file }), acked);
    }
  });

  it('postgres: every acknowledged entry is durable, the tree verifies', async () => {
    for (let round = 0; round < 2; round++) {
      const acked = await runAndKill('postgres', schema, 200 + round * 100, 60);
      await check(postgresAdapter({ connectionString: DATABASE_URL, schema, max: 2 }), acked);
    }
  });

  it('pglite: every acknowledged entry is durable, the tree verifies', async () => {
    const dataDir = path.join(dir, 'pglite');
    const acked = await runAndKill('pglite', dataDir, 100, 60);
    await check(pgliteAdapter({ dataDir }), acked);
  }, 120_000);
});
