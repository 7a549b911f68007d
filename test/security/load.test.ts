/**
 * Load test (issue 8): 8 worker processes, each with its own pg pool of one connection and its
 * own vault, read and write the same PostgreSQL schema at once for a fixed number of
 * operations (8 × 100 by default; `PB_LOAD_OPS` per worker for a longer run). Afterwards:
 * every operation is accounted for (each one's audit entries are in the chain, exactly), no
 * correction was lost (each appears exactly once in the history, and the final value is the
 * last committed one), no provision record is duplicated or missing (one per `provide()`),
 * every collected subject is whole, every lookup found its subject, and the full audit chain
 * verifies.
 *
 * Fails, never skips, when PostgreSQL is unreachable.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, verifyAuditLog } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sec } from './fixtures/policy.js';
import { DATABASE_URL } from './fixtures/targets.js';
import type { WorkerReport } from './fixtures/load-worker.js';
// Provision is not exported from the package root yet: import its module.
import { createProvisions } from '../../src/provision/provisions.js';

const WORKERS = 8;
const OPS = Number(process.env['PB_LOAD_OPS'] ?? 100);
const HOT_SUBJECTS = 4;
const workerFile = fileURLToPath(new URL('./fixtures/load-worker.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

const schema = `pb_sec_load_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const kek = generateKey();
const keyring = createLocalKeyring({ keys: { 'kek-1': kek }, current: 'kek-1' });
let pool: pg.Pool;
const hot: string[] = [];
const initialEmail = new Map<string, string>();

function runWorker(worker: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', workerFile], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL,
        PB_LOAD_SCHEMA: schema,
        PB_LOAD_KEK: kek,
        PB_LOAD_WORKER: String(worker),
        PB_LOAD_OPS: String(OPS),
        PB_LOAD_HOT: JSON.stringify(hot),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker ${worker} exited with ${code}: ${err.slice(0, 2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as WorkerReport);
      } catch {
        reject(new Error(`worker ${worker} printed no report: ${out.slice(0, 500)} ${err.slice(0, 1000)}`));
      }
    });
  });
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  pool.on('error', () => undefined);
  await pool.query('SELECT 1'); // unreachable PostgreSQL fails the file here: never a skip
  const vault = await createVault({ policy: sec, adapter: postgresAdapter({ pool, schema }), keyring });
  for (let i = 0; i < HOT_SUBJECTS; i++) {
    const email = `hot${i}@load.example`;
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'setup', values: { email, name: `Hot ${i}` } });
    hot.push(subject);
    initialEmail.set(subject, email);
  }
  await vault.close();
}, 120_000);

afterAll(async () => {
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pool?.end();
});

describe(`${WORKERS} concurrent workers through the PostgreSQL adapter and the vault`, () => {
  it(`run ${WORKERS} × ${OPS} operations with no lost update, no duplicate, an intact chain`, async () => {
    const started = performance.now();
    const reports = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(w)));
    const wallMs = Math.round(performance.now() - started);

    // Every operation accounted for, none failed.
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    const done = reports.reduce((n, r) => n + r.collected.length + r.corrections.length + r.reads.length + r.lookups.length + r.provisions.length, 0);
    expect(done).toBe(WORKERS * OPS);

    const vault = await createVault({ policy: sec, adapter: postgresAdapter({ pool, schema }), keyring });

    // Every collected subject is whole and readable; every lookup found exactly its subject.
    const collected = reports.flatMap((r) => r.collected);
    expect(new Set(collected.map((c) => c.subject)).size).toBe(collected.length);
    for (const c of collected) {
      const email = await vault.read(c.subject, 'email', { purpose: 'contact', actor: 'checker' });
      expect(email).toBe(c.email);
    }
    const bySubjectEmail = new Map(collected.map((c) => [c.email, c.subject]));
    for (const l of reports.flatMap((r) => r.lookups)) {
      const expected = bySubjectEmail.get(l.email);
      expect(l.found).toEqual(expected === undefined ? [] : [expected]);
    }

    // No lost update: each committed correction appears exactly once in its subject's history,
    // and the final value is the value of the last correction in history order.
    const corrections = reports.flatMap((r) => r.corrections);
    for (const subject of hot) {
      const mine = corrections.filter((c) => c.subject === subject);
      const history = (await vault.history(subject)).filter((h) => h.field === 'email' && h.change === 'correction');
      expect(history.map((h) => h.actor).sort()).toEqual(mine.map((c) => c.actor).sort());
      const last = history[history.length - 1];
      const expected = last === undefined ? initialEmail.get(subject) : mine.find((c) => c.actor === last.actor)?.email;
      const final = await vault.read(subject, 'email', { purpose: 'contact', actor: 'checker' });
      expect(final).toBe(expected);
    }

    // No duplicate and no lost provision record: exactly one record per successful provide().
    const provided = reports.flatMap((r) => r.provisions);
    const provisions = createProvisions({ vault });
    const records = (await Promise.all(hot.map((s) => provisions.records(s)))).flat();
    expect(records.map((r) => r.id).sort()).toEqual(provided.map((p) => p.id).sort());
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    for (const r of records) expect(r).toMatchObject({ vendor: 'printer', fields: ['name'], purpose: 'billing' });

    // Reads only ever saw a value that was written.
    const written = new Set([...initialEmail.values(), ...corrections.map((c) => c.email)]);
    for (const r of reports.flatMap((x) => x.reads)) expect(written.has(r.email)).toBe(true);

    // The audit chain over every concurrent append verifies, and each worker's audited
    // operations are in it.
    const verification = await verifyAuditLog(vault.audit);
    expect(verification).toMatchObject({ valid: true });
    const workerEntries = (await vault.audit.entries()).filter((e) => /^w\d+:op\d+$/.test(e.actor));
    const key = (action: string, actor: string) => `${action} ${actor}`;
    const expectedEntries = [
      ...collected.map((c) => key('collect', c.actor)),
      ...corrections.map((c) => key('value.correct', c.actor)),
      ...reports.flatMap((r) => r.reads).map((r) => key('read', r.actor)),
      // provide() reads the field through the guard (audited), then records the provision.
      ...provided.flatMap((p) => [key('read', p.actor), key('provide', p.actor)]),
    ].sort();
    expect(workerEntries.map((e) => key(e.action, e.actor)).sort()).toEqual(expectedEntries);

    // The workers really ran at the same time.
    expect(Math.max(...reports.map((r) => r.startedAt))).toBeLessThan(Math.min(...reports.map((r) => r.endedAt)));

    await vault.close();
    const conflicts = reports.reduce((n, r) => n + r.conflicts, 0);
    // eslint-disable-next-line no-console
    console.info(
      `[load] ${WORKERS} workers × ${OPS} ops = ${done} operations in ${wallMs} ms wall ` +
        `(collect ${collected.length}, correct ${corrections.length}, read ${reports.reduce((n, r) => n + r.reads.length, 0)}, ` +
        `lookup ${reports.reduce((n, r) => n + r.lookups.length, 0)}, provide ${reports.reduce((n, r) => n + r.provisions.length, 0)}); ` +
        `${conflicts} conflicts retried; audit chain ${verification.entries} entries valid`,
    );
  }, 600_000);
});
