/**
 * An audit log over a storage adapter with group commit: entries appended while a write is in
 * flight are written together, as ONE batch (one statement on PostgreSQL/PGlite, one
 * transaction on SQLite and memory), with one head lock, one tree update and one durable
 * commit for all of them. Each caller's promise resolves only after the batch holding its
 * entry has committed (so a read returns only after its entry is durable) and rejects when
 * that batch fails (fail closed). Alone, an append is written at once, without waiting.
 *
 * Batches are bounded: at most `maxBatch` entries (a single `appendMany` larger than that
 * goes alone, whole), and an append waits at most for the batch in flight plus its own
 * (`maxWaitMs` adds an optional pause to gather more; 0 by default, measured in the `audit`
 * bench; between two batches in a row the log yields one event-loop turn so that callers
 * released by the first can join the second). On the PostgreSQL server, whose audit-only
 * batches commit lazily, the next batch is written while the previous one's synchronous commit
 * (the fsync that makes it durable) is in flight: up to four such syncs overlap, and each
 * batch's callers are told only once their own sync has completed. Across processes the database's head-row lock is taken once per batch, not per entry.
 *
 * @module
 */
import { AuditWriteError, InvalidArgumentError } from '../errors.js';
import { writeAtomically } from '../storage/apply-writes.js';
import type { AuditTreeHead, StorageAdapter } from '../storage/adapter.js';
import { WRITE_AUDIT_BATCH_DEFERRED, type DeferredAuditWriter } from '../storage/deferred-audit.js';
import type { AuditDetail, AuditEntry, AuditEntryInput } from './audit-entry.js';
import type { AuditLog, AuditQuery } from './audit-log.js';
import type { Checkpointer } from './checkpointer.js';

/**
 * Options of {@link createGroupCommitAuditLog}.
 *
 * @example
 * ```ts
 * const options: GroupCommitOptions = { adapter, maxBatch: 256, maxWaitMs: 0 };
 * ```
 */
export interface GroupCommitOptions {
  readonly adapter: StorageAdapter;
  /** Most entries per batch. Default 256. */
  readonly maxBatch?: number;
  /** Wait this long (ms) before a batch that does not fill `maxBatch`, to gather more. Default 0. */
  readonly maxWaitMs?: number;
  /** Told about every committed batch (checkpoints every N entries). */
  readonly checkpoints?: Checkpointer;
}

/**
 * The group-commit audit log: an `AuditLog` with `appendMany`, `flush` and `close`.
 *
 * @example
 * ```ts
 * const audit: GroupCommitAuditLog = createGroupCommitAuditLog({ adapter });
 * const [a, b] = await audit.appendMany([inputA, inputB]); // one batch, consecutive seqs
 * ```
 */
export interface GroupCommitAuditLog extends AuditLog {
  append(input: AuditEntryInput): Promise<AuditEntry>;
  /** Append several entries in ONE batch (consecutive `seq`s, all or none). */
  appendMany(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]>;
  entries(query?: AuditQuery): Promise<readonly AuditEntry[]>;
  /** The tree head the database stores (for `verifyAuditLog`'s tree check), when the adapter has one. */
  treeHead(): Promise<AuditTreeHead | undefined>;
  /** Resolve when every entry appended so far is written (or has failed). */
  flush(): Promise<void>;
  /** Flush, then refuse further appends. */
  close(): Promise<void>;
}

/** Most lazily committed batches whose syncs may be in flight at once (PostgreSQL). */
const MAX_SYNCS_IN_FLIGHT = 4;

