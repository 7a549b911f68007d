/**
 * The Merkle tree against an independent implementation: the transparency-dev/merkle test
 * vectors (the RFC 6962 hasher, the roots and compact ranges of its 8-leaf tree, and every
 * inclusion and consistency case of its testdata, valid and broken), copied as data into
 * fixtures/rfc6962-vectors.json.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildProof,
  CompactRange,
  consistencyProofRanges,
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  hashLeafHex,
  inclusionProofRanges,
  perfectSubtrees,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle.js';

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string | null;
  leafHash: string | null;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
  file: string;
}
interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string | null;
  root2: string | null;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
  file: string;
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/rfc6962-vectors.json', import.meta.url), 'utf8')) as {
  inclusion: InclusionVector[];
  consistency: ConsistencyVector[];
  leafInputsHex: string[];
  rootsHex: string[];
  compactTreesHex: string[][];
  hasher: Record<string, string>;
};

const b64 = (s: string | null): Uint8Array => (s === null ? new Uint8Array() : new Uint8Array(Buffer.from(s, 'base64')));
const leaves = vectors.leafInputsHex.map((h) => hashLeaf(Buffer.from(h, 'hex')));

/** Every perfect subtree of the tree over `leafHashes`, as a database of stored nodes would hold them. */
function nodeStore(leafHashes: readonly Buffer[]): Map<string, Buffer> {
  const nodes = new Map<string, Buffer>();
  leafHashes.forEach((l, i) => nodes.set(`0/${i}`, l));
  const r = new CompactRange();
  for (const l of leafHashes) r.append(l, (level, index, hash) => nodes.set(`${level}/${index}`, hash));
  return nodes;
}
const fromStore = (nodes: Map<string, Buffer>) => (refs: readonly { level: number; index: number }[]) =>
  refs.map((r) => {
    const h = nodes.get(`${r.level}/${r.index}`);
    if (h === undefined) throw new Error(`missing node ${r.level}/${r.index}`);
    return h;
  });

describe('RFC 6962 hasher (transparency-dev vectors)', () => {
  it('hashes the empty tree, leaves and nodes with distinct prefixes', () => {
    expect(EMPTY_TREE_ROOT).toBe(vectors.hasher['emptyRoot']);
    expect(hashLeaf(new Uint8Array()).toString('hex')).toBe(vectors.hasher['emptyLeaf']);
    expect(hashLeaf('L123456').toString('hex')).toBe(vectors.hasher['leafL123456']);
    expect(hashChildren(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(vectors.hasher['nodeN123N456']);
  });

  it('computes the published root and compact range of every prefix of the 8-leaf tree', () => {
    const r = new CompactRange();
    for (let size = 0; size <= leaves.length; size++) {
      expect(r.rootHex()).toBe(vectors.rootsHex[size]);
      expect(treeRoot(leaves.slice(0, size)).toString('hex')).toBe(vectors.rootsHex[size]);
      expect(r.frontier().map((h) => h.toString('hex'))).toEqual(vectors.compactTreesHex[size]);
      // A stored compact range resumes where it left off.
      expect(CompactRange.from(size, vectors.compactTreesHex[size] as string[]).rootHex()).toBe(vectors.rootsHex[size]);
      if (size < leaves.length) r.append(leaves[size] as Buffer);
    }
  });
});

describe('CompactRange.from and clone', () => {
  it('takes one hash per set bit of the size, beyond 2^32 too, largest subtree first', () => {
    const h = (n: number) => hashLeaf(`h${n}`).toString('hex');
    const size = 2 ** 40 + 5; // bits 40, 2 and 0
    const r = CompactRange.from(size, [h(40), h(2), h(0)]);
    expect(r.size).toBe(size);
    expect(r.frontier().map((b) => b.toString('hex'))).toEqual([h(40), h(2), h(0)]);
    expect(() => CompactRange.from(size, [h(40), h(2)])).toThrow(RangeError);
    expect(() => CompactRange.from(2 ** 53, [h(53)])).toThrow(RangeError);
    expect(CompactRange.from(0, []).rootHex()).toBe(EMPTY_TREE_ROOT);
  });

  it('clones into an independent range: appending to the clone leaves the original as it was', () => {
    const r = new CompactRange();
    for (const l of leaves.slice(0, 5)) r.append(l as Buffer);
    const c = r.clone();
    expect(c.size).toBe(5);
    expect(c.rootHex()).toBe(r.rootHex());
    c.append(leaves[5] as Buffer);
    expect(r.size).toBe(5);
    expect(r.rootHex()).toBe(vectors.rootsHex[5]);
    expect(c.rootHex()).toBe(vectors.rootsHex[6]);
    (c.frontier()[0] as Buffer).fill(0); // the clone's bytes are its own
    expect(r.rootHex()).toBe(vectors.rootsHex[5]);
  });
});

describe('hashLeafHex (the one-shot leaf hash the audit log appends with)', () => {
  it('is hashLeaf in hex for any string: the vectors, non-ASCII text and lone surrogates', () => {
    expect(hashLeafHex('')).toBe(vectors.hasher['emptyLeaf']);
    expect(hashLeafHex('L123456')).toBe(vectors.hasher['leafL123456']);
    for (const s of ['\u0000', '\uD800', 'a\uDFFFb', '\u{1F600}', '個人情報\n{"a":1}']) expect(hashLeafHex(s)).toBe(hashLeaf(s).toString('hex'));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => hashLeafHex(s) === hashLeaf(s).toString('hex')),
      { numRuns: 300 },
    );
  });
});

