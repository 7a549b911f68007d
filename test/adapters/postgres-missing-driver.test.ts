/**
 * pg is an optional peer dependency of the PostgreSQL adapter given a connection string: when
 * it cannot be loaded, or exports no `Pool`, opening is a `StorageUnavailableError` whose cause
 * says what to install; a pg that exports `Pool` by name only (no default export) is used. The
 * module is replaced for this file only (the one way to make `import('pg')` fail where it is
 * installed). The adapter that works connects to the test server (fails, never skips, without it).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { DATABASE_URL, uniqueSchema } from './support/postgres-env.js';
import { failure } from './support/failure.js';

const schema = uniqueSchema('pb_pg_driver');

// Only the driver is replaced (the adapter imports it when it opens); the library's own
// modules are loaded once, with the file.
afterEach(() => {
  vi.doUnmock('pg');
});

afterAll(async () => {
  const pg = (await vi.importActual<typeof import('pg')>('pg')).default;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

/** An adapter over `DATABASE_URL` that loads pg when it opens. */
async function fresh() {
  return { adapter: postgresAdapter({ connectionString: DATABASE_URL, schema, max: 1 }), StorageUnavailableError };
}

describe('postgres adapter and its optional driver', () => {
  it('pg that cannot be loaded: StorageUnavailableError on open, the cause naming the package and the install command', async () => {
    vi.doMock('pg', () => {
      throw new Error("Cannot find package 'pg'");
    });
    const { adapter, StorageUnavailableError } = await fresh();
    const error = await failure(adapter.open());
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'postgres' });
    const cause = (error as { cause?: Error }).cause;
    expect(cause?.message).toMatch(/^the optional peer dependency pg could not be loaded \(npm install pg\): \S/); // then the loader's own reason
    expect(cause?.message.length).toBeLessThanOrEqual(300);
    expect(String((error as Error).message)).not.toContain('postgres:postgres@'); // the password is never shown
  });

  it('a pg that exports no Pool: StorageUnavailableError on open, the cause saying so', async () => {
    vi.doMock('pg', () => ({ default: { Client: 'no pool here' }, Pool: undefined }));
    const { adapter, StorageUnavailableError } = await fresh();
    const error = await failure(adapter.open());
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as { cause?: Error }).cause?.message).toMatch(/\(npm install pg\): pg exports no Pool$/);
  });

  it('a pg that exports Pool by name only (no default export) is used', async () => {
    const real = (await vi.importActual<typeof import('pg')>('pg')).default;
    vi.doMock('pg', () => ({ default: undefined, Pool: real.Pool }));
    const { adapter } = await fresh();
    await adapter.open();
    expect(await adapter.transaction((tx) => tx.listSubjects())).toEqual([]);
    await adapter.close();
  });
});
