/**
 * What differs between the SQL databases the built-in adapters speak: placeholders, the byte
 * type, key collation and row locks. Everything else in `src/adapters/sql` is shared.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';

/** @internal a value bound to a query parameter. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** @internal the dialect of one adapter. */
export interface SqlDialect {
  readonly name: 'postgres' | 'sqlite';
  /** Column type of byte strings. */
  readonly bytes: string;
  /** Column type of ids and keys that are sorted (byte order, the same everywhere). */
  readonly key: string;
  /** Column type of 64-bit counters. */
  readonly int64: string;
  /** Does `SELECT … FOR UPDATE` exist? (SQLite holds the database write lock instead.) */
  readonly rowLocks: boolean;
  /** Order of history rows in insertion order. */
  readonly historyOrder: string;
  /** Extra column holding insertion order, when the dialect has no implicit one. */
  readonly historyPosColumn: string;
  /** Turn the `?` placeholders of shared SQL into the driver's. */
  readonly sql: (text: string) => string;
  /** Qualify a table name (PostgreSQL: with the schema). */
  readonly table: (name: string) => string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * @internal validate a schema name (identifiers cannot be bound as parameters, so they are
 * checked against a strict pattern and quoted).
 */
export function checkSchemaName(schema: string, argument: string): string {
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new InvalidArgumentError(argument, 'must be an SQL identifier: a letter or _, then letters, digits or _, at most 63 characters');
  }
  return schema;
}

/** @internal `?` → `$1, $2, …` (shared SQL never holds a literal `?`). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** @internal the PostgreSQL dialect (server and PGlite), tables in `schema`. */
export function postgresDialect(schema: string): SqlDialect {
  const quoted = `"${checkSchemaName(schema, 'options.schema')}"`;
  return {
    name: 'postgres',
    bytes: 'BYTEA',
    key: 'TEXT COLLATE "C"',
    int64: 'BIGINT',
    rowLocks: true,
    historyOrder: 'changed_at, pos',
    historyPosColumn: ', pos BIGINT GENERATED ALWAYS AS IDENTITY',
    sql: numbered,
    table: (name) => `${quoted}.${name}`,
  };
}

/** @internal the SQLite dialect. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  bytes: 'BLOB',
  key: 'TEXT',
  int64: 'INTEGER',
  rowLocks: false,
  historyOrder: 'changed_at, rowid',
  historyPosColumn: '',
  sql: (text) => text,
  table: (name) => name,
};

/** @internal `?, ?, ?` for `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
