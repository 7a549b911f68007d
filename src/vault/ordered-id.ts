/**
 * Record ids that sort in creation order within a process (time, then a counter), with random
 * bits so ids from several processes do not collide.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** @internal e.g. `0m3x1k2ab-000001-3f9c2a1b7d4e`. */
export function orderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else counter++;
  return `${lastMs.toString(36).padStart(9, '0')}-${counter.toString(36).padStart(6, '0')}-${randomBytes(6).toString('hex')}`;
}
