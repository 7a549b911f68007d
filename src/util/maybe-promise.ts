/** A value or a promise of it: in-memory implementations answer synchronously, storage asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** @internal */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
