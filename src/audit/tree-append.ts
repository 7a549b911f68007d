/**
 * Appending entries to the audit tree in JavaScript (the memory and SQLite adapters; the
 * PostgreSQL dialects do the same in SQL, `pb_audit_append`): each entry is chained to the
 * head, its leaf hash extends the compact range, and every perfect subtree an append completes
 * is returned as a node to store, so proofs later read O(log n) stored hashes.
 *
 * @module
 */
import { IntegrityError } from '../errors.js';
import type { AuditTreeHead } from '../storage/adapter.js';
import { chainAuditEntry, GENESIS_HASH, type AuditEntry, type AuditEntryInput } from './audit-entry.js';
import { CompactRange } from './merkle.js';

/** @internal a completed subtree to store: level ≥ 1, its index at that level and its hash (hex). */
export interface StoredTreeNode {
  readonly level: number;
  readonly index: number;
  readonly hash: string;
}

/** @internal the head of an empty log. */
export const EMPTY_TREE_HEAD: AuditTreeHead = Object.freeze({ size: 0, lastHash: GENESIS_HASH, frontier: Object.freeze([]) as readonly string[], legacySize: 0 });

/**
 * The range the last append left here, with its frontier as the head it returned holds it: the
 * next append usually starts from that head (the row it reads back is the one it wrote), and
 * then takes this range over instead of decoding the frontier again. Matched on the size and
 * the frontier's hashes, so a head changed in between (another process appended, or the row was
 * edited) is parsed afresh. A range taken over is no longer kept (its taker extends it), so an
 * append that fails part way never leaves a half-extended range behind to be reused.
 */
let kept: { readonly size: number; readonly frontier: readonly string[]; readonly range: CompactRange } | undefined;

/** Hex of the subtree roots already converted: an append changes only the lowest of them. */
const hexOf = new WeakMap<Buffer, string>();
function hex(hash: Buffer): string {
  let text = hexOf.get(hash);
  if (text === undefined) hexOf.set(hash, (text = hash.toString('hex')));
  return text;
}

function sameHashes(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * @internal the compact range a stored head describes, the caller's own to extend.
 * @throws IntegrityError when it does not fit the size
 */
export function compactRangeOf(head: AuditTreeHead): CompactRange {
  const last = kept;
  kept = undefined;
  if (last !== undefined && last.size === head.size && sameHashes(last.frontier, head.frontier)) return last.range;
  try {
    return CompactRange.from(head.size, head.frontier);
  } catch {
    throw new IntegrityError('the audit tree head does not match its size (pb_audit_head was tampered with)');
  }
}

/**
 * @internal chain `inputs` after `head` and extend the tree: the new entries, the nodes to
 * store and the new head.
 */
export function extendTree(
  head: AuditTreeHead,
  inputs: readonly AuditEntryInput[],
): { readonly entries: AuditEntry[]; readonly nodes: StoredTreeNode[]; readonly head: AuditTreeHead } {
  const range = compactRangeOf(head);
  const entries: AuditEntry[] = [];
  const nodes: StoredTreeNode[] = [];
  let last: Pick<AuditEntry, 'seq' | 'hash'> | undefined = head.size === 0 ? undefined : { seq: head.size, hash: head.lastHash };
  for (const input of inputs) {
    const entry = chainAuditEntry(input, last);
    const leaf = Buffer.from(entry.hash, 'hex');
    hexOf.set(leaf, entry.hash);
    range.append(leaf, (level, index, hash) => nodes.push({ level, index, hash: hex(hash) }));
    entries.push(entry);
    last = entry;
  }
  const lastHash = last === undefined ? GENESIS_HASH : last.hash;
  const frontier = Object.freeze(range.frontier().map(hex));
  kept = { size: range.size, frontier, range };
  return { entries, nodes, head: Object.freeze({ size: range.size, lastHash, frontier, legacySize: head.legacySize }) };
}
