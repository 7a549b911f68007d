/**
 * Fresh SQL adapters for a test file: SQLite (a temporary file each, so WAL and file locking are
 * real), PGlite (one instance for the file, a schema each) and PostgreSQL (a schema each, dropped
 * afterwards; the file fails, never skips, when the server is unreachable). Registers its own
 * `beforeAll`/`afterAll`.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { DATABASE_URL, uniqueSchema } from './postgres-env.js';

/** One factory per SQL adapter; each call gives an adapter over empty storage. */
export interface FreshSqlAdapters {
  sqlite(): Promise<StorageAdapter>;
  pglite(): Promise<StorageAdapter>;
  postgres(): Promise<StorageAdapter>;
}

/** `name`: a short prefix for file, schema and temporary directory names (letters only). */
export function freshSqlAdapters(name: string): FreshSqlAdapters {
  let client: PGlite;
  const dir = mkdtempSync(path.join(tmpdir(), `pb-${name}-`));
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const prefix = uniqueSchema(`pb${name}`);
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
  return {
    sqlite: async () => sqliteAdapter({ filename: path.join(dir, `${name}${++n}.db`) }),
    async pglite() {
      const schema = `${name}${++n}`;
      await client.exec(`CREATE SCHEMA ${schema}`);
      return pgliteAdapter({ client, schema });
    },
    async postgres() {
      const schema = `${prefix}_${++n}`;
      schemas.push(schema);
      return postgresAdapter({ pool, schema });
    },
  };
}
