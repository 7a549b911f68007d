/**
 * @internal Worker threads that hash leaf chunks for the verifier (`node:worker_threads`,
 * hashing with `node:crypto` in the worker). The worker's code is the algorithm of
 * `hashLeafChunk` (`leaf-chunk.ts`) written as plain JavaScript, so it runs the same from the
 * sources, the ESM and the CommonJS builds with no file to locate; the tests check the two give
 * the same results. Chunks go out with their buffers transferred (not copied) and results come
 * back in the order they were sent.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { LeafChunk, LeafChunkResult } from './leaf-chunk.js';

/** The worker: `hashLeafChunk` in JavaScript (see leaf-chunk.ts, same statuses 0/1/2). */
const WORKER_SOURCE = `
'use strict';
const crypto = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const sha256 = typeof crypto.hash === 'function'
  ? (data) => crypto.hash('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();
const frontierBytes = (byLevel) => Buffer.concat(byLevel.filter((h) => h !== undefined).reverse());
parentPort.on('message', ({ id, bytes, starts, claimed, count, cuts }) => {
  const status = new Uint8Array(count);
  const byLevel = [];
  const node = Buffer.alloc(65, 0x01);
  const cutFrontiers = [];
  const claimedBytes = Buffer.from(claimed.buffer, claimed.byteOffset, claimed.byteLength);
  let cut = 0;
  for (let i = 0; i < count; i++) {
    const start = starts[i];
    const end = starts[i + 1];
    let leaf = sha256(bytes.subarray(start, end));
    if (leaf.compare(claimedBytes, i * 32, i * 32 + 32) === 0) status[i] = 0;
    else if (sha256(bytes.subarray(start + 1, end)).compare(claimedBytes, i * 32, i * 32 + 32) === 0) status[i] = 1;
    else status[i] = 2;
    let level = 0;
    let index = i;
    while (index % 2 === 1) {
      node.set(byLevel[level], 1);
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
  const frontier = frontierBytes(byLevel);
  parentPort.postMessage({ id, status, cutFrontiers, frontier });
});
`;

/** @internal a pool of leaf-hashing threads. */
export interface LeafHashPool {
  /** Hash a chunk in the next thread (round robin); its buffers are transferred. */
  hash(chunk: LeafChunk): Promise<LeafChunkResult>;
  /** Stop every thread; chunks still in flight never settle. */
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly status: Uint8Array;
  readonly cutFrontiers: Uint8Array[];
  readonly frontier: Uint8Array;
}

/** @internal start `threads` (≥ 1) leaf-hashing threads. @throws whatever `new Worker` throws (none is left running) */
export function createLeafHashPool(threads: number): LeafHashPool {
  const pending = new Map<number, { resolve: (r: LeafChunkResult) => void; reject: (e: unknown) => void }>();
  let failure: unknown;
  let closed = false;
  const fail = (error: unknown): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const workers: Worker[] = [];
  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      p?.resolve({ status: reply.status, cutFrontiers: reply.cutFrontiers, frontier: reply.frontier });
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closed && pending.size > 0) fail(new Error(`a leaf-hashing thread exited (code ${code}) before answering`));
    });
    return w;
  };
  try {
    for (let i = 0; i < threads; i++) workers.push(start());
  } catch (error) {
    closed = true;
    for (const w of workers) void w.terminate();
    throw error;
  }
  let next = 0;
  return {
    hash(chunk) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = next++;
      const worker = workers[id % workers.length] as Worker;
      const result = new Promise<LeafChunkResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const { bytes, starts, claimed, count, cuts } = chunk;
        worker.postMessage({ id, bytes, starts, claimed, count, cuts }, [bytes.buffer as ArrayBuffer, starts.buffer as ArrayBuffer, claimed.buffer as ArrayBuffer]);
      });
      // A chunk after an earlier break is never awaited: its failure must not surface as unhandled.
      result.catch(() => undefined);
      return result;
    },
    async close() {
      // Chunks still in flight are abandoned (the verifier stopped at an earlier break).
      closed = true;
      pending.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
