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
 * Limit: V8's async stack follows `await` chains. A nested transaction started from a callback
 * that lost that chain (a `setTimeout` or event-emitter callback inside the transaction
 * callback) is not seen and waits for the outer transaction, as it would without the check.
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
}

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
export function createTransactionScope(): TransactionScope {
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
  return {
    run: <T>(fn: () => Promise<T>): Promise<T> => frame.call(frames, fn) as Promise<T>,
    get active() {
      return active;
    },
    // Nothing of this scope running: nothing to be inside of, no stack to look at.
    isInside: () => active > 0 && asyncStackHas(name),
  };
}
