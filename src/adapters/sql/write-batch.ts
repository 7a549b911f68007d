/**
 * `writeBatch` of the PostgreSQL dialects (server and PGlite): a list of writes compiled into
 * ONE statement of data-modifying CTEs, so a new subject with its values and audit entry costs
 * one round trip in autocommit instead of BEGIN, five statements and COMMIT.
 *
 * The audit entries are chained inside the statement: the head row is locked (`FOR UPDATE`,
 * so concurrent appenders queue as with `appendAudit`), and each entry's hash is computed by
 * the database as `sha256(prevHash || '\n' || prefix || seq || suffix)`, where prefix and suffix
 * are the entry's canonical JSON around its `seq` (built here by the same code the other
 * adapters hash with, `auditHashParts`). The result is the chain `chainAuditEntry` would build,
 * which `verifyAuditLog` checks like any other.
 *
 * A statement either applies whole or not at all. A missing audit head makes the first entry's
 * `seq` NULL, which violates its NOT NULL key and aborts the statement (reported as an
 * `IntegrityError`); an `insertSubject` of an existing id aborts it with a unique violation
 * (reported as a `StorageConflictError`).
 *
 * @module
 */
import { auditEntryBody, auditHashParts, type AuditEntry, type AuditEntryInput } from '../../audit/audit-entry.js';
import { InvalidArgumentError } from '../../errors.js';
import type { StorageWrite } from '../../storage/adapter.js';
import { requireString } from '../../storage/contract-arguments.js';
import type { SqlDialect, SqlValue } from './dialect.js';
import type { SqlRow } from './executor.js';
import { historyParams, recordParams, subjectInsertParams, valueParams } from './sql-transaction.js';

/** @internal a batch ready to run: one statement and its parameters. */
export interface CompiledBatch {
  readonly sql: string;
  readonly params: SqlValue[];
  /** The audit entries' members (without seq/prevHash/hash), in order. */
  readonly audits: readonly AuditEntryInput[];
}

/** Check the members an audit row needs; the entry JSON is what the database stores verbatim. */
function auditBody(entry: AuditEntryInput, i: number): AuditEntryInput {
  if (typeof entry !== 'object' || entry === null) throw new InvalidArgumentError(`writes[${i}].entry`, 'must be an audit entry');
  requireString(entry.at, `writes[${i}].entry.at`);
  requireString(entry.action, `writes[${i}].entry.action`);
  requireString(entry.actor, `writes[${i}].entry.actor`);
  requireString(entry.decision, `writes[${i}].entry.decision`);
  return auditEntryBody(entry);
}

