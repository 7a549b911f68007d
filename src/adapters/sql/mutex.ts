/**
 * A FIFO promise mutex: one async critical section at a time.
 *
 * @module
 */

/** @internal */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** No critical section is running or waiting: a synchronous one may run right now. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /** Run `fn` once every earlier caller's `fn` has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(fn);
    this.#tail = result.then(
      () => {
        this.#pending--;
      },
      () => {
        this.#pending--;
      },
    );
    return result;
  }
}
