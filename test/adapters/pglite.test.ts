import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, IntegrityError, InvalidArgumentError, StorageUnavailableError, type SubjectRow } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { runAdapterConformance } from 'purpose-bound/testing';
import { adapterContract, type Harness } from './support/contract.js';
import { rowsToBytes, TABLES_OF_SCHEMA } from './support/raw-dump.js';

// One PGlite instance for the whole file (startup ~2 s, ~0.8 GB); each test gets its own schema.
let client: PGlite;
beforeAll(async () => {
  client = await PGlite.create();
});
afterAll(async () => {
  await client.close();
});
let n = 0;

/**
 * A `PGliteLike` over the file's instance, `members` replacing its own. It has none of PGlite's
 * protocol members, so an adapter on it runs `client.query()`.
 */
function clientLike<M extends object = Record<never, never>>(members: M = {} as M) {
  return { closed: false, waitReady: Promise.resolve(), query: client.query.bind(client), transaction: client.transaction.bind(client), close: async () => undefined, ...members };
}

/** A subject row to insert (the adapter's own tests: no vault, no real key). */
const subjectRow = (id: string): SubjectRow => ({ id, keyId: 'k', wrappedKey: new Uint8Array([1]), createdAt: 'c', erasedAt: null, erasureRef: null, version: 1 });

const harness: Harness = {
  name: 'pglite',
  concurrent: false,
  async fresh(prepare) {
    const schema = `t${++n}`;
    await client.exec(`CREATE SCHEMA ${schema}`);
    const raw = async (sql: string) => (await client.query<Record<string, unknown>>(sql)).rows;
    const t = (name: string) => `${schema}.${name}`;
    if (prepare) await prepare(raw, t);
    return { adapter: pgliteAdapter({ client, schema }), raw, t, another: () => pgliteAdapter({ client, schema }) };
  },
};

adapterContract(harness);

// The published conformance suite on the shared instance, in a schema of its own. PGlite is
// one connection: the "second connection" is a second adapter over the same client, which must
// not interleave its transactions with the first's.
runAdapterConformance({
  name: 'pglite',
  createAdapter: async () => pgliteAdapter({ client, schema: 'conformance' }),
  rawDump: async () => {
    const tables = (await client.query<{ table_name: string }>(TABLES_OF_SCHEMA, ['conformance'])).rows;
    const rows: Record<string, unknown>[] = [];
    for (const { table_name } of tables) rows.push(...(await client.query<Record<string, unknown>>(`SELECT * FROM conformance."${table_name}"`)).rows);
    return rowsToBytes(rows);
  },
  concurrent: async () => pgliteAdapter({ client, schema: 'conformance' }),
  reopen: async () => pgliteAdapter({ client, schema: 'conformance' }),
});