/** Keys written twice make a multi-row upsert fail; such a batch runs as a transaction instead. */
function hasRepeatedKey(writes: readonly StorageWrite[]): boolean {
  const seen = new Set<string>();
  for (const w of writes) {
    let key: string;
    if (w.op === 'putValue') key = `v\0${w.row.subjectId}\0${w.row.field}`;
    else if (w.op === 'putRecord') key = `r\0${w.row.kind}\0${w.row.id}`;
    else continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Statement text by shape (how many writes of each kind), built once. */
const cache = new WeakMap<SqlDialect, Map<string, string>>();

function statementText(d: SqlDialect, subjects: number, values: number, history: number, records: number, audits: number): string {
  let byShape = cache.get(d);
  if (byShape === undefined) cache.set(d, (byShape = new Map()));
  const shape = `${subjects},${values},${history},${records},${audits}`;
  const known = byShape.get(shape);
  if (known !== undefined) return known;

  const t = d.table;
  const rows = (n: number, columns: number) => Array.from({ length: n }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');
  const ctes: string[] = [];
  if (audits > 0) {
    ctes.push(`head AS (SELECT seq, hash FROM ${t('pb_audit_head')} WHERE id = 1 FOR UPDATE)`);
    // LEFT JOIN: a missing head row gives NULLs here, and a NULL seq aborts the statement below.
    ctes.push(`h0 AS (SELECT head.seq AS seq, head.hash AS hash FROM (SELECT 1) AS one LEFT JOIN head ON true)`);
    for (let k = 1; k <= audits; k++) {
      const p = `h${k - 1}`;
      ctes.push(
        `h${k} AS (SELECT ${p}.seq + 1 AS seq, ${p}.hash AS prev_hash,
           encode(sha256(convert_to(${p}.hash || E'\\n' || ?::text || (${p}.seq + 1)::text || ?::text, 'UTF8')), 'hex') AS hash FROM ${p})`,
      );
    }
  }
  if (subjects > 0) {
    ctes.push(
      `ws AS (INSERT INTO ${t('pb_subjects')} (id, key_id, wrapped_key, created_at, erased_at, erasure_ref, version, value_state) VALUES ${rows(subjects, 8)} RETURNING 1)`,
    );
  }
  if (values > 0) {
    ctes.push(
      `wv AS (INSERT INTO ${t('pb_values')} (subject_id, field, ciphertext, lookup, meta, updated_at, version) VALUES ${rows(values, 7)}
         ON CONFLICT (subject_id, field) DO UPDATE SET ciphertext = excluded.ciphertext, lookup = excluded.lookup,
           meta = excluded.meta, updated_at = excluded.updated_at, version = excluded.version RETURNING 1)`,
    );
  }
  if (history > 0) {
    ctes.push(`wh AS (INSERT INTO ${t('pb_history')} (id, subject_id, field, ciphertext, meta, changed_at) VALUES ${rows(history, 6)} RETURNING 1)`);
  }
  if (records > 0) {
    ctes.push(
      `wr AS (INSERT INTO ${t('pb_records')} (kind, id, subject_id, created_at, doc) VALUES ${rows(records, 5)}
         ON CONFLICT (kind, id) DO UPDATE SET subject_id = excluded.subject_id, created_at = excluded.created_at, doc = excluded.doc RETURNING 1)`,
    );
  }
  let main = 'SELECT NULL AS seq, NULL AS prev_hash, NULL AS hash WHERE false';
  if (audits > 0) {
    const selects = Array.from(
      { length: audits },
      (_, i) => `SELECT h${i + 1}.seq, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, h${i + 1}.prev_hash, h${i + 1}.hash, ?::text FROM h${i + 1}`,
    );
    ctes.push(
      `wa AS (INSERT INTO ${t('pb_audit')} (seq, at, action, actor, subject, field, purpose, decision, prev_hash, hash, entry)
         ${selects.join(' UNION ALL ')} RETURNING seq, prev_hash, hash)`,
    );
    ctes.push(`mv AS (UPDATE ${t('pb_audit_head')} AS head_row SET seq = h${audits}.seq, hash = h${audits}.hash FROM h${audits} WHERE head_row.id = 1 RETURNING 1)`);
    main = 'SELECT seq, prev_hash, hash FROM wa ORDER BY seq';
  }
  const text = d.sql(`WITH ${ctes.join(',\n')}\n${main}`);
  if (byShape.size < 256) byShape.set(shape, text);
  return text;
}

/**
 * @internal compile `writes` for a PostgreSQL dialect; `undefined` when the batch must run as
 * a transaction instead (the same value or record written twice).
 * @throws InvalidArgumentError for a malformed write (naming `writes[i]`)
 */
export function compilePostgresBatch(d: SqlDialect, writes: readonly StorageWrite[]): CompiledBatch | undefined {
  if (!Array.isArray(writes)) throw new InvalidArgumentError('writes', 'must be an array of writes');
  const subjects: SqlValue[] = [];
  const values: SqlValue[] = [];
  const history: SqlValue[] = [];
  const records: SqlValue[] = [];
  const audits: AuditEntryInput[] = [];
  let ns = 0;
  let nv = 0;
  let nh = 0;
  let nr = 0;
  writes.forEach((w, i) => {
    if (typeof w !== 'object' || w === null) throw new InvalidArgumentError(`writes[${i}]`, 'must be a write');
    switch (w.op) {
      case 'insertSubject':
        subjects.push(...subjectInsertParams(w.row));
        ns++;
        break;
      case 'putValue':
        values.push(...valueParams(w.row));
        nv++;
        break;
      case 'appendHistory':
        history.push(...historyParams(w.row));
        nh++;
        break;
      case 'putRecord':
        records.push(...recordParams(w.row));
        nr++;
        break;
      case 'appendAudit':
        audits.push(auditBody(w.entry, i));
        break;
      default:
        throw new InvalidArgumentError(`writes[${i}].op`, "must be 'insertSubject', 'putValue', 'appendHistory', 'putRecord' or 'appendAudit'");
    }
  });
  if (hasRepeatedKey(writes)) return undefined;
  const params: SqlValue[] = [];
  for (const body of audits) {
    const { prefix, suffix } = auditHashParts(body);
    params.push(prefix, suffix);
  }
  params.push(...subjects, ...values, ...history, ...records);
  for (const body of audits) {
    params.push(
      body.at,
      body.action,
      body.actor,
      body.subject ?? null,
      body.field ?? null,
      body.purpose ?? null,
      body.decision,
      JSON.stringify(body),
    );
  }
  return { sql: statementText(d, ns, nv, nh, nr, audits.length), params, audits };
}

/** @internal the appended entries, from the statement's rows (seq order) and the batch's members. */
export function appendedEntries(batch: CompiledBatch, rows: readonly SqlRow[]): AuditEntry[] {
  return batch.audits.map((body, i) => {
    const r = rows[i];
    if (r === undefined) throw new Error('the batch statement returned fewer audit rows than it appended');
    return Object.freeze({ seq: Number(r['seq']), prevHash: String(r['prev_hash']), ...body, hash: String(r['hash']) });
  });
}
