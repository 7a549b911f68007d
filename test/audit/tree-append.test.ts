/**
 * Appending to the audit tree remembers the last head it produced (so the next append does not
 * decode its frontier again), and that memory never stands in for a head that differs: another
 * frontier of the same size, or a malformed one, is read as stored.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { IntegrityError } from 'purpose-bound';
import type { AuditEntryInput } from '../../src/audit/audit-entry.js';
import { CompactRange } from '../../src/audit/merkle.js';
import { compactRangeOf, EMPTY_TREE_HEAD, extendTree } from '../../src/audit/tree-append.js';

const input = (actor: string): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor, decision: 'allow' });

const rootOf = (head: { size: number; frontier: readonly string[] }) => CompactRange.from(head.size, head.frontier).rootHex();

describe('extendTree and compactRangeOf', () => {
  it('appends across calls exactly as one append of all entries', () => {
    const all = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('c'), input('d'), input('e')]);
    let head = EMPTY_TREE_HEAD;
    for (const actor of ['a', 'b', 'c', 'd', 'e']) head = extendTree(head, [input(actor)]).head;
    expect(head).toEqual(all.head);
    expect(compactRangeOf(head).rootHex()).toBe(rootOf(all.head));
  });

  it('reads a head of the same size with another frontier as stored, not as the one it just wrote', () => {
    const mine = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('c')]).head;
    const theirs = extendTree(EMPTY_TREE_HEAD, [input('x'), input('y'), input('z')]).head;
    const again = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('c')]).head; // the remembered head is mine again
    expect(again).toEqual(mine);
    expect(theirs.size).toBe(mine.size);
    expect(compactRangeOf(theirs).rootHex()).toBe(rootOf(theirs));
    expect(compactRangeOf(theirs).rootHex()).not.toBe(rootOf(mine));
    const next = extendTree(theirs, [input('w')]).head;
    expect(next.frontier).toEqual(extendTree(EMPTY_TREE_HEAD, [input('x'), input('y'), input('z'), input('w')]).head.frontier);
  });

  it('refuses a malformed head right after appending (a frontier that does not fit the size)', () => {
    const head = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('c')]).head;
    expect(() => compactRangeOf({ ...head, frontier: head.frontier.slice(1) })).toThrow(IntegrityError);
    expect(() => compactRangeOf({ ...head, size: head.size + 1 })).toThrow(IntegrityError);
  });

  it('hands out a range of its own each time (appending to one leaves the next unchanged)', () => {
    const head = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b')]).head;
    const one = compactRangeOf(head);
    one.append(Buffer.alloc(32, 7));
    expect(compactRangeOf(head).size).toBe(2);
    expect(compactRangeOf(head).rootHex()).toBe(rootOf(head));
  });

  it('an append that fails part way leaves nothing half-extended for the next one', () => {
    const head = extendTree(EMPTY_TREE_HEAD, [input('a'), input('b')]).head;
    const bad = { ...input('x'), details: { n: 10n } } as unknown as AuditEntryInput; // not hashable: throws mid-batch
    expect(() => extendTree(head, [input('c'), bad])).toThrow();
    const next = extendTree(head, [input('d')]);
    expect(next.entries[0]?.seq).toBe(3);
    expect(rootOf(next.head)).toBe(rootOf(extendTree(EMPTY_TREE_HEAD, [input('a'), input('b'), input('d')]).head));
  });
});
