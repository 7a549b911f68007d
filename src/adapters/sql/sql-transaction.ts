/**
 * The `StorageTransaction` of every SQL adapter: parameterised statements over an executor.
 *
 * @module
 */
import { auditHashParts, type AuditEntry, type AuditEntryInput } from '../../audit/audit-entry.js';
import type { AuditQuery } from '../../audit/audit-log.js';
import type { TreeNodeRef } from '../../audit/merkle.js';
import { extendTree } from '../../audit/tree-append.js';
import { IntegrityError, InvalidArgumentError, StorageConflictError } from '../../errors.js';
import type {
  AuditTreeHead,
  GetSubjectOptions,
  HistoryRow,
  RecordRow,
  StorageTransaction,
  SubjectRow,
  SubjectState,
  SubjectStateQuery,
  SubjectWithValues,
  ValueRow,
} from '../../storage/adapter.js';
import type { RowWrite } from '../../storage/apply-writes.js';
import { checkSubjectStateQuery, type CheckedSubjectStateQuery } from '../../storage/subject-states.js';
import { auditAppendFunctionName } from './audit-append-function.js';
import { AUDIT_SELECT_COLUMNS, auditColumnValues, checkedAuditBody, toAudit } from './audit-rows.js';
import { encodeFrontier, readAuditEntries, readNodes, treeHeadFromRow } from './audit-tree-sql.js';
import { placeholders, type SqlDialect, type SqlValue } from './dialect.js';
import type { SqlExecutor, SqlRow } from './executor.js';
import { requireBytes, requireCount, requireString, requireText } from '../../storage/contract-arguments.js';

/** @internal the statements of a dialect, built once per adapter. */
export interface SqlStatements {
  readonly getSubject: string;
  readonly getSubjectForUpdate: string;
  readonly insertSubject: string;
  readonly updateSubject: string;
  readonly listSubjects: string;
  readonly listSubjectsAfter: string;
  readonly getAllValues: string;
  readonly putValue: string;
  readonly deleteAllValues: string;
  readonly findByLookup: string;
  readonly appendHistory: string;
  readonly listHistory: string;
  readonly deleteHistory: string;
  readonly putRecord: string;
  readonly getRecord: string;
  readonly listRecords: string;
  readonly listRecordsOfSubject: string;
  readonly deleteRecord: string;
  /** The head row, locked where the dialect has row locks. */
  readonly auditHead: string;
  /** The head row, read without a lock (proofs, checkpoints). */
  readonly readAuditHead: string;
  readonly insertAudit: string;
  /** One stored tree node (level, index, hash). */
  readonly insertAuditNode: string;
  readonly updateAuditHead: string;
  /** PostgreSQL dialects: append a JSON batch of entries through `pb_audit_append` (one statement). */
  readonly appendAuditFunction: string | undefined;
  /** A subject and all its values in one statement. */
  readonly getSubjectWithAllValues: string;
  /** The same for a few fields, by number of fields (filled on use). */
  readonly subjectWithFields: Map<number, string>;
  /** `getSubjectStates` statements by shape (filled on use, bounded). */
  readonly subjectStates: Map<string, string>;
}

const SUBJECT_COLUMNS = 'id, key_id, wrapped_key, created_at, erased_at, erasure_ref, version, value_state';
const VALUE_COLUMNS = 'subject_id, field, ciphertext, lookup, meta, updated_at, version';
const HISTORY_COLUMNS = 'id, subject_id, field, ciphertext, meta, changed_at';
const RECORD_COLUMNS = 'kind, id, subject_id, created_at, doc';

/**
 * A subject LEFT JOIN its values (so a subject without values is still one row); `fieldFilter`
 * goes into the join condition, its placeholders before the subject id's.
 */
function subjectWithValuesSql(d: SqlDialect, fieldFilter: string, ordered = true): string {
  return `SELECT s.id, s.key_id, s.wrapped_key, s.created_at, s.erased_at, s.erasure_ref, s.version AS s_version, s.value_state,
     v.field, v.ciphertext, v.lookup, v.meta, v.updated_at, v.version AS v_version
   FROM ${d.table('pb_subjects')} s LEFT JOIN ${d.table('pb_values')} v ON v.subject_id = s.id${fieldFilter}
   WHERE s.id = ?${ordered ? ' ORDER BY v.field' : ''}`;
}

