/**
 * The SQLite adapter's driver layer at its edges: the default database is in memory, options it
 * refuses are named, a `Database` passed in already closed is unavailable with a cause that
 * says so, and errors of unusual shapes from a driver (a thrown `null`, a numeric code, a
 * message that is not a string) are `StorageError`s, never a `TypeError` of the adapter's own.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, StorageError, StorageUnavailableError } from 'purpose-bound';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { value } from './support/fault-rows.js';
import { FaultPlan, faultySqlite } from './support/faulty-drivers.js';
import { failure } from './support/failure.js';

function refusal(options: unknown): InvalidArgumentError {
  try {
    sqliteAdapter(options as never);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('the options were accepted');
}

describe('sqlite adapter: driver edges', () => {
  it('with no options it opens an in-memory database (no file), not persistent', async () => {
    const adapter = sqliteAdapter();
    expect(adapter.location).toBe(':memory:');
    await adapter.open();
    expect(adapter.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    await adapter.close();
  });

  it('names options.synchronous and refuses a database that is a function, however it looks', () => {
    expect(refusal({ synchronous: 'OFF' }).argument).toBe('options.synchronous');
    expect(refusal({ synchronous: 'OFF' }).message).toMatch(/FULL.*NORMAL/);
    const callable = Object.assign(() => undefined, { prepare: () => undefined, open: true, memory: false });
    expect(refusal({ database: callable }).argument).toBe('options.database');
  });

  it('a Database passed in already closed is StorageUnavailableError on open, its cause saying the connection is closed', async () => {
    const db = new Database(':memory:');
    db.close();
    for (const configure of [true, false]) {
      const error = await failure(sqliteAdapter({ database: db, configure }).open());
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect((error as { cause?: Error }).cause?.message).toMatch(/connection is closed/);
    }
  });

  it.each([
    ['a thrown null', () => null],
    ['an error with a numeric code', () => Object.assign(new Error('disk I/O error'), { code: 10 })],
    ['an error whose message is not a string', () => Object.assign(Object.create(Error.prototype) as Error, { code: 'SQLITE_FULL', message: 42 })],
  ])('%s from the driver is a StorageError of the operation, not a TypeError of the adapter', async (_name, thrown) => {
    const plan = new FaultPlan();
    const adapter = sqliteAdapter({ database: faultySqlite(new Database(':memory:'), plan), closeClient: true });
    await adapter.open();
    await adapter.transaction((tx) =>
      tx.insertSubject({ id: 's1', keyId: 'k', wrappedKey: null, createdAt: '2026-12-01T00:00:00.000Z', erasedAt: null, erasureRef: null, version: 1 }),
    );
    plan.fail('INSERT INTO pb_values', thrown);
    const error = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'putValue' });
    expect((error as StorageError).message).not.toMatch(/42|disk I\/O/);
    expect(await adapter.transaction((tx) => tx.getValues('s1'))).toEqual([]);
    await adapter.close();
  });
});
