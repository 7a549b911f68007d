/**
 * Checks of the arguments a `StorageTransaction` receives, shared by the built-in adapters so
 * that every adapter refuses the same malformed rows with the same `InvalidArgumentError`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** @internal */
export function requireString(v: unknown, argument: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidArgumentError(argument, 'must be a non-empty string');
  return v;
}

/** @internal */
export function requireText(v: unknown, argument: string): string {
  if (typeof v !== 'string') throw new InvalidArgumentError(argument, 'must be a string');
  return v;
}

/** @internal */
export function requireBytes(v: unknown, argument: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(argument, 'must be a Uint8Array');
  return v;
}

/** @internal a non-negative safe integer (versions, counts, limits, sequence numbers). */
export function requireCount(v: unknown, argument: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(argument, 'must be a non-negative integer');
  return v;
}
