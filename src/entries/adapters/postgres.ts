/**
 * `purpose-bound/adapters/postgres`: the PostgreSQL server adapter (peer dependency `pg`).
 *
 * @module purpose-bound/adapters/postgres
 */
export { postgresAdapter, type PgPoolClientLike, type PgPoolLike, type PostgresAdapterOptions } from '../../adapters/postgres.js';
