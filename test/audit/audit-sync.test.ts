/**
 * PostgreSQL's lazy audit commit makes a batch durable with one synchronous upsert into
 * `pb_audit_sync`, a row per backend. The rows of backends that have gone are deleted when an
 * adapter opens and every 1,000 syncs, so the table holds about one row per live connection
 * however many connections came and went; a live backend's row is never deleted. Needs the
 * PostgreSQL server: fails (never skips) without it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { DATABASE_URL } from '../security/fixtures/targets.js';

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await pool.end();
});

function newSchema(): string {
  const s = `pb_audit_sync_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  schemas.push(s);
  return s;
}

/** Pids no backend has now: above every live one (Linux pids stop at 2^22). */
const GONE = [4_194_400, 4_194_401, 4_194_402];

async function rows(schema: string): Promise<number[]> {
  return (await pool.query<{ pid: number }>(`SELECT pid FROM "${schema}".pb_audit_sync ORDER BY pid`)).rows.map((r) => r.pid);
}

async function plant(schema: string, pids: readonly number[]): Promise<void> {
  for (const pid of pids) await pool.query(`INSERT INTO "${schema}".pb_audit_sync (pid, n) VALUES ($1, 1) ON CONFLICT (pid) DO NOTHING`, [pid]);
}

describe('pb_audit_sync housekeeping (PostgreSQL lazy audit commit)', () => {
  it("an adapter that opens deletes the rows of backends that have gone and keeps a live backend's row", async () => {
    const schema = newSchema();
    const first = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 2 });
    await first.open();
    await first.syncAudit?.();
    const [own] = await rows(schema);
    expect(own).toBeTypeOf('number');
    // A live backend of another client, as another application server's connection would be.
    const other = await pool.connect();
    try {
      const livePid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
      await plant(schema, [...GONE, livePid]);
      expect(await rows(schema)).toEqual([...new Set([own as number, livePid, ...GONE])].sort((a, b) => a - b));
      const second = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 2 });
      await second.open();
      const left = await rows(schema);
      for (const pid of GONE) expect(left).not.toContain(pid);
      expect(left).toContain(livePid);
      expect(left).toContain(own);
      await second.close();
    } finally {
      other.release();
    }
    await first.close();
  });

  it('a long-running adapter deletes them every 1,000 syncs; the syncs keep working meanwhile', async () => {
    const schema = newSchema();
    const adapter = postgresAdapter({ connectionString: DATABASE_URL, schema, max: 1 });
    await adapter.open();
    await plant(schema, GONE);
    for (let i = 0; i < 999; i++) await adapter.syncAudit?.();
    expect(await rows(schema)).toEqual(expect.arrayContaining(GONE)); // not yet: the 1,000th sync cleans
    await adapter.syncAudit?.();
    const left = await rows(schema);
    for (const pid of GONE) expect(left).not.toContain(pid);
    expect(left).toHaveLength(1); // this adapter's one connection
    const [{ n } = { n: '0' }] = (await pool.query<{ n: string }>(`SELECT n FROM "${schema}".pb_audit_sync WHERE pid = $1`, [left[0]])).rows;
    expect(Number(n)).toBe(1000);
    await adapter.close();
  });
});
