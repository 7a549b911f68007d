/**
 * Where signed checkpoints go: somewhere the database's writers cannot change them. A sink is
 * a function that receives each checkpoint; this module has three: a file (latest checkpoint
 * replaced atomically, every checkpoint appended to a history), an HTTP endpoint (a witness, a
 * transparency service, your object store's upload URL) and any function of yours.
 *
 * @module
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { SignedCheckpoint } from './checkpoint.js';

/**
 * Receives every checkpoint written; resolving means "published". A rejection is reported to
 * the checkpointer's `onError` (and fails an on-demand `checkpoint()`), never to the reads
 * whose entries the checkpoint covers.
 *
 * @example
 * ```ts
 * import type { CheckpointSink } from 'purpose-bound';
 *
 * const toBucket: CheckpointSink = async (c) => { await bucket.put(`checkpoints/${c.size}`, c.note); };
 * ```
 */
export type CheckpointSink = (checkpoint: SignedCheckpoint) => Promise<void> | void;

/**
 * Options of {@link fileCheckpointSink}.
 *
 * @example
 * ```ts
 * const options: FileCheckpointSinkOptions = { path: '/mnt/worm/audit.checkpoint' };
 * ```
 */
export interface FileCheckpointSinkOptions {
  /** The latest checkpoint's file, replaced atomically (write, then rename). */
  readonly path: string;
  /** Also append every checkpoint, as one JSON line `{ size, rootHash, note }`, to `<path>.history.jsonl`. Default true. */
  readonly history?: boolean;
}

/**
 * A sink writing checkpoints to a file (put it on storage the database host cannot rewrite:
 * another machine's mount, a WORM volume, a synced folder).
 *
 * @throws InvalidArgumentError when `path` is not a non-empty string
 * @example
 * ```ts
 * const sink = fileCheckpointSink({ path: '/mnt/worm/audit.checkpoint' });
 * ```
 */
export function fileCheckpointSink(options: FileCheckpointSinkOptions): CheckpointSink {
  if (typeof options !== 'object' || options === null || typeof options.path !== 'string' || options.path.length === 0) {
    throw new InvalidArgumentError('options.path', 'must be a non-empty file path');
  }
  const file = path.resolve(options.path);
  const history = options.history ?? true;
  let n = 0;
  return async (c) => {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${n++}.tmp`;
    await writeFile(tmp, c.note, { encoding: 'utf8', flush: true });
    await rename(tmp, file);
    if (history) await appendFile(`${file}.history.jsonl`, `${JSON.stringify({ size: c.size, rootHash: c.rootHash, note: c.note })}\n`, 'utf8');
  };
}

/**
 * Options of {@link httpCheckpointSink}.
 *
 * @example
 * ```ts
 * const options: HttpCheckpointSinkOptions = { url: 'https://witness.example.org/add-checkpoint', headers: { authorization: `Bearer ${token}` } };
 * ```
 */
export interface HttpCheckpointSinkOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up after this many ms. Default 10,000. */
  readonly timeoutMs?: number;
}

/**
 * A sink POSTing each checkpoint note (`text/plain; charset=utf-8`) to a URL; any status but
 * 2xx is a failure.
 *
 * @throws InvalidArgumentError for a URL that is not http(s)
 * @example
 * ```ts
 * const sink = httpCheckpointSink({ url: 'https://audit-archive.example.jp/checkpoints' });
 * ```
 */
export function httpCheckpointSink(options: HttpCheckpointSinkOptions): CheckpointSink {
  let url: URL;
  try {
    url = new URL(options?.url);
  } catch {
    throw new InvalidArgumentError('options.url', 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('options.url', 'must be an absolute http(s) URL');
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError('options.timeoutMs', 'must be a positive integer');
  return async (c) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', ...options.headers },
      body: c.note,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`the checkpoint endpoint answered HTTP ${response.status}`);
  };
}
