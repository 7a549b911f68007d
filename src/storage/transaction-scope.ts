/**
 * Knowing, without `AsyncLocalStorage`, whether code runs inside a transaction callback of one
 * particular adapter: a transaction started there would wait for itself on a single-connection
 * database (SQLite, PGlite, the memory adapter) and must be refused instead.
 *
 * `AsyncLocalStorage` answers that question, but on Node 20 it turns on promise hooks for the
 * whole process, a cost every application embedding the library would pay on every promise
 * (measured: 11% of `collect`'s CPU). Instead, each scope runs its callbacks inside an async
 * function with a name of its own, and asks V8 for the current async stack (structured call
 * sites, no string formatting, no source-map lookups) when a transaction starts while one is
 * running. The cost is a few microseconds per transaction start, only while another of the same
 * adapter is running, and nothing anywhere else.
 *
 * V8's async stack follows `await` chains, and not every other way a promise can be handed
 * on: a nested transaction started from a timer or event callback inside the transaction
 * callback, or reached through a helper that returns another async function's promise
 * without awaiting it, may not be seen. For those, `enter` bounds the wait: a transaction that
 * waits more than `waitMs` (default 10 s) for its connection while another transaction of
 * the same scope runs fails instead of hanging, and never runs when the connection comes free.
 * A single read statement queued for the connection (`bound`) gets the same bound.
 *
 * @module
 */

let scopes = 0;

/** @internal a scope of transaction callbacks of one adapter (or one connection). */
export interface TransactionScope {
  /** Run a transaction callback inside this scope. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** How many callbacks of this scope are running now. */
  readonly active: number;
  /** Is the caller inside a callback of this scope (on its `await` chain)? */
  isInside(): boolean;
  /**
   * Start a transaction: `begin` queues for the connection and calls its argument once it has
   * it; `callback` then runs inside this scope. While another callback of this scope runs, the
   * wait is bounded: past `waitMs` the promise rejects with `timeout()` and `callback` never
   * runs (the queued start, when it comes, ends at once). `outside`: the callback is the SDK's
   * own and starts no transaction of this scope, so it runs outside the scope (its wait is
   * bounded all the same; while it runs, `isInside` looks at no stack).
   */
  enter<T>(begin: (start: () => Promise<T>) => Promise<T>, callback: () => Promise<T>, timeout: () => Error, outside?: boolean): Promise<T>;
  /**
   * Bound a wait that runs no caller code (one read statement queued for the connection, e.g.
   * SQLite's `single`): while a callback of this scope runs, past `waitMs` the promise rejects
   * with `timeout()`. The statement, when its turn comes, still runs (it only reads); its
   * result is dropped.
   */
  bound<T>(queued: () => Promise<T>, timeout: () => Error): Promise<T>;
}

/** How long a transaction waits for its connection while another of its scope runs. */
export const DEFAULT_WAIT_MS = 10_000;

/** Thrown into a start that came after its waiter gave up: the driver rolls it back. */
class AbandonedStart extends Error {}

type CallSites = readonly { getFunctionName(): string | null }[];

function asyncStackHas(name: string): boolean {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 200;
    Error.captureStackTrace(holder, asyncStackHas);
    const sites = holder.stack as CallSites;
    for (const site of sites) if (site.getFunctionName() === name) return true;
    return false;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** @internal a new scope, with a frame name no other scope has. */
export function createTransactionScope(options: { readonly waitMs?: number } = {}): TransactionScope {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const name = `purposeBoundTransaction$${++scopes}$`;
  let active = 0;
  // A computed method name survives minifiers (property names are kept) and names the frame.
  const frames = {
    async [name]<T>(fn: () => Promise<T>): Promise<T> {
      active++;
      try {
        return await fn();
      } finally {
        active--;
      }
    },
  };
  const frame = frames[name] as <T>(fn: () => Promise<T>) => Promise<T>;
  const run = <T>(fn: () => Promise<T>): Promise<T> => frame.call(frames, fn) as Promise<T>;
  return {
    run,
    enter<T>(begin: (start: () => Promise<T>) => Promise<T>, callback: () => Promise<T>, timeout: () => Error, outside = false): Promise<T> {
      const inScope = outside ? callback : () => run(callback);
      // Nothing of this scope running: the connection is free or about to be, no wait to bound.
      if (active === 0) return begin(inScope);
      let started = false;
      let abandoned = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (started) return;
          abandoned = true;
          reject(timeout());
        }, waitMs);
      });
      const ran = begin(() => {
        started = true;
        clearTimeout(timer);
        return abandoned ? Promise.reject(new AbandonedStart('abandoned')) : inScope();
      });
      ran.catch(() => undefined); // once abandoned, its rejection is nobody's to handle
      return Promise.race([ran, gaveUp]);
    },
    bound<T>(queued: () => Promise<T>, timeout: () => Error): Promise<T> {
      if (active === 0) return queued();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeout()), waitMs);
      });
      const ran = queued();
      ran.catch(() => undefined); // once given up, its outcome is nobody's to handle
      return Promise.race([ran, gaveUp]).finally(() => clearTimeout(timer));
    },
    get active() {
      return active;
    },
    // Nothing of this scope running: nothing to be inside of, no stack to look at.
    isInside: () => active > 0 && asyncStackHas(name),
  };
}
