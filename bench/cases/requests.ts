/**
 * Data-subject request benchmark (issue 6), per adapter (memory, PGlite in memory, SQLite
 * file, PostgreSQL): a full disclosure (`desk.disclose`) of one subject holding 100 values
 * with 1,000 audit entries about them. Each disclosure decrypts the 100 values, reads
 * provenance, history, consents, suspensions, provision records, the subject's requests and
 * audit entries, then audits 100 `disclose` entries and completes the request in one
 * transaction. The figure is the median over the runs; every disclosure adds ~104 audit
 * entries, so later runs read slightly more (first run: 1,000 + the collect and request entries).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { z } from 'zod';
import { createLocalKeyring, createRequestDesk, createVault, definePolicy, generateKey, type IdentityVerifier, type StorageAdapter } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import type { BenchCase, BenchContext } from '../run.js';

const VALUES = 100;
const AUDIT = 1000;
const RUNS = 7;
const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test';

const t = (en: string, ja: string) => ({ en, ja });
const fieldIds = Array.from({ length: VALUES }, (_, i) => `field${String(i).padStart(3, '0')}`);
const fields = Object.fromEntries(fieldIds.map((id) => [id, { title: t(id, id), schema: z.string().min(1).max(200), category: 'other' as const, purposes: ['service' as const] }]));
const policy = definePolicy({
  id: 'bench-requests',
  version: '1',
  effective: '2026-01-01',
  controller: { name: t('Bench', 'ベンチ'), contact: { email: 'privacy@bench.example' } },
  purposes: { service: { title: t('Service', 'サービス'), description: t('To serve.', '提供のため。'), basis: 'contract', retention: 'P3Y' } },
  fields,
  collectionPoints: { form: { title: t('Form', 'フォーム'), fields: fieldIds, purposes: ['service'] } },
});

const verifier: IdentityVerifier<null> = { method: 'bench', verify: () => ({ verified: true }) };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function disclosureMs(adapter: StorageAdapter): Promise<number> {
  const vault = await createVault({ policy, adapter, keyring: createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1' }) });
  const values = Object.fromEntries(fieldIds.map((id, i) => [id, `value ${i} of the subject, ${'x'.repeat(20)}`]));
  const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'bench', values: values as never });
  await vault.adapter.transaction(async (tx) => {
    for (let i = 0; i < AUDIT; i++) {
      await tx.appendAudit({
        at: new Date().toISOString(),
        action: 'read',
        actor: 'staff:1',
        subject,
        field: fieldIds[i % VALUES] as string,
        purpose: 'service',
        basis: 'purpose',
        decision: 'allow',
      });
    }
  });
  const desk = createRequestDesk({ vault, verifier });
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const r = await desk.receive({ kind: 'disclosure', subject, actor: 'bench' });
    await desk.verifyIdentity(r.id, { actor: 'bench', evidence: null });
    const s = performance.now();
    const d = await desk.disclose(r.id, { actor: 'bench' });
    times.push(performance.now() - s);
    if (d.values.length !== VALUES || d.audit.length < AUDIT) throw new Error('bench disclosure is incomplete');
  }
  await vault.close();
  return median(times);
}

const name = (adapter: string): string => `${adapter}: disclose a subject with ${VALUES} values and ${AUDIT.toLocaleString('en-US')} audit entries`;

export async function run(_ctx: BenchContext): Promise<BenchCase[]> {
  const out: BenchCase[] = [];
  out.push({ name: name('memory'), unit: 'ms', value: await disclosureMs(memoryAdapter()), comparisons: [] });
  const client = await PGlite.create();
  try {
    out.push({ name: name('pglite'), unit: 'ms', value: await disclosureMs(pgliteAdapter({ client })), comparisons: [] });
  } finally {
    await client.close();
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-bench-requests-'));
  try {
    out.push({ name: name('sqlite'), unit: 'ms', value: await disclosureMs(sqliteAdapter({ filename: path.join(dir, 'bench.db') })), comparisons: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const schema = `pb_bench_requests_${process.pid}`;
  try {
    out.push({ name: name('postgres'), unit: 'ms', value: await disclosureMs(postgresAdapter({ pool, schema })), comparisons: [] });
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  }
  return out;
}
