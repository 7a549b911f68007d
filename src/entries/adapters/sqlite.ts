/**
 * `purpose-bound/adapters/sqlite`: the SQLite adapter (peer dependency `better-sqlite3`).
 *
 * @module purpose-bound/adapters/sqlite
 */
export { sqliteAdapter, type BetterSqlite3Like, type BetterSqlite3StatementLike, type SqliteAdapterOptions } from '../../adapters/sqlite.js';
