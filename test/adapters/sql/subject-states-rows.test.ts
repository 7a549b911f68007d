/**
 * `getSubjectStates`' one statement has no ORDER BY (the sorter cost a third of it on SQLite):
 * the rows are taken in whatever order the database returns them, and each subject's values
 * and records are sorted in JavaScript the way the key columns sort in SQL (UTF-8 byte order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SqlRow } from '../../../src/adapters/sql/executor.js';
import { subjectStatesFromRows } from '../../../src/adapters/sql/sql-transaction.js';

// The statement's columns: part, id, k1–k3 (key text), t1–t5 (text), b (bytes), n (integer),
// and on a subject row (part 0) one of its values: k1 its field, vb, vt1–vt3, vn.
const subjectColumns = (id: string): SqlRow => ({
  part: 0,
  id,
  t1: 'kek-1',
  b: Buffer.from([1, 2, 3]),
  t2: '2026-01-01T00:00:00.000Z',
  t3: null,
  t4: null,
  n: 3,
  t5: '{"f":{}}',
  k1: null,
});
const subjectRow = (id: string): SqlRow => subjectColumns(id);
const valueRow = (id: string, field: string): SqlRow => ({
  ...subjectColumns(id),
  k1: field,
  vb: Buffer.from(field),
  vt1: null,
  vt2: '{}',
  vt3: '2026-01-01T00:00:00.000Z',
  vn: 1,
});
const recordRow = (id: string, kind: string, createdAt: string, rid: string): SqlRow => ({ part: 2, id, k1: kind, k2: rid, k3: createdAt, t1: '{}' });

const utf8Sorted = (list: readonly string[]) => [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('subjectStatesFromRows', () => {
  it('gives the same states whatever order the rows come in: values by field, records by kind, time and id', () => {
    const rows = [
      valueRow('s1', 'phone'),
      valueRow('s1', 'email'),
      valueRow('s1', 'name'),
      recordRow('s1', 'suspension', '2026-02-01T00:00:00.000Z', 'r3'),
      recordRow('s1', 'consent', '2026-03-01T00:00:00.000Z', 'r2'),
      recordRow('s1', 'consent', '2026-01-01T00:00:00.000Z', 'r9'),
      recordRow('s1', 'consent', '2026-01-01T00:00:00.000Z', 'r1'),
      valueRow('s2', 'email'),
      recordRow('ghost', 'consent', '2026-01-01T00:00:00.000Z', 'r7'), // a record whose subject row is not there
    ];
    const query = { subjects: ['s2', 'missing', 's1'], fields: undefined, recordKinds: ['consent', 'suspension'] };
    fc.assert(
      fc.property(fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), (shuffled) => {
        const states = subjectStatesFromRows(shuffled, query);
        expect(states.map((s) => s.subject.id)).toEqual(['s2', 's1']);
        const s1 = states[1];
        expect(s1?.values.map((v) => v.field)).toEqual(['email', 'name', 'phone']);
        expect(s1?.records.map((r) => `${r.kind} ${r.id}`)).toEqual(['consent r1', 'consent r9', 'consent r2', 'suspension r3']);
        expect(states[0]?.values.map((v) => v.field)).toEqual(['email']);
        expect(states[0]?.records).toEqual([]);
      }),
    );
  });

  it('sorts keys in UTF-8 byte order, as SQLite (BINARY) and PostgreSQL (COLLATE "C") do, not in UTF-16 order', () => {
    // U+1F600 (a surrogate pair in UTF-16) sorts before U+FF21 in UTF-16 but after it in UTF-8.
    const fields = ['\u{1F600}', '\uFF21', 'a', 'Z'];
    const states = subjectStatesFromRows([...fields.map((f) => valueRow('s', f)), subjectRow('t')], { subjects: ['s', 't'], fields, recordKinds: [] });
    expect(states[0]?.values.map((v) => v.field)).toEqual(utf8Sorted(fields));
    expect(utf8Sorted(fields)).not.toEqual([...fields].sort());
    expect(states[1]).toMatchObject({ subject: { id: 't', keyId: 'kek-1', version: 3, valueState: '{"f":{}}' }, values: [], records: [] });
  });
});
