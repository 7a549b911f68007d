/**
 * `getSubjectStates`: what a read decision needs about some subjects (row, values, records of
 * some kinds), its argument checks, and the fallback through the other transaction methods for
 * adapters that do not implement it.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { StorageTransaction, SubjectState, SubjectStateQuery } from './adapter.js';
import { requireString } from './contract-arguments.js';

/** A checked query: ids and kinds de-duplicated (first occurrence kept), fields too. */
export interface CheckedSubjectStateQuery {
  readonly subjects: readonly string[];
  readonly fields: readonly string[] | undefined;
  readonly recordKinds: readonly string[];
}

function uniqueStrings(list: unknown, argument: string): string[] {
  if (!Array.isArray(list)) throw new InvalidArgumentError(argument, 'must be an array of strings');
  const out = new Set<string>();
  for (let i = 0; i < list.length; i++) out.add(requireString(list[i], `${argument}[${i}]`));
  return [...out];
}

/**
 * @internal check a {@link SubjectStateQuery} (`InvalidArgumentError` naming `query.subjects`,
 * `query.fields[2]`, ... otherwise).
 */
export function checkSubjectStateQuery(query: SubjectStateQuery): CheckedSubjectStateQuery {
  if (typeof query !== 'object' || query === null) throw new InvalidArgumentError('query', 'must be an object with subjects and recordKinds');
  return {
    subjects: uniqueStrings(query.subjects, 'query.subjects'),
    fields: query.fields === undefined ? undefined : uniqueStrings(query.fields, 'query.fields'),
    recordKinds: uniqueStrings(query.recordKinds, 'query.recordKinds').sort(),
  };
}

/**
 * @internal `getSubjectStates` through `getSubject`, `getValues` and `listRecords` in the
 * caller's transaction: the contract's fallback, and the memory adapter's implementation.
 */
export async function subjectStatesThrough(tx: StorageTransaction, query: SubjectStateQuery): Promise<SubjectState[]> {
  const { subjects, fields, recordKinds } = checkSubjectStateQuery(query);
  const out: SubjectState[] = [];
  for (const id of subjects) {
    const subject = await tx.getSubject(id);
    if (subject === undefined) continue;
    const values = fields !== undefined && fields.length === 0 ? [] : await tx.getValues(id, fields);
    const records = [];
    for (const kind of recordKinds) records.push(...(await tx.listRecords(kind, { subjectId: id })));
    out.push({ subject, values, records });
  }
  return out;
}
