/**
 * The PGlite adapter and the `@electric-sql/pglite` module it imports when it creates its own
 * instance: a missing package gives a `StorageUnavailableError` whose cause says what to
 * install, and an instance the adapter created is one it closes. The module is replaced for
 * this file only (the one way to make the import fail, or to see the instances it creates, in a
 * process where it is installed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';

afterEach(() => {
  vi.doUnmock('@electric-sql/pglite');
});

describe('pglite adapter and its driver module', () => {
  it('@electric-sql/pglite that cannot be loaded: StorageUnavailableError on open, the cause naming the package and the install command', async () => {
    vi.doMock('@electric-sql/pglite', () => {
      throw new Error("Cannot find package '@electric-sql/pglite'");
    });
    const error = await pgliteAdapter({ dataDir: 'memory://' })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'pglite', location: 'memory://' });
    const cause = (error as { cause?: Error }).cause;
    expect(cause?.message).toMatch(/^the optional peer dependency @electric-sql\/pglite could not be loaded \(npm install @electric-sql\/pglite\): \S/); // then the loader's own reason
    expect(cause?.message.length).toBeLessThanOrEqual(300);
  });

  /** The cause of opening an adapter whose driver module throws `thrown` when its PGlite is taken. */
  const causeWhenPGliteThrows = async (thrown: unknown): Promise<string | undefined> => {
    vi.doMock('@electric-sql/pglite', () => ({
      get PGlite() {
        throw thrown;
      },
    }));
    const error = await pgliteAdapter()
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    return (error as { cause?: Error }).cause?.message;
  };

  it("the loader's reason follows, cut so that the cause stays at most 300 characters", async () => {
    expect(await causeWhenPGliteThrows(new Error('the wasm bundle is missing'))).toMatch(/\(npm install @electric-sql\/pglite\): the wasm bundle is missing$/);
    const long = await causeWhenPGliteThrows(new Error(`cannot load ${'x'.repeat(1000)}`));
    expect(long).toMatch(/\(npm install @electric-sql\/pglite\): cannot load x+$/);
    expect(long?.length).toBe(300);
  });

  it('a reason that is not an Error (a thrown string, undefined) leaves the reason empty', async () => {
    for (const thrown of ['plain text', undefined, null]) {
      expect(await causeWhenPGliteThrows(thrown), String(thrown)).toMatch(/\(npm install @electric-sql\/pglite\): $/);
    }
  });

  it('creates its instance in memory or in the data directory, and closes it on close', async () => {
    const created: { dataDir: string | undefined; instance: { closed: boolean } }[] = [];
    vi.doMock('@electric-sql/pglite', async (importOriginal) => {
      const real = await importOriginal<typeof import('@electric-sql/pglite')>();
      return {
        ...real,
        PGlite: {
          create: async (dataDir?: string) => {
            const instance = await real.PGlite.create(dataDir);
            created.push({ dataDir, instance });
            return instance;
          },
        },
      };
    });
    const adapter = pgliteAdapter();
    await adapter.open();
    expect(created).toHaveLength(1);
    expect(created[0]?.dataDir).toBeUndefined();
    expect(created[0]?.instance.closed).toBe(false);
    await adapter.close();
    expect(created[0]?.instance.closed).toBe(true);
  });
});
