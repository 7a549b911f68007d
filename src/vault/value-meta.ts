/**
 * What the vault keeps beside each encrypted value, in clear: its provenance and, for entrusted
 * data, the purposes it is bound to (a value row's `meta`), and what a history row's `meta`
 * holds. Also the text a `lookup` field's blind index is computed over.
 *
 * @module
 */
import { IntegrityError } from '../errors.js';
import type { ValueRow } from '../storage/adapter.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { HistoryEntry, Provenance } from './types.js';

/** @internal a value row's `meta`: provenance and, for entrusted data, the purposes it is bound to. */
export interface ValueMeta {
  readonly provenance: Provenance;
  readonly restrictTo?: readonly string[];
}

/** @internal a history row's `meta`. */
export interface HistoryMeta {
  readonly change: HistoryEntry['change'];
  readonly actor: string;
  readonly reason: string;
  readonly requestId?: string;
  readonly previous?: Provenance;
  readonly restrictTo?: readonly string[];
}

/** @internal is `value` a list of purpose ids, the form the vault writes `restrictTo` in? */
export function isPurposeList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((p) => typeof p === 'string');
}

/**
 * Absent, or a list of purpose ids: what the vault writes as `restrictTo`. Anything else (a
 * string, an object, `null`, a list holding a non-string) was not written by the vault, and is
 * refused before the decision reads it or the associated data is built from it.
 */
function isAbsentOrPurposeList(restrictTo: unknown): boolean {
  return restrictTo === undefined || isPurposeList(restrictTo);
}

/** @internal parse a value row's `meta` (`IntegrityError` when it is not what the vault wrote). */
export function parseMeta(row: ValueRow): ValueMeta {
  try {
    const meta = JSON.parse(row.meta) as ValueMeta;
    if (typeof meta?.provenance?.collectedAt !== 'string') throw new Error('no provenance');
    if (!isAbsentOrPurposeList(meta.restrictTo)) throw new Error('restrictTo is not a list of purposes');
    return meta;
  } catch {
    throw new IntegrityError('stored value metadata is not valid', { subject: row.subjectId, field: row.field });
  }
}

/** @internal parse a history row's `meta`. */
export function parseHistoryMeta(subject: string, field: string, text: string): HistoryMeta {
  try {
    const meta = JSON.parse(text) as HistoryMeta;
    if (typeof meta?.change !== 'string') throw new Error('no change');
    if (!isAbsentOrPurposeList(meta.restrictTo)) throw new Error('restrictTo is not a list of purposes');
    return meta;
  } catch {
    throw new IntegrityError('stored history metadata is not valid', { subject, field });
  }
}

/**
 * @internal the text a `lookup` field's blind index is computed over: strings in Unicode NFKC,
 * trimmed and lower-cased (so `Hana@Example.JP ` and `hana@example.jp` match, and full-width
 * and half-width forms of Japanese text match); dates as ISO 8601; everything else as
 * canonical JSON.
 */
export function normalizeLookup(value: unknown): string {
  if (typeof value === 'string') return `s:${value.normalize('NFKC').trim().toLowerCase()}`;
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (typeof value === 'bigint') return `n:${value.toString()}`;
  return `j:${canonicalJson(value)}`;
}
