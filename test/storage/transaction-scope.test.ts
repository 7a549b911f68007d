/**
 * A transaction started inside another of the same adapter is refused (it would wait for
 * itself on a single-connection database), detected without AsyncLocalStorage, so that the
 * library turns on no promise hooks in the host process.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StorageAdapter } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { createTransactionScope } from '../../src/storage/transaction-scope.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** A one-connection queue, like the single-connection adapters': starts run one after another. */
function oneConnection() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    queue: <T>(start: () => Promise<T>): Promise<T> => {
      const result = tail.then(start);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail,
  };
}

describe.each([
  ['memory', () => memoryAdapter()],
  ['sqlite', () => sqliteAdapter()],
] as const)('%s adapter', (_name, make) => {
  it('refuses a transaction awaited inside another, however deep the helpers', async () => {
    const adapter: StorageAdapter = make();
    await adapter.open();
    const deep = async (n: number): Promise<unknown> => {
      await tick();
      return n === 0 ? adapter.transaction(async (tx) => tx.getSubject('x')) : deep(n - 1);
    };
    await expect(adapter.transaction(async () => deep(5))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    await expect(adapter.transaction(async () => adapter.getSubjectStates?.({ subjects: ['x'], recordKinds: [] }))).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    await adapter.close();
  });

  it('lets concurrent transactions from other callers queue, and nests transactions of another adapter', async () => {
    const adapter = make();
    const other = make();
    await adapter.open();
    await other.open();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        adapter.transaction(async (tx) => {
          await tick();
          const inner = await other.transaction(async (otx) => otx.getSubject(`o${i}`));
          return [await tx.getSubject(`s${i}`), inner];
        }),
      ),
    );
    expect(results).toHaveLength(20);
    await adapter.close();
    await other.close();
  });
});

describe('transaction scopes', () => {
  it('tell their own callbacks apart and cost nothing while none runs', async () => {
    const a = createTransactionScope();
    const b = createTransactionScope();
    expect(a.isInside()).toBe(false);
    await a.run(async () => {
      await tick();
      expect(a.isInside()).toBe(true);
      expect(b.isInside()).toBe(false);
      expect(a.active).toBe(1);
    });
    expect(a.active).toBe(0);
  });

  it('the library imports no AsyncLocalStorage or async_hooks (no process-wide promise hooks)', () => {
    const root = fileURLToPath(new URL('../../src', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    const offenders = files.filter((f) => /from ['"](node:)?async_hooks['"]|AsyncLocalStorage|createHook\(/.test(readFileSync(f, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '')));
    expect(offenders).toEqual([]);
  });
});

describe('a nested transaction the async stack does not show', () => {
  it.each([
    ['a transaction callback', false],
    ["the SDK's own batch (outside the scope)", true],
  ] as const)('%s started from a timer fails after the wait bound instead of hanging, and never runs', async (_what, outside) => {
    const scope = createTransactionScope({ waitMs: 50 });
    const { queue, idle } = oneConnection();
    let innerRan = false;
    const outer = scope.enter(
      queue,
      async () =>
        new Promise((resolve, reject) => {
          // started from a timer callback: no await chain leads back to the outer callback
          setTimeout(() => {
            scope
              .enter(
                queue,
                async () => {
                  innerRan = true;
                },
                () => new Error('waited too long'),
                outside,
              )
              .then(resolve, reject);
          }, 1);
        }),
      () => new Error('outer waited'),
    );
    await expect(outer).rejects.toThrow('waited too long');
    await idle();
    expect(innerRan).toBe(false);
    expect(scope.active).toBe(0);
  });
});

describe("the SDK's own transaction bodies (outside the scope)", () => {
  it('run outside the scope: no callback counts as running, so nothing needs the async stack', async () => {
    const scope = createTransactionScope();
    const direct = <T>(start: () => Promise<T>): Promise<T> => start();
    const seen = await scope.enter(
      direct,
      async () => {
        await tick();
        return { active: scope.active, inside: scope.isInside() };
      },
      () => new Error('waited'),
      true,
    );
    expect(seen).toEqual({ active: 0, inside: false });
    const scoped = await scope.enter(
      direct,
      async () => {
        await tick();
        return { active: scope.active, inside: scope.isInside() };
      },
      () => new Error('waited'),
    );
    expect(scoped).toEqual({ active: 1, inside: true });
  });
});
