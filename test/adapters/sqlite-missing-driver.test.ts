/**
 * better-sqlite3 is an optional peer dependency: an application that uses the SQLite adapter
 * without installing it (or with a build of it that has no default export) gets a
 * `StorageUnavailableError` on open whose cause says what to install, never a raw import error.
 * The module is replaced for this file only (the one way to make `import('better-sqlite3')`
 * fail in a process where it is installed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from 'purpose-bound';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';

// Only the driver is replaced (the adapter imports it when it opens); the library's own
// modules are loaded once, with the file.
afterEach(() => {
  vi.doUnmock('better-sqlite3');
});

/** The error of opening an adapter. */
async function openError(): Promise<{ error: unknown }> {
  const adapter = sqliteAdapter({ filename: ':memory:' });
  const error = await adapter.open().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error };
}

describe('sqlite adapter without its driver', () => {
  it('better-sqlite3 that cannot be loaded: StorageUnavailableError on open, the cause naming the package and the install command', async () => {
    vi.doMock('better-sqlite3', () => {
      throw new Error("Cannot find package 'better-sqlite3'");
    });
    const { error } = await openError();
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'sqlite', location: ':memory:' });
    const cause = (error as { cause?: Error }).cause;
    expect(cause?.message).toMatch(/^the optional peer dependency better-sqlite3 could not be loaded \(npm install better-sqlite3\): \S/); // then the loader's own reason
    expect(cause?.message.length).toBeLessThanOrEqual(300);
  });

  it('a better-sqlite3 without a default export: StorageUnavailableError on open, the cause saying so', async () => {
    vi.doMock('better-sqlite3', () => ({ default: undefined, Database: 'not a constructor' }));
    const { error } = await openError();
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as { cause?: Error }).cause?.message).toMatch(/npm install better-sqlite3\): better-sqlite3 has no default export$/);
  });
});