describe('inclusion proofs (transparency-dev vectors)', () => {
  it(`verifies every valid case and rejects every broken one (${vectors.inclusion.length} cases)`, () => {
    expect(vectors.inclusion.length).toBeGreaterThan(90);
    for (const v of vectors.inclusion) {
      const ok = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
      expect({ file: v.file, ok }).toEqual({ file: v.file, ok: !v.wantErr });
    }
  });

  it('builds, from stored nodes, exactly the published proofs of the 8-leaf tree', async () => {
    const store = nodeStore(leaves);
    let compared = 0;
    for (const v of vectors.inclusion) {
      if (v.wantErr || v.root === null || Buffer.from(v.root, 'base64').toString('hex') !== vectors.rootsHex[v.treeSize]) continue;
      if (v.treeSize > leaves.length || b64(v.leafHash).length !== 32 || !Buffer.from(b64(v.leafHash)).equals(leaves[v.leafIdx] as Buffer)) continue;
      const proof = await buildProof(inclusionProofRanges(v.leafIdx, v.treeSize), fromStore(store));
      expect(proof.map((p) => p.toString('base64'))).toEqual(v.proof ?? []);
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});

describe('consistency proofs (transparency-dev vectors)', () => {
  it(`verifies every valid case and rejects every broken one (${vectors.consistency.length} cases)`, () => {
    expect(vectors.consistency.length).toBeGreaterThan(90);
    for (const v of vectors.consistency) {
      const ok = verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
      expect({ file: v.file, ok }).toEqual({ file: v.file, ok: !v.wantErr });
    }
  });

  it('builds exactly the published proofs of the 8-leaf tree', async () => {
    const store = nodeStore(leaves);
    let compared = 0;
    for (const v of vectors.consistency) {
      if (v.wantErr || v.size2 > leaves.length || v.root2 === null || Buffer.from(v.root2, 'base64').toString('hex') !== vectors.rootsHex[v.size2]) continue;
      if (v.root1 === null || Buffer.from(v.root1, 'base64').toString('hex') !== vectors.rootsHex[v.size1]) continue;
      const proof = await buildProof(consistencyProofRanges(v.size1, v.size2), fromStore(store));
      expect(proof.map((p) => p.toString('base64'))).toEqual(v.proof ?? []);
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});

describe('proofs over larger trees (property)', () => {
  it('every inclusion and consistency proof built from stored nodes verifies; a changed leaf or root fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), async (size, a, b) => {
        const ls = Array.from({ length: size }, (_, i) => hashLeaf(`leaf ${i}`));
        const store = nodeStore(ls);
        const root = treeRoot(ls);
        const index = a % size;
        const path = await buildProof(inclusionProofRanges(index, size), fromStore(store));
        expect(verifyInclusion(index, size, ls[index] as Buffer, path, root)).toBe(true);
        expect(verifyInclusion(index, size, hashLeaf('other'), path, root)).toBe(false);
        const m = 1 + (b % size);
        const cons = await buildProof(consistencyProofRanges(m, size), fromStore(store));
        const root1 = treeRoot(ls.slice(0, m));
        expect(verifyConsistency(m, size, cons, root1, root)).toBe(true);
        expect(verifyConsistency(0, size, [], root1, root)).toBe(false); // the empty tree proves nothing
        if (m < size) expect(verifyConsistency(m, size, cons, hashLeaf('x'), root)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('decomposes aligned ranges into perfect subtrees, largest first', () => {
    expect(perfectSubtrees(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectSubtrees(8, 12)).toEqual([{ level: 2, index: 2 }]);
  });
});
