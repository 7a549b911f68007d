/**
 * The in-memory storage adapter: for tests, prototypes and examples. It is a real
 * implementation of the contract, not a mock: transactions are all-or-nothing (an undo log rolls
 * back everything a failed transaction did) and serialised (one at a time, FIFO), subject
 * updates check versions, and the audit chain is linear. Data lives as long as the process.
 *
 * @module
 */
import type { AuditEntry, AuditEntryInput } from '../audit/audit-entry.js';
import { matchesAuditQuery, type AuditQuery } from '../audit/audit-log.js';
import type { TreeNodeRef } from '../audit/merkle.js';
import { EMPTY_TREE_HEAD, extendTree } from '../audit/tree-append.js';
import { InvalidArgumentError, StorageConflictError, StorageError, StorageUnavailableError } from '../errors.js';
import type {
  AuditTreeHead,
  GetSubjectOptions,
  HistoryRow,
  RecordRow,
  StorageAdapter,
  StorageTransaction,
  StorageWrite,
  SubjectRow,
  SubjectState,
  SubjectStateQuery,
  SubjectWithValues,
  TransactionOptions,
  ValueRow,
} from '../storage/adapter.js';
import { subjectStatesThrough } from '../storage/subject-states.js';
import { createTransactionScope, type TransactionScope } from '../storage/transaction-scope.js';
import { applyWrites } from '../storage/apply-writes.js';
import { SCHEMA_VERSION } from '../storage/adapter.js';
import { requireBytes, requireCount, requireString, requireText } from '../storage/contract-arguments.js';

/** The stored state; shared by every handle (`connect()`) of one store. */
interface Store {
  readonly subjects: Map<string, SubjectRow>;
  readonly values: Map<string, Map<string, ValueRow>>;
  /** `field \0 digest` → subject ids. */
  readonly lookups: Map<string, Set<string>>;
  readonly history: Map<string, HistoryRow[]>;
  readonly historyIds: Set<string>;
  readonly records: Map<string, Map<string, RecordRow>>;
  readonly audit: AuditEntry[];
  /** The audit tree: its head and the completed subtree nodes (`level/index` → hex). */
  auditHead: AuditTreeHead;
  readonly auditNodes: Map<string, string>;
  /** FIFO lock: the tail of the queue of transactions. */
  tail: Promise<void>;
  schemaVersion: number;
}

/**
 * A deep copy of a memory store's contents, e.g. to simulate a database backup. Opaque: pass
 * it to `memoryAdapter({ from })`.
 *
 * @example
 * ```ts
 * const backup: MemorySnapshot = adapter.snapshot();
 * const restored = memoryAdapter({ from: backup });
 * ```
 */
export interface MemorySnapshot {
  /** @internal */
  readonly store: Store;
}

/**
 * Options of {@link memoryAdapter}.
 *
 * @example
 * ```ts
 * const options: MemoryAdapterOptions = { name: 'tests' };
 * ```
 */
export interface MemoryAdapterOptions {
  /** A name shown in `location` and error messages. Default `default`. */
  readonly name?: string;
  /** Start from a copy of this snapshot (a "backup") instead of an empty store. */
  readonly from?: MemorySnapshot;
}

/**
 * The memory adapter: a `StorageAdapter` plus snapshot and second-connection helpers.
 *
 * @example
 * ```ts
 * const adapter: MemoryAdapter = memoryAdapter();
 * const second = adapter.connect(); // shares the store and its transaction queue
 * ```
 */
export interface MemoryAdapter extends StorageAdapter {
  /** A deep copy of everything stored (a "backup"). */
  snapshot(): MemorySnapshot;
  /**
   * A second handle on the same store, as a second connection to one database is: its
   * transactions queue with this one's. Open and close it independently.
   */
  connect(): MemoryAdapter;
  /**
   * Every stored string and byte string, concatenated: the "raw database contents" the
   * conformance suite searches for plaintext.
   */
  rawContents(): Uint8Array;
}

function bytes(v: Uint8Array): Uint8Array {
  return new Uint8Array(v);
}

