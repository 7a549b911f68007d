/**
 * Proofs over the audit log a storage adapter holds: the tree head (size and root), inclusion
 * proofs of entries and consistency proofs between two sizes, built from O(log n) stored
 * subtree hashes (`getAuditNodes`) and leaf hashes recomputed from the entries themselves.
 * Adapters without a stored tree are served by recomputing from all entries (O(n)).
 *
 * Nothing here is trusted by a verifier: a proof built from tampered nodes simply fails
 * `verifyInclusion` / `verifyConsistency` against a signed checkpoint.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { StorageAdapter, StorageTransaction } from '../storage/adapter.js';
import { requireCount } from '../storage/contract-arguments.js';
import { auditLeafData, type AuditEntry } from './audit-entry.js';
import { AuditProofError } from './errors.js';
import { buildProof, CompactRange, consistencyProofRanges, hashLeaf, inclusionProofRanges, treeRoot, type TreeNodeRef } from './merkle.js';

/**
 * The tree's head: its size and root, and the last entry's hash.
 *
 * @example
 * ```ts
 * const head: AuditTreeState = await proofs.head();
 * head.size; // entries in the log
 * ```
 */
export interface AuditTreeState {
  readonly size: number;
  /** Root hash, hex. */
  readonly rootHash: string;
  readonly lastHash: string;
}

/**
 * That entry `seq` is leaf `seq - 1` of the tree of `treeSize` entries.
 *
 * @example
 * ```ts
 * const p: InclusionProof = await proofs.inclusion(42, checkpoint.size);
 * verifyInclusion(p.seq - 1, p.treeSize, p.leafHash, p.path, checkpoint.rootHash); // true
 * ```
 */
export interface InclusionProof {
  readonly seq: number;
  readonly treeSize: number;
  /** The entry's leaf hash (for entries since schema 2, its `hash`), hex. */
  readonly leafHash: string;
  /** Sibling hashes from the leaf up, hex. */
  readonly path: readonly string[];
}

/**
 * That the tree of `fromSize` entries is a prefix of the tree of `toSize`.
 *
 * @example
 * ```ts
 * const p: ConsistencyProof = await proofs.consistency(trusted.size, now.size);
 * verifyConsistency(p.fromSize, p.toSize, p.path, trusted.rootHash, now.rootHash); // true
 * ```
 */
export interface ConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly path: readonly string[];
}

/**
 * Proof production over an adapter's audit log.
 *
 * @example
 * ```ts
 * const proofs: AuditProofs = createAuditProofs(adapter);
 * const { size, rootHash } = await proofs.head();
 * ```
 */
export interface AuditProofs {
  head(): Promise<AuditTreeState>;
  /** The root of the tree of the first `size` entries. */
  rootAt(size: number): Promise<string>;
  inclusion(seq: number, treeSize?: number): Promise<InclusionProof>;
  /** Several inclusion proofs against one tree size, reading each stored node once. */
  inclusionMany(seqs: readonly number[], treeSize: number): Promise<InclusionProof[]>;
  consistency(fromSize: number, toSize?: number): Promise<ConsistencyProof>;
}

const leafOf = (e: AuditEntry): Buffer => hashLeaf(auditLeafData(e));

/** Entries closer than this share one `listAudit` read (reading a few more rows costs less than another statement). */
const RUN_GAP = 32;

/**
 * The entries of `seqs` (in the order asked): with the adapter's `getAuditEntries` in one
 * statement per few hundred; without it, one `listAudit` range per run of nearby entries.
 */
async function entriesBySeq(tx: StorageTransaction, seqs: readonly number[]): Promise<(AuditEntry | undefined)[]> {
  if (seqs.length === 0) return [];
  if (typeof tx.getAuditEntries === 'function') return tx.getAuditEntries(seqs);
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const found = new Map<number, AuditEntry>();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) - (sorted[j] as number) <= RUN_GAP) j++;
    const from = sorted[i] as number;
    for (const e of await tx.listAudit({ fromSeq: from, limit: (sorted[j] as number) - from + 1 })) found.set(e.seq, e);
    i = j + 1;
  }
  return seqs.map((s) => found.get(s));
}

/**
 * Proofs over `adapter`'s audit log (see the module docs).
 *
 * @throws InvalidArgumentError when `adapter` is not a storage adapter
 * @example
 * ```ts
 * const proofs = createAuditProofs(adapter);
 * const proof = await proofs.inclusion(entry.seq, checkpoint.size);
 * ```
 */
