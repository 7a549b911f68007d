/**
 * Writing signed checkpoints of an adapter's audit log: every `everyEntries` appended entries,
 * every `everyMs` while the log grows, and on demand. Before signing a new tree head it checks
 * the consistency proof from the last checkpoint it signed (or the `trusted` one it was
 * started with), so a signer never signs a log that was rewritten or cut behind it.
 *
 * @module
 */
import { IntegrityError, InvalidArgumentError } from '../errors.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { createAuditProofs } from './audit-proofs.js';
import type { CheckpointSink } from './checkpoint-sinks.js';
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { watchAppends } from './group-commit.js';
import { verifyConsistency } from './merkle.js';
import { noteSigner, type NoteSigner } from './signed-note.js';

/**
 * Options of {@link createCheckpointer}.
 *
 * @example
 * ```ts
 * const options: CheckpointerOptions = {
 *   adapter, origin: 'audit.example.jp/purpose-bound', signer: process.env.AUDIT_SIGNER_KEY!,
 *   sinks: [fileCheckpointSink({ path: '/mnt/worm/audit.checkpoint' })], everyEntries: 1000, everyMs: 60_000,
 * };
 * ```
 */
export interface CheckpointerOptions {
  readonly adapter: StorageAdapter;
  /** The log's unique name, e.g. `audit.example.jp/purpose-bound`. */
  readonly origin: string;
  /** A signer, or its signer key (`PRIVATE+KEY+…`). Its name should be the origin. */
  readonly signer: NoteSigner | string;
  /** Where checkpoints are published. */
  readonly sinks?: readonly CheckpointSink[];
  /** Write a checkpoint after this many appended entries (0: never by count). Default 1000. */
  readonly everyEntries?: number;
  /** Write a checkpoint this often while the log has grown (0: never by time). Default 60,000 ms. */
  readonly everyMs?: number;
  /** A checkpoint you trust (e.g. the sink's latest file, read at start-up): the first signed must be consistent with it. */
  readonly trusted?: string;
  /**
   * Count the entries the vault's guard appends on this adapter (its shared group-commit log),
   * for `everyEntries`. Default true. (Entries written inside transactions, e.g. by collect,
   * are covered by `everyMs` and the next count.)
   */
  readonly watchVault?: boolean;
  /** Failures of automatic checkpoints (a sink down, a log that is not consistent). Default: ignored. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes checkpoints.
 *
 * @example
 * ```ts
 * const checkpoints: Checkpointer = createCheckpointer(options);
 * const now = await checkpoints.checkpoint(); // on demand, e.g. for a disclosure
 * ```
 */
export interface Checkpointer {
  readonly origin: string;
  /** The key to verify this log's checkpoints with. */
  readonly verifierKey: string;
  /** Sign the current tree head and publish it to every sink (waits for them). */
  checkpoint(): Promise<SignedCheckpoint>;
  /** The last checkpoint signed (or the trusted one), if any. */
  latest(): SignedCheckpoint | undefined;
  /** Tell the checkpointer that `count` entries were appended (the group-commit log does). */
  appended(count: number): void;
  /** Stop the timer and wait for a checkpoint in progress. */
  close(): Promise<void>;
}

/**
 * A checkpointer over `adapter`'s audit log (see the module docs).
 *
 * @throws InvalidArgumentError for malformed options
 * @throws CheckpointError for a malformed signer key or trusted checkpoint
 * @example
 * ```ts
 * const checkpoints = createCheckpointer({ adapter, origin, signer: signerKey, sinks: [httpCheckpointSink({ url })] });
 * const audit = createGroupCommitAuditLog({ adapter, checkpoints });
 * ```
 */
export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { adapter, origin, sinks = [], everyEntries = 1000, everyMs = 60_000, onError = () => undefined } = options;
  const signer = typeof options.signer === 'string' ? noteSigner(options.signer) : options.signer;
  if (typeof signer?.sign !== 'function') throw new InvalidArgumentError('options.signer', 'must be a NoteSigner or a signer key');
  if (!Array.isArray(sinks) || sinks.some((s) => typeof s !== 'function')) throw new InvalidArgumentError('options.sinks', 'must be an array of functions');
  if (!Number.isSafeInteger(everyEntries) || everyEntries < 0) throw new InvalidArgumentError('options.everyEntries', 'must be a non-negative integer');
  if (!Number.isSafeInteger(everyMs) || everyMs < 0) throw new InvalidArgumentError('options.everyMs', 'must be a non-negative integer');
  const proofs = createAuditProofs(adapter);
  let latest: SignedCheckpoint | undefined = options.trusted === undefined ? undefined : openCheckpoint(options.trusted, { verifierKey: signer.verifierKey, origin });
  let sinceLast = 0;
  let running: Promise<SignedCheckpoint> | undefined;
  let closed = false;

  async function write(): Promise<SignedCheckpoint> {
    const head = await proofs.head();
    // What the head covers must be durable before it is signed (adapters that commit lazily).
    await adapter.syncAudit?.();
    const previous = latest;
    if (previous !== undefined) {
      if (head.size < previous.size) throw new IntegrityError(`the audit log has ${head.size} entries, fewer than the ${previous.size} of the last checkpoint: refusing to sign`);
      if (head.size === previous.size && head.rootHash === previous.rootHash) return previous;
      if (previous.size > 0) {
        const proof = await proofs.consistency(previous.size, head.size);
        if (!verifyConsistency(previous.size, head.size, proof.path, previous.rootHash, head.rootHash)) {
          throw new IntegrityError(`the audit log is not consistent with the checkpoint of size ${previous.size}: refusing to sign`);
        }
      }
    }
    const signed = signCheckpoint({ origin, size: head.size, rootHash: head.rootHash, extensions: [] }, signer);
    latest = signed;
    sinceLast = 0;
    for (const sink of sinks) await sink(signed);
    return signed;
  }

  function checkpoint(): Promise<SignedCheckpoint> {
    // One at a time, in order: a checkpoint asked for while one is written follows it.
    const next = (running ?? Promise.resolve(undefined as unknown as SignedCheckpoint)).catch(() => undefined).then(write);
    running = next;
    void next
      .finally(() => {
        if (running === next) running = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  const automatic = (): void => {
    if (closed) return;
    checkpoint().catch(onError);
  };

  let unwatch: (() => void) | undefined;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          if (sinceLast > 0) automatic();
        }, everyMs)
      : undefined;
  timer?.unref();

  const self: Checkpointer = Object.freeze({
    origin,
    verifierKey: signer.verifierKey,
    checkpoint,
    latest: () => latest,
    appended(count: number) {
      sinceLast += count;
      if (everyEntries > 0 && sinceLast >= everyEntries) {
        sinceLast = 0;
        automatic();
      }
    },
    async close() {
      closed = true;
      unwatch?.();
      if (timer !== undefined) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  });
  if (options.watchVault !== false) unwatch = watchAppends(adapter, self);
  return self;
}
