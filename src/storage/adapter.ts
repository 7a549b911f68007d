/**
 * The storage adapter contract. Adapters store only ciphertext and metadata: encryption,
 * blind indexes and key handling happen above them, in the vault. One conformance suite
 * (`purpose-bound/testing`) checks every adapter against this contract.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import type { AuditQuery } from '../audit/audit-log.js';
import type { TreeNodeRef } from '../audit/merkle.js';

/**
 * The audit log's Merkle tree as its head row stores it: the tree size, the last entry's hash
 * (the next entry's `prevHash`), the compact range (roots of the perfect subtrees of the tree,
 * largest first, hex) and how many entries were written before the tree existed (schema 1).
 *
 * @example
 * ```ts
 * import type { AuditTreeHead } from 'purpose-bound';
 *
 * const head: AuditTreeHead | undefined = await adapter.transaction(async (tx) => tx.auditTreeHead?.(), { readOnly: true });
 * head?.size; // entries in the log
 * ```
 */
export interface AuditTreeHead {
  readonly size: number;
  /** `hash` of entry `size` (64 zeros for an empty log). */
  readonly lastHash: string;
  /** One hash per set bit of `size`, largest subtree first. */
  readonly frontier: readonly string[];
  /** Entries 1..legacySize were written by the hash chain of schema 1 and sealed into the tree on upgrade. */
  readonly legacySize: number;
}

/**
 * What an adapter can do, as documented flags (never `instanceof` checks).
 *
 * @example
 * ```ts
 * if (!adapter.capabilities.persistent) console.warn('data is lost when the process ends');
 * ```
 */
export interface AdapterCapabilities {
  /** Data outlives the process. memory: false. */
  readonly persistent: boolean;
  /** Several connections or processes may write at once (the adapter serialises what must be). */
  readonly concurrentWriters: boolean;
}

/**
 * A stored subject: its wrapped data key, and the tombstone once erased.
 *
 * @example
 * ```ts
 * import type { SubjectRow } from 'purpose-bound';
 *
 * const row: SubjectRow | undefined = await adapter.transaction((tx) => tx.getSubject('sub_9f2c'));
 * if (row?.erasedAt) {
 *   // Crypto-shredded: the data key is gone (wrappedKey === null), only the tombstone remains.
 * }
 * ```
 */
export interface SubjectRow {
  readonly id: string;
  /** Id of the key-encryption key (KEK) that wrapped `wrappedKey`. */
  readonly keyId: string;
  /** The subject's data key, wrapped by the KEK. `null` once erased (crypto-shredded). */
  readonly wrappedKey: Uint8Array | null;
  readonly createdAt: string;
  readonly erasedAt: string | null;
  /** Why / by which request it was erased. */
  readonly erasureRef: string | null;
  /** Incremented on every update; `updateSubject` checks it (optimistic concurrency). */
  readonly version: number;
  /**
   * The vault's value state of the subject: which version of each field's value is current,
   * authenticated with the subject's data key (replay detection, see docs/security.md). Opaque
   * text to the adapter: store it with the row (`insertSubject`, `updateSubject`) and return it
   * exactly. Absent, `undefined` or `null` all mean "none" (subjects written before 0.2); an
   * adapter that drops it makes every value written since unreadable (`IntegrityError`).
   */
  readonly valueState?: string | null;
}

/**
 * One stored value of a subject: ciphertext only, plus non-personal metadata.
 *
 * @example
 * ```ts
 * import type { ValueRow } from 'purpose-bound';
 *
 * // Which fields hold a value for this subject (no decryption: the vault does that).
 * const rows: ValueRow[] = await adapter.transaction((tx) => tx.getValues('sub_9f2c'));
 * const stored = rows.map((r) => r.field); // e.g. ['email', 'name']
 * ```
 */
