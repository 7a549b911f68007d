/**
 * Verify an audit log: every entry's hash and link, the Merkle tree over all of them, and the
 * tree against a signed checkpoint kept outside the database.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { CompactRange, EMPTY_TREE_ROOT } from './merkle.js';
import { checkEntries } from './verify-entries.js';
import type { AuditTreeHead } from '../storage/adapter.js';

/**
 * Why a log does not verify:
 * - `hash-mismatch`: an entry's content no longer matches its hash (edited);
 * - `prev-hash-mismatch`: an entry does not follow the one before it (deleted, inserted, moved);
 * - `sequence-gap`: a `seq` is missing or repeated;
 * - `checkpoint-mismatch`: the first `checkpoint.size` entries are not the ones the trusted
 *   checkpoint signed (any rewrite, deletion, insertion or reordering before it, even one that
 *   rebuilt every hash, or a tail cut and regrown to the same size);
 * - `truncated`: the log has fewer entries than the trusted checkpoint (entries removed);
 * - `tree-mismatch`: the tree the database stores (its head) is not the tree of its entries;
 * - `head-mismatch`: the last hash is not the `expectedHead` given (deprecated option).
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type AuditBreak } from 'purpose-bound';
 *
 * const explain: Partial<Record<AuditBreak, string>> = {
 *   'hash-mismatch': 'an entry was edited',
 *   'checkpoint-mismatch': 'the log was rewritten since the checkpoint',
 *   truncated: 'entries were removed from the end',
 * };
 * const result = await verifyAuditLog(audit, { checkpoint, verifierKey });
 * if (!result.valid) throw new Error(`audit log tampered with: ${explain[result.reason] ?? result.reason}`);
 * ```
 */
export type AuditBreak = 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap' | 'checkpoint-mismatch' | 'truncated' | 'tree-mismatch' | 'head-mismatch';

/**
 * Result of {@link verifyAuditLog}: `valid` with the entry count, the last hash and the tree
 * root (to sign as a checkpoint), or the first entry that does not verify and why.
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type AuditVerification } from 'purpose-bound';
 *
 * const result: AuditVerification = await verifyAuditLog(audit, { checkpoint, verifierKey });
 * if (result.valid) console.log(`${result.entries} entries, root ${result.rootHash}`);
 * else alert(`entry ${result.seq ?? result.index + 1}: ${result.reason}`);
 * ```
 */
export type AuditVerification =
  | {
      readonly valid: true;
      readonly entries: number;
      /** Hash of the last entry (64 zeros for an empty log). */
      readonly head: string;
      /** Root of the Merkle tree over all entries (hex). */
      readonly rootHash: string;
      /** Entries written by the schema-1 hash chain, sealed as the tree's first leaves. */
      readonly legacyEntries: number;
      /** The checkpoint the log was checked against, when one was given. */
      readonly checkpoint?: { readonly size: number; readonly rootHash: string };
    }
  | {
      readonly valid: false;
      /** Entries before the first one that does not verify. */
      readonly entries: number;
      /** Index (0-based) of the first entry that does not verify (the log's length for a break after the last). */
      readonly index: number;
      /** Its `seq` as stored. */
      readonly seq: number | undefined;
      readonly reason: AuditBreak;
    };

/**
 * Options of {@link verifyAuditLog}.
 *
 * @example
 * ```ts
 * import { verifyAuditLog, type VerifyAuditOptions } from 'purpose-bound';
 *
 * // A checkpoint published last month, from the file the log's writers cannot change:
 * const options: VerifyAuditOptions = { checkpoint: await readFile('/mnt/worm/audit.checkpoint', 'utf8'), verifierKey };
 * const result = await verifyAuditLog(audit, options); // still valid after any legitimate growth
 * ```
 */
export interface VerifyAuditOptions {
  /**
   * A checkpoint you trust: a signed note (then `verifierKey` is required and its signature is
   * checked), or a `Checkpoint` you have already opened with `openCheckpoint`. The first
   * `size` entries must be exactly the ones it signed; later entries are legitimate growth.
   */
  readonly checkpoint?: string | Checkpoint;
  /** The log's verifier key(s), to check a `checkpoint` note. */
  readonly verifierKey?: string | readonly string[];
  /** The log's origin (default: the signing key's name). */
  readonly origin?: string;
  /**
   * @deprecated since schema 2: use `checkpoint`. The head hash you recorded elsewhere; it is
   * compared with the CURRENT last hash, so it fails after every legitimate append.
   */
  readonly expectedHead?: string;
  /**
   * Worker threads that hash the leaves of a log of more than 32,768 entries while this thread
   * reads and links them (default: the available parallelism, at most 4; `0` hashes everything
   * on this thread; where threads cannot be started, everything is hashed on this thread). The
   * result is the same either way.
   */
  readonly threads?: number;
}

/** Entries hashed on the calling thread before worker threads start (starting one costs about as much as hashing this many). */
const HASH_ON_THIS_THREAD = 32_768;

