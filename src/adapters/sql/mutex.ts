/**
 * A FIFO promise mutex: one async critical section at a time.
 *
 * @module
 */

/** @internal */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Run `fn` once every earlier caller's `fn` has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
