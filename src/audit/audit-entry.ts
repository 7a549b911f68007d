/**
 * Audit entries and their hash chain.
 *
 * @module
 */
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/sha256.js';
import { hashLeafHex } from './merkle.js';

/**
 * What an audited decision was: `allow` (a use went ahead), `deny` (the guard refused it) or
 * `record` (a fact was recorded, e.g. a consent or a request step).
 *
 * @example
 * ```ts
 * import type { AuditDecision } from 'purpose-bound';
 *
 * const denials = await audit.entries({ decision: 'deny' satisfies AuditDecision });
 * ```
 */
export type AuditDecision = 'allow' | 'deny' | 'record';

/**
 * A value in an audit entry's `details`: ids, counts and flags only, never a personal value.
 *
 * @example
 * ```ts
 * import type { AuditDetail } from 'purpose-bound';
 *
 * const details: Record<string, AuditDetail> = { requestId: 'req_7c1e', fields: 3, partial: false };
 * await audit.append({ at: new Date().toISOString(), action: 'request.fulfil', actor: 'dpo', subject: 'sub_9f2c', decision: 'record', details });
 * ```
 */
export type AuditDetail = string | number | boolean | null;

/**
 * What the guard (or a request workflow) records. It never holds a personal value: only ids,
 * purposes, bases and codes.
 *
 * @example
 * ```ts
 * const input: AuditEntryInput = {
 *   at: new Date().toISOString(), action: 'read', actor: 'staff:7', subject: 's1',
 *   field: 'email', purpose: 'contact', basis: 'purpose', decision: 'allow',
 * };
 * ```
 */
export interface AuditEntryInput {
  /** ISO 8601 instant. */
  readonly at: string;
  /** e.g. `read`, `read-outside-purpose`, `provide`, `consent.grant`, `suspension.start`, `request.verify`. */
  readonly action: string;
  /** Who acted: a staff id, a service name, `subject` for the person themself. */
  readonly actor: string;
  readonly subject?: string;
  readonly field?: string;
  readonly purpose?: string;
  /** `purpose` (within purpose), `consent`, `exception:<id>`, `contract`... */
  readonly basis?: string;
  /** Reference for a legal exception or a request id. */
  readonly reference?: string;
  readonly decision: AuditDecision;
  /** Error code of a denial, e.g. `USE_SUSPENDED`. */
  readonly reason?: string;
  /** Extra ids and counts (never values). */
  readonly details?: Readonly<Record<string, AuditDetail>>;
}

/**
 * A recorded entry: the input plus its place in the chain.
 *
 * @example
 * ```ts
 * const [first] = await audit.entries();
 * first.seq; // 1
 * first.prevHash; // '000…0' (64 zeros) for the first entry
 * ```
 */
export interface AuditEntry extends AuditEntryInput {
  /** 1, 2, 3… without gaps. */
  readonly seq: number;
  /** `hash` of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 over `prevHash` and the canonical JSON of the entry without `hash`. */
  readonly hash: string;
}

/**
 * `prevHash` of the first entry: 64 zeros.
 *
 * @example
 * ```ts
 * import { GENESIS_HASH } from 'purpose-bound';
 *
 * const [first] = await audit.entries({ limit: 1 });
 * first?.prevHash === GENESIS_HASH; // true
 * ```
 */
export const GENESIS_HASH = '0'.repeat(64);

/** One member of the canonical JSON, or nothing when the value is `undefined` (as `canonicalJson` drops it). */
function member(key: string, value: unknown): string {
  if (value === undefined) return '';
  return `,"${key}":${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`;
}

/** Does `JSON.stringify` write `value` inside an object as `canonicalJson` does (a primitive it keeps, or nothing)? */
function plain(value: unknown): boolean {
  const t = typeof value;
  return value === undefined || value === null || t === 'string' || t === 'number' || t === 'boolean';
}

/**
 * @internal the hashed content of an entry: everything but `hash` and `prevHash`, as
 * canonical JSON (keys sorted, `undefined` dropped): the same string `canonicalJson` gives for
 * the same members, without building and sorting an intermediate object on every append. When
 * there are no `details` and every member is a string, number, boolean or null (every genuine
 * entry without details), one `JSON.stringify` of the members in sorted order writes it; any
 * other value is written member by member.
 */
function hashedContent(entry: Omit<AuditEntry, 'hash'>): string {
  // Keys in sorted order: action, actor, at, basis, decision, details, field, purpose, reason, reference, seq, subject.
  const { action, actor, at, basis, decision, details, field, purpose, reason, reference, seq, subject } = entry;
  if (
    details === undefined &&
    plain(action) &&
    plain(actor) &&
    plain(at) &&
    plain(basis) &&
    plain(decision) &&
    plain(field) &&
    plain(purpose) &&
    plain(reason) &&
    plain(reference) &&
    plain(seq) &&
    plain(subject)
  ) {
    return JSON.stringify({ action, actor, at, basis, decision, field, purpose, reason, reference, seq, subject });
  }
  const body =
    member('action', action) +
    member('actor', actor) +
    member('at', at) +
    member('basis', basis) +
    member('decision', decision) +
    member('details', details) +
    member('field', field) +
    member('purpose', purpose) +
    member('reason', reason) +
    member('reference', reference) +
    member('seq', seq) +
    member('subject', subject);
  return `{${body.slice(1)}}`;
}

