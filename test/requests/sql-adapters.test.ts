/**
 * The data-subject request suite on the SQL adapters: PGlite (one instance for the file, a
 * schema per test), SQLite (a temporary file per test, so WAL and file locking are real) and
 * PostgreSQL (a schema per test; fails, never skips, when the server is unreachable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { runRequestsSuite } from 'purpose-bound/testing';
import { DATABASE_URL, uniqueSchema } from '../adapters/support/postgres-env.js';

let client: PGlite;
const dir = mkdtempSync(path.join(tmpdir(), 'pb-requests-'));
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const prefix = uniqueSchema('pbreq');
const schemas: string[] = [];
let n = 0;

beforeAll(async () => {
  client = await PGlite.create();
  await pool.query('SELECT 1'); // unreachable server: the whole file fails here
});
afterAll(async () => {
  await client.close();
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

runRequestsSuite({
  name: 'pglite',
  createAdapter: async () => {
    const schema = `r${++n}`;
    await client.exec(`CREATE SCHEMA ${schema}`);
    return pgliteAdapter({ client, schema });
  },
});

runRequestsSuite({ name: 'sqlite', createAdapter: async () => sqliteAdapter({ filename: path.join(dir, `r${++n}.db`) }) });

runRequestsSuite({
  name: 'postgres',
  createAdapter: async () => {
    const schema = `${prefix}_${++n}`;
    schemas.push(schema);
    return postgresAdapter({ pool, schema });
  },
});
