/**
 * `purpose-bound/adapters/pglite`: the embedded PostgreSQL adapter (peer dependency
 * `@electric-sql/pglite`).
 *
 * @module purpose-bound/adapters/pglite
 */
export { pgliteAdapter, type PGliteAdapterOptions, type PGliteLike, type PGliteQueryable } from '../../adapters/pglite.js';