/**
 * An entry's bytes, the leaf of the audit log's Merkle tree: `prevHash`, a newline and the
 * canonical JSON of the entry without `hash` and `prevHash` (keys sorted, `undefined` dropped),
 * as UTF-8. Each leaf names its predecessor's hash, so the entries also form a hash chain.
 *
 * @example
 * ```ts
 * import { auditLeafData, hashLeaf } from 'purpose-bound';
 *
 * hashLeaf(auditLeafData(entry)).toString('hex') === entry.hash; // true for entries written since schema 2
 * ```
 */
export function auditLeafData(entry: Omit<AuditEntry, 'hash'>): string {
  return `${entry.prevHash}\n${hashedContent(entry)}`;
}

/**
 * Compute an entry's hash from the previous hash and the entry's content: its RFC 6962 leaf
 * hash, `SHA-256(0x00 || auditLeafData(entry))`, hex. Storage adapters call this (or compute
 * the same in SQL) inside the transaction that appends, so the chain and the tree are the same
 * everywhere.
 *
 * @example
 * ```ts
 * const hash = computeAuditHash({ ...input, seq: 1, prevHash: GENESIS_HASH });
 * ```
 */
export function computeAuditHash(entry: Omit<AuditEntry, 'hash'>): string {
  return hashLeafHex(auditLeafData(entry));
}

/**
 * The hash entries had before schema version 2 (purpose-bound 0.1): `SHA-256(auditLeafData(entry))`
 * without the RFC 6962 leaf prefix. Such entries are sealed as the first leaves of the tree on
 * upgrade and keep verifying with this hash (see docs/security.md, "Upgrading a hash-chained log").
 *
 * @example
 * ```ts
 * import { computeLegacyAuditHash } from 'purpose-bound';
 *
 * computeLegacyAuditHash(oldEntry) === oldEntry.hash; // true for an entry written by 0.1
 * ```
 */
export function computeLegacyAuditHash(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(auditLeafData(entry));
}

/**
 * @internal an entry's members without its place in the chain (`seq`, `prevHash`, `hash`), in
 * the order they are stored; unknown keys of `input` are dropped.
 */
export function auditEntryBody(input: AuditEntryInput): AuditEntryInput {
  return withOptionalMembers({ at: input.at, action: input.action, actor: input.actor, decision: input.decision }, input);
}

/** `target` with `input`'s optional members that have a value, in their stored order (details as a frozen copy). */
function withOptionalMembers<T extends { -readonly [K in keyof AuditEntryInput]?: AuditEntryInput[K] }>(target: T, input: AuditEntryInput): T {
  if (input.subject !== undefined) target.subject = input.subject;
  if (input.field !== undefined) target.field = input.field;
  if (input.purpose !== undefined) target.purpose = input.purpose;
  if (input.basis !== undefined) target.basis = input.basis;
  if (input.reference !== undefined) target.reference = input.reference;
  if (input.reason !== undefined) target.reason = input.reason;
  if (input.details !== undefined) target.details = Object.freeze({ ...input.details });
  return target;
}

/**
 * @internal the hashed content of an entry split around its `seq`: content = `prefix + seq +
 * suffix`, so a database that assigns `seq` itself can compute the same hash
 * (`sha256(prevHash + "\n" + prefix + seq + suffix)`) in the statement that appends the entry.
 */
export function auditHashParts(body: AuditEntryInput): { readonly prefix: string; readonly suffix: string } {
  const content = hashedContent({ ...body, seq: 0, prevHash: '' });
  // "seq" is the only numeric member before "subject" in sorted order; split at its value.
  const marker = ',"seq":0';
  const at = content.lastIndexOf(marker);
  return { prefix: content.slice(0, at + marker.length - 1), suffix: content.slice(at + marker.length) };
}

/**
 * Build the next entry of a chain from its input and the current head (`undefined` for an
 * empty log). Unknown keys in `input` are dropped.
 *
 * @example
 * ```ts
 * const e1 = chainAuditEntry(input, undefined);   // seq 1
 * const e2 = chainAuditEntry(input, e1);          // seq 2, prevHash = e1.hash
 * ```
 */
export function chainAuditEntry(input: AuditEntryInput, head: Pick<AuditEntry, 'seq' | 'hash'> | undefined): AuditEntry {
  // One object, built in its final member order (seq, prevHash, the body as auditEntryBody
  // orders it, hash): the spreads this replaced were 60% of an append's JavaScript.
  const entry = withOptionalMembers(
    {
      seq: head ? head.seq + 1 : 1,
      prevHash: head ? head.hash : GENESIS_HASH,
      at: input.at,
      action: input.action,
      actor: input.actor,
      decision: input.decision,
    } as { -readonly [K in keyof AuditEntry]: AuditEntry[K] },
    input,
  );
  entry.hash = computeAuditHash(entry);
  return Object.freeze(entry);
}
