/**
 * @internal The entry-by-entry part of `verifyAuditLog`: each entry's `seq`, link and hash, the
 * Merkle tree over all of them, and its root where a checkpoint (or the stored head) says the
 * tree had a given size. The calling thread checks the links and writes each entry's leaf bytes
 * into chunks; the leaves are hashed and each chunk's subtree folded by `hashLeafChunk`, on this
 * thread for the first `threadsAfter` entries and in worker threads after that. Chunk results
 * are taken in order, so the first break reported is the same whichever thread hashed it, and
 * at most two chunks per thread are in flight (memory stays bounded whatever the log's length).
 *
 * @module
 */
import { auditLeafData, GENESIS_HASH, type AuditEntry } from './audit-entry.js';
import { hashLeafChunk, LEAF_CHUNK_SIZE, LEAF_MATCHES, LEGACY_MATCHES, LeafChunkBuilder, type LeafChunkResult } from './leaf-chunk.js';
import { createLeafHashPool, type LeafHashPool } from './leaf-hash-workers.js';
import { CompactRange, EMPTY_TREE_ROOT, foldSubtrees } from './merkle.js';

/** @internal the breaks found entry by entry. */
export type EntryBreak = 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap' | 'checkpoint-mismatch';

/** @internal result of {@link checkEntries}. */
export type EntryCheck =
  | {
      readonly valid: true;
      readonly entries: number;
      /** Hash of the last entry. */
      readonly head: string;
      readonly rootHash: string;
      readonly legacyEntries: number;
      /** The root at `statedSize`, when the log reached it. */
      readonly statedRoot: string | undefined;
    }
  | { readonly valid: false; readonly entries: number; readonly index: number; readonly seq: number | undefined; readonly reason: EntryBreak };

/** @internal options of {@link checkEntries}. */
export interface CheckEntriesOptions {
  /** A trusted checkpoint: the root after `size` entries must be `rootHash` (size ≥ 1). */
  readonly checkpoint?: { readonly size: number; readonly rootHash: string } | undefined;
  /** The size of the tree the database states; its root is returned as `statedRoot`. */
  readonly statedSize?: number | undefined;
  /** Worker threads for leaf hashing (0: all on this thread). */
  readonly threads: number;
  /** Entries hashed on this thread before the threads start (starting them costs more than hashing a small log). */
  readonly threadsAfter: number;
}

interface InFlight {
  readonly start: number;
  readonly count: number;
  readonly cuts: readonly number[];
  readonly result: Promise<LeafChunkResult> | LeafChunkResult;
}

/** 32-byte runs of a frontier as buffers. */
function split(frontier: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < frontier.length; i += 32) out.push(Buffer.from(frontier.buffer, frontier.byteOffset + i, 32));
  return out;
}

/**
 * @internal check `entries` in order; see the module header.
 */
