/**
 * `verifyValueVersions`: compare each stored value's version with the value writes the audit
 * log recorded for its subject. It finds what the read-time check cannot: a subject restored
 * whole (subject row, value state and values) from an older backup, which is consistent in
 * itself, but older than the audit log says.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { valueHeader } from '../crypto/value-cipher.js';
import { InvalidArgumentError } from '../errors.js';
import type { StorageAdapter, SubjectRow, ValueRow } from './adapter.js';

/**
 * One value that disagrees with the audit log.
 *
 * - `older-than-audit`: the stored version is below the number of writes the log recorded for
 *   the field since it was last deleted (the value was rolled back);
 * - `deleted-per-audit`: the log's last write of the field deleted it, yet a value is stored;
 * - `missing-per-audit`: the log says the field holds a value, yet none is stored.
 *
 * @example
 * ```ts
 * const finding: ValueVersionFinding = { subject: 'sub_9f2c', field: 'email', problem: 'older-than-audit', stored: 1, expected: 2 };
 * ```
 */
export interface ValueVersionFinding {
  readonly subject: string;
  readonly field: string;
  readonly problem: 'older-than-audit' | 'deleted-per-audit' | 'missing-per-audit';
  /** The stored version (authenticated in the ciphertext for values written since 0.2). */
  readonly stored?: number;
  /** The least version the audit log implies. */
  readonly expected?: number;
}

/**
 * The result of {@link verifyValueVersions}.
 *
 * @example
 * ```ts
 * const { subjects, findings }: ValueVersionReport = await verifyValueVersions(adapter);
 * ```
 */
export interface ValueVersionReport {
  /** Live subjects checked. */
  readonly subjects: number;
  /** Values checked. */
  readonly values: number;
  readonly findings: readonly ValueVersionFinding[];
}

/**
 * Options of {@link verifyValueVersions}.
 *
 * @example
 * ```ts
 * const options: VerifyValueVersionsOptions = { subjects: ['sub_9f2c'] };
 * ```
 */
export interface VerifyValueVersionsOptions {
  /** Only these subjects (default: every subject, in pages). */
  readonly subjects?: readonly string[];
}

interface Expected {
  /** Writes since the field was last deleted: the least version the stored value can have. */
  writes: number;
  deleted: boolean;
}

/** What the audit log implies for each field of one subject. */
function expectedFromAudit(entries: readonly AuditEntry[]): Map<string, Expected> {
  const fields = new Map<string, Expected>();
  const wrote = (field: string): void => {
    const e = fields.get(field) ?? { writes: 0, deleted: false };
    fields.set(field, { writes: e.deleted ? 1 : e.writes + 1, deleted: false });
  };
  for (const e of entries) {
    if (e.decision !== 'record') continue;
    if (e.action === 'collect') {
      const list = e.details?.['fields'];
      if (typeof list === 'string' && list !== '') for (const f of list.split(',')) wrote(f);
    } else if ((e.action === 'value.add' || e.action === 'value.correct') && e.field !== undefined) {
      wrote(e.field);
    } else if ((e.action === 'value.delete' || e.action === 'retention.destroy') && e.field !== undefined) {
      // A value the retention sweep destroyed is gone as a deleted one is.
      const prev = fields.get(e.field);
      fields.set(e.field, { writes: prev?.writes ?? 0, deleted: true });
    }
  }
  return fields;
}

function storedVersion(row: ValueRow): number {
  return valueHeader(row.ciphertext)?.version ?? row.version;
}

/**
 * Check every live subject's stored values against the value writes its audit entries record
 * (`collect`, `value.add`, `value.correct`; `value.delete` and `retention.destroy` end a value). Needs no key: it reads the versions
 * from the ciphertext headers (a forged header fails authentication at the next read) and the
 * audit log through the adapter. Verify the audit log's own chain first (`verifyAuditLog`): a
 * log truncated together with the values agrees with them.
 *
 * Limits: it finds values OLDER than the log says; a rollback to a point after the last write
 * of a field is invisible (nothing was lost). Values written before 0.2 carry an unauthenticated
 * version column (and restarted at 1 after a deletion), so for them it finds only rollbacks
 * past the last deletion. Erased subjects are skipped.
 *
 * @param adapter - an opened (or openable) adapter
 * @param options - only some subjects
 * @returns the number of subjects and values checked, and the values that disagree
 * @throws InvalidArgumentError when `options.subjects` is not an array of ids
 * @example
 * ```ts
 * import { verifyAuditLog, verifyValueVersions } from 'purpose-bound';
 *
 * if (!(await verifyAuditLog(vault.audit)).valid) throw new Error('audit log damaged');
 * const report = await verifyValueVersions(vault.adapter);
 * for (const f of report.findings) console.warn(`${f.subject}.${f.field}: ${f.problem}`);
 * ```
 */
export async function verifyValueVersions(adapter: StorageAdapter, options: VerifyValueVersionsOptions = {}): Promise<ValueVersionReport> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const only = options.subjects;
  if (only !== undefined && (!Array.isArray(only) || only.some((s) => typeof s !== 'string' || s === ''))) {
    throw new InvalidArgumentError('options.subjects', 'must be an array of subject ids');
  }
  await adapter.open();
  const findings: ValueVersionFinding[] = [];
  let subjects = 0;
  let values = 0;
  const check = async (row: SubjectRow): Promise<void> => {
    if (row.erasedAt !== null || row.wrappedKey === null) return;
    subjects++;
    const { stored, entries } = await adapter.transaction(async (tx) => ({ stored: await tx.getValues(row.id), entries: await tx.listAudit({ subject: row.id }) }), {
      readOnly: true,
    });
    const expected = expectedFromAudit(entries);
    const present = new Set<string>();
    for (const v of stored) {
      values++;
      present.add(v.field);
      const e = expected.get(v.field);
      if (e === undefined) continue; // written outside the vault's audited writes
      const version = storedVersion(v);
      if (e.deleted) findings.push(Object.freeze({ subject: row.id, field: v.field, problem: 'deleted-per-audit', stored: version }));
      else if (version < e.writes) findings.push(Object.freeze({ subject: row.id, field: v.field, problem: 'older-than-audit', stored: version, expected: e.writes }));
    }
    for (const [field, e] of expected) {
      if (!e.deleted && e.writes > 0 && !present.has(field)) findings.push(Object.freeze({ subject: row.id, field, problem: 'missing-per-audit', expected: e.writes }));
    }
  };
  if (only !== undefined) {
    for (const id of only) {
      const row = await adapter.transaction((tx) => tx.getSubject(id), { readOnly: true });
      if (row !== undefined) await check(row);
    }
  } else {
    let after: string | undefined;
    for (;;) {
      const page = await adapter.transaction((tx) => tx.listSubjects({ ...(after !== undefined && { after }), limit: 200 }), { readOnly: true });
      for (const row of page) await check(row);
      if (page.length < 200) break;
      after = (page[page.length - 1] as SubjectRow).id;
    }
  }
  return Object.freeze({ subjects, values, findings: Object.freeze(findings) });
}
