/**
 * Holds: record kinds that keep a subject from being destroyed or erased (an open data-subject
 * request, a legal hold), checked under the subject's lock by `vault.retention.destroy` and
 * `vault.erase` (`unlessHeldBy`).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { StorageTransaction } from '../storage/adapter.js';

/** @internal the record kinds of an `unlessHeldBy`-like argument, without repeats (`[]` when undefined). */
export function recordKinds(list: unknown, argument: string): readonly string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InvalidArgumentError(argument, 'must be an array of record kinds');
  const out = new Set<string>();
  list.forEach((k, i) => {
    if (typeof k !== 'string' || k === '') throw new InvalidArgumentError(`${argument}[${i}]`, 'must be a record kind');
    out.add(k);
  });
  return [...out];
}

/** @internal which of `kinds` the subject holds a record of (run it under the subject's lock). */
export async function heldBy(tx: StorageTransaction, subject: string, kinds: readonly string[]): Promise<string[]> {
  const held: string[] = [];
  for (const kind of kinds) if ((await tx.listRecords(kind, { subjectId: subject })).length > 0) held.push(kind);
  return held;
}
