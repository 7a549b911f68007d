/**
 * Free text the SDK stores beside personal values (actors, reasons, references, methods,
 * explanations): one rule for every entry point, so every adapter behaves the same. It must
 * be a non-blank string of bounded length, well-formed UTF-16 (no lone surrogates) and free of
 * U+0000: PostgreSQL rejects both in text and JSON columns while SQLite and memory accept them.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

const NON_BLANK = /\S/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type WellFormed = string & { isWellFormed?: () => boolean };

/** @internal well-formed and without NUL (PostgreSQL can store it). */
export function isStorableText(value: string): boolean {
  if (value.includes('\u0000')) return false;
  const wf = (value as WellFormed).isWellFormed;
  return typeof wf === 'function' ? wf.call(value) : !LONE_SURROGATE.test(value);
}

/** @internal a non-blank, storable string of at most `max` characters. */
export function isStoredText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max && NON_BLANK.test(value) && isStorableText(value);
}

/**
 * @internal throw `InvalidArgumentError` naming `argument` unless `value` is stored text.
 * `what` completes "must be …", e.g. `'a non-empty string naming who acts'`.
 */
export function assertStoredText(value: unknown, argument: string, max: number, what = 'a non-empty string'): asserts value is string {
  if (!isStoredText(value, max)) throw new InvalidArgumentError(argument, `must be ${what} of at most ${max} characters (well-formed text without NUL)`);
}

/** @internal like {@link assertStoredText}, but `undefined` is allowed. */
export function assertOptionalStoredText(value: unknown, argument: string, max: number, what?: string): asserts value is string | undefined {
  if (value !== undefined) assertStoredText(value, argument, max, what);
}
