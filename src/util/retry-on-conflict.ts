/**
 * Retry an operation that met a concurrent writer.
 *
 * @module
 */
import { StorageConflictError } from '../errors.js';

/** @internal run `fn`, retrying up to `attempts` times (with jittered back-off) on `StorageConflictError`. */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof StorageConflictError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
