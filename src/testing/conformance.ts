/**
 * The storage adapter conformance suite: the tests every `StorageAdapter` must pass, published
 * so that the author of a new adapter (MySQL, DynamoDB, ...) runs exactly what the built-in
 * adapters run.
 *
 * ## How to use it
 *
 * ```ts
 * // test/my-adapter.test.ts (vitest)
 * import { runAdapterConformance } from 'purpose-bound/testing';
 * import { myAdapter } from '../src/my-adapter.js';
 *
 * runAdapterConformance({
 *   name: 'my-adapter',
 *   // A new, not yet opened adapter. The suite opens and closes it. Several adapters may share
 *   // one database: the suite uses fresh random ids and never assumes an empty database.
 *   createAdapter: async () => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Everything the database holds, as raw bytes or text (the file, a dump of every table):
 *   // the suite searches it for every plaintext value it wrote.
 *   rawDump: async (adapter) => dumpEverything(),
 *   // Optional: a second connection to the same database as `adapter`.
 *   concurrent: async (adapter) => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Optional: a new adapter over the data of `adapter`, which the suite has closed.
 *   reopen: async (adapter) => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Parts the adapter cannot support, each with the reason (printed in the test name).
 *   skip: { concurrency: 'the store has a single writer by design' },
 * });
 * ```
 *
 * `vitest` is a development dependency of your project: the suite imports `describe`, `it` and
 * `expect` from it (and the package build keeps `vitest` external). `zod` must be installed
 * (it is a peer dependency of purpose-bound anyway).
 *
 * Give the suite a database (or schema) of its own: key rotation re-wraps the data keys of every
 * subject in the database, so the subjects of other test suites (wrapped by keys the suite does
 * not hold) would make it fail. Data left by earlier runs of the suite is fine: the suite's
 * test keys are fixed.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import { createLocalKeyring } from '../crypto/local-keyring.js';
import type { StorageAdapter, StorageTransaction, StorageWrite, SubjectRow, ValueRow } from '../storage/adapter.js';
import { createVault } from '../vault/create-vault.js';
import type { Vault } from '../vault/types.js';
import { conformancePolicy } from './conformance-policy.js';

/**
 * The named parts of the suite; each can be skipped with a reason.
 *
 * @example
 * ```ts
 * CONFORMANCE_PARTS.includes('tamper'); // true
 * ```
 */
export const CONFORMANCE_PARTS = [
  'lifecycle',
  'migrations',
  'subjects',
  'values',
  'history',
  'records',
  'field-types',
  'atomicity',
  'concurrency',
  'consents',
  'suspensions',
  'audit',
  'lookups',
  'erasure',
  'key-rotation',
  'tamper',
  'plaintext',
  'fast-paths',
] as const;

/**
 * One named part of the conformance suite.
 *
 * @example
 * ```ts
 * const part: ConformancePart = 'concurrency';
 * ```
 */
export type ConformancePart = (typeof CONFORMANCE_PARTS)[number];

/**
 * Options of {@link runAdapterConformance}.
 *
 * @example
 * ```ts
 * const options: AdapterConformanceOptions = {
 *   name: 'memory',
 *   createAdapter: async () => memoryAdapter(),
 *   rawDump: async (adapter) => (adapter as MemoryAdapter).rawContents(),
 * };
 * ```
 */
export interface AdapterConformanceOptions {
  /** Shown in the test names, e.g. `sqlite`. */
  readonly name: string;
  /** A new adapter, not yet opened. Adapters may share one database (see the module docs). */
  readonly createAdapter: () => Promise<StorageAdapter>;
  /** The raw contents of the database behind `adapter` (file bytes, a dump of every table). */
  readonly rawDump: (adapter: StorageAdapter) => Promise<string | Uint8Array>;
  /** A second connection to the database of `adapter`, when the adapter supports several. */
  readonly concurrent?: (adapter: StorageAdapter) => Promise<StorageAdapter>;
  /** A new adapter over the data of `adapter` after the suite closed it (persistence). */
  readonly reopen?: (adapter: StorageAdapter) => Promise<StorageAdapter>;
  /** Parts not to run, each with the reason, which is printed in the test name. */
  readonly skip?: Readonly<Partial<Record<ConformancePart, string>>>;
}

type Pol = typeof conformancePolicy;

/** Fixed test keys: the suite's data stays readable across runs on a persistent database. */
const KEK_1 = createHash('sha256').update('purpose-bound conformance kek-1').digest();
const KEK_2 = createHash('sha256').update('purpose-bound conformance kek-2').digest();
const INDEX_KEY = createHash('sha256').update('purpose-bound conformance index key').digest();

/** The keyring of every part but key rotation: both KEKs, `kek-1` current. */
function suiteKeyring(): Keyring {
  return createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-1', indexKey: INDEX_KEY });
}