function copyStore(s: Store): Store {
  const values = new Map<string, Map<string, ValueRow>>();
  for (const [k, m] of s.values) values.set(k, new Map([...m].map(([f, r]) => [f, { ...r, ciphertext: bytes(r.ciphertext) }])));
  const records = new Map<string, Map<string, RecordRow>>();
  for (const [k, m] of s.records) records.set(k, new Map(m));
  return {
    subjects: new Map([...s.subjects].map(([k, r]) => [k, { ...r, wrappedKey: r.wrappedKey && bytes(r.wrappedKey) }])),
    values,
    lookups: new Map([...s.lookups].map(([k, set]) => [k, new Set(set)])),
    history: new Map([...s.history].map(([k, list]) => [k, list.map((h) => ({ ...h, ciphertext: h.ciphertext && bytes(h.ciphertext) }))])),
    historyIds: new Set(s.historyIds),
    records,
    audit: [...s.audit],
    auditHead: s.auditHead,
    auditNodes: new Map(s.auditNodes),
    tail: Promise.resolve(),
    schemaVersion: s.schemaVersion,
  };
}

function emptyStore(): Store {
  return {
    subjects: new Map(),
    values: new Map(),
    lookups: new Map(),
    history: new Map(),
    historyIds: new Set(),
    records: new Map(),
    audit: [],
    auditHead: EMPTY_TREE_HEAD,
    auditNodes: new Map(),
    tail: Promise.resolve(),
    schemaVersion: 0,
  };
}

function fieldSet(fields: readonly string[] | undefined, argument: string): Set<string> | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) throw new InvalidArgumentError(argument, 'must be an array of field ids');
  return new Set(fields.map((f, i) => requireString(f, `${argument}[${i}]`)));
}

function subjectOut(r: SubjectRow): SubjectRow {
  return { ...r, wrappedKey: r.wrappedKey && bytes(r.wrappedKey) };
}
function valueOut(r: ValueRow): ValueRow {
  return { ...r, ciphertext: bytes(r.ciphertext) };
}
function historyOut(r: HistoryRow): HistoryRow {
  return { ...r, ciphertext: r.ciphertext && bytes(r.ciphertext) };
}
function byCreatedThenId(a: RecordRow, b: RecordRow): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
function lookupKey(field: string, digest: string): string {
  return `${field}\0${digest}`;
}

/** One transaction: mutations apply at once and push their inverse onto the undo log. */
class MemoryTransaction implements StorageTransaction {
  ended = false;
  readonly undo: (() => void)[] = [];
  readonly #s: Store;
  readonly #location: string;
  readonly #readOnly: boolean;

  constructor(store: Store, location: string, readOnly: boolean) {
    this.#s = store;
    this.#location = location;
    this.#readOnly = readOnly;
  }

  #check(op: string): void {
    if (this.ended) throw new StorageError('memory', this.#location, op, undefined, 'the transaction has already ended; use the adapter to start a new one');
  }

  /** Writes (and `forUpdate`) are refused in a read-only transaction, as the SQL adapters do. */
  #checkWrite(op: string): void {
    this.#check(op);
    if (this.#readOnly) throw new StorageError('memory', this.#location, op, undefined, 'a write in a read-only transaction; run it in a transaction without { readOnly: true }');
  }

  async getSubject(id: string, options?: GetSubjectOptions): Promise<SubjectRow | undefined> {
    if (options?.forUpdate) this.#checkWrite('getSubject');
    this.#check('getSubject');
    const r = this.#s.subjects.get(requireString(id, 'id'));
    return r && subjectOut(r);
  }

