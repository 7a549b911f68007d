/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace. Two equal
 * values always give the same string, so their hashes match.
 *
 * @module
 */

/** @internal is `list` in the order `Array.prototype.sort` gives strings (UTF-16 code units)? */
export function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i - 1] as string) > (list[i] as string)) return false;
  return true;
}

/** @internal an object's own keys in `Array.prototype.sort` order (no sort when they already are: the usual case). */
export function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  return isSorted(keys) ? keys : keys.sort();
}

/** @internal */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = sortedKeys(value);
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}