export function createAuditProofs(adapter: StorageAdapter): AuditProofs {
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.transaction !== 'function') throw new InvalidArgumentError('adapter', 'must be a StorageAdapter');
  const read = <T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T> => adapter.transaction(fn, { readOnly: true });

  /** Hashes of perfect subtrees: level 0 from the entries (recomputed), above from stored nodes. */
  const nodeSource =
    (tx: StorageTransaction) =>
    async (refs: readonly TreeNodeRef[]): Promise<Buffer[]> => {
      if (typeof tx.getAuditNodes !== 'function') {
        // No stored tree: recompute every subtree from the entries it covers.
        const end = Math.max(...refs.map((r) => (r.index + 1) * 2 ** r.level));
        const leaves = (await tx.listAudit({ limit: end })).map(leafOf);
        if (leaves.length < end) throw new AuditProofError('the log has fewer entries than the proof needs');
        return refs.map((r) => treeRoot(leaves.slice(r.index * 2 ** r.level, (r.index + 1) * 2 ** r.level)));
      }
      const inner = refs.filter((r) => r.level > 0);
      const stored = inner.length === 0 ? [] : await tx.getAuditNodes(inner);
      const byKey = new Map<string, Buffer>();
      inner.forEach((r, i) => {
        const h = stored[i];
        if (h === undefined) throw new AuditProofError(`the stored tree has no node ${r.level}/${r.index}`);
        byKey.set(`${r.level}/${r.index}`, Buffer.from(h, 'hex'));
      });
      const seqs = refs.filter((r) => r.level === 0).map((r) => r.index + 1);
      const entries = await entriesBySeq(tx, seqs);
      seqs.forEach((seq, i) => {
        const e = entries[i];
        if (e === undefined || e.seq !== seq) throw new AuditProofError(`entry ${seq} is missing`);
        byKey.set(`0/${seq - 1}`, leafOf(e));
      });
      return refs.map((r) => byKey.get(`${r.level}/${r.index}`) as Buffer);
    };

  async function state(tx: StorageTransaction): Promise<AuditTreeState> {
    if (typeof tx.auditTreeHead === 'function') {
      const h = await tx.auditTreeHead();
      let root: string;
      try {
        root = CompactRange.from(h.size, h.frontier).rootHex();
      } catch {
        throw new AuditProofError('the stored tree head does not match its size');
      }
      return Object.freeze({ size: h.size, rootHash: root, lastHash: h.lastHash });
    }
    const all = await tx.listAudit();
    return Object.freeze({ size: all.length, rootHash: treeRoot(all.map(leafOf)).toString('hex'), lastHash: all.at(-1)?.hash ?? '0'.repeat(64) });
  }

  const sizeArg = (n: number, name: string, max: number): number => {
    requireCount(n, name);
    if (n > max) throw new AuditProofError(`${name} ${n} is beyond the log's ${max} entries`);
    return n;
  };

  async function rootIn(tx: StorageTransaction, size: number): Promise<string> {
    if (size === 0) return treeRoot([]).toString('hex');
    const [root] = await buildProof([{ start: 0, end: size }], nodeSource(tx));
    return (root as Buffer).toString('hex');
  }

  return Object.freeze({
    head: () => read(state),
    rootAt: (size: number) =>
      read(async (tx) => {
        sizeArg(size, 'size', (await state(tx)).size);
        return rootIn(tx, size);
      }),
    inclusion: (seq: number, treeSize?: number) =>
      read(async (tx) => {
        const head = await state(tx);
        const n = treeSize === undefined ? head.size : sizeArg(treeSize, 'treeSize', head.size);
        requireCount(seq, 'seq');
        if (seq < 1 || seq > n) throw new AuditProofError(`entry ${seq} is not in the tree of ${n} entries`);
        const [proof] = await proveMany(tx, [seq], n);
        return proof as InclusionProof;
      }),
    inclusionMany: (seqs: readonly number[], treeSize: number) =>
      read(async (tx) => {
        if (!Array.isArray(seqs)) throw new InvalidArgumentError('seqs', 'must be an array of entry numbers');
        const n = sizeArg(treeSize, 'treeSize', (await state(tx)).size);
        seqs.forEach((s, i) => {
          requireCount(s, `seqs[${i}]`);
          if (s < 1 || s > n) throw new AuditProofError(`entry ${s} is not in the tree of ${n} entries`);
        });
        return proveMany(tx, seqs, n);
      }),
    consistency: (fromSize: number, toSize?: number) =>
      read(async (tx) => {
        const head = await state(tx);
        const to = toSize === undefined ? head.size : sizeArg(toSize, 'toSize', head.size);
        sizeArg(fromSize, 'fromSize', to);
        const path = await buildProof(consistencyProofRanges(fromSize, to), nodeSource(tx));
        return Object.freeze({ fromSize, toSize: to, path: Object.freeze(path.map((p) => p.toString('hex'))) });
      }),
  });

  /** Inclusion proofs of `seqs` in the tree of `n`: all their subtrees fetched in one go. */
  async function proveMany(tx: StorageTransaction, seqs: readonly number[], n: number): Promise<InclusionProof[]> {
    // One ranges list for all proofs (plus each leaf itself), one fetch, then split per proof.
    const perProof = seqs.map((s) => inclusionProofRanges(s - 1, n));
    const all = perProof.flatMap((ranges, i) => [{ start: (seqs[i] as number) - 1, end: seqs[i] as number }, ...ranges]);
    const hashes = await buildProof(all, nodeSource(tx));
    const out: InclusionProof[] = [];
    let k = 0;
    perProof.forEach((ranges, i) => {
      const leaf = hashes[k++] as Buffer;
      const path = ranges.map(() => (hashes[k++] as Buffer).toString('hex'));
      out.push(Object.freeze({ seq: seqs[i] as number, treeSize: n, leafHash: leaf.toString('hex'), path: Object.freeze(path) }));
    });
    return out;
  }
}
