import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, StorageUnavailableError } from 'purpose-bound';
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

  it('creates, persists and reopens a data directory it owns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pb-pglite-'));
    try {
      const adapter = pgliteAdapter({ dataDir: dir });
      expect(adapter.capabilities).toEqual({ persistent: true, concurrentWriters: false });
      expect(adapter.location).toBe(path.resolve(dir));
      await adapter.transaction((tx) => tx.insertSubject({ id: 's1', keyId: 'k', wrappedKey: new Uint8Array([1]), createdAt: 'c', erasedAt: null, erasureRef: null, version: 1 }));
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
    const closed = { closed: true, waitReady: Promise.resolve(), query: client.query.bind(client), transaction: client.transaction.bind(client), close: async () => undefined };
    const error = await pgliteAdapter({ client: closed })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'pglite', location: 'memory://' });
  });

  it('rejects malformed options with a named error, never echoing them', () => {
    expect(() => pgliteAdapter({ schema: 'x"; DROP TABLE y; --' })).toThrow(InvalidArgumentError);
    expect(() => pgliteAdapter({ schema: 'x"; DROP TABLE y; --' })).not.toThrow(/DROP/);
    expect(() => pgliteAdapter({ dataDir: '' })).toThrow(InvalidArgumentError);
    expect(() => pgliteAdapter({ client: {} as never })).toThrow(InvalidArgumentError);
  });
});