export interface ValueRow {
  readonly subjectId: string;
  readonly field: string;
  /** AES-256-GCM output (version byte, IV, tag, ciphertext), bound to subject and field by AAD. */
  readonly ciphertext: Uint8Array;
  /** Hex HMAC blind index for `lookup` fields, else `null`. */
  readonly lookup: string | null;
  /** JSON of the value's provenance and metadata (never the value). */
  readonly meta: string;
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * An earlier value kept when a value is corrected or deleted (old value encrypted under the
 * subject's key, so erasing the subject shreds its history too).
 *
 * @example
 * ```ts
 * import type { HistoryRow } from 'purpose-bound';
 *
 * const history: HistoryRow[] = await adapter.transaction((tx) => tx.listHistory('sub_9f2c'));
 * const corrected = history.filter((h) => h.field === 'address').map((h) => h.changedAt);
 * ```
 */
export interface HistoryRow {
  readonly id: string;
  readonly subjectId: string;
  readonly field: string;
  /** The previous ciphertext, or `null` when there was none (an addition). */
  readonly ciphertext: Uint8Array | null;
  /** JSON: who, when, why, change kind, previous provenance. */
  readonly meta: string;
  readonly changedAt: string;
}

/**
 * A generic record: consents, suspensions, provision records, requests... `kind` says which;
 * `doc` is its JSON. Adapters index `(kind, id)` and `(kind, subjectId)`.
 *
 * @example
 * ```ts
 * import type { RecordRow } from 'purpose-bound';
 *
 * const consents: RecordRow[] = await adapter.transaction((tx) => tx.listRecords('consent', { subjectId: 'sub_9f2c' }));
 * const latest = consents.at(-1); // ordered by createdAt, then id
 * ```
 */
export interface RecordRow {
  readonly kind: string;
  readonly id: string;
  readonly subjectId: string | null;
  readonly createdAt: string;
  readonly doc: string;
}

/**
 * Options of `StorageTransaction.getSubject`.
 *
 * @example
 * ```ts
 * await adapter.transaction(async (tx) => {
 *   // Lock the row so a concurrent erasure waits until this transaction ends.
 *   const subject = await tx.getSubject('sub_9f2c', { forUpdate: true });
 *   // ...
 * });
 * ```
 */
export interface GetSubjectOptions {
  /** Lock the subject row until the transaction ends (SELECT … FOR UPDATE where the database has it). */
  readonly forUpdate?: boolean;
}

/**
 * A subject row with its value rows, as `StorageTransaction.getSubjectWithValues` returns them.
 *
 * @example
 * ```ts
 * import type { SubjectWithValues } from 'purpose-bound';
 *
 * const found: SubjectWithValues | undefined = await adapter.transaction(
 *   async (tx) => tx.getSubjectWithValues?.('sub_9f2c', ['email']),
 *   { readOnly: true },
 * );
 * const stored = found?.values.map((v) => v.field); // e.g. ['email']
 * ```
 */
export interface SubjectWithValues {
  readonly subject: SubjectRow;
  /** The subject's value rows (only `fields` when given), ordered by field. */
  readonly values: ValueRow[];
}

/**
 * What the guard needs to decide reads of a few subjects, asked of
 * `getSubjectStates` in ONE statement: the subjects, which of their values, which kinds of
 * their records (the vault asks for consents and suspensions).
 *
 * @example
 * ```ts
 * import type { SubjectStateQuery } from 'purpose-bound';
 *
 * const query: SubjectStateQuery = { subjects: ['sub_9f2c', 'sub_41aa'], fields: ['email'], recordKinds: ['consent', 'suspension'] };
 * ```
 */
export interface SubjectStateQuery {
  /** Subject ids; duplicates are answered once. */
  readonly subjects: readonly string[];
  /** The fields whose value rows to return; all of them when omitted. */
  readonly fields?: readonly string[];
  /** Record kinds to return for each subject (its rows of `pb_records` with `subjectId` = the subject). */
  readonly recordKinds: readonly string[];
}

/**
 * One subject as `getSubjectStates` returns it: the row (tombstone included), the asked values,
 * the asked records, all of the same moment.
 *
 * @example
 * ```ts
 * import type { SubjectState } from 'purpose-bound';
 *
 * function isErased(state: SubjectState): boolean {
 *   return state.subject.erasedAt !== null;
 * }
 * ```
 */
export interface SubjectState {
  readonly subject: SubjectRow;
  /** The asked value rows, ordered by field. */
  readonly values: ValueRow[];
  /** The asked records, ordered by kind, then createdAt, then id. */
  readonly records: RecordRow[];
}

/**
 * Options of `StorageAdapter.transaction`. Every option is a hint an adapter may ignore: an
 * adapter that ignores them is still correct.
 *
 * @example
 * ```ts
 * // A read: no write lock (SQLite), no BEGIN/COMMIT round trips (PostgreSQL, PGlite).
 * const row = await adapter.transaction((tx) => tx.getSubject('sub_9f2c'), { readOnly: true });
 * ```
 */
export interface TransactionOptions {
  /**
   * `fn` only reads. The built-in adapters then reject every write method and `forUpdate` with
   * a `StorageError` (as PostgreSQL rejects writes in a `READ ONLY` transaction), and run `fn`
   * without a write lock. Guaranteed: each statement sees the data committed when it starts,
   * what a default `READ COMMITTED` transaction gives plain reads anyway. PostgreSQL and PGlite
   * run the statements without BEGIN/COMMIT (no round trips); SQLite in a deferred transaction
   * (one snapshot for all of `fn`, never waiting for, or blocking, another connection's writer).
   * Read what must be consistent in ONE statement (e.g. `getSubjectWithValues`), or leave
   * `readOnly` unset to get one transaction (the memory adapter still serialises read-only
   * transactions with the others). Additive and optional: adapters written before it may
   * ignore it.
   */
  readonly readOnly?: boolean;
}

/**
 * Operations inside one transaction. Everything done through one `tx` commits together or not
 * at all.
 *
 * @example
 * ```ts
 * import type { StorageTransaction } from 'purpose-bound';
 *
 * // A record and its audit entry commit together, or neither does.
 * async function recordNoticeSent(tx: StorageTransaction, subject: string, noticeId: string): Promise<void> {
 *   const at = new Date().toISOString();
 *   await tx.putRecord({ kind: 'notice-sent', id: noticeId, subjectId: subject, createdAt: at, doc: JSON.stringify({ noticeId }) });
 *   await tx.appendAudit({ at, action: 'notice.sent', actor: 'mailer', subject, decision: 'record', reference: noticeId });
 * }
 * await adapter.transaction((tx) => recordNoticeSent(tx, 'sub_9f2c', 'notice_2026_04'));
 * ```
 */
export interface StorageTransaction {
  getSubject(id: string, options?: GetSubjectOptions): Promise<SubjectRow | undefined>;
  /** @throws StorageConflictError when the id exists */
  insertSubject(row: SubjectRow): Promise<void>;
  /** Replace a subject row if its stored version is `expectedVersion`. @throws StorageConflictError otherwise */
  updateSubject(row: SubjectRow, expectedVersion: number): Promise<void>;
  /** Subjects ordered by id, `after` exclusive. */
  listSubjects(options?: { readonly after?: string; readonly limit?: number }): Promise<SubjectRow[]>;

  getValues(subjectId: string, fields?: readonly string[]): Promise<ValueRow[]>;
  /**
   * Optional: the subject row and its values (`fields` only, when given) read in ONE statement,
   * so they are consistent with each other even without a transaction around them; `undefined`
   * when there is no such subject. The vault uses it where present (one round trip per read)
   * and falls back to `getSubject` + `getValues` otherwise.
   */
  getSubjectWithValues?(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined>;
  /**
   * Optional: for each subject of `query` that exists, its row, the asked values and the asked
   * records, read in ONE statement so that they are of the same moment; subjects that do not
   * exist are left out; the result follows the order of `query.subjects`. The vault decides
   * every read from it (erasure, suspensions, consents and the value in one round trip) and
   * falls back to `getSubject` + `getValues` + `listRecords` otherwise.
   */
  getSubjectStates?(query: SubjectStateQuery): Promise<SubjectState[]>;
  /** Insert or replace the value of (subjectId, field). */
  putValue(row: ValueRow): Promise<void>;
  /** Delete values (all of the subject's when `fields` is omitted); returns how many. */
  deleteValues(subjectId: string, fields?: readonly string[]): Promise<number>;
  /** Subject ids whose `field` has this blind-index digest. */
  findByLookup(field: string, digest: string): Promise<string[]>;

  appendHistory(row: HistoryRow): Promise<void>;
  /** History rows of a subject, oldest first: by `changedAt`, rows of equal `changedAt` in the order they were appended (never by id). */
  listHistory(subjectId: string): Promise<HistoryRow[]>;
  deleteHistory(subjectId: string): Promise<number>;

  /** Insert or replace the record (kind, id). */
  putRecord(row: RecordRow): Promise<void>;
  getRecord(kind: string, id: string): Promise<RecordRow | undefined>;
  /** Records of a kind (optionally of one subject), ordered by createdAt then id. */
  listRecords(kind: string, options?: { readonly subjectId?: string }): Promise<RecordRow[]>;
  deleteRecord(kind: string, id: string): Promise<boolean>;

  /**
   * Append to the audit chain: lock the head, build the entry with `chainAuditEntry(input, head)`,
   * insert it. Concurrent appends from any connection must produce one linear chain.
   */
  appendAudit(input: AuditEntryInput): Promise<AuditEntry>;
  /**
   * Optional: append several entries with ONE head update (the built-in adapters: one statement
   * on PostgreSQL/PGlite, one insert per table on SQLite). Same result as `appendAudit` for each
   * input in order. `writeBatch`'s fallback and the group-commit audit log use it where present.
   */
  appendAuditMany?(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]>;
  /** Entries in seq order, filtered. */
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Optional (built-in adapters since schema 2): the audit tree's head. Adapters that have it
   * extend the Merkle tree on every append (head frontier plus the completed subtree nodes),
   * which makes proofs O(log n) reads; without it proofs are recomputed from all entries.
   */
  auditTreeHead?(): Promise<AuditTreeHead>;
  /**
   * Optional, with `auditTreeHead`: the stored hashes (hex) of completed perfect subtrees of
   * level ≥ 1, in the order asked, `undefined` where none is stored.
   * @throws InvalidArgumentError naming `refs` (not an array) or `refs[i]` (not an object whose
   * `level` and `index` are safe integers), on every adapter: a malformed reference is an
   * error, never `undefined`.
   */
  getAuditNodes?(refs: readonly TreeNodeRef[]): Promise<(string | undefined)[]>;
  /**
   * Optional: the entries with the given `seq`s, in the order asked (duplicates allowed),
   * `undefined` where there is none, in one statement per few hundred. Audit proofs read the
   * leaves of many proofs with it (a disclosure's); without it they read runs with `listAudit`.
   * @throws InvalidArgumentError naming `seqs` (not an array) or `seqs[i]` (not a non-negative
   * safe integer).
   */
  getAuditEntries?(seqs: readonly number[]): Promise<(AuditEntry | undefined)[]>;
}

/**
 * One write of a {@link StorageAdapter.writeBatch}: the same rows the transaction methods of the
 * same names take.
 *
 * @example
 * ```ts
 * import type { StorageWrite } from 'purpose-bound';
 *
 * const writes: StorageWrite[] = [
 *   { op: 'putRecord', row: { kind: 'notice-sent', id: 'n1', subjectId: 'sub_9f2c', createdAt: new Date().toISOString(), doc: '{}' } },
 *   { op: 'appendAudit', entry: { at: new Date().toISOString(), action: 'notice.sent', actor: 'mailer', subject: 'sub_9f2c', decision: 'record' } },
 * ];
 * ```
 */
export type StorageWrite =
  | { readonly op: 'insertSubject'; readonly row: SubjectRow }
  | { readonly op: 'putValue'; readonly row: ValueRow }
  | { readonly op: 'appendHistory'; readonly row: HistoryRow }
  | { readonly op: 'putRecord'; readonly row: RecordRow }
  | { readonly op: 'appendAudit'; readonly entry: AuditEntryInput };

/**
 * A storage adapter. Adapters take the client the user created (a `PGlite`, a better-sqlite3
 * `Database`, a `pg.Pool`) or options to make one.
 *
 * @example
 * ```ts
 * import { memoryAdapter } from 'purpose-bound/adapters/memory';
 * const adapter: StorageAdapter = memoryAdapter();
 * await adapter.open();
 * await adapter.transaction(async (tx) => tx.getSubject('s1'));
 * ```
 */
export interface StorageAdapter {
  /** `memory`, `pglite`, `sqlite`, `postgres`, or your adapter's name. */
  readonly kind: string;
  /** Where the data is, for error messages; never holds a password. */
  readonly location: string;
  readonly capabilities: AdapterCapabilities;
  /** Connect and run pending migrations (idempotent). @throws StorageUnavailableError */
  open(): Promise<void>;
  /** Close connections the adapter opened (not a client the user passed in, unless asked). */
  close(): Promise<void>;
  /** The schema version in the database after `open()`. */
  schemaVersion(): Promise<number>;
  /**
   * Run `fn` in one transaction: commit when it resolves, roll back when it throws.
   * `options` are optional hints (see `TransactionOptions`); an adapter may ignore them.
   * @throws StorageUnavailableError when the database cannot be reached
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Optional: `StorageTransaction.getSubjectWithValues` on its own, without a transaction around
   * it: one consistent read (the subject row and its values of the same moment), never seeing
   * another transaction's uncommitted writes. The vault's reads use it where present (no
   * BEGIN/COMMIT, no transaction set-up) and fall back to a read-only transaction otherwise.
   */
  getSubjectWithValues?(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined>;
  /**
   * Optional: `StorageTransaction.getSubjectStates` on its own, without a transaction around
   * it: one statement, of one moment, never seeing another transaction's uncommitted writes.
   * Every guarded read of the vault goes through it where present (one statement for the value
   * and the whole state its decision needs), and through a read-only transaction otherwise.
   */
  getSubjectStates?(query: SubjectStateQuery): Promise<SubjectState[]>;
  /**
   * Optional: apply `writes` atomically, on their own (all or none), in the order given, with
   * the same rules as the transaction methods of the same names (`insertSubject` of an existing
   * id is a `StorageConflictError`; the audit entries extend the chain linearly under
   * concurrent appenders). Resolves to the appended audit entries, in order. The built-in
   * PostgreSQL and PGlite adapters send the whole batch as ONE statement (no BEGIN/COMMIT);
   * the vault writes a new subject and the guard appends audit entries through it where
   * present, and uses a transaction otherwise.
   */
  writeBatch?(writes: readonly StorageWrite[]): Promise<AuditEntry[]>;
  /**
   * Optional: make every audit entry committed so far durable, for adapters that commit audit
   * batches lazily (the built-in PostgreSQL adapter: a batch of audit entries alone commits
   * without waiting for the WAL flush, so the head lock is not held across an fsync, and
   * `writeBatch` then syncs before it resolves). A checkpoint signer calls it after reading the
   * tree head and before signing, so it never signs entries a crash could still take back.
   */
  syncAudit?(): Promise<void>;
  /**
   * Optional: make data deleted or overwritten by committed transactions unrecoverable from the
   * storage files while the database stays open: what a journal or free pages would still hold
   * (SQLite: deleted content is zeroed (`secure_delete`), and this checkpoints the write-ahead
   * log into the database file and truncates it). The vault calls it after an erasure whose
   * guarantee is `live-only` (the wrapped data key in the database is all that protected the
   * values). Adapters whose engine leaves no such copies (or cannot remove them) omit it.
   * @throws StorageConflictError when another connection blocks it now (SQLite: a reader holds the log); retry later
   */
  scrub?(): Promise<void>;
}

/**
 * Current schema version of the built-in adapters; `open()` migrates a database to it.
 *
 * @example
 * ```ts
 * import { SCHEMA_VERSION } from 'purpose-bound';
 *
 * await adapter.open();
 * if ((await adapter.schemaVersion()) !== SCHEMA_VERSION) throw new Error('database not migrated');
 * ```
 */
export const SCHEMA_VERSION = 3;
