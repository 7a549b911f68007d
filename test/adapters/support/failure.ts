/**
 * What a promise rejects with (`undefined` when it resolves), for tests that assert on the
 * error itself: its class, `code`, `operation` or `argument`.
 *
 * @module
 */

/** The rejection reason of `p`, or `undefined` when it resolves. */
export const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
