/**
 * @internal Leaf hashing for the verifier, a chunk at a time: the calling thread writes the
 * leaf bytes of up to {@link LEAF_CHUNK_SIZE} entries (each after a `0x00` byte, the RFC 6962
 * leaf prefix) and the hashes the entries claim into flat buffers; {@link hashLeafChunk} (here,
 * or the same algorithm in a worker thread, `leaf-hash-workers.ts`) hashes every leaf, says for
 * each whether it matches the claimed hash (or the schema-1 hash), and folds the chunk's
 * subtree. A chunk starts at a multiple of its size, so a full chunk is one perfect subtree of
 * the log's tree and the verifier folds chunk roots in order.
 *
 * @module
 */
import * as crypto from 'node:crypto';

/** @internal entries per chunk: a power of two (a full chunk is the perfect subtree at level 12). */
export const LEAF_CHUNK_SIZE = 4096;

/** @internal a leaf's status in a {@link LeafChunkResult}. */
export const LEAF_MATCHES = 0;
/** @internal the claimed hash is the schema-1 hash `SHA-256(leaf bytes)`, not the leaf hash. */
export const LEGACY_MATCHES = 1;
/** @internal neither hash matches. */
export const NO_MATCH = 2;

/** @internal what a hasher gets: the leaves of one chunk. */
export interface LeafChunk {
  /** Leaf `i` is `bytes[starts[i] + 1 .. starts[i + 1]]`, after the `0x00` prefix at `starts[i]`. */
  readonly bytes: Uint8Array;
  /** `count + 1` offsets into `bytes`. */
  readonly starts: Uint32Array;
  /** 32 bytes per leaf: the hash its entry claims. */
  readonly claimed: Uint8Array;
  readonly count: number;
  /** Leaf counts (1..count) after which the chunk's compact range is wanted, ascending. */
  readonly cuts: readonly number[];
}

/** @internal what a hasher returns for a chunk. */
export interface LeafChunkResult {
  /** One of `LEAF_MATCHES`, `LEGACY_MATCHES`, `NO_MATCH` per leaf. */
  readonly status: Uint8Array;
  /** The compact range of the chunk's first `cuts[k]` leaves, 32 bytes per subtree root, largest first. */
  readonly cutFrontiers: readonly Uint8Array[];
  /** The compact range of the whole chunk (one root for a full chunk). */
  readonly frontier: Uint8Array;
}

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
/** `crypto.hash` (Node ≥ 21.7): one call per hash, no Hash object. */
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
const sha256: (data: Uint8Array) => Buffer = oneShot ? (data) => oneShot('sha256', data, 'buffer') : (data) => crypto.createHash('sha256').update(data).digest();

/** The subtree roots held by `byLevel`, largest first, as 32-byte runs. */
function frontierBytes(byLevel: readonly (Buffer | undefined)[]): Uint8Array {
  const roots = byLevel.filter((h): h is Buffer => h !== undefined).reverse();
  return Buffer.concat(roots);
}

/**
 * @internal hash a chunk's leaves on this thread. The worker threads run the same algorithm
 * (`leaf-hash-workers.ts`); the tests check both give the same results.
 */
export function hashLeafChunk(chunk: LeafChunk): LeafChunkResult {
  const { bytes, starts, claimed, count, cuts } = chunk;
  const status = new Uint8Array(count);
  const byLevel: (Buffer | undefined)[] = [];
  const node = Buffer.alloc(65, 0x01);
  const cutFrontiers: Uint8Array[] = [];
  let cut = 0;
  for (let i = 0; i < count; i++) {
    const start = starts[i] as number;
    const end = starts[i + 1] as number;
    let leaf = sha256(bytes.subarray(start, end));
    if (leaf.compare(claimed, i * 32, i * 32 + 32) === 0) status[i] = LEAF_MATCHES;
    else if (sha256(bytes.subarray(start + 1, end)).compare(claimed, i * 32, i * 32 + 32) === 0) status[i] = LEGACY_MATCHES;
    else status[i] = NO_MATCH;
    // Append to the chunk's compact range (RFC 6962 inner nodes: SHA-256(0x01 || left || right)).
    let level = 0;
    let index = i;
    while (index % 2 === 1) {
      node.set(byLevel[level] as Buffer, 1);
      node.set(leaf, 33);
      leaf = sha256(node);
      byLevel[level] = undefined;
      level++;
      index = (index - 1) / 2;
    }
    byLevel[level] = leaf;
    while (cut < cuts.length && cuts[cut] === i + 1) {
      cutFrontiers.push(frontierBytes(byLevel));
      cut++;
    }
  }
  return { status, cutFrontiers, frontier: frontierBytes(byLevel) };
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * @internal fills a {@link LeafChunk}: leaf bytes grow as needed (a UTF-16 unit is at most 3
 * bytes of UTF-8), the claimed hashes are written as bytes.
 */
export class LeafChunkBuilder {
  #bytes = Buffer.allocUnsafe(LEAF_CHUNK_SIZE * 256);
  #used = 0;
  #starts = new Uint32Array(LEAF_CHUNK_SIZE + 1);
  #claimed = Buffer.allocUnsafe(LEAF_CHUNK_SIZE * 32);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  get full(): boolean {
    return this.#count === LEAF_CHUNK_SIZE;
  }

  /**
   * Add a leaf and the hash its entry claims. `false` (nothing added) when the claimed hash is
   * not 64 lowercase hex digits: no leaf can match it.
   */
  add(leafData: string, claimedHash: unknown): boolean {
    if (typeof claimedHash !== 'string' || !HEX_HASH.test(claimedHash)) return false;
    const need = 1 + leafData.length * 3;
    if (this.#used + need > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#used + need));
      this.#bytes.copy(grown, 0, 0, this.#used);
      this.#bytes = grown;
    }
    this.#starts[this.#count] = this.#used;
    this.#bytes[this.#used] = 0x00;
    this.#used += 1 + this.#bytes.write(leafData, this.#used + 1, 'utf8');
    this.#claimed.write(claimedHash, this.#count * 32, 'hex');
    this.#count++;
    return true;
  }

  /** The chunk so far (its buffers are handed over: the builder starts afresh). */
  take(cuts: readonly number[]): LeafChunk {
    this.#starts[this.#count] = this.#used;
    const chunk: LeafChunk = {
      bytes: new Uint8Array(this.#bytes.buffer, this.#bytes.byteOffset, this.#used),
      starts: this.#starts.subarray(0, this.#count + 1),
      claimed: new Uint8Array(this.#claimed.buffer, this.#claimed.byteOffset, this.#count * 32),
      count: this.#count,
      cuts,
    };
    this.#bytes = Buffer.allocUnsafe(this.#bytes.length);
    this.#used = 0;
    this.#starts = new Uint32Array(LEAF_CHUNK_SIZE + 1);
    this.#claimed = Buffer.allocUnsafe(LEAF_CHUNK_SIZE * 32);
    this.#count = 0;
    return chunk;
  }
}