interface Pending {
  readonly inputs: readonly AuditEntryInput[];
  readonly resolve: (entries: AuditEntry[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Check one input before it joins a batch, so a malformed one fails alone, not its batch-mates. */
function checkInput(input: AuditEntryInput, argument: string): void {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError(argument, 'must be an audit entry input');
  for (const key of ['at', 'action', 'actor', 'decision'] as const) {
    const v = input[key];
    if (typeof v !== 'string' || v.length === 0) throw new InvalidArgumentError(`${argument}.${key}`, 'must be a non-empty string');
  }
  for (const key of ['subject', 'field', 'purpose', 'basis', 'reference', 'reason'] as const) {
    const v = input[key];
    if (v !== undefined && typeof v !== 'string') throw new InvalidArgumentError(`${argument}.${key}`, 'must be a string when given');
  }
  if (input.details !== undefined) {
    if (typeof input.details !== 'object' || input.details === null || Array.isArray(input.details))
      throw new InvalidArgumentError(`${argument}.details`, 'must be an object of ids, counts and flags');
    for (const [k, v] of Object.entries(input.details) as [string, AuditDetail][]) {
      const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
      if (!ok || k.length > 128) throw new InvalidArgumentError(`${argument}.details`, 'must map keys to strings, finite numbers, booleans or null');
    }
  }
}

/**
 * An audit log over `adapter` with group commit (see the module docs). The vault's guard uses
 * one per adapter.
 *
 * @throws InvalidArgumentError for malformed options
 * @example
 * ```ts
 * import { createGroupCommitAuditLog } from 'purpose-bound';
 *
 * const audit = createGroupCommitAuditLog({ adapter });
 * await Promise.all(inputs.map((i) => audit.append(i))); // written in a few batches, not one by one
 * ```
 */
export function createGroupCommitAuditLog(options: GroupCommitOptions): GroupCommitAuditLog {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { adapter, maxBatch = 256, maxWaitMs = 0, checkpoints } = options;
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.transaction !== 'function') throw new InvalidArgumentError('options.adapter', 'must be a StorageAdapter');
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new InvalidArgumentError('options.maxBatch', 'must be a positive integer');
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new InvalidArgumentError('options.maxWaitMs', 'must be a non-negative number');

  const queue: Pending[] = [];
  let queued = 0;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  /** Take the next batch from the queue: whole callers, at most maxBatch entries (one big caller alone). */
  function take(): Pending[] {
    const batch: Pending[] = [];
    let n = 0;
    while (queue.length > 0) {
      const next = queue[0] as Pending;
      if (n > 0 && n + next.inputs.length > maxBatch) break;
      queue.shift();
      batch.push(next);
      n += next.inputs.length;
      queued -= next.inputs.length;
      if (n >= maxBatch) break;
    }
    return batch;
  }

  /** PostgreSQL: batches committed lazily, each made durable by a sync the next batch need not wait for. */
  const deferred = typeof adapter.syncAudit === 'function' ? (adapter as { [WRITE_AUDIT_BATCH_DEFERRED]?: DeferredAuditWriter })[WRITE_AUDIT_BATCH_DEFERRED] : undefined;
  /** Syncs in flight (each settles its batch's callers; never rejects). */
  const syncing = new Set<Promise<void>>();

  function settle(batch: readonly Pending[], entries: readonly AuditEntry[]): void {
    let k = 0;
    for (const p of batch) {
      p.resolve(entries.slice(k, k + p.inputs.length));
      k += p.inputs.length;
    }
    checkpoints?.appended(entries.length);
  }

  async function writeBatch(batch: readonly Pending[]): Promise<void> {
    const writes = batch.flatMap((p) => p.inputs.map((entry) => ({ op: 'appendAudit' as const, entry })));
    let entries: AuditEntry[];
    let durable = true;
    try {
      if (deferred !== undefined) ({ entries, durable } = await deferred(writes));
      else entries = await writeAtomically(adapter, writes);
      if (entries.length !== writes.length) throw new Error('the adapter appended a different number of entries');
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    if (durable) {
      settle(batch, entries);
      return;
    }
    // Committed, not yet durable: its callers learn of it only once a sync that started after
    // the commit has completed, and fail (closed) if that sync fails. Meanwhile the next batch
    // is written: the head lock is never held across an fsync, and the fsyncs overlap.
    const sync = (adapter.syncAudit as () => Promise<void>)().then(
      () => settle(batch, entries),
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
    syncing.add(sync);
    void sync.finally(() => syncing.delete(sync));
    if (syncing.size >= MAX_SYNCS_IN_FLIGHT) await Promise.race(syncing);
  }

  /** Everything appended so far has settled: written and synced, or failed. */
  async function settled(): Promise<void> {
    while (inFlight !== undefined || syncing.size > 0) {
      if (inFlight !== undefined) await inFlight;
      await Promise.all(syncing);
    }
  }

  /** Write batches until the queue is empty; one batch in flight at a time. */
  async function drain(): Promise<void> {
    let first = true;
    // Before the first batch, one microtask: callers released together (by the batch just
    // committed, or by one event) reach append in consecutive microtasks, and this one runs
    // after all of them. Without it the first caller went alone and the rest followed in a
    // second batch (measured, 32 callers on SQLite: batches of 1 and 31 in turn, twice the
    // commits). An append alone is still written at once: a microtask is not a wait.
    await Promise.resolve();
    while (queue.length > 0) {
      if (maxWaitMs > 0 && queued < maxBatch) await new Promise((r) => setTimeout(r, maxWaitMs));
      // Between two batches, one turn of the event loop: the callers whose reads waited for
      // the connection behind the batch just committed (SQLite, PGlite: one connection) get
      // to append their entries, and join the next batch instead of following it one by one.
      // Measured (audit bench, 8 and 32 callers on SQLite): larger batches, more reads/s. A
      // lone append never waits: its batch is the first.
      else if (!first && queued < maxBatch) await new Promise((r) => setImmediate(r));
      first = false;
      await writeBatch(take());
    }
  }

  function kick(): void {
    if (inFlight !== undefined) return;
    inFlight = drain().finally(() => {
      inFlight = undefined;
      if (queue.length > 0) kick();
    });
  }

  function enqueue(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    if (closed) return Promise.reject(new AuditWriteError({ cause: new Error('the audit log is closed') }));
    return new Promise<AuditEntry[]>((resolve, reject) => {
      queue.push({ inputs, resolve, reject });
      queued += inputs.length;
      kick();
    });
  }

  return Object.freeze({
    async append(input: AuditEntryInput): Promise<AuditEntry> {
      checkInput(input, 'input');
      return (await enqueue([input]))[0] as AuditEntry;
    },
    async appendMany(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
      if (!Array.isArray(inputs)) throw new InvalidArgumentError('inputs', 'must be an array of audit entry inputs');
      for (const [i, input] of inputs.entries()) checkInput(input, `inputs[${i}]`);
      if (inputs.length === 0) return [];
      return enqueue([...inputs]);
    },
    entries: (query?: AuditQuery) => adapter.transaction((tx) => tx.listAudit(query), { readOnly: true }),
    treeHead: () => adapter.transaction(async (tx) => (typeof tx.auditTreeHead === 'function' ? tx.auditTreeHead() : undefined), { readOnly: true }),
    async flush() {
      await settled();
    },
    async close() {
      closed = true;
      await settled();
    },
  });
}

const perAdapter = new WeakMap<StorageAdapter, GroupCommitAuditLog>();
const watchers = new WeakMap<StorageAdapter, Set<Checkpointer>>();

/**
 * @internal let `checkpoints` count the entries the shared log of `adapter` (the vault's
 * guard) appends; returns the function that stops it.
 */
export function watchAppends(adapter: StorageAdapter, checkpoints: Checkpointer): () => void {
  let set = watchers.get(adapter);
  if (set === undefined) watchers.set(adapter, (set = new Set()));
  set.add(checkpoints);
  const s = set;
  return () => void s.delete(checkpoints);
}

/**
 * @internal the group-commit audit log of `adapter`, one per adapter object (so every guard of
 * a vault, and every vault on one adapter, shares its batches); checkpointers created on the
 * adapter are told about its batches.
 */
export function groupCommitAuditLogOf(adapter: StorageAdapter): GroupCommitAuditLog {
  let log = perAdapter.get(adapter);
  if (log === undefined) {
    const fanOut = {
      appended(count: number) {
        for (const c of watchers.get(adapter) ?? []) c.appended(count);
      },
    } as Checkpointer;
    log = createGroupCommitAuditLog({ adapter, checkpoints: fanOut });
    perAdapter.set(adapter, log);
  }
  return log;
}
