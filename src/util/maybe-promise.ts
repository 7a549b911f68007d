/**
 * A value or a promise of it: in-memory implementations answer synchronously, storage
 * asynchronously. Callers `await` the result either way.
 *
 * @example
 * ```ts
 * import type { MaybePromise } from 'purpose-bound';
 *
 * interface Clock {
 *   now(): MaybePromise<Date>;
 * }
 * const clock: Clock = { now: () => new Date() };
 * const at = await clock.now(); // works for a synchronous or an asynchronous clock
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/** @internal */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
