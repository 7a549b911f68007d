/**
 * Safe rendering of caller-supplied ids in error messages and paths: an id-shaped string is
 * shown as is; anything else (free text, huge strings, lone surrogates, control characters,
 * non-strings) is described by its kind and length, never echoed. Error messages name what
 * was wrong without repeating input that could be a personal value or a log-injection payload.
 *
 * @module
 */

/** The policy id grammar: a letter, then letters, digits, `_` or `-`; at most 64. */
const SAFE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** @internal is this id safe to repeat in a message (the id grammar of policies)? */
export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE.test(value);
}

/** @internal the id itself when safe, else a description such as `<string of 37 characters>`. */
export function safeId(value: unknown): string {
  if (isSafeId(value)) return value;
  if (typeof value === 'string') return `<string of ${value.length} characters>`;
  if (value === null) return '<null>';
  if (Array.isArray(value)) return '<array>';
  return `<${typeof value}>`;
}