/** @internal build the statements of a dialect. */
export function buildStatements(d: SqlDialect): SqlStatements {
  const t = d.table;
  const q = d.sql;
  return {
    getSubject: q(`SELECT ${SUBJECT_COLUMNS} FROM ${t('pb_subjects')} WHERE id = ?`),
    getSubjectForUpdate: q(`SELECT ${SUBJECT_COLUMNS} FROM ${t('pb_subjects')} WHERE id = ?${d.rowLocks ? ' FOR UPDATE' : ''}`),
    insertSubject: q(`INSERT INTO ${t('pb_subjects')} (${SUBJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
    updateSubject: q(
      `UPDATE ${t('pb_subjects')} SET key_id = ?, wrapped_key = ?, created_at = ?, erased_at = ?, erasure_ref = ?, version = ?, value_state = ? WHERE id = ? AND version = ?`,
    ),
    listSubjects: q(`SELECT ${SUBJECT_COLUMNS} FROM ${t('pb_subjects')} ORDER BY id LIMIT ?`),
    listSubjectsAfter: q(`SELECT ${SUBJECT_COLUMNS} FROM ${t('pb_subjects')} WHERE id > ? ORDER BY id LIMIT ?`),
    getAllValues: q(`SELECT ${VALUE_COLUMNS} FROM ${t('pb_values')} WHERE subject_id = ? ORDER BY field`),
    putValue: q(
      `INSERT INTO ${t('pb_values')} (${VALUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject_id, field) DO UPDATE SET ciphertext = excluded.ciphertext, lookup = excluded.lookup,
         meta = excluded.meta, updated_at = excluded.updated_at, version = excluded.version`,
    ),
    deleteAllValues: q(`DELETE FROM ${t('pb_values')} WHERE subject_id = ?`),
    findByLookup: q(`SELECT subject_id FROM ${t('pb_values')} WHERE field = ? AND lookup = ? ORDER BY subject_id`),
    appendHistory: q(`INSERT INTO ${t('pb_history')} (${HISTORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
    listHistory: q(`SELECT ${HISTORY_COLUMNS} FROM ${t('pb_history')} WHERE subject_id = ? ORDER BY ${d.historyOrder}`),
    deleteHistory: q(`DELETE FROM ${t('pb_history')} WHERE subject_id = ?`),
    putRecord: q(
      `INSERT INTO ${t('pb_records')} (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET subject_id = excluded.subject_id, created_at = excluded.created_at, doc = excluded.doc`,
    ),
    getRecord: q(`SELECT ${RECORD_COLUMNS} FROM ${t('pb_records')} WHERE kind = ? AND id = ?`),
    listRecords: q(`SELECT ${RECORD_COLUMNS} FROM ${t('pb_records')} WHERE kind = ? ORDER BY created_at, id`),
    listRecordsOfSubject: q(`SELECT ${RECORD_COLUMNS} FROM ${t('pb_records')} WHERE kind = ? AND subject_id = ? ORDER BY created_at, id`),
    deleteRecord: q(`DELETE FROM ${t('pb_records')} WHERE kind = ? AND id = ?`),
    auditHead: q(`SELECT seq, hash, frontier, legacy_size FROM ${t('pb_audit_head')} WHERE id = 1${d.rowLocks ? ' FOR UPDATE' : ''}`),
    readAuditHead: q(`SELECT seq, hash, frontier, legacy_size FROM ${t('pb_audit_head')} WHERE id = 1`),
    insertAudit: q(
      `INSERT INTO ${t('pb_audit')} (seq, prev_hash, hash, at, action, actor, subject, field, purpose, decision, entry)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAuditNode: q(`INSERT INTO ${t('pb_audit_node')} (level, idx, hash) VALUES (?, ?, ?)`),
    updateAuditHead: q(`UPDATE ${t('pb_audit_head')} SET seq = ?, hash = ?, frontier = ? WHERE id = 1`),
    appendAuditFunction: d.name === 'postgres' ? q(`SELECT out_seq, out_prev, out_hash FROM ${auditAppendFunctionName(d)}(?::text, false)`) : undefined,
    getSubjectWithAllValues: q(subjectWithValuesSql(d, '')),
    subjectWithFields: new Map(),
    subjectStates: new Map(),
  };
}

/** @internal wraps a failed statement into an SDK error (set by the adapter). */
export type FailureWrapper = (operation: string, error: unknown) => Error;

/** @internal what `fn` may still call once its transaction has ended. */
export type EndedCheck = (operation: string) => Error;

function str(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}
function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}
/** Copy driver bytes (a `Buffer`, possibly a view of a shared pool) into a plain `Uint8Array`. */
function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  throw new IntegrityError('a stored byte column holds a non-byte value');
}
function bytesOrNull(v: unknown): Uint8Array | null {
  return v === null || v === undefined ? null : bytes(v);
}

/** Where a row holds a subject's columns: the table's own names, or `getSubjectStates`' shared positions. */
interface SubjectColumns {
  readonly id: string;
  readonly keyId: string;
  readonly wrappedKey: string;
  readonly createdAt: string;
  readonly erasedAt: string;
  readonly erasureRef: string;
  readonly version: string;
  readonly valueState: string;
}
const SUBJECT_TABLE_COLUMNS: SubjectColumns = {
  id: 'id',
  keyId: 'key_id',
  wrappedKey: 'wrapped_key',
  createdAt: 'created_at',
  erasedAt: 'erased_at',
  erasureRef: 'erasure_ref',
  version: 'version',
  valueState: 'value_state',
};
/** `getSubjectWithValues`' join (the subject's version aliased beside the value's). */
const SUBJECT_JOIN_COLUMNS: SubjectColumns = { ...SUBJECT_TABLE_COLUMNS, version: 's_version' };
const SUBJECT_STATE_COLUMNS: SubjectColumns = { id: 'id', keyId: 't1', wrappedKey: 'b', createdAt: 't2', erasedAt: 't3', erasureRef: 't4', version: 'n', valueState: 't5' };

function subjectFrom(r: SqlRow, c: SubjectColumns): SubjectRow {
  const valueState = r[c.valueState];
  return {
    id: str(r[c.id]),
    keyId: str(r[c.keyId]),
    wrappedKey: bytesOrNull(r[c.wrappedKey]),
    createdAt: str(r[c.createdAt]),
    erasedAt: strOrNull(r[c.erasedAt]),
    erasureRef: strOrNull(r[c.erasureRef]),
    version: Number(r[c.version]),
    ...(valueState !== null && valueState !== undefined && { valueState: str(valueState) }),
  };
}

function toSubject(r: SqlRow): SubjectRow {
  return subjectFrom(r, SUBJECT_TABLE_COLUMNS);
}
/** Where a row holds a value's columns (its subject id comes from the caller). */
interface ValueColumns {
  readonly field: string;
  readonly ciphertext: string;
  readonly lookup: string;
  readonly meta: string;
  readonly updatedAt: string;
  readonly version: string;
}
const VALUE_TABLE_COLUMNS: ValueColumns = { field: 'field', ciphertext: 'ciphertext', lookup: 'lookup', meta: 'meta', updatedAt: 'updated_at', version: 'version' };
/** `getSubjectWithValues`' join (the value's version aliased beside the subject's). */
const VALUE_JOIN_COLUMNS: ValueColumns = { ...VALUE_TABLE_COLUMNS, version: 'v_version' };
/** `getSubjectStates`' shared positions. */
const VALUE_STATE_COLUMNS: ValueColumns = { field: 'k1', ciphertext: 'vb', lookup: 'vt1', meta: 'vt2', updatedAt: 'vt3', version: 'vn' };

function valueFrom(r: SqlRow, subjectId: string, c: ValueColumns): ValueRow {
  return {
    subjectId,
    field: str(r[c.field]),
    ciphertext: bytes(r[c.ciphertext]),
    lookup: strOrNull(r[c.lookup]),
    meta: str(r[c.meta]),
    updatedAt: str(r[c.updatedAt]),
    version: Number(r[c.version]),
  };
}

function toValue(r: SqlRow): ValueRow {
  return valueFrom(r, str(r['subject_id']), VALUE_TABLE_COLUMNS);
}
function toHistory(r: SqlRow): HistoryRow {
  return {
    id: str(r['id']),
    subjectId: str(r['subject_id']),
    field: str(r['field']),
    ciphertext: bytesOrNull(r['ciphertext']),
    meta: str(r['meta']),
    changedAt: str(r['changed_at']),
  };
}
function toRecord(r: SqlRow): RecordRow {
  return {
    kind: str(r['kind']),
    id: str(r['id']),
    subjectId: strOrNull(r['subject_id']),
    createdAt: str(r['created_at']),
    doc: str(r['doc']),
  };
}
function fieldList(fields: readonly string[], argument: string): string[] {
  if (!Array.isArray(fields)) throw new InvalidArgumentError(argument, 'must be an array of field ids');
  return [...new Set(fields.map((f, i) => requireString(f, `${argument}[${i}]`)))];
}

/** @internal parameters of `insertSubject`, checked (column order of SUBJECT_COLUMNS). */
export function subjectInsertParams(row: SubjectRow): SqlValue[] {
  return [
    requireString(row?.id, 'row.id'),
    requireString(row.keyId, 'row.keyId'),
    row.wrappedKey === null ? null : requireBytes(row.wrappedKey, 'row.wrappedKey'),
    requireString(row.createdAt, 'row.createdAt'),
    row.erasedAt ?? null,
    row.erasureRef ?? null,
    requireCount(row.version, 'row.version'),
    row.valueState === undefined || row.valueState === null ? null : requireText(row.valueState, 'row.valueState'),
  ];
}

/** @internal parameters of `putValue`, checked (column order of VALUE_COLUMNS). */
export function valueParams(row: ValueRow): SqlValue[] {
  return [
    requireString(row?.subjectId, 'row.subjectId'),
    requireString(row.field, 'row.field'),
    requireBytes(row.ciphertext, 'row.ciphertext'),
    row.lookup ?? null,
    requireText(row.meta, 'row.meta'),
    requireString(row.updatedAt, 'row.updatedAt'),
    requireCount(row.version, 'row.version'),
  ];
}

/** @internal parameters of `appendHistory`, checked (column order of HISTORY_COLUMNS). */
export function historyParams(row: HistoryRow): SqlValue[] {
  return [
    requireString(row?.id, 'row.id'),
    requireString(row.subjectId, 'row.subjectId'),
    requireString(row.field, 'row.field'),
    row.ciphertext === null ? null : requireBytes(row.ciphertext, 'row.ciphertext'),
    requireText(row.meta, 'row.meta'),
    requireString(row.changedAt, 'row.changedAt'),
  ];
}

/** @internal parameters of `putRecord`, checked (column order of RECORD_COLUMNS). */
export function recordParams(row: RecordRow): SqlValue[] {
  return [
    requireString(row?.kind, 'row.kind'),
    requireString(row.id, 'row.id'),
    row.subjectId === null || row.subjectId === undefined ? null : requireString(row.subjectId, 'row.subjectId'),
    requireString(row.createdAt, 'row.createdAt'),
    requireText(row.doc, 'row.doc'),
  ];
}

/** @internal the statement of one row write and its checked parameters. */
export function rowWriteStatement(s: SqlStatements, w: RowWrite): [string, SqlValue[]] {
  switch (w.op) {
    case 'insertSubject':
      return [s.insertSubject, subjectInsertParams(w.row)];
    case 'putValue':
      return [s.putValue, valueParams(w.row)];
    case 'appendHistory':
      return [s.appendHistory, historyParams(w.row)];
    case 'putRecord':
      return [s.putRecord, recordParams(w.row)];
  }
}

/**
 * @internal refuse a row write that changed no row: an insert of a subject or history row that
 * already exists (`ON CONFLICT DO NOTHING`). Upserts always change one.
 * @throws StorageConflictError
 */
export function checkRowWritten(w: RowWrite, changed: number): void {
  if (changed !== 0) return;
  if (w.op === 'insertSubject') throw new StorageConflictError(`subject "${w.row.id}" (it already exists)`);
  if (w.op === 'appendHistory') throw new StorageConflictError(`history row "${w.row.id}" (it already exists)`);
}

/**
 * @internal the audit append of the SQLite dialect, after the head `row` read under the write
 * lock: the chained entries, and the statements that store them, the subtrees they complete and
 * the new head, in order. The last statement moves the head; it must change one row
 * (`checkHeadMoved`).
 */
export function auditAppendStatements(
  s: SqlStatements,
  row: SqlRow | undefined,
  bodies: readonly AuditEntryInput[],
): { entries: AuditEntry[]; statements: [string, SqlValue[]][] } {
  const { entries, nodes, head } = extendTree(treeHeadFromRow(row), bodies);
  // One prepared single-row INSERT per entry and per stored node: on SQLite (the only dialect
  // here: PostgreSQL appends through pb_audit_append) a multi-row VALUES list was measured
  // 40-70% slower per row than the same rows one statement each, and an in-process driver has
  // no round trips to save.
  const statements: [string, SqlValue[]][] = [];
  for (const e of entries) statements.push([s.insertAudit, [e.seq, e.prevHash, e.hash, ...auditColumnValues(e)]]);
  for (const n of nodes) statements.push([s.insertAuditNode, [n.level, n.index, n.hash]]);
  statements.push([s.updateAuditHead, [head.size, head.lastHash, encodeFrontier(head.frontier)]]);
  return { entries, statements };
}

/**
 * @internal the head move of an audit append changed `changed` rows: anything but one means the
 * head row is gone.
 * @throws IntegrityError
 */
export function checkHeadMoved(changed: number): void {
  if (changed !== 1) throw new IntegrityError('the audit head row is missing (pb_audit_head was tampered with)');
}

/**
 * @internal the checked bodies of an audit append, named as the caller gave them: `input` for
 * `appendAudit` (always one), `inputs[i]` for `appendAuditMany`.
 */
export function auditBodies(op: 'appendAudit' | 'appendAuditMany', inputs: readonly AuditEntryInput[]): AuditEntryInput[] {
  return inputs.map((input, i) => checkedAuditBody(input, op === 'appendAudit' ? 'input' : `inputs[${i}]`));
}

/**
 * @internal a subject and its values from the rows of the LEFT JOIN statement
 * (`subjectWithValuesSql`); `undefined` when there is no such subject.
 */
export function subjectWithValuesFromRows(rows: readonly SqlRow[]): SubjectWithValues | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const subject = subjectFrom(first, SUBJECT_JOIN_COLUMNS);
  const values: ValueRow[] = [];
  for (const r of rows) {
    const field = r['field'];
    if (field === null || field === undefined) continue; // LEFT JOIN: no value rows
    values.push(valueFrom(r, subject.id, VALUE_JOIN_COLUMNS));
  }
  return { subject, values };
}

/** @internal the combined subject-and-values statement for `fields` (all fields when undefined), and its parameters. */
export function subjectWithValuesStatement(d: SqlDialect, s: SqlStatements, id: string, fields: readonly string[] | undefined): [string, SqlValue[]] {
  requireString(id, 'id');
  if (fields === undefined) return [s.getSubjectWithAllValues, [id]];
  const one = Array.isArray(fields) && fields.length === 1 ? s.subjectWithFields.get(1) : undefined;
  if (one !== undefined) return [one, [requireString(fields[0], 'fields[0]'), id]]; // the common read of one field
  const list = fieldList(fields, 'fields');
  const n = list.length;
  let sql = s.subjectWithFields.get(n);
  if (sql === undefined) {
    sql = d.sql(subjectWithValuesSql(d, n === 0 ? ' AND 1 = 0' : ` AND v.field IN (${placeholders(n)})`, n > 1));
    if (n <= 8) s.subjectWithFields.set(n, sql);
  }
  return [sql, [...list, id]];
}

/** Statement texts of `getSubjectStates` by shape (subjects, fields or -1 for all, kinds). */
const STATE_SQL_CACHE_MAX = 64;

/**
 * @internal the one statement of `getSubjectStates`: the subject rows, the asked values and the
 * asked records as one UNION ALL, told apart by `part` (0, 1, 2), so that all of it is of the
 * same snapshot without a transaction around it. No ORDER BY: `subjectStatesFromRows` takes the
 * rows in any order and sorts the few rows of each subject itself (on SQLite the sorter cost a
 * third of the statement: 18.5 → 13 µs for one subject and one field, measured).
 */
export function subjectStatesStatement(d: SqlDialect, s: SqlStatements, query: CheckedSubjectStateQuery): [string, SqlValue[]] {
  const n = query.subjects.length;
  const f = query.fields === undefined ? -1 : query.fields.length;
  const k = query.recordKinds.length;
  const key = `${n}:${f}:${k}`;
  let sql = s.subjectStates.get(key);
  if (sql === undefined) {
    const t = d.table;
    const ids = placeholders(n);
    // The subject rows LEFT JOINed with the asked values (one row per subject and value, or
    // one with no value), then the asked records: better-sqlite3 builds a property per column
    // of every row, so one joined row per value instead of a subject row and a value row
    // (measured, 100 subjects: 7 → 5 µs a subject), and positions shared by the branches.
    // Each position holds one type and collation in both branches (PostgreSQL resolves a
    // UNION's column types across branches): k* key text, t* plain text, b/vb bytes, n/vn
    // integers; k1 is the value's field or the record's kind, t1 the key id or the record.
    const values = f === 0 ? undefined : `${t('pb_values')} v ON v.subject_id = s.id${f > 0 ? ` AND v.field IN (${placeholders(f)})` : ''}`;
    const v = (column: string) => (values === undefined ? 'NULL' : `v.${column}`);
    const branches = [
      `SELECT 0 AS part, s.id, ${v('field')} AS k1, NULL AS k2, NULL AS k3, s.key_id AS t1, s.created_at AS t2, s.erased_at AS t3, s.erasure_ref AS t4, s.value_state AS t5, s.wrapped_key AS b, s.version AS n,
         ${v('ciphertext')} AS vb, ${v('lookup')} AS vt1, ${v('meta')} AS vt2, ${v('updated_at')} AS vt3, ${v('version')} AS vn
       FROM ${t('pb_subjects')} s${values === undefined ? '' : ` LEFT JOIN ${values}`} WHERE s.id IN (${ids})`,
    ];
    if (k > 0) {
      branches.push(
        `SELECT 2, r.subject_id, r.kind, r.id, r.created_at, r.doc, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM ${t('pb_records')} r WHERE r.kind IN (${placeholders(k)}) AND r.subject_id IN (${ids})`,
      );
    }
    sql = d.sql(branches.join('\n UNION ALL\n'));
    if (s.subjectStates.size < STATE_SQL_CACHE_MAX) s.subjectStates.set(key, sql);
  }
  const params: SqlValue[] = f > 0 ? [...(query.fields ?? []), ...query.subjects] : [...query.subjects];
  if (k > 0) params.push(...query.recordKinds, ...query.subjects);
  return [sql, params];
}

/**
 * Byte order of two strings' UTF-8 forms: how the key columns sort (SQLite's BINARY collation,
 * PostgreSQL's `COLLATE "C"`). JavaScript's `<` compares UTF-16 code units, which differs for
 * characters above U+FFFF against U+E000–U+FFFF.
 */
function byteOrder(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
const byField = (x: ValueRow, y: ValueRow): number => byteOrder(x.field, y.field);
const byKindTimeId = (x: RecordRow, y: RecordRow): number => byteOrder(x.kind, y.kind) || byteOrder(x.createdAt, y.createdAt) || byteOrder(x.id, y.id);

/**
 * @internal the subjects of `subjectStatesStatement`'s rows (in any order), in the order the
 * query asked for them; each subject's values by field, its records by kind, time and id (as
 * `getValues` and `listRecords` return them).
 */
export function subjectStatesFromRows(rows: readonly SqlRow[], query: CheckedSubjectStateQuery): SubjectState[] {
  const byId = new Map<string, { subject: SubjectRow; values: ValueRow[]; records: RecordRow[] }>();
  // The subject rows first (each carries one of its values, or none): a record row may come
  // before its subject's.
  for (const r of rows) {
    if (Number(r['part']) !== 0) continue;
    const id = str(r['id']);
    let state = byId.get(id);
    if (state === undefined) {
      state = { subject: subjectFrom(r, SUBJECT_STATE_COLUMNS), values: [], records: [] };
      byId.set(id, state);
    }
    const field = r['k1'];
    if (field !== null && field !== undefined) state.values.push(valueFrom(r, id, VALUE_STATE_COLUMNS));
  }
  for (const r of rows) {
    if (Number(r['part']) !== 2) continue;
    const id = str(r['id']);
    const state = byId.get(id);
    if (state === undefined) continue; // a record of a subject row that is not there
    state.records.push({ kind: str(r['k1']), id: str(r['k2']), subjectId: id, createdAt: str(r['k3']), doc: str(r['t1']) });
  }
  const out: SubjectState[] = [];
  for (const id of query.subjects) {
    const state = byId.get(id);
    if (state === undefined) continue;
    if (state.values.length > 1) state.values.sort(byField);
    if (state.records.length > 1) state.records.sort(byKindTimeId);
    out.push(state);
  }
  return out;
}

/** The (exclusive) upper bound of a LIMIT when none is asked for. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Audit query keys backed by an indexed (or at least plain) column. */
const AUDIT_FILTERS = ['subject', 'actor', 'field', 'purpose', 'action', 'decision'] as const;

/**
 * @internal a `StorageTransaction` over one executor. Every call is a parameterised statement;
 * values never enter SQL text.
 */
export class SqlTransaction implements StorageTransaction {
  #ended = false;
  readonly #exec: SqlExecutor;
  readonly #d: SqlDialect;
  readonly #s: SqlStatements;
  readonly #wrap: FailureWrapper;
  readonly #endedError: EndedCheck;
  /** Set for a read-only transaction: the error every write (and `forUpdate`) fails with. */
  readonly #readOnlyError: EndedCheck | undefined;

  constructor(exec: SqlExecutor, d: SqlDialect, s: SqlStatements, wrap: FailureWrapper, endedError: EndedCheck, readOnlyError?: EndedCheck) {
    this.#exec = exec;
    this.#d = d;
    this.#s = s;
    this.#wrap = wrap;
    this.#endedError = endedError;
    this.#readOnlyError = readOnlyError;
  }

  /**
   * A read-only transaction runs without a write lock (SQLite) or without BEGIN/COMMIT
   * (PostgreSQL, PGlite: autocommit), so a write there would not be atomic with anything:
   * refuse it before it reaches the database.
   */
  #writable(op: string): void {
    if (this.#ended) throw this.#endedError(op);
    if (this.#readOnlyError !== undefined) throw this.#readOnlyError(op);
  }

  /** @internal called when the transaction commits or rolls back. */
  end(): void {
    this.#ended = true;
  }

  async #all(op: string, sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]> {
    if (this.#ended) throw this.#endedError(op);
    try {
      return await this.#exec.all(sql, params);
    } catch (error) {
      throw this.#wrap(op, error);
    }
  }

  async #run(op: string, sql: string, params: readonly SqlValue[]): Promise<number> {
    this.#writable(op);
    try {
      return await this.#exec.run(sql, params);
    } catch (error) {
      throw this.#wrap(op, error);
    }
  }

  async getSubject(id: string, options?: GetSubjectOptions): Promise<SubjectRow | undefined> {
    requireString(id, 'id');
    if (options?.forUpdate) this.#writable('getSubject');
    const rows = await this.#all('getSubject', options?.forUpdate ? this.#s.getSubjectForUpdate : this.#s.getSubject, [id]);
    return rows[0] === undefined ? undefined : toSubject(rows[0]);
  }

  /** One row write: its statement, and the conflict it reports when it changed no row. */
  async #write(w: RowWrite): Promise<void> {
    const [sql, params] = rowWriteStatement(this.#s, w);
    checkRowWritten(w, await this.#run(w.op, sql, params));
  }

  async insertSubject(row: SubjectRow): Promise<void> {
    await this.#write({ op: 'insertSubject', row });
  }

  async updateSubject(row: SubjectRow, expectedVersion: number): Promise<void> {
    // The insert's columns in the same order, the id moved to the WHERE clause.
    const [id, ...columns] = subjectInsertParams(row);
    const changed = await this.#run('updateSubject', this.#s.updateSubject, [...columns, id as string, requireCount(expectedVersion, 'expectedVersion')]);
    if (changed === 0) throw new StorageConflictError(`subject "${row.id}" (not found at version ${expectedVersion})`);
  }

  async listSubjects(options?: { readonly after?: string; readonly limit?: number }): Promise<SubjectRow[]> {
    const limit = options?.limit === undefined ? NO_LIMIT : requireCount(options.limit, 'options.limit');
    if (limit === 0) return [];
    const rows =
      options?.after === undefined
        ? await this.#all('listSubjects', this.#s.listSubjects, [limit])
        : await this.#all('listSubjects', this.#s.listSubjectsAfter, [requireString(options.after, 'options.after'), limit]);
    return rows.map(toSubject);
  }

  async getValues(subjectId: string, fields?: readonly string[]): Promise<ValueRow[]> {
    requireString(subjectId, 'subjectId');
    if (fields === undefined) return (await this.#all('getValues', this.#s.getAllValues, [subjectId])).map(toValue);
    const list = fieldList(fields, 'fields');
    if (list.length === 0) return [];
    const sql = this.#d.sql(
      `SELECT subject_id, field, ciphertext, lookup, meta, updated_at, version FROM ${this.#d.table('pb_values')}
       WHERE subject_id = ? AND field IN (${placeholders(list.length)}) ORDER BY field`,
    );
    return (await this.#all('getValues', sql, [subjectId, ...list])).map(toValue);
  }

  async getSubjectWithValues(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
    // ONE statement: the subject row and its values come from the same snapshot, so a reader
    // outside an explicit transaction (read-only on PostgreSQL/PGlite) never pairs a live
    // subject row with the values of another moment (e.g. half of a concurrent erasure).
    const [sql, params] = subjectWithValuesStatement(this.#d, this.#s, id, fields);
    return subjectWithValuesFromRows(await this.#all('getSubjectWithValues', sql, params));
  }

  async getSubjectStates(query: SubjectStateQuery): Promise<SubjectState[]> {
    const checked = checkSubjectStateQuery(query);
    if (checked.subjects.length === 0) return [];
    const [sql, params] = subjectStatesStatement(this.#d, this.#s, checked);
    return subjectStatesFromRows(await this.#all('getSubjectStates', sql, params), checked);
  }

  async putValue(row: ValueRow): Promise<void> {
    await this.#write({ op: 'putValue', row });
  }

  async deleteValues(subjectId: string, fields?: readonly string[]): Promise<number> {
    requireString(subjectId, 'subjectId');
    if (fields === undefined) return this.#run('deleteValues', this.#s.deleteAllValues, [subjectId]);
    const list = fieldList(fields, 'fields');
    if (list.length === 0) return 0;
    const sql = this.#d.sql(`DELETE FROM ${this.#d.table('pb_values')} WHERE subject_id = ? AND field IN (${placeholders(list.length)})`);
    return this.#run('deleteValues', sql, [subjectId, ...list]);
  }

  async findByLookup(field: string, digest: string): Promise<string[]> {
    const rows = await this.#all('findByLookup', this.#s.findByLookup, [requireString(field, 'field'), requireString(digest, 'digest')]);
    return rows.map((r) => str(r['subject_id']));
  }

  async appendHistory(row: HistoryRow): Promise<void> {
    await this.#write({ op: 'appendHistory', row });
  }

  async listHistory(subjectId: string): Promise<HistoryRow[]> {
    return (await this.#all('listHistory', this.#s.listHistory, [requireString(subjectId, 'subjectId')])).map(toHistory);
  }

  async deleteHistory(subjectId: string): Promise<number> {
    return this.#run('deleteHistory', this.#s.deleteHistory, [requireString(subjectId, 'subjectId')]);
  }

  async putRecord(row: RecordRow): Promise<void> {
    await this.#write({ op: 'putRecord', row });
  }

  async getRecord(kind: string, id: string): Promise<RecordRow | undefined> {
    const rows = await this.#all('getRecord', this.#s.getRecord, [requireString(kind, 'kind'), requireString(id, 'id')]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async listRecords(kind: string, options?: { readonly subjectId?: string }): Promise<RecordRow[]> {
    requireString(kind, 'kind');
    const rows =
      options?.subjectId === undefined
        ? await this.#all('listRecords', this.#s.listRecords, [kind])
        : await this.#all('listRecords', this.#s.listRecordsOfSubject, [kind, requireString(options.subjectId, 'options.subjectId')]);
    return rows.map(toRecord);
  }

  async deleteRecord(kind: string, id: string): Promise<boolean> {
    return (await this.#run('deleteRecord', this.#s.deleteRecord, [requireString(kind, 'kind'), requireString(id, 'id')])) > 0;
  }

  async appendAudit(input: AuditEntryInput): Promise<AuditEntry> {
    this.#writable('appendAudit');
    // A non-object input is refused (naming `input`) by #appendMany's check of each body.
    return (await this.#appendMany('appendAudit', [input]))[0] as AuditEntry;
  }

  async appendAuditMany(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    this.#writable('appendAuditMany');
    if (!Array.isArray(inputs)) throw new InvalidArgumentError('inputs', 'must be an array of audit entry inputs');
    return inputs.length === 0 ? [] : this.#appendMany('appendAuditMany', inputs);
  }

  /**
   * Lock the head (concurrent appenders of any connection queue here, so `seq`, `prevHash` and
   * the tree always extend the latest committed entry), chain the entries, store them, the
   * subtrees they complete and the new head. PostgreSQL dialects do all of it in ONE statement
   * (`pb_audit_append`), SQLite in JavaScript under the database's write lock.
   */
  async #appendMany(op: 'appendAudit' | 'appendAuditMany', inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    const bodies = auditBodies(op, inputs);
    if (this.#s.appendAuditFunction !== undefined) {
      const rows = await this.#all(op, this.#s.appendAuditFunction, [auditBatchJson(bodies)]);
      return bodies.map((body, i) => {
        const r = rows[i];
        if (r === undefined) throw new IntegrityError('the audit append returned fewer entries than it was given');
        return Object.freeze({ seq: Number(r['out_seq']), prevHash: str(r['out_prev']), ...body, hash: str(r['out_hash']) });
      });
    }
    const [row] = await this.#all(op, this.#s.auditHead, []);
    const { entries, statements } = auditAppendStatements(this.#s, row, bodies);
    let changed = 0;
    for (const [sql, params] of statements) changed = await this.#run(op, sql, params);
    checkHeadMoved(changed);
    return entries;
  }

  async auditTreeHead(): Promise<AuditTreeHead> {
    const [row] = await this.#all('auditTreeHead', this.#s.readAuditHead, []);
    return treeHeadFromRow(row);
  }

  async getAuditNodes(refs: readonly TreeNodeRef[]): Promise<(string | undefined)[]> {
    if (!Array.isArray(refs)) throw new InvalidArgumentError('refs', 'must be an array of tree node references');
    refs.forEach((r, i) => {
      if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.level) || !Number.isSafeInteger(r.index))
        throw new InvalidArgumentError(`refs[${i}]`, 'must be { level, index } integers');
    });
    if (this.#ended) throw this.#endedError('getAuditNodes');
    try {
      return await readNodes(this.#exec, this.#d, refs);
    } catch (error) {
      throw this.#wrap('getAuditNodes', error);
    }
  }

  async getAuditEntries(seqs: readonly number[]): Promise<(AuditEntry | undefined)[]> {
    if (!Array.isArray(seqs)) throw new InvalidArgumentError('seqs', 'must be an array of entry numbers');
    seqs.forEach((s, i) => requireCount(s, `seqs[${i}]`));
    if (this.#ended) throw this.#endedError('getAuditEntries');
    try {
      return await readAuditEntries(this.#exec, this.#d, seqs);
    } catch (error) {
      throw this.#wrap('getAuditEntries', error);
    }
  }

  async listAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    for (const key of AUDIT_FILTERS) {
      const v = query?.[key];
      if (v === undefined) continue;
      where.push(`${key} = ?`);
      params.push(requireString(v, `query.${key}`));
    }
    if (query?.fromSeq !== undefined) {
      where.push('seq >= ?');
      params.push(requireCount(query.fromSeq, 'query.fromSeq'));
    }
    let limit = '';
    if (query?.limit !== undefined) {
      if (requireCount(query.limit, 'query.limit') === 0) return [];
      limit = ' LIMIT ?';
      params.push(query.limit);
    }
    const sql = this.#d.sql(`SELECT ${AUDIT_SELECT_COLUMNS} FROM ${this.#d.table('pb_audit')}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${limit}`);
    return (await this.#all('listAudit', sql, params)).map(toAudit);
  }
}

/**
 * @internal the `batch` argument of `pb_audit_append`: per entry, the canonical JSON around
 * its `seq` (hashed by the database) and the stored columns.
 */
export function auditBatchJson(bodies: readonly AuditEntryInput[]): string {
  return JSON.stringify(
    bodies.map((body) => {
      const { prefix, suffix } = auditHashParts(body);
      return [prefix, suffix, ...auditColumnValues(body)];
    }),
  );
}