describe('pglite adapter specifics', () => {
  it('leaves a client you pass open on close, and reports it as in memory', async () => {
    const adapter = pgliteAdapter({ client, schema: 'own_client' });
    expect(adapter.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    expect(adapter.location).toBe('memory://#own_client');
    await adapter.open();
    await adapter.close();
    expect(client.closed).toBe(false);
  });

  it("applies each migration once when adapters on one instance open at once (no lock but the instance's transaction lock)", async () => {
    await client.exec('CREATE SCHEMA opened_at_once');
    const adapters = [1, 2, 3].map(() => pgliteAdapter({ client, schema: 'opened_at_once' }));
    await Promise.all(adapters.map((a) => a.open()));
    const versions = await Promise.all(adapters.map((a) => a.schemaVersion()));
    expect(new Set(versions).size).toBe(1);
    const applied = (await client.query<{ version: number }>('SELECT version FROM opened_at_once.pb_schema ORDER BY version')).rows.map((r) => r.version);
    expect(applied).toEqual(Array.from({ length: versions[0] ?? 0 }, (_, i) => i + 1));
    await Promise.all(adapters.map((a) => a.close()));
  });

  it("fails reads as IntegrityError, never with wrong values, while a user of the shared instance has set bytea_output = 'escape'", async () => {
    const vault = await createVault({
      policy: ji4pePolicy,
      adapter: pgliteAdapter({ client, schema: 'escape_output' }),
      keyring: createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' }),
    });
    const { subject } = await vault.collect({
      collectionPoint: 'courseApplication',
      actor: 'test',
      values: { name: 'Escape Person', email: 'escape@example.jp', dateOfBirth: '1990-01-01', address: '1-1 Chiyoda', phone: '03-1234-5678' },
    });
    const read = () => vault.read(subject, 'email', { purpose: 'contact', actor: 'test' });
    expect(await read()).toBe('escape@example.jp');
    await client.exec("SET bytea_output = 'escape'");
    try {
      await expect(read()).rejects.toBeInstanceOf(IntegrityError);
    } finally {
      await client.exec('RESET bytea_output');
    }
    expect(await read()).toBe('escape@example.jp');
    await vault.close();
  });

  it('creates, persists and reopens a data directory it owns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pb-pglite-'));
    try {
      const adapter = pgliteAdapter({ dataDir: dir });
      expect(adapter.capabilities).toEqual({ persistent: true, concurrentWriters: false });
      expect(adapter.location).toBe(path.resolve(dir));
      await adapter.transaction((tx) => tx.insertSubject(subjectRow('s1')));
      await adapter.close();
      await expect(adapter.transaction((tx) => tx.listSubjects())).rejects.toBeInstanceOf(StorageUnavailableError);
      const again = pgliteAdapter({ dataDir: dir });
      expect((await again.transaction((tx) => tx.listSubjects())).map((s) => s.id)).toEqual(['s1']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives StorageUnavailableError for a closed client', async () => {
    const closed = clientLike({ closed: true });
    const error = await pgliteAdapter({ client: closed })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'pglite', location: 'memory://' });
  });

  it('rejects malformed options with a named error, never echoing them', () => {
    expect(() => pgliteAdapter({ schema: 'x"; DROP TABLE y; --' })).toThrow(InvalidArgumentError);
    expect(() => pgliteAdapter({ schema: 'x"; DROP TABLE y; --' })).not.toThrow(/DROP/);
    /** The argument an InvalidArgumentError names, its message checked to start with it. */
    const refused = (options: unknown): string | undefined => {
      try {
        pgliteAdapter(options as never);
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError);
        const { argument, message } = error as InvalidArgumentError;
        expect(message).toMatch(new RegExp(`^${argument.replaceAll('.', '\\.')} (must|takes) \\S+ \\S+`));
        return argument;
      }
    };
    const usable = clientLike();
    expect(refused(undefined)).toBeUndefined();
    expect(refused({ client: usable })).toBeUndefined();
    for (const options of [null, 5, 'memory://']) expect(refused(options), String(options)).toBe('options');
    for (const client of [
      null,
      5,
      'memory://',
      {},
      { query: usable.query },
      { transaction: usable.transaction },
      { query: 'q', transaction: usable.transaction },
      { query: usable.query, transaction: {} },
      Object.assign(() => undefined, { query: usable.query, transaction: usable.transaction }), // a function, not an instance
    ]) {
      expect(refused({ client }), JSON.stringify(client)).toBe('options.client');
    }
    expect(refused({ client: usable, dataDir: './data' })).toBe('options');
    for (const dataDir of ['', 5, {}]) expect(refused({ dataDir }), JSON.stringify(dataDir)).toBe('options.dataDir');
    for (const preparedStatements of ['yes', 1, null]) expect(refused({ preparedStatements }), String(preparedStatements)).toBe('options.preparedStatements');
  });

  it('reports where it stores and whether that lasts, from the data directory, before it opens', () => {
    const at = (options: Parameters<typeof pgliteAdapter>[0]) => {
      const adapter = pgliteAdapter(options);
      return { location: adapter.location, persistent: adapter.capabilities.persistent };
    };
    expect(at({})).toEqual({ location: 'memory://', persistent: false });
    expect(at({ dataDir: 'memory://named' })).toEqual({ location: 'memory://', persistent: false });
    expect(at({ dataDir: 'idb://pb-data' })).toEqual({ location: 'idb://pb-data', persistent: true });
    expect(at({ dataDir: 'data/pg', schema: 'privacy' })).toEqual({ location: `${path.resolve('data/pg')}#privacy`, persistent: true });
    expect(at({ dataDir: 'data/x://y' })).toEqual({ location: path.resolve('data/x://y'), persistent: true });
    const withDir = (dataDir: string | undefined) => clientLike({ dataDir });
    expect(at({ client: withDir(undefined) })).toEqual({ location: 'memory://', persistent: false });
    expect(at({ client: withDir('') })).toEqual({ location: 'memory://', persistent: false });
    expect(at({ client: withDir('memory://x') })).toEqual({ location: 'memory://', persistent: false });
    expect(at({ client: withDir('/var/lib/pb') })).toEqual({ location: '/var/lib/pb', persistent: true });
  });

  it("runs its statements over PGlite's wire protocol by default: reads without BEGIN/COMMIT, a write batch as one statement", async () => {
    const adapter = pgliteAdapter({ client, schema: 'fast_default' });
    await adapter.open();
    const calls = { execProtocol: 0, transaction: 0 };
    const original = { execProtocol: client.execProtocol, transaction: client.transaction };
    client.execProtocol = function (this: PGlite, ...args: Parameters<PGlite['execProtocol']>) {
      calls.execProtocol++;
      return original.execProtocol.apply(this, args);
    };
    client.transaction = function (this: PGlite, ...args: Parameters<PGlite['transaction']>) {
      calls.transaction++;
      return original.transaction.apply(this, args);
    } as PGlite['transaction'];
    const counted = async (fn: () => Promise<unknown>) => {
      calls.execProtocol = 0;
      calls.transaction = 0;
      await fn();
      return { ...calls };
    };
    try {
      const row = subjectRow('fast-1');
      expect((await counted(() => adapter.transaction((tx) => tx.insertSubject(row)))).transaction).toBe(1);
      const read = () => adapter.transaction((tx) => tx.getSubject('fast-1'), { readOnly: true });
      await read(); // its statement prepared
      expect(await counted(read)).toEqual({ execProtocol: 1, transaction: 0 });
      expect(await counted(async () => expect((await adapter.getSubjectWithValues?.('fast-1'))?.subject.id).toBe('fast-1'))).toMatchObject({ transaction: 0 });
      const batch = await counted(() => adapter.writeBatch?.([{ op: 'insertSubject', row: { ...row, id: 'fast-2' } }]) ?? Promise.reject(new Error('no writeBatch')));
      expect(batch.transaction).toBe(0);
      expect(batch.execProtocol).toBeGreaterThan(0);
      expect((await read())?.id).toBe('fast-1');
    } finally {
      client.execProtocol = original.execProtocol;
      client.transaction = original.transaction;
      await adapter.close();
    }
  });

  it('closes a client you pass only with closeClient, and not twice', async () => {
    const wrapper = () => {
      const w = clientLike({ closes: 0 });
      w.close = async () => void w.closes++;
      return w;
    };
    const kept = wrapper();
    const a = pgliteAdapter({ client: kept, schema: 'close_client' });
    await a.open();
    await a.close();
    expect(kept.closes).toBe(0);
    const closed = wrapper();
    const b = pgliteAdapter({ client: closed, schema: 'close_client', closeClient: true });
    await b.open();
    await b.close();
    expect(closed.closes).toBe(1);
    const gone = wrapper();
    const c = pgliteAdapter({ client: gone, schema: 'close_client', closeClient: true });
    await c.open();
    gone.closed = true; // closed by its owner meanwhile
    await c.close();
    expect(gone.closes).toBe(0);
  });

  it('refuses to use a client closed after open, without calling into it: StorageUnavailableError', async () => {
    const calls: string[] = [];
    const w = clientLike({
      query: (sql: string, params?: unknown[]) => {
        calls.push('query');
        return client.query(sql, params);
      },
      transaction: <T>(fn: (tx: PGlite) => Promise<T>) => {
        calls.push('transaction');
        return client.transaction(fn as never) as Promise<T>;
      },
    });
    const adapter = pgliteAdapter({ client: w as never, schema: 'closed_later' });
    await adapter.open();
    w.closed = true;
    calls.length = 0;
    for (const use of [
      () => adapter.transaction((tx) => tx.insertSubject(subjectRow('x'))),
      () => adapter.transaction((tx) => tx.getSubject('x'), { readOnly: true }),
      () => adapter.getSubjectWithValues?.('x') ?? Promise.reject(new Error('no fast path')),
    ]) {
      const error = await use().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ adapter: 'pglite' });
    }
    expect(calls).toEqual([]);
    await adapter.close();
  });
});
