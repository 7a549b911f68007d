/**
 * Text every storage adapter can hold: well-formed UTF-16 (no lone surrogates) without U+0000.
 * PostgreSQL rejects both in text and JSON columns while SQLite and memory accept them; the SDK
 * refuses them at its API boundary so every adapter behaves the same.
 *
 * @module
 */

type WellFormed = string & { isWellFormed?: () => boolean };

/** @internal */
export function isStorableText(value: string): boolean {
  if (value.includes('\u0000')) return false;
  const wf = (value as WellFormed).isWellFormed;
  return typeof wf === 'function' ? wf.call(value) : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}
