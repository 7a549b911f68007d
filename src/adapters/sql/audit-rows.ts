/**
 * How an audit entry is laid out in `pb_audit`: `seq`, `prev_hash`, `hash`; the members the
 * log is filtered and reported on in columns (`at`, `action`, `actor`, `subject`, `field`,
 * `purpose`, `decision`); the others (`basis`, `reference`, `reason`, `details`) in the `entry`
 * JSON. Each member is stored exactly once and read back from where it is stored, so the hash
 * chain and the tree verify every stored copy: there is no second, unread copy a SQL report
 * could be misled by (schema 1 kept the column members in the JSON too; migration 2 removed them).
 *
 * @module
 */
import { auditEntryBody, type AuditEntry, type AuditEntryInput } from '../../audit/audit-entry.js';
import { IntegrityError, InvalidArgumentError } from '../../errors.js';
import { requireString } from '../../storage/contract-arguments.js';
import type { SqlValue } from './dialect.js';
import type { SqlRow } from './executor.js';

/** @internal the columns `toAudit` reads. */
export const AUDIT_SELECT_COLUMNS = 'seq, prev_hash, hash, entry, at, action, actor, subject, field, purpose, decision';

/** Members stored in columns (and only there). */
const COLUMN_MEMBERS = ['at', 'action', 'actor', 'subject', 'field', 'purpose', 'decision'] as const;
/** Members stored in the JSON (and only there). */
const JSON_MEMBERS = ['basis', 'reference', 'reason', 'details'] as const;

/** @internal check the members every stored entry needs and take its body (unknown keys dropped). */
export function checkedAuditBody(entry: AuditEntryInput, argument: string): AuditEntryInput {
  if (typeof entry !== 'object' || entry === null) throw new InvalidArgumentError(argument, 'must be an audit entry');
  requireString(entry.at, `${argument}.at`);
  requireString(entry.action, `${argument}.action`);
  requireString(entry.actor, `${argument}.actor`);
  requireString(entry.decision, `${argument}.decision`);
  return auditEntryBody(entry);
}

/** @internal the `entry` JSON of a body: the members without a column. */
export function auditJson(body: AuditEntryInput): string {
  const out: Record<string, unknown> = {};
  for (const key of JSON_MEMBERS) if (body[key] !== undefined) out[key] = body[key];
  return JSON.stringify(out);
}

/** @internal the column values of a body, in the order of COLUMN_MEMBERS, then the JSON. */
export function auditColumnValues(body: AuditEntryInput): SqlValue[] {
  return [body.at, body.action, body.actor, body.subject ?? null, body.field ?? null, body.purpose ?? null, body.decision, auditJson(body)];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * @internal an entry as the database states it: column members from their columns, the others
 * from the JSON, nothing else (unknown JSON keys are dropped). The chain then verifies exactly
 * what is stored and returned: a column or JSON member edited behind the adapter's back is a
 * hash mismatch at that entry.
 */
export function toAudit(r: SqlRow): AuditEntry {
  const seq = str(r['seq']);
  let body: unknown;
  try {
    body = JSON.parse(str(r['entry']));
  } catch {
    throw new IntegrityError(`audit entry ${seq} is not valid JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new IntegrityError(`audit entry ${seq} is not an object`);
  const json = body as Record<string, unknown>;
  const entry: Record<string, unknown> = {};
  for (const key of COLUMN_MEMBERS) {
    const stored = r[key];
    if (stored !== null && stored !== undefined) entry[key] = stored;
  }
  for (const key of JSON_MEMBERS) if (json[key] !== undefined) entry[key] = json[key];
  return Object.freeze({
    ...(entry as unknown as AuditEntryInput),
    seq: Number(r['seq']),
    prevHash: str(r['prev_hash']),
    hash: str(r['hash']),
  });
}
