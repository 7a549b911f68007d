/** The PostgreSQL the tests use: DATABASE_URL, or the local test server. Tests fail (never skip) when it is down. */
export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test';

/** A schema name unique to this run and file. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
}