function uid(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A set of distinctive values of every type, so a plaintext copy can be found in a dump. */
function distinctiveValues() {
  const tag = randomBytes(5).toString('hex');
  const digits = String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000));
  return {
    text: `Zebra ${tag} 山田花子 🦊 Ünïcødé`,
    email: `pb.${tag}@example.jp`,
    birthDate: `19${30 + Math.floor(Math.random() * 60)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
    when: new Date(Date.UTC(1971, 0, 1) + Math.floor(Math.random() * 1e12)),
    count: Number(digits) + 0.5,
    flag: true,
    profile: { city: `Sapporo-${tag}`, street: `北${tag}条西`, floor: 7 },
    tags: [`alpha-${tag}`, `ベータ-${tag}`],
    notes: { [`k-${tag}`]: `note-${tag}` },
  };
}

type Values = ReturnType<typeof distinctiveValues>;

/** The strings a dump must not contain for a set of values. */
function searchTerms(v: Values): string[] {
  return [
    v.text,
    '山田花子',
    v.email,
    v.birthDate,
    v.when.toISOString(),
    String(v.count),
    v.profile.city,
    v.profile.street,
    ...v.tags,
    ...Object.keys(v.notes),
    ...Object.values(v.notes),
  ];
}

/** Close, ignoring errors: cleanup must not hide the failure being reported. */
async function quietClose(adapter: StorageAdapter | undefined): Promise<void> {
  try {
    await adapter?.close();
  } catch {
    // already closed or unreachable: nothing to clean up
  }
}

/** An adapter whose `putValue` throws on the `failAt`-th call (1-based), to fail a write mid-way. */
function failingPutValue(adapter: StorageAdapter, failAt: number): StorageAdapter {
  let calls = 0;
  const wrapTx = (tx: StorageTransaction): StorageTransaction =>
    new Proxy(tx, {
      get(target, prop) {
        const v: unknown = Reflect.get(target, prop);
        if (prop === 'putValue') {
          return async (row: ValueRow) => {
            calls++;
            if (calls === failAt) throw new Error('injected failure in putValue');
            return target.putValue(row);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  return {
    kind: adapter.kind,
    location: adapter.location,
    capabilities: adapter.capabilities,
    open: () => adapter.open(),
    close: () => adapter.close(),
    schemaVersion: () => adapter.schemaVersion(),
    transaction: (fn, options) => adapter.transaction((tx) => fn(wrapTx(tx)), options),
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

function toBuffer(dump: string | Uint8Array): Buffer {
  return typeof dump === 'string' ? Buffer.from(dump, 'utf8') : Buffer.from(dump.buffer, dump.byteOffset, dump.byteLength);
}

/**
 * Register the conformance suite for one adapter with vitest (`describe` / `it`). Call it at the
 * top level of a test file. Each part is a `describe` block named after it; a part listed in
 * `skip` is reported as skipped with its reason in the name.
 *
 * @param options - how to create adapters, dump raw contents, open a second connection, reopen
 * @throws InvalidArgumentError-like `TypeError` at registration when a required option is missing
 * @example
 * ```ts
 * import { runAdapterConformance } from 'purpose-bound/testing';
 * import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';
 *
 * runAdapterConformance({
 *   name: 'memory',
 *   createAdapter: async () => memoryAdapter(),
 *   rawDump: async (adapter) => (adapter as MemoryAdapter).rawContents(),
 *   concurrent: async (adapter) => (adapter as MemoryAdapter).connect(),
 * });
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('runAdapterConformance: options must be an object');
  if (typeof options.name !== 'string' || options.name === '') throw new TypeError('runAdapterConformance: options.name must be a non-empty string');
  if (typeof options.createAdapter !== 'function') throw new TypeError('runAdapterConformance: options.createAdapter must be a function');
  if (typeof options.rawDump !== 'function') throw new TypeError('runAdapterConformance: options.rawDump must be a function');
  const skip = options.skip ?? {};
  for (const [part, reason] of Object.entries(skip)) {
    if (!(CONFORMANCE_PARTS as readonly string[]).includes(part)) throw new TypeError(`runAdapterConformance: skip.${part} is not a part of the suite (${CONFORMANCE_PARTS.join(', ')})`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new TypeError(`runAdapterConformance: skip.${part} must give the reason as a non-empty string`);
  }

  /** Run `fn` with fresh adapters; every adapter it opened is closed afterwards. */
  async function withAdapter<T>(fn: (adapter: StorageAdapter, track: (a: StorageAdapter) => StorageAdapter) => Promise<T>): Promise<T> {
    const opened: StorageAdapter[] = [];
    const track = (a: StorageAdapter): StorageAdapter => {
      opened.push(a);
      return a;
    };
    const adapter = track(await options.createAdapter());
    await adapter.open();
    try {
      return await fn(adapter, track);
    } finally {
      for (const a of opened.reverse()) await quietClose(a);
    }
  }

  async function vaultOn(adapter: StorageAdapter, keyring: Keyring = suiteKeyring()): Promise<Vault<Pol>> {
    return createVault({ policy: conformancePolicy, adapter, keyring });
  }

  /** A subject row with a fresh id and a real wrapped key (so key rotation can re-wrap it), for the adapter-level parts. */
  const rowKeyring = suiteKeyring();
  function subjectRow(id = uid('s')): SubjectRow {
    const wrappedKey = rowKeyring.wrapKey('kek-1', new Uint8Array(randomBytes(32)), id) as Uint8Array;
    return { id, keyId: 'kek-1', wrappedKey, createdAt: new Date().toISOString(), erasedAt: null, erasureRef: null, version: 1 };
  }

  function valueRow(subjectId: string, field: string, over: Partial<ValueRow> = {}): ValueRow {
    return { subjectId, field, ciphertext: new Uint8Array(randomBytes(40)), lookup: null, meta: '{"m":1}', updatedAt: new Date().toISOString(), version: 1, ...over };
  }

  function part(name: ConformancePart, body: () => void): void {
    const reason = skip[name];
    if (reason !== undefined) {
      describe.skip(`${name} (skipped: ${reason})`, () => {
        it(`is not run for ${options.name}: ${reason}`, () => undefined);
      });
      return;
    }
    describe(name, body);
  }

  describe(`StorageAdapter conformance: ${options.name}`, () => {
    part('lifecycle', () => {
      it('describes itself: kind, location and capability flags', async () => {
        const adapter = await options.createAdapter();
        try {
          expect(typeof adapter.kind).toBe('string');
          expect(adapter.kind.length).toBeGreaterThan(0);
          expect(typeof adapter.location).toBe('string');
          expect(typeof adapter.capabilities.persistent).toBe('boolean');
          expect(typeof adapter.capabilities.concurrentWriters).toBe('boolean');
          expect(adapter.location).not.toMatch(/:[^:@/]+@/); // no password in user:password@host
        } finally {
          await quietClose(adapter);
        }
      });

      it('rejects transactions after close with StorageUnavailableError naming the adapter', async () => {
        const adapter = await options.createAdapter();
        await adapter.open();
        await adapter.close();
        const error: unknown = await adapter.transaction((tx) => tx.getSubject('s-1')).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', adapter: adapter.kind });
      });

      it('commits what a transaction returns and passes its result through', async () => {
        await withAdapter(async (adapter) => {
          const row = subjectRow();
          const result = await adapter.transaction(async (tx) => {
            await tx.insertSubject(row);
            return 'done';
          });
          expect(result).toBe('done');
          expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ id: row.id, version: 1 });
        });
      });
    });

    part('migrations', () => {
      it('opening twice is idempotent: same schema version, data kept', async () => {
        await withAdapter(async (adapter) => {
          const version = await adapter.schemaVersion();
          expect(Number.isInteger(version) && version > 0).toBe(true);
          const row = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(row));
          await adapter.open();
          expect(await adapter.schemaVersion()).toBe(version);
          expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ id: row.id });
        });
      });

      it('a second adapter opening the same database runs no migration twice', async () => {
        await withAdapter(async (adapter, track) => {
          if (!options.concurrent) {
            // Without a second connection, a second open of the same adapter is the check.
            await adapter.open();
            expect(await adapter.schemaVersion()).toBeGreaterThan(0);
            return;
          }
          const second = track(await options.concurrent(adapter));
          await second.open();
          expect(await second.schemaVersion()).toBe(await adapter.schemaVersion());
        });
      });

      if (options.reopen) {
        const reopen = options.reopen;
        it('data persists across close and reopen (values readable with the same keyring)', async () => {
          const values = distinctiveValues();
          const adapter = await options.createAdapter();
          let subject: string;
          try {
            const vault = await vaultOn(adapter);
            ({ subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values }));
          } finally {
            await quietClose(adapter);
          }
          const again = await reopen(adapter);
          try {
            const vault = await vaultOn(again);
            const guard = vault.guard();
            const text = await vault.read(subject, 'text');
            expect(await guard.read(text, { purpose: 'service', actor: 'conformance' })).toBe(values.text);
          } finally {
            await quietClose(again);
          }
        });
      }
    });

    part('subjects', () => {
      it('insert, get, and duplicate insert → StorageConflictError', async () => {
        await withAdapter(async (adapter) => {
          const row = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(row));
          const got = await adapter.transaction((tx) => tx.getSubject(row.id));
          expect(got).toBeDefined();
          expect(Buffer.from(got?.wrappedKey ?? []).equals(Buffer.from(row.wrappedKey ?? []))).toBe(true);
          expect(got).toMatchObject({ keyId: 'kek-1', createdAt: row.createdAt, erasedAt: null, erasureRef: null, version: 1 });
          await expectCode(
            adapter.transaction((tx) => tx.insertSubject(row)),
            'STORAGE_CONFLICT',
          );
          expect(await adapter.transaction((tx) => tx.getSubject(uid('missing')))).toBeUndefined();
        });
      });

      it('update checks the expected version (optimistic concurrency)', async () => {
        await withAdapter(async (adapter) => {
          const row = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(row));
          await adapter.transaction((tx) => tx.updateSubject({ ...row, keyId: 'kek-2', version: 2 }, 1));
          await expectCode(
            adapter.transaction((tx) => tx.updateSubject({ ...row, version: 3 }, 1)),
            'STORAGE_CONFLICT',
          );
          await expectCode(
            adapter.transaction((tx) => tx.updateSubject({ ...subjectRow(), version: 2 }, 1)),
            'STORAGE_CONFLICT',
          );
          expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ keyId: 'kek-2', version: 2 });
          // A tombstone: no key, erasure time and reference.
          await adapter.transaction((tx) => tx.updateSubject({ ...row, wrappedKey: null, erasedAt: '2026-01-02T00:00:00.000Z', erasureRef: 'req-1', version: 3 }, 2));
          expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ wrappedKey: null, erasedAt: '2026-01-02T00:00:00.000Z', erasureRef: 'req-1', version: 3 });
        });
      });

      it('lists subjects ordered by id, paginated with after/limit', async () => {
        await withAdapter(async (adapter) => {
          const prefix = uid('list');
          const ids = [`${prefix}-c`, `${prefix}-a`, `${prefix}-b`];
          await adapter.transaction(async (tx) => {
            for (const id of ids) await tx.insertSubject(subjectRow(id));
          });
          const page1 = await adapter.transaction((tx) => tx.listSubjects({ after: `${prefix}-`, limit: 2 }));
          expect(page1.map((r) => r.id)).toEqual([`${prefix}-a`, `${prefix}-b`]);
          const page2 = await adapter.transaction((tx) => tx.listSubjects({ after: `${prefix}-b`, limit: 2 }));
          expect(page2[0]?.id).toBe(`${prefix}-c`);
          const all = await adapter.transaction((tx) => tx.listSubjects());
          const mine = all.map((r) => r.id).filter((id) => id.startsWith(prefix));
          expect(mine).toEqual([...ids].sort());
          const sorted = all.map((r) => r.id);
          expect(sorted).toEqual([...sorted].sort());
        });
      });
    });

    part('values', () => {
      it('stores ciphertext byte-exact (every byte value) with its metadata', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          const every = new Uint8Array(512);
          for (let i = 0; i < every.length; i++) every[i] = i % 256;
          const meta = JSON.stringify({ provenance: { collectionPoint: 'form', note: 'ユニコード 🦊 "quoted" \\ \n' } });
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(s);
            await tx.putValue(valueRow(s.id, 'a', { ciphertext: every, meta, lookup: 'ab'.repeat(32) }));
            await tx.putValue(valueRow(s.id, 'b'));
          });
          const rows = await adapter.transaction((tx) => tx.getValues(s.id));
          expect(rows.map((r) => r.field)).toEqual(['a', 'b']);
          const a = rows[0] as ValueRow;
          expect(a.ciphertext).toBeInstanceOf(Uint8Array);
          expect(Buffer.from(a.ciphertext).equals(Buffer.from(every))).toBe(true);
          expect(a).toMatchObject({ subjectId: s.id, meta, lookup: 'ab'.repeat(32), version: 1 });
          expect(await adapter.transaction((tx) => tx.getValues(s.id, ['b']))).toHaveLength(1);
          expect(await adapter.transaction((tx) => tx.getValues(s.id, []))).toEqual([]);
          expect(await adapter.transaction((tx) => tx.getValues(uid('nobody')))).toEqual([]);
        });
      });

      it('getSubjectWithValues (when the adapter has it) equals getSubject + getValues, in one call', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          const bare = subjectRow();
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(s);
            await tx.insertSubject(bare);
            for (const f of ['b', 'a', 'c']) await tx.putValue(valueRow(s.id, f));
          });
          await adapter.transaction(
            async (tx) => {
              if (tx.getSubjectWithValues === undefined) return; // optional in the contract
              for (const [id, fields] of [[s.id, undefined], [s.id, ['c', 'a', 'zz']], [s.id, []], [bare.id, undefined], [bare.id, ['a']]] as const) {
                const got = await tx.getSubjectWithValues(id, fields);
                expect(got?.subject).toEqual(await tx.getSubject(id));
                expect(got?.values).toEqual(await tx.getValues(id, fields));
              }
              expect(await tx.getSubjectWithValues(uid('missing'))).toBeUndefined();
              expect((await tx.getSubjectWithValues(s.id, ['c', 'a']))?.values.map((v) => v.field)).toEqual(['a', 'c']);
            },
            { readOnly: true },
          );
        });
      });

      it('a read-only transaction reads, and refuses writes and forUpdate with StorageError, writing nothing', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(s));
          expect((await adapter.transaction((tx) => tx.getSubject(s.id), { readOnly: true }))?.id).toBe(s.id);
          const other = subjectRow();
          const attempts: ((tx: StorageTransaction) => Promise<unknown>)[] = [
            (tx) => tx.insertSubject(other),
            (tx) => tx.updateSubject({ ...s, version: 2 }, 1),
            (tx) => tx.putValue(valueRow(s.id, 'a')),
            (tx) => tx.deleteValues(s.id),
            (tx) => tx.appendHistory({ id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: s.createdAt }),
            (tx) => tx.deleteHistory(s.id),
            (tx) => tx.putRecord({ kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: s.createdAt, doc: '{}' }),
            (tx) => tx.deleteRecord('conformance', 'x'),
            (tx) => tx.appendAudit({ at: s.createdAt, action: 'read-only', actor: 'conformance', subject: s.id, decision: 'record' }),
            (tx) => tx.getSubject(s.id, { forUpdate: true }),
          ];
          for (const attempt of attempts) await expectCode(adapter.transaction(attempt, { readOnly: true }), 'STORAGE_ERROR');
          await adapter.transaction(async (tx) => {
            expect(await tx.getSubject(other.id)).toBeUndefined();
            expect((await tx.getSubject(s.id))?.version).toBe(1);
            expect(await tx.getValues(s.id)).toEqual([]);
            expect(await tx.listAudit({ subject: s.id })).toEqual([]);
          });
        });
      });

      it('putValue replaces (subject, field); deleteValues removes some or all and counts', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          const replacement = new Uint8Array([9, 8, 7, 0, 1]);
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(s);
            for (const f of ['a', 'b', 'c']) await tx.putValue(valueRow(s.id, f));
            await tx.putValue(valueRow(s.id, 'a', { ciphertext: replacement, version: 2 }));
          });
          const [a] = await adapter.transaction((tx) => tx.getValues(s.id, ['a']));
          expect(Array.from(a?.ciphertext ?? [])).toEqual([9, 8, 7, 0, 1]);
          expect(a?.version).toBe(2);
          expect(await adapter.transaction((tx) => tx.deleteValues(s.id, ['a', 'missing']))).toBe(1);
          expect(await adapter.transaction((tx) => tx.deleteValues(s.id))).toBe(2);
          expect(await adapter.transaction((tx) => tx.getValues(s.id))).toEqual([]);
        });
      });
    });

    part('history', () => {
      it('appends, lists oldest first, deletes per subject; duplicate id conflicts', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          const other = subjectRow();
          const h = (id: string, changedAt: string, ciphertext: Uint8Array | null) => ({ id, subjectId: s.id, field: 'a', ciphertext, meta: '{"change":"correction"}', changedAt });
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(s);
            await tx.insertSubject(other);
            await tx.appendHistory(h(uid('h1'), '2026-01-01T00:00:00.000Z', new Uint8Array([1, 2, 3])));
            await tx.appendHistory(h(uid('h2'), '2026-01-02T00:00:00.000Z', null));
            await tx.appendHistory({ ...h(uid('h3'), '2026-01-03T00:00:00.000Z', null), subjectId: other.id });
          });
          const list = await adapter.transaction((tx) => tx.listHistory(s.id));
          expect(list.map((r) => r.changedAt)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
          expect(Array.from(list[0]?.ciphertext ?? [])).toEqual([1, 2, 3]);
          expect(list[1]?.ciphertext).toBeNull();
          await expectCode(
            adapter.transaction((tx) => tx.appendHistory(list[0] as never)),
            'STORAGE_CONFLICT',
          );
          expect(await adapter.transaction((tx) => tx.deleteHistory(s.id))).toBe(2);
          expect(await adapter.transaction((tx) => tx.listHistory(s.id))).toEqual([]);
          expect(await adapter.transaction((tx) => tx.listHistory(other.id))).toHaveLength(1);
        });
      });
    });

    part('records', () => {
      it('put/replace/get/list (by kind and subject, ordered by createdAt then id)/delete, e.g. provision records', async () => {
        await withAdapter(async (adapter) => {
          const kind = uid('provision').replace(/-/g, '_');
          const subject = uid('s');
          const doc = JSON.stringify({ recipient: 'insurer', fields: ['name'], note: '第三者提供 🦊' });
          await adapter.transaction(async (tx) => {
            await tx.putRecord({ kind, id: 'r2', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc });
            await tx.putRecord({ kind, id: 'r1', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc: '{}' });
            await tx.putRecord({ kind, id: 'r0', subjectId: null, createdAt: '2026-01-01T00:00:00.000Z', doc: '{}' });
            await tx.putRecord({ kind: `${kind}_other`, id: 'r1', subjectId: subject, createdAt: '2026-01-01T00:00:00.000Z', doc: '{}' });
          });
          expect(await adapter.transaction((tx) => tx.getRecord(kind, 'r2'))).toEqual({ kind, id: 'r2', subjectId: subject, createdAt: '2026-01-02T00:00:00.000Z', doc });
          expect((await adapter.transaction((tx) => tx.listRecords(kind))).map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
          expect((await adapter.transaction((tx) => tx.listRecords(kind, { subjectId: subject }))).map((r) => r.id)).toEqual(['r1', 'r2']);
          await adapter.transaction((tx) => tx.putRecord({ kind, id: 'r1', subjectId: subject, createdAt: '2026-01-03T00:00:00.000Z', doc: '{"v":2}' }));
          expect((await adapter.transaction((tx) => tx.getRecord(kind, 'r1')))?.doc).toBe('{"v":2}');
          expect((await adapter.transaction((tx) => tx.listRecords(kind))).map((r) => r.id)).toEqual(['r0', 'r2', 'r1']);
          expect(await adapter.transaction((tx) => tx.deleteRecord(kind, 'r1'))).toBe(true);
          expect(await adapter.transaction((tx) => tx.deleteRecord(kind, 'r1'))).toBe(false);
          expect(await adapter.transaction((tx) => tx.getRecord(kind, 'r1'))).toBeUndefined();
          expect(await adapter.transaction((tx) => tx.getRecord(`${kind}_other`, 'r1'))).toBeDefined();
        });
      });
    });

    part('field-types', () => {
      it('round-trips every field type through the vault (string, e-mail, date string, Date, number, boolean, object, array, record, unicode)', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const guard = vault.guard();
          const values = distinctiveValues();
          const unicode = '𠮷野家 🦊 e\u0301 \u200d \ud83d\udc69\u200d\ud83d\udcbb ‮ "\'\\ \n\t';
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { ...values, text: unicode } });
          const all = await vault.readAll(subject);
          const read = async (field: keyof typeof all): Promise<unknown> => guard.read(all[field] as never, { purpose: 'service', actor: 'conformance' } as never);
          expect(await read('text')).toBe(unicode);
          expect(await read('email')).toBe(values.email);
          expect(await read('birthDate')).toBe(values.birthDate);
          const when = await read('when');
          expect(when).toBeInstanceOf(Date);
          expect((when as Date).toISOString()).toBe(values.when.toISOString());
          expect(await read('count')).toBe(values.count);
          expect(await read('flag')).toBe(true);
          expect(await read('profile')).toEqual(values.profile);
          expect(await read('tags')).toEqual(values.tags);
          expect(await read('notes')).toEqual(values.notes);
          // Edge values of the simple types.
          const { subject: s2 } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'x', count: -0, flag: false, tags: [], notes: {} } });
          const edge = await vault.readAll(s2);
          expect(Object.is(await guard.read(edge.count as never, { purpose: 'service', actor: 'c' }), -0)).toBe(true);
          expect(await guard.read(edge.flag as never, { purpose: 'service', actor: 'c' })).toBe(false);
          expect(await guard.read(edge.tags as never, { purpose: 'service', actor: 'c' })).toEqual([]);
          expect(await guard.read(edge.notes as never, { purpose: 'service', actor: 'c' })).toEqual({});
        });
      });
    });

    part('atomicity', () => {
      it('a transaction that throws leaves nothing: subject, values, history, records, audit', async () => {
        await withAdapter(async (adapter) => {
          const s = subjectRow();
          const kind = 'conformance_atomic';
          const before = (await adapter.transaction((tx) => tx.listAudit())).length;
          await expect(
            adapter.transaction(async (tx) => {
              await tx.insertSubject(s);
              await tx.putValue(valueRow(s.id, 'a'));
              await tx.appendHistory({ id: uid('h'), subjectId: s.id, field: 'a', ciphertext: null, meta: '{}', changedAt: s.createdAt });
              await tx.putRecord({ kind, id: s.id, subjectId: s.id, createdAt: s.createdAt, doc: '{}' });
              await tx.appendAudit({ at: s.createdAt, action: 'collect', actor: 'conformance', subject: s.id, decision: 'record' });
              throw new Error('abort');
            }),
          ).rejects.toThrow('abort');
          await adapter.transaction(async (tx) => {
            expect(await tx.getSubject(s.id)).toBeUndefined();
            expect(await tx.getValues(s.id)).toEqual([]);
            expect(await tx.listHistory(s.id)).toEqual([]);
            expect(await tx.getRecord(kind, s.id)).toBeUndefined();
            expect(await tx.listAudit({ subject: s.id })).toEqual([]);
            expect((await tx.listAudit()).length).toBe(before);
          });
          // The chain continues from the committed head, not from the rolled-back entry.
          await adapter.transaction((tx) => tx.appendAudit({ at: s.createdAt, action: 'after-rollback', actor: 'conformance', decision: 'record' }));
          expect((await verifyAuditLog(await adapter.transaction((tx) => tx.listAudit()))).valid).toBe(true);
        });
      });

      it('a collect that fails mid-way (third value) leaves no subject, value or audit entry', async () => {
        await withAdapter(async (adapter) => {
          const failing = await vaultOn(failingPutValue(adapter, 3));
          const subject = uid('atomic');
          await expect(
            failing.collect({ subject, collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email: 'hana@example.jp', count: 3, flag: true } }),
          ).rejects.toThrow('injected failure');
          const vault = await vaultOn(adapter);
          expect(await vault.exists(subject)).toBe(false);
          await adapter.transaction(async (tx) => {
            expect(await tx.getValues(subject)).toEqual([]);
            expect(await tx.listAudit({ subject })).toEqual([]);
          });
        });
      });

      it('a correction that fails mid-way keeps the old value and no history entry', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'before' } });
          const failing = await vaultOn(failingPutValue(adapter, 1));
          await expect(failing.correct(subject, 'text', 'after', { actor: 'dpo', reason: 'request' })).rejects.toThrow('injected failure');
          expect(await vault.guard().read(await vault.read(subject, 'text'), { purpose: 'service', actor: 'c' })).toBe('before');
          expect(await vault.history(subject)).toEqual([]);
        });
      });

      it('invalid input writes nothing (every value is validated before the transaction)', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const subject = uid('invalid');
          await expectCode(
            vault.collect({ subject, collectionPoint: 'form', actor: 'conformance', values: { text: 'ok', email: 'not an e-mail', count: 1 } }),
            'INVALID_PERSONAL_VALUE',
          );
          expect(await vault.exists(subject)).toBe(false);
        });
      });
    });

    part('concurrency', () => {
      const second = async (adapter: StorageAdapter, track: (a: StorageAdapter) => StorageAdapter): Promise<StorageAdapter> => {
        if (!options.concurrent) return adapter;
        const a = track(await options.concurrent(adapter));
        await a.open();
        return a;
      };
      const how = options.concurrent ? 'two connections' : 'one connection (no second connection given)';

      it(`concurrent version-checked updates of one subject lose no update (${how})`, async () => {
        await withAdapter(async (adapter, track) => {
          const other = await second(adapter, track);
          const s = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(s));
          const bump = async (a: StorageAdapter): Promise<void> => {
            for (let attempt = 0; attempt < 50; attempt++) {
              try {
                await a.transaction(async (tx) => {
                  const row = await tx.getSubject(s.id, { forUpdate: true });
                  if (!row) throw new Error('subject vanished');
                  await tx.updateSubject({ ...row, version: row.version + 1 }, row.version);
                });
                return;
              } catch (error) {
                if ((error as { code?: unknown }).code !== 'STORAGE_CONFLICT') throw error;
                await new Promise((r) => setTimeout(r, Math.random() * 5));
              }
            }
            throw new Error('too many conflicts');
          };
          const n = 10;
          await Promise.all(Array.from({ length: n }, (_, i) => bump(i % 2 === 0 ? adapter : other)));
          expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.version).toBe(1 + n);
        });
      });

      it(`two vaults writing different fields of one subject at once keep both (${how})`, async () => {
        await withAdapter(async (adapter, track) => {
          const other = await second(adapter, track);
          const v1 = await vaultOn(adapter);
          const v2 = await vaultOn(other);
          const { subject } = await v1.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'start' } });
          await Promise.all([
            v1.correct(subject, 'text', 'from-one', { actor: 'a', reason: 'r' }),
            v2.correct(subject, 'email', 'two@example.jp', { actor: 'b', reason: 'r' }),
            v1.correct(subject, 'count', 1, { actor: 'a', reason: 'r' }),
            v2.correct(subject, 'flag', true, { actor: 'b', reason: 'r' }),
          ]);
          const all = await v1.readAll(subject);
          expect(Object.keys(all).sort()).toEqual(['count', 'email', 'flag', 'text']);
          expect(await v1.guard().read(all.text as never, { purpose: 'service', actor: 'c' })).toBe('from-one');
          expect((await v1.history(subject)).map((h) => h.change).sort()).toEqual(['addition', 'addition', 'addition', 'correction']);
        });
      });

      it(`concurrent audit appends from both sides form one linear chain (${how})`, async () => {
        await withAdapter(async (adapter, track) => {
          const other = await second(adapter, track);
          const actor = uid('audit');
          const at = new Date().toISOString();
          await Promise.all(
            Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? adapter : other).transaction((tx) => tx.appendAudit({ at, action: 'concurrent', actor, decision: 'record', details: { i } }))),
          );
          const all = await adapter.transaction((tx) => tx.listAudit());
          expect(all.filter((e) => e.actor === actor)).toHaveLength(20);
          const verification = await verifyAuditLog(all);
          expect(verification).toMatchObject({ valid: true, entries: all.length });
        });
      });
    });

    part('consents', () => {
      it('grants, withdrawals and expiry persist and drive the guard (latest event wins)', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const guard = vault.guard();
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email: 'hana@example.jp' } });
          const email = await vault.read(subject, 'email');
          await expectCode(guard.read(email, { purpose: 'newsletter', actor: 'c' }), 'CONSENT_REQUIRED');
          await guard.grantConsent({ subject, purpose: 'newsletter', actor: 'subject', method: 'web-form' });
          expect(await guard.read(email, { purpose: 'newsletter', actor: 'c' })).toBe('hana@example.jp');
          expect(await vault.consents.isGranted(subject, 'newsletter', new Date())).toBe(true);
          await guard.withdrawConsent({ subject, purpose: 'newsletter', actor: 'subject' });
          await expectCode(guard.read(email, { purpose: 'newsletter', actor: 'c' }), 'CONSENT_REQUIRED');
          await guard.grantConsent({ subject, purpose: 'newsletter', actor: 'subject', expiresAt: '2000-01-01T00:00:00.000Z' });
          expect(await vault.consents.isGranted(subject, 'newsletter', new Date())).toBe(false);
          const list = await vault.consents.list(subject);
          expect(list.map((c) => c.state)).toEqual(['granted', 'withdrawn', 'granted']);
          expect(list[0]).toMatchObject({ subject, purpose: 'newsletter', actor: 'subject', method: 'web-form', noticeVersion: '1' });
          // A second vault (a restarted service) sees the same consents.
          const again = await vaultOn(adapter);
          expect(await again.consents.list(subject)).toHaveLength(3);
        });
      });
    });

    part('suspensions', () => {
      it('suspension of use persists, blocks reads for the covered purposes, and lifts', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const guard = vault.guard();
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana' } });
          const text = await vault.read(subject, 'text');
          const s1 = await guard.suspend({ subject, purposes: ['service'], actor: 'dpo', reason: 'request', requestId: 'req-1' });
          await expectCode(guard.read(text, { purpose: 'service', actor: 'c' }), 'USE_SUSPENDED');
          await expectCode(guard.read(text, { purpose: 'support', actor: 'c' }), 'USE_SUSPENDED'); // a child purpose
          expect(await vault.suspensions.isSuspended(subject, ['newsletter'])).toBe(false);
          const lifted = await guard.liftSuspension({ id: s1.id, actor: 'dpo', subject });
          expect(lifted.liftedBy).toBe('dpo');
          expect(await guard.read(text, { purpose: 'service', actor: 'c' })).toBe('Hana');
          expect(await vault.suspensions.lift(s1.id, new Date().toISOString(), 'dpo')).toBeUndefined();
          await guard.suspend({ subject, purposes: 'all', actor: 'dpo' });
          expect(await (await vaultOn(adapter)).suspensions.isSuspended(subject, ['service'])).toBe(true);
          expect((await vault.suspensions.list(subject)).map((s) => s.liftedAt === undefined)).toEqual([false, true]);
        });
      });
    });

    part('audit', () => {
      it('appends a verifiable chain, filters by subject/actor/field/purpose/action/decision/fromSeq/limit', async () => {
        await withAdapter(async (adapter) => {
          const actor = uid('actor');
          const subject = uid('s');
          const at = new Date().toISOString();
          const first = await adapter.transaction((tx) => tx.appendAudit({ at, action: 'read', actor, subject, field: 'email', purpose: 'service', basis: 'purpose', decision: 'allow' }));
          const second = await adapter.transaction((tx) =>
            tx.appendAudit({ at, action: 'read', actor, subject, field: 'text', purpose: 'newsletter', decision: 'deny', reason: 'CONSENT_REQUIRED', details: { n: 1, ok: false, none: null, s: 'x' } }),
          );
          expect(second.seq).toBe(first.seq + 1);
          expect(second.prevHash).toBe(first.hash);
          const q = (query: Parameters<StorageTransaction['listAudit']>[0]) => adapter.transaction((tx) => tx.listAudit(query));
          expect(await q({ actor })).toHaveLength(2);
          expect(await q({ actor, decision: 'deny' })).toEqual([second]);
          expect(await q({ subject, field: 'email' })).toEqual([first]);
          expect(await q({ actor, purpose: 'newsletter', action: 'read' })).toEqual([second]);
          expect(await q({ fromSeq: second.seq })).toEqual([second]);
          expect(await q({ actor, limit: 1 })).toEqual([first]);
          const all = await q(undefined);
          expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
          expect(await verifyAuditLog(all)).toMatchObject({ valid: true, head: all[all.length - 1]?.hash });
          // The vault's AuditLog view verifies too.
          expect((await verifyAuditLog((await vaultOn(adapter)).audit)).valid).toBe(true);
        });
      });

      it('audit entries of vault operations hold ids, never values', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const values = distinctiveValues();
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
          await vault.guard().read(await vault.read(subject, 'email'), { purpose: 'service', actor: 'c' });
          await vault.correct(subject, 'text', `${values.text} corrected`, { actor: 'dpo', reason: 'request' });
          const entries = JSON.stringify(await vault.audit.entries({ subject }));
          expect(entries).toContain('"collect"');
          for (const term of searchTerms(values)) expect(entries).not.toContain(term);
        });
      });
    });

    part('fast-paths', () => {
      // The optional adapter-level members: run only when the adapter has them.
      it('adapter.getSubjectWithValues (when present) equals the same read in a transaction', async () => {
        await withAdapter(async (adapter) => {
          if (adapter.getSubjectWithValues === undefined) return; // optional in the contract
          const s = subjectRow();
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(s);
            for (const f of ['c', 'a', 'b']) await tx.putValue(valueRow(s.id, f));
          });
          for (const fields of [undefined, ['a'], ['c', 'a'], [], ['missing']]) {
            const inTx = await adapter.transaction(async (tx) => ({ subject: await tx.getSubject(s.id), values: await tx.getValues(s.id, fields) }));
            expect(await adapter.getSubjectWithValues(s.id, fields)).toEqual(inTx);
          }
          expect(await adapter.getSubjectWithValues(uid('missing'))).toBeUndefined();
        });
      });

      it('adapter.writeBatch (when present) applies every write and chains its audit entries', async () => {
        await withAdapter(async (adapter) => {
          if (adapter.writeBatch === undefined) return; // optional in the contract
          const s = subjectRow();
          const at = new Date().toISOString();
          const record = { kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: at, doc: '{"k":1}' };
          const history = { id: uid('h'), subjectId: s.id, field: 'a', ciphertext: new Uint8Array(randomBytes(20)), meta: '{"change":"correction"}', changedAt: at };
          const writes: StorageWrite[] = [
            { op: 'insertSubject', row: s },
            { op: 'putValue', row: valueRow(s.id, 'a', { lookup: 'digest-a' }) },
            { op: 'putValue', row: valueRow(s.id, 'b') },
            { op: 'appendHistory', row: history },
            { op: 'putRecord', row: record },
            { op: 'appendAudit', entry: { at, action: 'collect', actor: 'conformance', subject: s.id, decision: 'record', details: { fields: 'a,b', n: 2, ok: true, none: null } } },
            { op: 'appendAudit', entry: { at, action: 'consent.grant', actor: 'conformance', subject: s.id, purpose: 'service', basis: 'consent', reference: 'ref-1', reason: 'x', decision: 'record' } },
          ];
          const appended = await adapter.writeBatch(writes);
          expect(appended).toHaveLength(2);
          expect(appended[1]?.seq).toBe((appended[0]?.seq ?? 0) + 1);
          expect(appended[1]?.prevHash).toBe(appended[0]?.hash);
          const stored = await adapter.transaction(async (tx) => ({
            subject: await tx.getSubject(s.id),
            values: await tx.getValues(s.id),
            history: await tx.listHistory(s.id),
            record: await tx.getRecord(record.kind, record.id),
            audit: await tx.listAudit({ subject: s.id }),
            all: await tx.listAudit(),
          }));
          expect(stored.subject).toEqual(s);
          expect(stored.values.map((v) => v.field)).toEqual(['a', 'b']);
          expect(stored.values[0]?.lookup).toBe('digest-a');
          expect(stored.history).toEqual([history]);
          expect(stored.record).toEqual(record);
          expect(stored.audit).toEqual(appended);
          expect(await verifyAuditLog(stored.all)).toMatchObject({ valid: true, head: stored.all[stored.all.length - 1]?.hash });
          // A transaction's append continues the same chain.
          const next = await adapter.transaction((tx) => tx.appendAudit({ at, action: 'after', actor: 'conformance', decision: 'record' }));
          expect(next.prevHash).toBe(stored.all[stored.all.length - 1]?.hash);
        });
      });

      it('adapter.writeBatch (when present) is all or nothing: a duplicate subject writes none of the batch', async () => {
        await withAdapter(async (adapter) => {
          if (adapter.writeBatch === undefined) return;
          const s = subjectRow();
          await adapter.transaction((tx) => tx.insertSubject(s));
          const before = await adapter.transaction((tx) => tx.listAudit());
          const record = { kind: 'conformance', id: uid('r'), subjectId: s.id, createdAt: new Date().toISOString(), doc: '{}' };
          const error = await adapter
            .writeBatch([
              { op: 'putRecord', row: record },
              { op: 'putValue', row: valueRow(s.id, 'a') },
              { op: 'appendAudit', entry: { at: new Date().toISOString(), action: 'collect', actor: 'conformance', subject: s.id, decision: 'record' } },
              { op: 'insertSubject', row: { ...subjectRow(s.id) } },
            ])
            .catch((e: unknown) => e);
          expect(error).toMatchObject({ code: 'STORAGE_CONFLICT' });
          const after = await adapter.transaction(async (tx) => ({ record: await tx.getRecord(record.kind, record.id), values: await tx.getValues(s.id), audit: await tx.listAudit() }));
          expect(after.record).toBeUndefined();
          expect(after.values).toEqual([]);
          expect(after.audit).toEqual(before);
          await expect(adapter.writeBatch([{ op: 'nothing' } as unknown as StorageWrite])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes[0].op' });
          await expect(adapter.writeBatch('x' as unknown as StorageWrite[])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes' });
          expect(await adapter.writeBatch([])).toEqual([]);
        });
      });

      if (options.concurrent) {
        const concurrent = options.concurrent;
        it('adapter.writeBatch (when present) from two connections at once keeps one linear audit chain', async () => {
          await withAdapter(async (adapter, track) => {
            if (adapter.writeBatch === undefined) return;
            const second = track(await concurrent(adapter));
            await second.open();
            const actor = uid('batch');
            const per = 15;
            const appendFrom = (a: StorageAdapter, who: string) =>
              Promise.all(
                Array.from({ length: per }, (_, i) =>
                  a.writeBatch!([
                    { op: 'putRecord', row: { kind: 'conformance', id: uid(`${who}${i}`), subjectId: null, createdAt: new Date().toISOString(), doc: '{}' } },
                    { op: 'appendAudit', entry: { at: new Date().toISOString(), action: `batch.${who}`, actor, decision: 'record' } },
                  ]),
                ),
              );
            await Promise.all([appendFrom(adapter, 'a'), appendFrom(second, 'b')]);
            const all = await adapter.transaction((tx) => tx.listAudit());
            expect(all.filter((e) => e.actor === actor)).toHaveLength(2 * per);
            expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
            expect(await verifyAuditLog(all)).toMatchObject({ valid: true });
          });
        });
      }
    });

    part('lookups', () => {
      it('finds subjects by blind index (adapter level: field + digest)', async () => {
        await withAdapter(async (adapter) => {
          const a = subjectRow();
          const b = subjectRow();
          const digest = randomBytes(32).toString('hex');
          await adapter.transaction(async (tx) => {
            await tx.insertSubject(a);
            await tx.insertSubject(b);
            await tx.putValue(valueRow(a.id, 'email', { lookup: digest }));
            await tx.putValue(valueRow(b.id, 'email', { lookup: digest }));
            await tx.putValue(valueRow(b.id, 'text', { lookup: digest }));
          });
          expect((await adapter.transaction((tx) => tx.findByLookup('email', digest))).sort()).toEqual([a.id, b.id].sort());
          expect(await adapter.transaction((tx) => tx.findByLookup('text', digest))).toEqual([b.id]);
          await adapter.transaction((tx) => tx.putValue(valueRow(a.id, 'email', { lookup: null })));
          expect(await adapter.transaction((tx) => tx.findByLookup('email', digest))).toEqual([b.id]);
        });
      });

      it('vault lookups: normalised value, follow corrections, never a plaintext index', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const email = `Look.${randomBytes(4).toString('hex')}@Example.JP`;
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email } });
          expect(await vault.findByLookup('email', email.toLowerCase())).toEqual([subject]);
          const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
          expect(row?.lookup).toMatch(/^[0-9a-f]{64}$/);
          await vault.correct(subject, 'email', `new.${email}`, { actor: 'dpo', reason: 'changed' });
          expect(await vault.findByLookup('email', email)).toEqual([]);
          expect(await vault.findByLookup('email', `new.${email}`)).toEqual([subject]);
          await expectCode(vault.findByLookup('count', 1), 'INVALID_ARGUMENT');
        });
      });
    });

    part('erasure', () => {
      it('erase crypto-shreds: key and values gone, tombstone stays, reads fail, second erase fails', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const values = distinctiveValues();
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
          await vault.correct(subject, 'text', 'corrected', { actor: 'dpo', reason: 'r' });
          const [kept] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
          const text = await vault.read(subject, 'text');
          const record = await vault.erase(subject, { actor: 'dpo', reference: 'req-9' });
          expect(record).toMatchObject({ subject, actor: 'dpo', reference: 'req-9' });
          expect(await vault.exists(subject)).toBe(true);
          expect(await vault.erasure(subject)).toEqual(record);
          await adapter.transaction(async (tx) => {
            expect(await tx.getSubject(subject)).toMatchObject({ wrappedKey: null, erasedAt: record.erasedAt, erasureRef: 'req-9' });
            expect(await tx.getValues(subject)).toEqual([]);
            expect(await tx.findByLookup('email', kept?.lookup ?? '')).not.toContain(subject);
          });
          // The earlier value in the history is unreadable at once and gone after the purge.
          expect(await vault.history(subject)).toEqual([]);
          expect((await vault.purgeErased()).subjects).toBeGreaterThanOrEqual(1);
          expect(await adapter.transaction((tx) => tx.listHistory(subject))).toEqual([]);
          expect((await vault.purgeErased()).rows).toBe(0);
          await expectCode(vault.read(subject, 'text'), 'SUBJECT_ERASED');
          await expectCode(vault.readAll(subject), 'SUBJECT_ERASED');
          await expectCode(vault.guard().read(text, { purpose: 'service', actor: 'c' }), 'SUBJECT_ERASED');
          await expectCode(vault.erase(subject, { actor: 'dpo', reference: 'again' }), 'ALREADY_ERASED');
          await expectCode(vault.collect({ subject, collectionPoint: 'form', actor: 'c', values: { text: 'x' } }), 'SUBJECT_ERASED');
          // A ciphertext copied before the erasure and put back cannot be decrypted: the key is gone.
          await adapter.transaction((tx) => tx.putValue(kept as ValueRow));
          await expectCode(vault.read(subject, 'email'), 'SUBJECT_ERASED');
          expect((await vault.audit.entries({ subject, action: 'erase' })).length).toBe(1);
        });
      });

      it('a copy of the database taken before erasure is unreadable once the KEK is rotated and retired', async () => {
        await withAdapter(async (adapter) => {
          // The live database and its "backup" share the fixed suite keys; we model the backup by
          // keeping the subject row as it was before erasure.
          const vault = await vaultOn(adapter);
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'backed up' } });
          const backupRow = await adapter.transaction((tx) => tx.getSubject(subject));
          const [backupValue] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
          await vault.erase(subject, { actor: 'dpo', reference: 'req-backup' });
          // The backup still holds a wrapped key under kek-1. After rotation to kek-2 and removal
          // of kek-1 from the keyring, nothing can unwrap it.
          const retired = createLocalKeyring({ keys: { 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY });
          await expect(Promise.resolve().then(() => retired.unwrapKey(backupRow?.keyId ?? '', backupRow?.wrappedKey ?? new Uint8Array(), subject))).rejects.toMatchObject({
            code: 'KEY_UNAVAILABLE',
          });
          expect(backupValue?.ciphertext.length).toBeGreaterThan(0);
        });
      });
    });

    part('key-rotation', () => {
      it('rotateKeys re-wraps data keys with the current KEK without re-encrypting values; the old KEK can then be removed', async () => {
        await withAdapter(async (adapter) => {
          const oldRing = createLocalKeyring({ keys: { 'kek-1': KEK_1 }, current: 'kek-1', indexKey: INDEX_KEY });
          const v1 = await vaultOn(adapter, oldRing);
          const email = `rot.${randomBytes(4).toString('hex')}@example.jp`;
          const { subject } = await v1.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'rotated', email } });
          const [before] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
          const both = createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY });
          const v2 = await vaultOn(adapter, both);
          const { rewrapped, failed } = await v2.rotateKeys({ actor: 'ops' });
          expect(rewrapped).toBeGreaterThanOrEqual(1);
          expect(failed.map((f) => f.subject)).not.toContain(subject);
          const row = await adapter.transaction((tx) => tx.getSubject(subject));
          expect(row?.keyId).toBe('kek-2');
          const [after] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
          expect(Buffer.from(after?.ciphertext ?? []).equals(Buffer.from(before?.ciphertext ?? [1]))).toBe(true);
          const newOnly = await vaultOn(adapter, createLocalKeyring({ keys: { 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY }));
          expect(await newOnly.guard().read(await newOnly.read(subject, 'text'), { purpose: 'service', actor: 'c' })).toBe('rotated');
          expect(await newOnly.findByLookup('email', email)).toEqual([subject]);
          await expectCode(v1.read(subject, 'text'), 'KEY_UNAVAILABLE');
          expect((await v2.rotateKeys({ actor: 'ops' })).rewrapped).toBe(0);
          expect((await v2.audit.entries({ action: 'keys.rotate' })).length).toBeGreaterThanOrEqual(2);
          // Back to kek-1 so later parts (and later runs) find the suite's usual state.
          await vaultOn(adapter, createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-1', indexKey: INDEX_KEY })).then((v) => v.rotateKeys({ actor: 'ops' }));
        });
      });
    });

    part('tamper', () => {
      it('one flipped byte in a stored ciphertext → IntegrityError, no value', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'untouched', count: 42 } });
          const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
          const flipped = new Uint8Array(row?.ciphertext ?? []);
          const i = flipped.length - 1;
          flipped[i] = (flipped[i] as number) ^ 0x01;
          await adapter.transaction((tx) => tx.putValue({ ...(row as ValueRow), ciphertext: flipped }));
          await expectCode(vault.read(subject, 'text'), 'INTEGRITY_ERROR');
          await expectCode(vault.readAll(subject), 'INTEGRITY_ERROR');
          // The untouched field still reads.
          expect(await vault.guard().read(await vault.read(subject, 'count'), { purpose: 'service', actor: 'c' })).toBe(42);
          // Erasure needs no key: it also clears the damage for later parts on a shared database.
          await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
        });
      });

      it('a ciphertext swapped between subjects or between fields → IntegrityError', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const { subject: a } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Alice', email: 'alice@example.jp' } });
          const { subject: b } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Bob', email: 'bob@example.jp' } });
          const [aText] = await adapter.transaction((tx) => tx.getValues(a, ['text']));
          const [aEmail] = await adapter.transaction((tx) => tx.getValues(a, ['email']));
          // a's text ciphertext under b's text.
          await adapter.transaction((tx) => tx.putValue({ ...(aText as ValueRow), subjectId: b }));
          await expectCode(vault.read(b, 'text'), 'INTEGRITY_ERROR');
          // a's e-mail ciphertext under a's text (same subject, same key, other field).
          await adapter.transaction((tx) => tx.putValue({ ...(aEmail as ValueRow), field: 'text' }));
          await expectCode(vault.read(a, 'text'), 'INTEGRITY_ERROR');
          // a wrapped data key moved to another subject does not unwrap either.
          const rowA = await adapter.transaction((tx) => tx.getSubject(a));
          const rowB = await adapter.transaction((tx) => tx.getSubject(b));
          await adapter.transaction((tx) => tx.updateSubject({ ...(rowB as SubjectRow), wrappedKey: rowA?.wrappedKey ?? null, version: (rowB?.version ?? 0) + 1 }, rowB?.version ?? 0));
          await expectCode(vault.read(b, 'email'), 'INTEGRITY_ERROR');
          for (const s of [a, b]) await vault.erase(s, { actor: 'conformance', reference: 'tamper-cleanup' });
        });
      });

      it('a tampered wrapped data key → IntegrityError; an unknown KEK id → KeyUnavailableError', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'k' } });
          const row = (await adapter.transaction((tx) => tx.getSubject(subject))) as SubjectRow;
          const wrapped = new Uint8Array(row.wrappedKey ?? []);
          wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] as number) ^ 0x80;
          await adapter.transaction((tx) => tx.updateSubject({ ...row, wrappedKey: wrapped, version: row.version + 1 }, row.version));
          await expectCode(vault.read(subject, 'text'), 'INTEGRITY_ERROR');
          await adapter.transaction((tx) => tx.updateSubject({ ...row, keyId: 'kek-9', version: row.version + 2 }, row.version + 1));
          await expectCode(vault.read(subject, 'text'), 'KEY_UNAVAILABLE');
          await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
        });
      });
    });

    part('plaintext', () => {
      it('the raw database holds no plaintext personal value (values, history, lookups, audit)', async () => {
        await withAdapter(async (adapter) => {
          const vault = await vaultOn(adapter);
          const values = distinctiveValues();
          const corrected = distinctiveValues();
          const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
          // Corrections keep the old value in the history: that copy must be encrypted too.
          await vault.correct(subject, 'text', corrected.text, { actor: 'dpo', reason: 'request' });
          await vault.correct(subject, 'profile', corrected.profile, { actor: 'dpo', reason: 'request' });
          await vault.deleteValue(subject, 'tags', { actor: 'dpo', reason: 'request' });
          await vault.guard().read(await vault.read(subject, 'email'), { purpose: 'service', actor: 'c' });
          const dump = toBuffer(await options.rawDump(adapter));
          // The dump must be real: it holds the (non-personal) subject id we just wrote.
          expect(dump.includes(Buffer.from(subject, 'utf8')) || dump.includes(Buffer.from(subject, 'utf16le'))).toBe(true);
          const leaks: string[] = [];
          for (const term of [...searchTerms(values), corrected.text, corrected.profile.city, corrected.profile.street]) {
            const utf8 = Buffer.from(term, 'utf8');
            for (const needle of [utf8, Buffer.from(term, 'utf16le'), Buffer.from(utf8.toString('hex'), 'latin1'), Buffer.from(utf8.toString('base64').replace(/=+$/, ''), 'latin1')]) {
              if (dump.includes(needle)) leaks.push(`a value of ${term.length} characters`);
            }
          }
          expect(leaks).toEqual([]);
        });
      });
    });
  });
}
