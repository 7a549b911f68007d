/**
 * The audit head row as the SQL adapters read it: the frontier text the previous append wrote
 * is taken as it was (no second validation of equal text), and anything else is validated.
 */
import { describe, expect, it } from 'vitest';
import { IntegrityError } from 'purpose-bound';
import { encodeFrontier, treeHeadFromRow } from '../../../src/adapters/sql/audit-tree-sql.js';
import { EMPTY_TREE_HEAD, extendTree } from '../../../src/audit/tree-append.js';

const input = (actor: string) => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor, decision: 'allow' as const });

describe('treeHeadFromRow', () => {
  it('reads back the head an append wrote, and refuses a malformed frontier even right after a valid one', () => {
    const { head } = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('c')]);
    const text = encodeFrontier(head.frontier);
    const row = { seq: head.size, hash: head.lastHash, frontier: text, legacy_size: 0 };
    const read = treeHeadFromRow(row);
    expect(read).toEqual(head);
    expect(treeHeadFromRow({ ...row }).frontier).toBe(read.frontier); // equal text: the same hashes, not parsed again
    const tampered = `${text.slice(0, -1)}${text.endsWith('x') ? 'y' : 'x'}`; // same length, not hex
    expect(() => treeHeadFromRow({ ...row, frontier: tampered })).toThrow(IntegrityError);
    expect(() => treeHeadFromRow({ ...row, frontier: text.slice(1) })).toThrow(IntegrityError);
    expect(() => treeHeadFromRow({ ...row, seq: -1 })).toThrow(IntegrityError);
    const other = `${'a'.repeat(64)}${'b'.repeat(64)}`;
    expect(treeHeadFromRow({ ...row, seq: 3, frontier: other }).frontier).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
  });
});
