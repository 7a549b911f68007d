/**
 * `purpose-bound/adapters/pglite`: the embedded PostgreSQL adapter (peer dependency
 * `@electric-sql/pglite`).
 *
 * @module
 */
export { pgliteAdapter, type PGliteAdapterOptions, type PGliteLike, type PGliteQueryable } from '../../adapters/pglite.js';