export async function checkEntries(entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>, options: CheckEntriesOptions): Promise<EntryCheck> {
  const { checkpoint, statedSize, threads, threadsAfter } = options;
  const boundaries = [...new Set([checkpoint?.size, statedSize].filter((b): b is number => b !== undefined && b > 0))].sort((a, b) => a - b);
  const builder = new LeafChunkBuilder();
  const queue: InFlight[] = [];
  /** The tree of full chunks, each chunk's root as one node at level log2(LEAF_CHUNK_SIZE). */
  const chunks = new CompactRange();
  let pool: LeafHashPool | undefined;
  let noThreads = false;
  let index = 0;
  let prevHash = GENESIS_HASH;
  let stopped: EntryCheck | undefined;
  let legacy = 0;
  let treeEra = false;
  let statedRoot: string | undefined;
  let last: Uint8Array = new Uint8Array();

  const broken = (reason: EntryBreak, at: number, seq: number | undefined): EntryCheck => ({ valid: false, entries: at, index: at, seq, reason });
  const rootWith = (partial: Uint8Array): string => {
    const all = [...chunks.frontier(), ...split(partial)];
    return all.length === 0 ? EMPTY_TREE_ROOT : foldSubtrees(all).toString('hex');
  };

  /** Take a chunk's statuses in order; a break, or undefined. */
  const consume = async (chunk: InFlight): Promise<EntryCheck | undefined> => {
    const result = await chunk.result;
    for (let j = 0; j < chunk.count; j++) {
      const s = result.status[j];
      if (s === LEAF_MATCHES) treeEra = true;
      else if (s === LEGACY_MATCHES && !treeEra) legacy++;
      else return broken('hash-mismatch', chunk.start + j, chunk.start + j + 1);
      const size = chunk.start + j + 1;
      if (size === checkpoint?.size || size === statedSize) {
        const root = rootWith(result.cutFrontiers[chunk.cuts.indexOf(j + 1)] as Uint8Array);
        if (size === checkpoint?.size && root !== checkpoint.rootHash) return { valid: false, entries: 0, index: 0, seq: undefined, reason: 'checkpoint-mismatch' };
        if (size === statedSize) statedRoot = root;
      }
    }
    if (chunk.count === LEAF_CHUNK_SIZE) chunks.append(result.frontier);
    else last = result.frontier; // only the last chunk is partial
    return undefined;
  };

  const dispatch = (): void => {
    const start = index - builder.count;
    const count = builder.count;
    const cuts = boundaries.filter((b) => b > start && b <= start + count).map((b) => b - start);
    const chunk = builder.take(cuts);
    if (pool === undefined && !noThreads && threads > 0 && start >= threadsAfter) {
      try {
        pool = createLeafHashPool(threads);
      } catch {
        noThreads = true; // no worker threads here (a sandbox, a runtime without them): hash on this thread
      }
    }
    queue.push({ start, count, cuts, result: pool === undefined ? hashLeafChunk(chunk) : pool.hash(chunk) });
  };

  try {
    /** Check one entry and add its leaf; a break, or undefined. */
    const take = (e: AuditEntry): EntryCheck | undefined => {
      const seq = typeof e?.seq === 'number' ? e.seq : undefined;
      if (typeof e !== 'object' || e === null) return broken('hash-mismatch', index, seq);
      if (e.seq !== index + 1) return broken('sequence-gap', index, seq);
      if (e.prevHash !== prevHash) return broken('prev-hash-mismatch', index, seq);
      let data: string;
      try {
        data = auditLeafData(e);
      } catch {
        return broken('hash-mismatch', index, seq); // not serialisable (e.g. a BigInt planted in the row): cannot be a genuine entry
      }
      if (!builder.add(data, e.hash)) return broken('hash-mismatch', index, seq); // not 64 lowercase hex digits: no hash we compute
      prevHash = e.hash;
      index++;
      if (builder.full) dispatch();
      return undefined;
    };
    /** Take the results of chunks beyond the in-flight bound; a break, or undefined. */
    const over = (): boolean => queue.length > (pool === undefined ? 0 : 2 * threads);
    const drain = async (): Promise<EntryCheck | undefined> => {
      while (over()) {
        const found = await consume(queue.shift() as InFlight);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    if (Symbol.asyncIterator in entries) {
      for await (const e of entries) {
        stopped = take(e);
        if (stopped !== undefined) break;
        if (over()) {
          const found = await drain();
          if (found !== undefined) return found;
        }
      }
    } else {
      for (const e of entries) {
        stopped = take(e);
        if (stopped !== undefined) break;
        if (over()) {
          const found = await drain();
          if (found !== undefined) return found;
        }
      }
    }
    if (builder.count > 0) dispatch();
    // Breaks in entries already hashed come first: they are earlier in the log.
    while (queue.length > 0) {
      const found = await consume(queue.shift() as InFlight);
      if (found !== undefined) return found;
    }
  } finally {
    await pool?.close();
  }
  if (stopped !== undefined) return stopped;
  return { valid: true, entries: index, head: prevHash, rootHash: rootWith(last), legacyEntries: legacy, statedRoot };
}
