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
 * The last head an append produced here, parsed: the next append usually starts from it (the
 * head row it reads back is the one it wrote), and then needs no hex decoding of the frontier.
 * Matched on the size and the frontier's exact text, so a head changed in between (another
 * process appended, or the row was edited) is parsed afresh.
 */
let lastParsed: { readonly size: number; readonly frontier: string; readonly range: CompactRange } | undefined;

const frontierKey = (frontier: readonly string[]): string => frontier.join(',');

/** @internal the compact range a stored head describes. @throws IntegrityError when it does not fit the size */
export function compactRangeOf(head: AuditTreeHead): CompactRange {
  const key = frontierKey(head.frontier);
  if (lastParsed !== undefined && lastParsed.size === head.size && lastParsed.frontier === key) return lastParsed.range.clone();
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
    range.append(Buffer.from(entry.hash, 'hex'), (level, index, hash) => nodes.push({ level, index, hash: hash.toString('hex') }));
    entries.push(entry);
    last = entry;
  }
  const lastHash = last === undefined ? GENESIS_HASH : last.hash;
  const frontier = Object.freeze(range.frontier().map((h) => h.toString('hex')));
  lastParsed = { size: range.size, frontier: frontierKey(frontier), range };
  return { entries, nodes, head: Object.freeze({ size: range.size, lastHash, frontier, legacySize: head.legacySize }) };
}
