/**
 * Verify the hash chain of an audit log.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { computeAuditHash, GENESIS_HASH, type AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

/**
 * Why a link is broken: `hash-mismatch` (an entry was edited), `prev-hash-mismatch` (an entry
 * was deleted, inserted or moved), `sequence-gap` (a `seq` is missing or repeated) or
 * `head-mismatch` (the chain was truncated: the last hash is not the anchored head).
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type AuditBreak } from 'purpose-bound';
 *
 * const explain: Record<AuditBreak, string> = {
 *   'hash-mismatch': 'an entry was edited',
 *   'prev-hash-mismatch': 'an entry was deleted, inserted or moved',
 *   'sequence-gap': 'a sequence number is missing or repeated',
 *   'head-mismatch': 'entries were removed from the end',
 * };
 * const result = await verifyAuditLog(audit);
 * if (!result.valid) throw new Error(`audit log tampered with at #${result.index}: ${explain[result.reason]}`);
 * ```
 */
export type AuditBreak =
  | 'hash-mismatch' // the entry's content no longer matches its hash (edited)
  | 'prev-hash-mismatch' // the entry does not follow the one before it (deleted, reordered or inserted)
  | 'sequence-gap' // a seq number is missing or repeated
  | 'head-mismatch'; // the last entry is not the expected head (truncated)

/**
 * Result of {@link verifyAuditLog}: `valid` with the entry count and head hash to anchor, or
 * the first entry that does not verify and why.
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type AuditVerification } from 'purpose-bound';
 *
 * const result: AuditVerification = await verifyAuditLog(audit);
 * if (result.valid) saveAnchor(result.head); // keep it outside the database
 * else alert(`entry ${result.seq ?? result.index + 1}: ${result.reason}`);
 * ```
 */
export type AuditVerification =
  | { readonly valid: true; readonly entries: number; readonly head: string }
  | {
      readonly valid: false;
      readonly entries: number;
      /** Index (0-based) of the first entry that does not verify. */
      readonly index: number;
      /** Its `seq` as stored. */
      readonly seq: number | undefined;
      readonly reason: AuditBreak;
    };

/**
 * Options of {@link verifyAuditLog}.
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type VerifyAuditOptions } from 'purpose-bound';
 *
 * // The head printed in last month's report: detects entries removed from the end since then.
 * const options: VerifyAuditOptions = { expectedHead: lastReport.auditHead };
 * const result = await verifyAuditLog(audit, options); // { valid: false, reason: 'head-mismatch', ... } if truncated
 * ```
 */
export interface VerifyAuditOptions {
  /**
   * The head hash you recorded elsewhere (a report, another system). Deleting entries from
   * the end of a chain leaves a valid shorter chain; only an anchor kept outside detects that.
   */
  readonly expectedHead?: string;
}

/**
 * Check every link of an audit chain and report the first broken one. Editing, deleting,
 * inserting or reordering an entry is detected; truncating the tail is detected when you pass
 * the `expectedHead` you anchored earlier.
 *
 * @param source - an `AuditLog` or the entries themselves, in `seq` order
 * @throws InvalidArgumentError when `source` is neither
 * @example
 * ```ts
 * const result = await verifyAuditLog(audit);
 * if (!result.valid) console.error(`audit chain broken at entry ${result.seq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(source: AuditLog | Iterable<AuditEntry>, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  let entries: Iterable<AuditEntry>;
  if (source && typeof (source as AuditLog).entries === 'function' && typeof (source as AuditLog).append === 'function') {
    entries = await (source as AuditLog).entries();
  } else if (typeof source === 'object' && source !== null && typeof (source as Iterable<AuditEntry>)[Symbol.iterator] === 'function') {
    entries = source as Iterable<AuditEntry>;
  } else {
    throw new InvalidArgumentError('source', 'must be an AuditLog or an iterable of audit entries');
  }
  let prevHash = GENESIS_HASH;
  let index = 0;
  for (const e of entries) {
    const fail = (reason: AuditBreak): AuditVerification => ({ valid: false, entries: index, index, seq: typeof e?.seq === 'number' ? e.seq : undefined, reason });
    if (typeof e !== 'object' || e === null) return fail('hash-mismatch');
    if (e.seq !== index + 1) return fail('sequence-gap');
    if (e.prevHash !== prevHash) return fail('prev-hash-mismatch');
    const { hash, ...rest } = e;
    let computed: string;
    try {
      computed = computeAuditHash(rest);
    } catch {
      return fail('hash-mismatch'); // not serialisable (e.g. a BigInt planted in the row): cannot be a genuine entry
    }
    if (computed !== hash) return fail('hash-mismatch');
    prevHash = hash;
    index++;
  }
  if (options.expectedHead !== undefined && options.expectedHead !== prevHash) {
    return { valid: false, entries: index, index, seq: undefined, reason: 'head-mismatch' };
  }
  return { valid: true, entries: index, head: prevHash };
}