  async insertSubject(row: SubjectRow): Promise<void> {
    this.#checkWrite('insertSubject');
    const id = requireString(row?.id, 'row.id');
    if (this.#s.subjects.has(id)) throw new StorageConflictError(`subject "${id}" (it already exists)`);
    const stored = this.#subjectRow(row);
    this.#s.subjects.set(id, stored);
    this.undo.push(() => this.#s.subjects.delete(id));
  }

  async updateSubject(row: SubjectRow, expectedVersion: number): Promise<void> {
    this.#checkWrite('updateSubject');
    const id = requireString(row?.id, 'row.id');
    requireCount(expectedVersion, 'expectedVersion');
    const old = this.#s.subjects.get(id);
    if (old === undefined || old.version !== expectedVersion) throw new StorageConflictError(`subject "${id}" (not found at version ${expectedVersion})`);
    this.#s.subjects.set(id, this.#subjectRow(row));
    this.undo.push(() => this.#s.subjects.set(id, old));
  }

  #subjectRow(row: SubjectRow): SubjectRow {
    return Object.freeze({
      id: row.id,
      keyId: requireString(row.keyId, 'row.keyId'),
      wrappedKey: row.wrappedKey === null ? null : bytes(requireBytes(row.wrappedKey, 'row.wrappedKey')),
      createdAt: requireString(row.createdAt, 'row.createdAt'),
      erasedAt: row.erasedAt ?? null,
      erasureRef: row.erasureRef ?? null,
      version: requireCount(row.version, 'row.version'),
      ...(row.valueState !== undefined && row.valueState !== null && { valueState: requireText(row.valueState, 'row.valueState') }),
    });
  }

  async listSubjects(options?: { readonly after?: string; readonly limit?: number }): Promise<SubjectRow[]> {
    this.#check('listSubjects');
    const limit = options?.limit === undefined ? Number.MAX_SAFE_INTEGER : requireCount(options.limit, 'options.limit');
    const after = options?.after === undefined ? undefined : requireString(options.after, 'options.after');
    const ids = [...this.#s.subjects.keys()].filter((id) => after === undefined || id > after).sort();
    return ids.slice(0, limit).map((id) => subjectOut(this.#s.subjects.get(id) as SubjectRow));
  }

  async getValues(subjectId: string, fields?: readonly string[]): Promise<ValueRow[]> {
    this.#check('getValues');
    const wanted = fieldSet(fields, 'fields');
    const m = this.#s.values.get(requireString(subjectId, 'subjectId'));
    if (!m) return [];
    return [...m.values()]
      .filter((r) => wanted === undefined || wanted.has(r.field))
      .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
      .map(valueOut);
  }

  async getSubjectWithValues(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
    const subject = await this.getSubject(id);
    if (subject === undefined) return undefined;
    return { subject, values: await this.getValues(id, fields) };
  }

  getSubjectStates(query: SubjectStateQuery): Promise<SubjectState[]> {
    return subjectStatesThrough(this, query);
  }

  async putValue(row: ValueRow): Promise<void> {
    this.#checkWrite('putValue');
    const subjectId = requireString(row?.subjectId, 'row.subjectId');
    const field = requireString(row.field, 'row.field');
    const stored: ValueRow = Object.freeze({
      subjectId,
      field,
      ciphertext: bytes(requireBytes(row.ciphertext, 'row.ciphertext')),
      lookup: row.lookup === null || row.lookup === undefined ? null : requireString(row.lookup, 'row.lookup'),
      meta: requireText(row.meta, 'row.meta'),
      updatedAt: requireString(row.updatedAt, 'row.updatedAt'),
      version: requireCount(row.version, 'row.version'),
    });
    let m = this.#s.values.get(subjectId);
    if (!m) {
      m = new Map();
      this.#s.values.set(subjectId, m);
    }
    const old = m.get(field);
    if (old) this.#unindex(old);
    m.set(field, stored);
    this.#index(stored);
    const map = m;
    this.undo.push(() => {
      this.#unindex(stored);
      if (old) {
        map.set(field, old);
        this.#index(old);
      } else map.delete(field);
    });
  }

  #index(r: ValueRow): void {
    if (r.lookup === null) return;
    const k = lookupKey(r.field, r.lookup);
    let set = this.#s.lookups.get(k);
    if (!set) {
      set = new Set();
      this.#s.lookups.set(k, set);
    }
    set.add(r.subjectId);
  }

  #unindex(r: ValueRow): void {
    if (r.lookup === null) return;
    const k = lookupKey(r.field, r.lookup);
    const set = this.#s.lookups.get(k);
    set?.delete(r.subjectId);
    if (set?.size === 0) this.#s.lookups.delete(k);
  }

  async deleteValues(subjectId: string, fields?: readonly string[]): Promise<number> {
    this.#checkWrite('deleteValues');
    const wanted = fieldSet(fields, 'fields');
    const m = this.#s.values.get(requireString(subjectId, 'subjectId'));
    if (!m) return 0;
    const removed: ValueRow[] = [];
    for (const r of [...m.values()]) {
      if (wanted !== undefined && !wanted.has(r.field)) continue;
      m.delete(r.field);
      this.#unindex(r);
      removed.push(r);
    }
    this.undo.push(() => {
      for (const r of removed) {
        m.set(r.field, r);
        this.#index(r);
      }
    });
    return removed.length;
  }

  async findByLookup(field: string, digest: string): Promise<string[]> {
    this.#check('findByLookup');
    return [...(this.#s.lookups.get(lookupKey(requireString(field, 'field'), requireString(digest, 'digest'))) ?? [])].sort();
  }

  async appendHistory(row: HistoryRow): Promise<void> {
    this.#checkWrite('appendHistory');
    const id = requireString(row?.id, 'row.id');
    if (this.#s.historyIds.has(id)) throw new StorageConflictError(`history row "${id}" (it already exists)`);
    const stored: HistoryRow = Object.freeze({
      id,
      subjectId: requireString(row.subjectId, 'row.subjectId'),
      field: requireString(row.field, 'row.field'),
      ciphertext: row.ciphertext === null ? null : bytes(requireBytes(row.ciphertext, 'row.ciphertext')),
      meta: requireText(row.meta, 'row.meta'),
      changedAt: requireString(row.changedAt, 'row.changedAt'),
    });
    let list = this.#s.history.get(stored.subjectId);
    if (!list) {
      list = [];
      this.#s.history.set(stored.subjectId, list);
    }
    list.push(stored);
    this.#s.historyIds.add(id);
    const l = list;
    this.undo.push(() => {
      l.splice(l.indexOf(stored), 1);
      this.#s.historyIds.delete(id);
    });
  }

  async listHistory(subjectId: string): Promise<HistoryRow[]> {
    this.#check('listHistory');
    // Oldest first by changedAt; Array.prototype.sort is stable, so equal times keep append order.
    return (this.#s.history.get(requireString(subjectId, 'subjectId')) ?? []).map(historyOut).sort((a, b) => (a.changedAt < b.changedAt ? -1 : a.changedAt > b.changedAt ? 1 : 0));
  }

  async deleteHistory(subjectId: string): Promise<number> {
    this.#checkWrite('deleteHistory');
    const id = requireString(subjectId, 'subjectId');
    const list = this.#s.history.get(id);
    if (!list || list.length === 0) return 0;
    this.#s.history.delete(id);
    for (const h of list) this.#s.historyIds.delete(h.id);
    this.undo.push(() => {
      this.#s.history.set(id, list);
      for (const h of list) this.#s.historyIds.add(h.id);
    });
    return list.length;
  }

  async putRecord(row: RecordRow): Promise<void> {
    this.#checkWrite('putRecord');
    const kind = requireString(row?.kind, 'row.kind');
    const id = requireString(row.id, 'row.id');
    const stored: RecordRow = Object.freeze({
      kind,
      id,
      subjectId: row.subjectId === null || row.subjectId === undefined ? null : requireString(row.subjectId, 'row.subjectId'),
      createdAt: requireString(row.createdAt, 'row.createdAt'),
      doc: requireText(row.doc, 'row.doc'),
    });
    let m = this.#s.records.get(kind);
    if (!m) {
      m = new Map();
      this.#s.records.set(kind, m);
    }
    const old = m.get(id);
    m.set(id, stored);
    const map = m;
    this.undo.push(() => (old ? map.set(id, old) : map.delete(id)));
  }

  async getRecord(kind: string, id: string): Promise<RecordRow | undefined> {
    this.#check('getRecord');
    const k = requireString(kind, 'kind');
    const key = requireString(id, 'id'); // checked even when the kind has no records yet
    return this.#s.records.get(k)?.get(key);
  }

  async listRecords(kind: string, options?: { readonly subjectId?: string }): Promise<RecordRow[]> {
    this.#check('listRecords');
    const subjectId = options?.subjectId === undefined ? undefined : requireString(options.subjectId, 'options.subjectId');
    const m = this.#s.records.get(requireString(kind, 'kind'));
    if (!m) return [];
    return [...m.values()].filter((r) => subjectId === undefined || r.subjectId === subjectId).sort(byCreatedThenId);
  }

  async deleteRecord(kind: string, id: string): Promise<boolean> {
    this.#checkWrite('deleteRecord');
    const k = requireString(kind, 'kind');
    const key = requireString(id, 'id');
    const m = this.#s.records.get(k);
    const old = m?.get(key);
    if (!m || !old) return false;
    m.delete(key);
    this.undo.push(() => m.set(id, old));
    return true;
  }

  async appendAudit(input: AuditEntryInput): Promise<AuditEntry> {
    if (typeof input !== 'object' || input === null) {
      this.#checkWrite('appendAudit');
      throw new InvalidArgumentError('input', 'must be an audit entry input');
    }
    return (await this.appendAuditMany([input]))[0] as AuditEntry;
  }

  async appendAuditMany(inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    this.#checkWrite('appendAuditMany');
    if (!Array.isArray(inputs)) throw new InvalidArgumentError('inputs', 'must be an array of audit entry inputs');
    inputs.forEach((input, i) => {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError(`inputs[${i}]`, 'must be an audit entry input');
    });
    const before = this.#s.auditHead;
    const { entries, nodes, head } = extendTree(before, inputs);
    this.#s.audit.push(...entries);
    for (const n of nodes) this.#s.auditNodes.set(`${n.level}/${n.index}`, n.hash);
    this.#s.auditHead = head;
    this.undo.push(() => {
      this.#s.audit.length -= entries.length;
      for (const n of nodes) this.#s.auditNodes.delete(`${n.level}/${n.index}`);
      this.#s.auditHead = before;
    });
    return entries;
  }

  async auditTreeHead(): Promise<AuditTreeHead> {
    this.#check('auditTreeHead');
    return this.#s.auditHead;
  }

  async getAuditNodes(refs: readonly TreeNodeRef[]): Promise<(string | undefined)[]> {
    this.#check('getAuditNodes');
    if (!Array.isArray(refs)) throw new InvalidArgumentError('refs', 'must be an array of tree node references');
    return refs.map((r, i) => {
      if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.level) || !Number.isSafeInteger(r.index))
        throw new InvalidArgumentError(`refs[${i}]`, 'must be { level, index } integers');
      return this.#s.auditNodes.get(`${r.level}/${r.index}`);
    });
  }

  async getAuditEntries(seqs: readonly number[]): Promise<(AuditEntry | undefined)[]> {
    this.#check('getAuditEntries');
    if (!Array.isArray(seqs)) throw new InvalidArgumentError('seqs', 'must be an array of entry numbers');
    return seqs.map((s, i) => {
      requireCount(s, `seqs[${i}]`);
      const e = this.#s.audit[s - 1];
      return e?.seq === s ? e : this.#s.audit.find((x) => x.seq === s);
    });
  }

  async listAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    this.#check('listAudit');
    const out: AuditEntry[] = [];
    if (query?.limit !== undefined && requireCount(query.limit, 'query.limit') === 0) return out;
    for (const e of this.#s.audit) {
      if (query && !matchesAuditQuery(e, query)) continue;
      out.push(e);
      if (query?.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }
}

/**
 * Transaction callbacks on each store: a transaction started inside one would wait for itself
 * (see transaction-scope.ts). Kept beside the store, so every connection to it shares it.
 */
const scopes = new WeakMap<Store, TransactionScope>();
const nestedMessage = 'a transaction was started inside another one (or waited 10 s for the store while one ran); use the tx you were given';

function scopeOf(store: Store): TransactionScope {
  let scope = scopes.get(store);
  if (scope === undefined) {
    scope = createTransactionScope();
    scopes.set(store, scope);
  }
  return scope;
}

function makeAdapter(store: Store, name: string): MemoryAdapter {
  const location = `memory:${name}`;
  let open = false;
  const unavailable = (): StorageUnavailableError => new StorageUnavailableError('memory', location);

  const adapter: MemoryAdapter = {
    kind: 'memory',
    location,
    capabilities: Object.freeze({ persistent: false, concurrentWriters: false }),
    async open() {
      // The "migration" of an in-memory store: stamp the schema version once.
      if (store.schemaVersion === 0) store.schemaVersion = SCHEMA_VERSION;
      open = true;
    },
    async close() {
      open = false;
    },
    async schemaVersion() {
      if (!open) throw unavailable();
      return store.schemaVersion;
    },
    transaction<T>(fn: (tx: StorageTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (!open) return Promise.reject(unavailable());
      if (typeof fn !== 'function') return Promise.reject(new InvalidArgumentError('fn', 'must be a function'));
      if (options !== undefined && (typeof options !== 'object' || options === null)) return Promise.reject(new InvalidArgumentError('options', 'must be an object'));
      const readOnly = options?.readOnly ?? false;
      if (typeof readOnly !== 'boolean') return Promise.reject(new InvalidArgumentError('options.readOnly', 'must be a boolean'));
      const scope = scopeOf(store);
      if (scope.isInside()) {
        return Promise.reject(new StorageError('memory', location, 'run a transaction', undefined, nestedMessage));
      }
      // Read-only transactions queue too: another transaction's writes apply at once (undone
      // on rollback), so reading outside the queue could see uncommitted data.
      let tx: MemoryTransaction | undefined;
      const body = async (): Promise<T> => {
        const current = tx as MemoryTransaction;
        try {
          const result = await fn(current);
          current.ended = true;
          return result;
        } catch (error) {
          current.ended = true;
          for (let i = current.undo.length - 1; i >= 0; i--) (current.undo[i] as () => void)();
          throw error;
        }
      };
      const queue = (start: () => Promise<T>): Promise<T> => {
        const result = store.tail.then(() => {
          if (!open) throw unavailable();
          tx = new MemoryTransaction(store, location, readOnly);
          return start();
        });
        store.tail = result.then(
          () => undefined,
          () => undefined,
        );
        return result;
      };
      return scope.enter(queue, body, () => new StorageError('memory', location, 'run a transaction', undefined, nestedMessage));
    },
    getSubjectWithValues(id: string, fields?: readonly string[]): Promise<SubjectWithValues | undefined> {
      return adapter.transaction(async (tx) => (await tx.getSubjectWithValues?.(id, fields)) as SubjectWithValues | undefined, { readOnly: true });
    },
    getSubjectStates(query: SubjectStateQuery): Promise<SubjectState[]> {
      return adapter.transaction((tx) => subjectStatesThrough(tx, query), { readOnly: true });
    },
    writeBatch(writes: readonly StorageWrite[]): Promise<AuditEntry[]> {
      return adapter.transaction((tx) => applyWrites(tx, writes));
    },
    snapshot() {
      return Object.freeze({ store: copyStore(store) });
    },
    connect() {
      return makeAdapter(store, name);
    },
    rawContents() {
      const parts: Uint8Array[] = [];
      const text = (s: string | null): void => {
        if (s !== null) parts.push(Buffer.from(s, 'utf8'));
      };
      for (const r of store.subjects.values()) {
        text(r.id);
        text(r.keyId);
        if (r.wrappedKey) parts.push(r.wrappedKey);
        text(r.erasureRef);
        text(r.valueState ?? null);
      }
      for (const m of store.values.values())
        for (const r of m.values()) {
          text(r.field);
          parts.push(r.ciphertext);
          text(r.lookup);
          text(r.meta);
        }
      for (const list of store.history.values())
        for (const h of list) {
          text(h.field);
          if (h.ciphertext) parts.push(h.ciphertext);
          text(h.meta);
        }
      for (const m of store.records.values()) for (const r of m.values()) text(r.doc);
      for (const e of store.audit) text(JSON.stringify(e));
      return Buffer.concat(parts);
    },
  };
  return Object.freeze(adapter);
}

/**
 * Create an in-memory storage adapter. Not persistent: use it for tests, prototypes and
 * examples; use PGlite, SQLite or PostgreSQL for data that must survive a restart.
 *
 * @param options - a name for messages, or a snapshot to start from
 * @throws InvalidArgumentError when `options.from` is not a snapshot of a memory adapter
 * @example
 * ```ts
 * import { createVault, createLocalKeyring, generateKey } from 'purpose-bound';
 * import { memoryAdapter } from 'purpose-bound/adapters/memory';
 * const vault = await createVault({
 *   policy,
 *   adapter: memoryAdapter(),
 *   keyring: createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' }),
 * });
 * ```
 */
export function memoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const name = options.name ?? 'default';
  if (typeof name !== 'string' || !/^[\w.:-]{1,64}$/.test(name)) throw new InvalidArgumentError('options.name', 'must be 1-64 letters, digits, _, ., : or -');
  let store: Store;
  if (options.from !== undefined) {
    const s = (options.from as { store?: unknown } | null)?.store;
    if (typeof s !== 'object' || s === null || !((s as Store).subjects instanceof Map))
      throw new InvalidArgumentError('options.from', 'must be a snapshot made by memoryAdapter().snapshot()');
    store = copyStore(s as Store);
  } else store = emptyStore();
  return makeAdapter(store, name);
}
