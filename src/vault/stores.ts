/**
 * Persistent guard stores over a `StorageAdapter`: the audit log (the adapter's hash chain),
 * consents (records of kind `consent`), suspensions (kind `suspension`) and erasures (the
 * subjects' tombstones).
 *
 * @module
 */
import type { AuditLog } from '../audit/audit-log.js';
import { groupCommitAuditLogOf, type GroupCommitAuditLog } from '../audit/group-commit.js';
import { IntegrityError } from '../errors.js';
import type { ErasureRegistry } from '../guard/types.js';
import { consentInForce, type ConsentRecord, type ConsentRegistry } from '../state/consent.js';
import { suspensionCovers, type SuspensionRecord, type SuspensionRegistry } from '../state/suspension.js';
import type { RecordRow, StorageAdapter } from '../storage/adapter.js';
import { orderedId } from './ordered-id.js';
import { RECORD_KINDS } from './record-kinds.js';

export { RECORD_KINDS } from './record-kinds.js';
import { requireString } from '../storage/contract-arguments.js';

/** @internal parse a stored record document. */
export function parseDoc<T>(row: RecordRow): T {
  try {
    const doc: unknown = JSON.parse(row.doc);
    if (typeof doc !== 'object' || doc === null) throw new Error('not an object');
    return Object.freeze(doc) as T;
  } catch {
    throw new IntegrityError(`stored ${row.kind} record "${row.id}" is not a JSON object`);
  }
}

/**
 * @internal the adapter's audit log (Merkle tree, group commit: src/audit/group-commit.ts) as an
 * `AuditLog`, with the batch append of the vault's batch reads (one batch for all the entries).
 */
export function adapterAuditLog(adapter: StorageAdapter): AuditLog & Pick<GroupCommitAuditLog, 'appendMany'> {
  return groupCommitAuditLogOf(adapter);
}

/** @internal consents as records of kind `consent`. */
export function adapterConsentRegistry(adapter: StorageAdapter): ConsentRegistry {
  const list = async (subject: string): Promise<ConsentRecord[]> => {
    const rows = await adapter.transaction((tx) => tx.listRecords(RECORD_KINDS.consent, { subjectId: requireString(subject, 'subject') }), { readOnly: true });
    return rows.map((r) => parseDoc<ConsentRecord>(r));
  };
  return Object.freeze({
    async record(event) {
      const rec: ConsentRecord = Object.freeze({ ...event, id: orderedId() });
      const row: RecordRow = {
        kind: RECORD_KINDS.consent,
        id: rec.id,
        subjectId: requireString(event.subject, 'event.subject'),
        createdAt: requireString(event.at, 'event.at'),
        doc: JSON.stringify(rec),
      };
      await adapter.transaction((tx) => tx.putRecord(row));
      return rec;
    },
    async isGranted(subject, purpose, at) {
      return consentInForce(await list(subject), purpose, at);
    },
    list,
  } satisfies ConsentRegistry);
}

/** @internal suspensions as records of kind `suspension`. */
export function adapterSuspensionRegistry(adapter: StorageAdapter): SuspensionRegistry {
  const list = async (subject: string): Promise<SuspensionRecord[]> => {
    const rows = await adapter.transaction((tx) => tx.listRecords(RECORD_KINDS.suspension, { subjectId: requireString(subject, 'subject') }), { readOnly: true });
    return rows.map((r) => parseDoc<SuspensionRecord>(r));
  };
  return Object.freeze({
    async suspend(input) {
      const rec: SuspensionRecord = Object.freeze({
        ...input,
        purposes: input.purposes === 'all' ? 'all' : Object.freeze([...input.purposes]),
        id: orderedId(),
      });
      const row: RecordRow = {
        kind: RECORD_KINDS.suspension,
        id: rec.id,
        subjectId: requireString(input.subject, 'input.subject'),
        createdAt: requireString(input.at, 'input.at'),
        doc: JSON.stringify(rec),
      };
      await adapter.transaction((tx) => tx.putRecord(row));
      return rec;
    },
    async lift(id, at, actor) {
      requireString(id, 'id');
      return adapter.transaction(async (tx) => {
        const row = await tx.getRecord(RECORD_KINDS.suspension, id);
        if (row === undefined) return undefined;
        const cur = parseDoc<SuspensionRecord>(row);
        if (cur.liftedAt !== undefined) return undefined;
        const lifted: SuspensionRecord = Object.freeze({ ...cur, liftedAt: at, liftedBy: actor });
        await tx.putRecord({ ...row, doc: JSON.stringify(lifted) });
        return lifted;
      });
    },
    async isSuspended(subject, purposes) {
      return suspensionCovers(await list(subject), purposes);
    },
    list,
  } satisfies SuspensionRegistry);
}

const ERASURE_CACHE_LIMIT = 10_000;

/**
 * @internal erasures from the subjects' tombstones. Erasure is final, so a positive answer is
 * cached; a negative one is asked of the database every time.
 */
export function adapterErasureRegistry(adapter: StorageAdapter): ErasureRegistry & { remember(subject: string, at: string): void } {
  const erased = new Map<string, string>();
  const remember = (subject: string, at: string): void => {
    // Bounded: a long-running service erasing many subjects keeps only the most recent ones.
    if (erased.size >= ERASURE_CACHE_LIMIT) erased.delete(erased.keys().next().value as string);
    erased.set(subject, at);
  };
  return Object.freeze({
    async erasedAt(subject: string) {
      const known = erased.get(subject);
      if (known !== undefined) return known;
      const row = await adapter.transaction((tx) => tx.getSubject(requireString(subject, 'subject')), { readOnly: true });
      if (row?.erasedAt) {
        remember(subject, row.erasedAt);
        return row.erasedAt;
      }
      return undefined;
    },
    remember,
  });
}
