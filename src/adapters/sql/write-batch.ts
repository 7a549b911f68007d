/**
 * `writeBatch` of the PostgreSQL dialects (server and PGlite): a list of writes compiled into
 * ONE statement of data-modifying CTEs, so a new subject with its values and audit entry costs
 * one round trip in autocommit instead of BEGIN, five statements and COMMIT.
 *
 * The audit entries are appended inside the statement by `pb_audit_append` (see
 * `audit-append-function.ts`): it locks the head row (`FOR UPDATE`, so concurrent appenders
 * queue as with `appendAudit`), chains every entry, extends the Merkle tree (head frontier and
 * completed subtree nodes) and moves the head once for the whole batch. Each entry's hash is
 * the RFC 6962 leaf hash the other adapters compute with `chainAuditEntry`, and the verifier
 * recomputes it in JavaScript like any other.
 *
 * A statement either applies whole or not at all. A missing or inconsistent audit head raises
 * SQLSTATE `PBA01` (reported as an `IntegrityError`); an `insertSubject` of an existing id
 * aborts it with a unique violation (reported as a `StorageConflictError`).
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../../audit/audit-entry.js';
import { InvalidArgumentError } from '../../errors.js';
import type { StorageWrite } from '../../storage/adapter.js';
import { auditAppendFunctionName } from './audit-append-function.js';
import { checkedAuditBody } from './audit-rows.js';
import type { SqlDialect, SqlValue } from './dialect.js';
import type { SqlRow } from './executor.js';
import { auditBatchJson, historyParams, recordParams, subjectInsertParams, valueParams } from './sql-transaction.js';

/** @internal a batch ready to run: one statement and its parameters. */
export interface CompiledBatch {
  readonly sql: string;
  readonly params: SqlValue[];
  /** The audit entries' members (without seq/prevHash/hash), in order. */
  readonly audits: readonly AuditEntryInput[];
  /** Committed lazily: the adapter must run the audit sync statement before reporting success. */
  readonly lazy: boolean;
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

function statementText(d: SqlDialect, subjects: number, values: number, history: number, records: number, audits: number, lazy: boolean): string {
  let byShape = cache.get(d);
  if (byShape === undefined) cache.set(d, (byShape = new Map()));
  const shape = `${subjects},${values},${history},${records},${audits},${lazy}`;
  const known = byShape.get(shape);
  if (known !== undefined) return known;

  const t = d.table;
  const rows = (n: number, columns: number) => Array.from({ length: n }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');
  const ctes: string[] = [];
  if (audits > 0) {
    // One call for the whole batch: lock the head, chain, extend the tree, move the head.
    ctes.push(`wa AS (SELECT out_seq AS seq, out_prev AS prev_hash, out_hash AS hash FROM ${auditAppendFunctionName(d)}(?::text, ${lazy ? 'true' : 'false'}))`);
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
  const main = audits > 0 ? 'SELECT seq, prev_hash, hash FROM wa ORDER BY seq' : 'SELECT NULL AS seq, NULL AS prev_hash, NULL AS hash WHERE false';
  const text = d.sql(`WITH ${ctes.join(',\n')}\n${main}`);
  if (byShape.size < 256) byShape.set(shape, text);
  return text;
}

/**
 * @internal compile `writes` for a PostgreSQL dialect; `undefined` when the batch must run as
 * a transaction instead (the same value or record written twice).
 * @throws InvalidArgumentError for a malformed write (naming `writes[i]`)
 */
export function compilePostgresBatch(d: SqlDialect, writes: readonly StorageWrite[], lazyAuditCommit = false): CompiledBatch | undefined {
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
        audits.push(checkedAuditBody(w.entry, `writes[${i}].entry`));
        break;
      default:
        throw new InvalidArgumentError(`writes[${i}].op`, "must be 'insertSubject', 'putValue', 'appendHistory', 'putRecord' or 'appendAudit'");
    }
  });
  if (hasRepeatedKey(writes)) return undefined;
  const params: SqlValue[] = [];
  if (audits.length > 0) params.push(auditBatchJson(audits));
  params.push(...subjects, ...values, ...history, ...records);
  // Lazy commit only for a batch of audit entries alone: nothing else becomes visible before it is durable.
  // and only for two entries or more: a batch of one means no caller of this process waits behind
  // it, and one synchronous statement is then the fastest (measured: lazy alone ~0.7x).
  const lazy = lazyAuditCommit && audits.length > 1 && ns + nv + nh + nr === 0;
  return { sql: statementText(d, ns, nv, nh, nr, audits.length > 0 ? 1 : 0, lazy), params, audits, lazy };
}

/** @internal the appended entries, from the statement's rows (seq order) and the batch's members. */
export function appendedEntries(batch: CompiledBatch, rows: readonly SqlRow[]): AuditEntry[] {
  return batch.audits.map((body, i) => {
    const r = rows[i];
    if (r === undefined) throw new Error('the batch statement returned fewer audit rows than it appended');
    return Object.freeze({ seq: Number(r['seq']), prevHash: String(r['prev_hash']), ...body, hash: String(r['hash']) });
  });
}
