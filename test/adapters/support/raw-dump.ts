/** Raw dumps for the conformance suite: every byte the database holds, for a plaintext search. */
import { existsSync, readFileSync } from 'node:fs';

/** Rows of every table as bytes: byte columns raw, everything else as UTF-8 text. */
export function rowsToBytes(rows: readonly Record<string, unknown>[]): Buffer {
  const parts: Buffer[] = [];
  for (const row of rows) {
    for (const v of Object.values(row)) {
      if (v instanceof Uint8Array) parts.push(Buffer.from(v));
      else if (v !== null && v !== undefined) parts.push(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8'));
      parts.push(Buffer.from([0]));
    }
  }
  return Buffer.concat(parts);
}

/** The SQLite file with its WAL and shared-memory files, as they are on disk. */
export function sqliteFileBytes(filename: string): Buffer {
  return Buffer.concat([filename, `${filename}-wal`, `${filename}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** SQL listing the tables of a PostgreSQL schema. */
export const TABLES_OF_SCHEMA = `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`;