function threadCount(threads: number | undefined): number {
  if (threads === undefined) return Math.min(4, availableParallelism());
  if (!Number.isSafeInteger(threads) || threads < 0 || threads > 64) throw new InvalidArgumentError('options.threads', 'must be an integer from 0 to 64');
  return threads;
}

const broken = (reason: AuditBreak, at: number): AuditVerification => ({ valid: false, entries: at, index: at, seq: undefined, reason });

/** An `AuditLog` that can also state the tree it stores (the adapters' logs can). */
interface TreeStatingLog extends AuditLog {
  treeHead?(): Promise<AuditTreeHead | undefined> | AuditTreeHead | undefined;
}

function trustedCheckpoint(options: VerifyAuditOptions): Checkpoint | undefined {
  const c = options.checkpoint;
  if (c === undefined) return undefined;
  if (typeof c === 'string') {
    if (options.verifierKey === undefined) throw new InvalidArgumentError('options.verifierKey', 'is required to check a checkpoint note');
    return openCheckpoint(c, { verifierKey: options.verifierKey, ...(options.origin !== undefined && { origin: options.origin }) });
  }
  if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.size) || c.size < 0 || typeof c.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.rootHash)) {
    throw new InvalidArgumentError('options.checkpoint', 'must be a signed checkpoint note or a Checkpoint from openCheckpoint');
  }
  return c;
}

/**
 * Check every entry of an audit log and report the first that does not verify: its hash (the
 * RFC 6962 leaf hash of its content and its predecessor's hash; for entries of a schema-1
 * chain, which form a prefix, the old hash), its link and `seq`, then the Merkle tree over all
 * entries, against `checkpoint` when given (its first `size` entries must be the signed ones:
 * truncation and any rewrite before it are detected, legitimate growth after it is not), and
 * against the tree the database stores when the log can state it.
 *
 * @param source - an `AuditLog` or the entries themselves, in `seq` order (an iterable, or an async iterable read as it comes)
 * @throws InvalidArgumentError when `source` is neither, or a checkpoint note comes without `verifierKey`
 * @throws CheckpointError when the checkpoint note is not validly signed by `verifierKey`
 * @example
 * ```ts
 * const result = await verifyAuditLog(audit, { checkpoint: savedNote, verifierKey });
 * if (!result.valid) console.error(`audit log broken at entry ${result.seq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(source: AuditLog | Iterable<AuditEntry> | AsyncIterable<AuditEntry>, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const checkpoint = trustedCheckpoint(options);
  const threads = threadCount(options.threads);
  let entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>;
  let stated: AuditTreeHead | undefined;
  if (source && typeof (source as AuditLog).entries === 'function' && typeof (source as AuditLog).append === 'function') {
    const log = source as TreeStatingLog;
    // The stored head first: entries appended meanwhile then only make the list longer.
    stated = typeof log.treeHead === 'function' ? await log.treeHead() : undefined;
    entries = await log.entries();
  } else if (typeof source === 'object' && source !== null && typeof (source as Iterable<AuditEntry>)[Symbol.iterator] === 'function') {
    entries = source as Iterable<AuditEntry>;
  } else if (typeof source === 'object' && source !== null && typeof (source as AsyncIterable<AuditEntry>)[Symbol.asyncIterator] === 'function') {
    entries = source as AsyncIterable<AuditEntry>; // e.g. entries parsed while a file is read: memory stays bounded
  } else {
    throw new InvalidArgumentError('source', 'must be an AuditLog or an (async) iterable of audit entries');
  }
  // The empty tree's root, for a checkpoint or stored head of size 0.
  if (checkpoint?.size === 0 && checkpoint.rootHash !== EMPTY_TREE_ROOT) return broken('checkpoint-mismatch', 0);
  const checked = await checkEntries(entries, {
    checkpoint: checkpoint !== undefined && checkpoint.size > 0 ? checkpoint : undefined,
    statedSize: stated?.size,
    threads,
    threadsAfter: HASH_ON_THIS_THREAD,
  });
  if (!checked.valid) return checked;
  const index = checked.entries;
  if (checkpoint !== undefined && index < checkpoint.size) return broken('truncated', index);
  if (stated !== undefined) {
    let expected: string;
    try {
      expected = CompactRange.from(stated.size, stated.frontier).rootHex();
    } catch {
      return broken('tree-mismatch', index);
    }
    const statedRoot = stated.size === 0 ? EMPTY_TREE_ROOT : checked.statedRoot;
    if (stated.size > index || statedRoot !== expected || (stated.size === index && stated.lastHash !== checked.head)) return broken('tree-mismatch', index);
  }
  const prevHash = checked.head;
  if (options.expectedHead !== undefined && options.expectedHead !== prevHash) return broken('head-mismatch', index);
  return {
    valid: true,
    entries: index,
    head: prevHash,
    rootHash: checked.rootHash,
    legacyEntries: checked.legacyEntries,
    ...(checkpoint !== undefined && { checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash } }),
  };
}
