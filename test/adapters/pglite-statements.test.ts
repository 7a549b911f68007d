import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, StorageError, type StorageAdapter, type SubjectRow, type ValueRow } from 'purpose-bound';
import { pgliteAdapter, pgliteExecutor } from '../../src/adapters/pglite.js';
import { loadPGliteProtocol, MAX_PREPARED_PER_CLIENT, pgliteStatementRunner, type PGliteProtocol, type PGliteStatementRunner } from '../../src/adapters/pglite-statements.js';

// ONE PGlite instance for the file (startup ~2 s, ~0.8 GB), on a data directory so the last
// test can close it and open the directory again.
const dir = mkdtempSync(path.join(tmpdir(), 'pb-pglite-statements-'));
const dataDir = path.join(dir, 'pg');
let client: PGlite;

beforeAll(async () => {
  client = await PGlite.create(dataDir);
  await client.exec(`
    CREATE TABLE kinds (id INTEGER PRIMARY KEY, label TEXT, data BYTEA, big BIGINT, flag BOOLEAN, note TEXT);
    INSERT INTO kinds VALUES
      (1, 'eins', '\\x00ff10', 9007199254740991, true, NULL),
      (2, '日本語テキスト', '\\x', -5, false, 'n'),
      (3, NULL, NULL, NULL, NULL, NULL);
    CREATE TABLE counted (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  `);
});

afterAll(async () => {
  if (!client.closed) await client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** PGlite's protocol helpers, loaded in the test that uses them (loading them is part of what is tested). */
async function pglProtocol(): Promise<PGliteProtocol> {
  const loaded = await loadPGliteProtocol();
  if (loaded === undefined) throw new Error('PGlite protocol helpers not found');
  return loaded;
}

/**
 * A statement runner on the file's instance, made in the test that uses it: what the runner
 * sets up is then attributed to the tests that depend on it (mutation testing counts coverage
 * per test, and a hook's belongs to none).
 */
async function fastRunner(protocol?: PGliteProtocol): Promise<PGliteStatementRunner> {
  const r = pgliteStatementRunner(client, protocol ?? (await pglProtocol()));
  if (r === undefined) throw new Error('this PGlite lacks the members of the statement path');
  return r;
}

/** The calls into PGlite's wire protocol while `fn` runs: for each, whether it synced to the file system. */
async function protocolSyncs(fn: () => Promise<unknown>): Promise<boolean[]> {
  const original = client.execProtocol;
  const syncs: boolean[] = [];
  client.execProtocol = function (this: PGlite, message, options) {
    syncs.push(options?.syncToFs ?? true); // PGlite's default is to sync
    return original.call(this, message, options);
  };
  try {
    await fn();
  } finally {
    client.execProtocol = original;
  }
  return syncs;
}

/** Count the calls into PGlite's wire protocol while `fn` runs. */
async function protocolCalls(fn: () => Promise<unknown>): Promise<number> {
  return (await protocolSyncs(fn)).length;
}

/** Something that runs SQL in one transaction: the runner's executor, or a PGlite transaction. */
type InTransaction = (sql: string, params: unknown[]) => Promise<unknown>;

/** Row 1's bytes read in PostgreSQL's escape format (`bytea_output` for this transaction only). */
async function escapeFormatRead(all: InTransaction): Promise<unknown> {
  await all("SET LOCAL bytea_output = 'escape'", []);
  return all('SELECT data FROM kinds WHERE id = $1', [1]);
}

/** The same through `client.query()`, in a transaction of its own. */
const escapeFormatReadByQuery = (): Promise<unknown> => client.transaction((tx) => escapeFormatRead(async (sql, params) => (await tx.query(sql, params)).rows));

async function preparedNames(): Promise<string[]> {
  const rows = (await client.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'pb\\_%' ORDER BY name`)).rows;
  return rows.map((r) => r.name);
}

const subject = (id: string): SubjectRow => ({
  id,
  keyId: 'kek-1',
  wrappedKey: new Uint8Array([1, 2, 3, 250]),
  createdAt: '2026-04-01T00:00:00.000Z',
  erasedAt: null,
  erasureRef: null,
  version: 1,
});

const value = (subjectId: string, meta: string): ValueRow => ({
  subjectId,
  field: 'email',
  ciphertext: new Uint8Array([9, 8, 7]),
  lookup: null,
  meta,
  updatedAt: '2026-04-01T00:00:00.000Z',
  version: 1,
});

describe('pglite prepared statement path', () => {
  const select = 'SELECT id, label, data, big, flag, note FROM kinds WHERE id = ANY($1::int[]) OR label = $2 ORDER BY id';

  it('returns the rows client.query returns (text, bytea as Uint8Array, integers, booleans, nulls), every time', async () => {
    const runner = await fastRunner();
    const params = ['{1,2,3}', 'nothing'];
    const expected = (await client.query(select, params)).rows;
    expect(expected).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      const rows = await runner.autocommit.all(select, params);
      expect(rows).toEqual(expected);
      expect(rows[0]?.['data']).toBeInstanceOf(Uint8Array);
      expect(Array.from(rows[0]?.['data'] as Uint8Array)).toEqual([0, 255, 16]);
      expect((rows[1]?.['data'] as Uint8Array | undefined)?.length).toBe(0);
      expect(rows[0]?.['label']).toBe('eins');
      expect(rows[1]?.['label']).toBe('日本語テキスト');
      expect(rows[2]).toEqual({ id: 3, label: null, data: null, big: null, flag: null, note: null });
    }
    const inTransaction = await runner.transaction((exec) => exec.all(select, params));
    expect(inTransaction).toEqual(expected);
  });

  it('binds parameters by their types: bytes, numbers, bigints and nulls round-trip', async () => {
    const runner = await fastRunner();
    const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256);
    const sql = 'SELECT $1::bytea AS b, $2::int AS i, $3::bigint AS g, $4::text AS t, $5::bytea AS nb';
    const params = [bytes, 42, 12345678901n, 'ü ✓', null] as const;
    const rows = await runner.autocommit.all(sql, params);
    expect(rows).toEqual((await client.query(sql, [...params])).rows);
    expect(rows[0]?.['b']).toBeInstanceOf(Uint8Array);
    expect(Array.from(rows[0]?.['b'] as Uint8Array)).toEqual(Array.from(bytes));
    expect(rows[0]?.['nb']).toBeNull();
  });

  it('leaves a bytea parser you set on the instance in charge', async () => {
    const runner = await fastRunner();
    const original = client.parsers[17];
    client.parsers[17] = (text: string) => `custom:${text}`;
    try {
      expect(await runner.autocommit.all('SELECT data FROM kinds WHERE id = $1', [1])).toEqual([{ data: 'custom:\\x00ff10' }]);
    } finally {
      if (original) client.parsers[17] = original;
    }
    expect(await runner.autocommit.all('SELECT data FROM kinds WHERE id = $1', [1])).toEqual([{ data: new Uint8Array([0, 255, 16]) }]);
  });

  it('prepares a statement once per instance, then runs it in ONE protocol call, also from another runner', async () => {
    const protocol = await pglProtocol();
    const runner = await fastRunner();
    const sql = 'SELECT label FROM kinds WHERE id = $1';
    const first = await protocolCalls(() => runner.autocommit.all(sql, [1]));
    expect(first).toBe(2); // Parse+Describe, then Bind+Describe+Execute+Sync
    const again = await protocolCalls(() => runner.autocommit.all(sql, [2]));
    expect(again).toBe(1);
    const other = pgliteStatementRunner(client, protocol);
    const fromOther = await protocolCalls(async () => expect(await other?.autocommit.all(sql, [1])).toEqual([{ label: 'eins' }]));
    expect(fromOther).toBe(1);
    expect((await preparedNames()).length).toBeGreaterThan(0);
    const statements = (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE statement = $1', [sql])).rows;
    expect(statements).toHaveLength(1);
  });

  it('keeps a statement prepared in a transaction that rolled back', async () => {
    const runner = await fastRunner();
    const sql = 'SELECT n FROM counted WHERE id = $1';
    await expect(
      runner.transaction(async (exec) => {
        await exec.all(sql, [1]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await protocolCalls(() => runner.autocommit.all(sql, [1]))).toBe(1);
  });

  it('resolves run() to the rows changed by INSERT, UPDATE and DELETE', async () => {
    const runner = await fastRunner();
    await runner.transaction(async (exec) => {
      expect(await exec.run('INSERT INTO counted (id, n) VALUES ($1, $2), ($3, $4)', [10, 1, 11, 1])).toBe(2);
      expect(await exec.run('UPDATE counted SET n = n + 1 WHERE id >= $1', [10])).toBe(2);
      expect(await exec.run('UPDATE counted SET n = 0 WHERE id = $1', [999])).toBe(0);
      expect(await exec.run('DELETE FROM counted WHERE id = $1', [11])).toBe(1);
    });
    expect(await runner.autocommit.run('DELETE FROM counted WHERE id >= $1', [10])).toBe(1);
    // the same counts as the plain query() executor
    const plain = pgliteExecutor(client);
    expect(await plain.run('INSERT INTO counted (id, n) VALUES ($1, $2), ($3, $4)', [12, 1, 13, 1])).toBe(2);
    expect(await runner.autocommit.run('DELETE FROM counted WHERE id IN ($1, $2)', [12, 13])).toBe(2);
  });

  it('runs a data-modifying CTE through all() and run()', async () => {
    const runner = await fastRunner();
    const cte = 'WITH ins AS (INSERT INTO counted (id, n) VALUES ($1, $2), ($3, $4) RETURNING id) SELECT id FROM ins ORDER BY id';
    expect(await runner.autocommit.all(cte, [20, 5, 21, 6])).toEqual([{ id: 20 }, { id: 21 }]);
    expect(await runner.autocommit.run(cte, [22, 5, 23, 6])).toBe(2); // the rows of its SELECT, as pg's rowCount
    expect(await pgliteExecutor(client).run(cte, [24, 5, 25, 6])).toBe(2);
    const stored = await client.query<{ id: number }>('SELECT id FROM counted WHERE id BETWEEN 20 AND 25 ORDER BY id');
    expect(stored.rows.map((r) => r.id)).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it('throws PostgreSQL errors with their SQLSTATE and without the parameters attached', async () => {
    const runner = await fastRunner();
    const error = await runner.autocommit.all('SELECT $1::int AS n', ['not-a-number-7f3a']).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('22P02');
    expect((error as { params?: unknown }).params).toBeUndefined();
    const count = await runner.autocommit.all('SELECT $1::int AS n', [1, 2]).catch((e: unknown) => e);
    expect(count).toBeInstanceOf(Error);
    expect(String((count as Error).message)).toMatch(/takes 1 parameters, 2 were given/);
    // the instance is still usable afterwards, in and out of transactions
    expect(await runner.autocommit.all('SELECT $1::int AS n', ['7'])).toEqual([{ n: 7 }]);
    expect(await runner.transaction((exec) => exec.all('SELECT $1::int AS n', ['8']))).toEqual([{ n: 8 }]);
  });

  it('refuses a statement of a transaction that has ended', async () => {
    const runner = await fastRunner();
    let kept: { all(sql: string, params: readonly unknown[]): Promise<unknown> } | undefined;
    await runner.transaction(async (exec) => {
      kept = exec as typeof kept;
    });
    await expect(kept?.all('SELECT 1 AS one', [])).rejects.toThrow('Transaction is closed');
  });

  it('is offered only for a client with every PGlite member it needs', async () => {
    const protocol = await pglProtocol();
    const fn = async () => undefined;
    const complete = { execProtocol: fn, transaction: fn, _runExclusiveTransaction: fn, _runExclusiveQuery: fn, serializers: {}, parsers: {}, closed: false };
    expect(pgliteStatementRunner(complete, protocol)).toBeDefined();
    for (const member of Object.keys(complete).filter((k) => k !== 'closed')) {
      const { [member as keyof typeof complete]: _, ...without } = complete;
      expect(pgliteStatementRunner(without, protocol), `without ${member}`).toBeUndefined();
      for (const wrong of [null, 'text', member === 'serializers' || member === 'parsers' ? fn : {}]) {
        expect(pgliteStatementRunner({ ...complete, [member]: wrong }, protocol), `${member}: ${typeof wrong}`).toBeUndefined();
      }
    }
    expect(pgliteStatementRunner({ query: async () => ({ rows: [] }), transaction: fn }, protocol)).toBeUndefined();
    expect(pgliteStatementRunner(null, protocol)).toBeUndefined();
    expect(pgliteStatementRunner('client', protocol)).toBeUndefined();
  });

  it("names each statement pb_ and the first 24 hex digits of its text's SHA-256", async () => {
    const runner = await fastRunner();
    const sql = 'SELECT id FROM kinds WHERE id = $1 AND $2::text IS NOT NULL';
    await runner.autocommit.all(sql, [1, 'x']);
    const rows = (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql])).rows;
    expect(rows).toEqual([{ name: `pb_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}` }]);
    for (const name of await preparedNames()) expect(name).toMatch(/^pb_[0-9a-f]{24}$/);
  });

  it('syncs to the file system once per autocommit statement, never for a prepare or a statement inside a transaction', async () => {
    const runner = await fastRunner();
    const sql = 'SELECT n FROM counted WHERE id = $1 AND $2::int > 0';
    expect(await protocolSyncs(() => runner.autocommit.all(sql, [1, 1]))).toEqual([false, true]); // prepare, execute
    expect(await protocolSyncs(() => runner.autocommit.all(sql, [1, 2]))).toEqual([true]);
    const inTransaction = 'SELECT n FROM counted WHERE id = $1 AND $2::int > 1';
    expect(await protocolSyncs(() => runner.transaction(async (exec) => [await exec.all(inTransaction, [1, 2]), await exec.all(inTransaction, [1, 3])]))).toEqual([
      false,
      false,
      false,
    ]);
    await client.exec('DEALLOCATE ALL');
    expect(await protocolSyncs(() => runner.autocommit.all(sql, [1, 3]))).toEqual([true, false, true]); // gone, prepared again, executed
  });

  it('runs a failing statement once, in autocommit and in a transaction, when its error is not a stale statement', async () => {
    const runner = await fastRunner();
    const sql = 'SELECT $1::int AS n';
    await runner.autocommit.all(sql, ['1']); // prepared
    expect(await protocolCalls(() => runner.autocommit.all(sql, ['not-a-number']).catch(() => undefined))).toBe(1);
    let runs = 0;
    const error = await runner
      .transaction(async (exec) => {
        runs++;
        await exec.all(sql, ['not-a-number']);
      })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('22P02');
    expect(runs).toBe(1);
  });

  it("runs a statement that fails with another 'feature not supported' (0A000) once: only a stale plan is prepared again", async () => {
    const runner = await fastRunner();
    const sql = 'SELECT count(*) AS n FROM kinds WHERE id > $1 FOR UPDATE';
    const first = await runner.autocommit.all(sql, [0]).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: '0A000' });
    expect(await protocolCalls(() => runner.autocommit.all(sql, [0]).catch(() => undefined))).toBe(1);
    let runs = 0;
    const error = await runner
      .transaction(async (exec) => {
        runs++;
        await exec.all(sql, [0]);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '0A000' });
    expect(runs).toBe(1);
  });

  it("prepares a statement again when a table change makes its plan stale ('cached plan must not change result type')", async () => {
    const runner = await fastRunner();
    await client.exec('CREATE TABLE altered (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO altered VALUES (1, 5)');
    const sql = 'SELECT v FROM altered WHERE id = $1';
    expect(await runner.autocommit.all(sql, [1])).toEqual([{ v: 5 }]);
    expect(await runner.transaction((exec) => exec.all(sql, [1]))).toEqual([{ v: 5 }]);
    await client.exec('ALTER TABLE altered ALTER COLUMN v TYPE TEXT');
    const stale = await client
      .query(`EXECUTE ${(await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql])).rows[0]?.name}(1)`)
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: '0A000', message: expect.stringContaining('cached plan must not change result type') });
    expect(await runner.autocommit.all(sql, [1])).toEqual([{ v: '5' }]);

    await client.exec('ALTER TABLE altered ALTER COLUMN v TYPE INTEGER USING v::integer');
    let runs = 0;
    const read = await runner.transaction(async (exec) => {
      runs++;
      return exec.all(sql, [1]);
    });
    expect(read).toEqual([{ v: 5 }]);
    expect(runs).toBe(2); // the stale plan aborted the first run
  });

  it('sends bytes as they are, not through the instance bytea serializer, and binds undefined as NULL', async () => {
    const runner = await fastRunner();
    const original = client.serializers[17];
    let serialized = 0;
    client.serializers[17] = (value: unknown) => {
      serialized++;
      return original ? original(value) : String(value);
    };
    try {
      const rows = await runner.autocommit.all('SELECT $1::bytea AS b, length($1::bytea) AS n', [new Uint8Array([1, 0, 255])]);
      expect(rows).toEqual([{ b: new Uint8Array([1, 0, 255]), n: 3 }]);
      expect(serialized).toBe(0);
    } finally {
      if (original) client.serializers[17] = original;
    }
    expect(await runner.autocommit.all('SELECT $1::text IS NULL AS n', [undefined as never])).toEqual([{ n: true }]);
  });

  it("decodes bytea in hex with its own decoder and leaves PostgreSQL's escape format to PGlite's parser", async () => {
    const defaultParser = client.parsers[17];
    if (defaultParser === undefined) throw new Error('PGlite has no bytea parser');
    let byPGlite = 0;
    const counting = (text: string, typeId?: number) => {
      byPGlite++;
      return defaultParser(text, typeId);
    };
    const runner = await fastRunner({ ...(await pglProtocol()), defaultByteaParser: counting });
    client.parsers[17] = counting; // the instance still has "PGlite's default" parser
    try {
      expect(await runner.autocommit.all('SELECT data FROM kinds WHERE id = $1', [1])).toEqual([{ data: new Uint8Array([0, 255, 16]) }]);
      expect(byPGlite).toBe(0);
      const fromRunner = await runner.transaction((exec) => escapeFormatRead((sql, params) => exec.all(sql, params as never)));
      expect(byPGlite).toBe(1);
      // what client.query() gives in the same setting (PGlite 0.5's parser reads only the hex format)
      expect(fromRunner).toEqual(await escapeFormatReadByQuery());
    } finally {
      client.parsers[17] = defaultParser;
    }
  });

  it('resolves an empty statement to no rows and a count of 0', async () => {
    const runner = await fastRunner();
    expect(await runner.autocommit.all('', [])).toEqual([]);
    expect(await runner.autocommit.run('', [])).toBe(0);
    expect(await runner.transaction((exec) => exec.all('', []))).toEqual([]);
  });

  it('rejects with what a serializer of the instance throws, as it was thrown', async () => {
    const runner = await fastRunner();
    const original = client.serializers[25];
    for (const thrown of [undefined, null, { code: '0A000' }, { code: '0A000', message: 42 }]) {
      client.serializers[25] = () => {
        throw thrown;
      };
      try {
        for (const run of [() => runner.autocommit.all('SELECT $1::text AS t', ['x']), () => runner.transaction((exec) => exec.all('SELECT $1::text AS t', ['x']))]) {
          const outcome = await run().then(
            () => 'resolved',
            (e: unknown) => ({ e }),
          );
          expect(outcome, JSON.stringify(thrown)).toEqual({ e: thrown });
        }
      } finally {
        if (original) client.serializers[25] = original;
      }
    }
  });

  it("binds a parameter through the instance's serializer for its type, bytes for bytea excepted", async () => {
    const runner = await fastRunner();
    const original = client.serializers[25];
    const seen: unknown[] = [];
    client.serializers[25] = (value: unknown) => {
      seen.push(value);
      return `custom:${String(value)}`;
    };
    try {
      expect(await runner.autocommit.all('SELECT $1::text AS t', ['x'])).toEqual([{ t: 'custom:x' }]);
      expect(await runner.autocommit.all('SELECT $1::text AS t', [new Uint8Array([65, 66])])).toEqual([{ t: 'custom:65,66' }]);
      expect(seen).toEqual(['x', new Uint8Array([65, 66])]);
    } finally {
      if (original) client.serializers[25] = original;
    }
  });

  it('resolves a statement PGlite reports no result for to no rows and a count of 0', async () => {
    const protocol = await pglProtocol();
    const runner = await fastRunner({ ...protocol, parseResults: () => [] });
    expect(await runner.autocommit.all('SELECT 1 AS one', [])).toEqual([]);
    expect(await runner.autocommit.run('SELECT 1 AS one', [])).toBe(0);
  });

  it('leaves bytea to the instance when the module has no bytea parser of its own', async () => {
    const runner = await fastRunner({ ...(await pglProtocol()), defaultByteaParser: undefined });
    const original = client.parsers[17];
    delete client.parsers[17];
    try {
      const sql = 'SELECT data FROM kinds WHERE id = $1';
      expect(await runner.autocommit.all(sql, [1])).toEqual((await client.query(sql, [1])).rows);
      // and in the escape format, as client.query() decodes it
      const fromRunner = await runner.transaction((exec) => escapeFormatRead((sql, params) => exec.all(sql, params as never)));
      expect(fromRunner).toEqual(await escapeFormatReadByQuery());
    } finally {
      if (original) client.parsers[17] = original;
    }
  });
});

describe('pglite adapter on the statement path', () => {
  let adapter: StorageAdapter;
  beforeAll(async () => {
    await client.exec('CREATE SCHEMA fast');
    adapter = pgliteAdapter({ client, schema: 'fast' });
    await adapter.open();
  });

  it('reports a constraint violation as a StorageError without the values, and rolls the transaction back', async () => {
    await client.exec(`ALTER TABLE fast.pb_values ADD CONSTRAINT meta_not_forbidden CHECK (meta <> 'forbidden-meta-5c1e')`);
    const error = await adapter
      .transaction(async (tx) => {
        await tx.insertSubject(subject('s-rollback'));
        await tx.putValue(value('s-rollback', 'forbidden-meta-5c1e'));
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).driverCode).toBe('23514');
    expect((error as Error).message).toContain('meta_not_forbidden');
    expect((error as Error).message).not.toContain('forbidden-meta-5c1e');
    expect(JSON.stringify(error)).not.toContain('forbidden-meta-5c1e');
    expect(await adapter.transaction((tx) => tx.getSubject('s-rollback'), { readOnly: true })).toBeUndefined();
    // and the adapter works on afterwards
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s-after'));
      await tx.putValue(value('s-after', 'fine'));
    });
    const read = await adapter.getSubjectWithValues?.('s-after');
    expect(read?.subject.id).toBe('s-after');
    expect(read?.values.map((v) => v.meta)).toEqual(['fine']);
    expect(Array.from(read?.subject.wrappedKey ?? [])).toEqual([1, 2, 3, 250]);
  });

  it("never reads inside another user's open transaction on the shared instance", async () => {
    const insertRaw = (tx: { query: PGlite['query'] }, id: string) =>
      tx.query(`INSERT INTO fast.pb_subjects (id, key_id, wrapped_key, created_at, version) VALUES ($1, 'kek-1', NULL, '2026-04-01', 1)`, [id]);
    for (const outcome of ['rollback', 'commit'] as const) {
      const id = `s-user-${outcome}`;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const didInsert = new Promise<void>((resolve) => (inserted = resolve));
      const user = client
        .transaction(async (tx) => {
          await insertRaw(tx, id);
          inserted();
          await released;
          if (outcome === 'rollback') await tx.rollback();
        })
        .catch((e: unknown) => e);
      await didInsert;
      let settled = false;
      const single = adapter.getSubjectWithValues?.(id).finally(() => (settled = true));
      const viaTransaction = adapter.transaction((tx) => tx.getSubject(id), { readOnly: true });
      await sleep(50);
      expect(settled).toBe(false); // queued behind the user's transaction
      release();
      await user;
      const [a, b] = await Promise.all([single, viaTransaction]);
      if (outcome === 'rollback') {
        expect(a).toBeUndefined();
        expect(b).toBeUndefined();
      } else {
        expect(a?.subject.id).toBe(id);
        expect(b?.id).toBe(id);
      }
    }
  });

  it('goes on working after another user runs DEALLOCATE ALL, applying a write transaction once', async () => {
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s-before-deallocate'));
    });
    const read = () => adapter.transaction((tx) => tx.getSubject('s-before-deallocate'), { readOnly: true });
    expect((await read())?.id).toBe('s-before-deallocate');
    expect((await preparedNames()).length).toBeGreaterThan(0);

    await client.exec('DEALLOCATE ALL');
    expect(await preparedNames()).toEqual([]);
    // a read in autocommit: re-prepared at once
    expect((await read())?.id).toBe('s-before-deallocate');

    // the write statements known again, then gone again
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s-between'));
      await tx.putValue(value('s-between', 'm'));
    });
    await client.exec('DEALLOCATE ALL');
    // a write transaction: its first statement fails, so it runs again (once) with fresh statements
    let runs = 0;
    await adapter.transaction(async (tx) => {
      runs++;
      await tx.insertSubject(subject('s-after-deallocate'));
      await tx.putValue(value('s-after-deallocate', 'm'));
    });
    expect(runs).toBe(2);
    const rows = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM fast.pb_values WHERE subject_id = 's-after-deallocate'`);
    expect(rows.rows[0]?.n).toBe(1);
    expect((await adapter.getSubjectWithValues?.('s-after-deallocate'))?.values).toHaveLength(1);
    expect((await preparedNames()).length).toBeGreaterThan(0);
  });

  it('keeps at most MAX_PREPARED_PER_CLIENT named statements and runs further texts unnamed', async () => {
    const runner = await fastRunner();
    for (let i = 0; i < MAX_PREPARED_PER_CLIENT + 20; i++) {
      expect(await runner.autocommit.all(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: 1 + i }]);
    }
    const named = await preparedNames();
    expect(named.length).toBeLessThanOrEqual(MAX_PREPARED_PER_CLIENT);
    // the texts beyond the limit ran as the unnamed statement: no other name is left prepared
    const all = (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows.map((r) => r.name);
    expect(all.sort()).toEqual(named);
    const beyond = `SELECT $1::int + ${MAX_PREPARED_PER_CLIENT + 19} AS n`;
    expect(await protocolCalls(() => runner.autocommit.all(beyond, [1]))).toBe(2); // parsed every time
    // the adapter still works with a full registry
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s-full-registry'));
    });
    expect((await adapter.getSubjectWithValues?.('s-full-registry'))?.subject.id).toBe('s-full-registry');
    await adapter.close();
  });

  it('uses client.query() when preparedStatements is false, and checks the option', async () => {
    const plain = pgliteAdapter({ client, schema: 'fast', preparedStatements: false });
    const calls = await protocolCalls(async () => {
      await plain.transaction(async (tx) => {
        await tx.insertSubject(subject('s-plain'));
      });
      expect((await plain.getSubjectWithValues?.('s-plain'))?.subject.id).toBe('s-plain');
    });
    expect(calls).toBe(0); // client.query() goes through execProtocolStream, never execProtocol
    await plain.close();
    expect(() => pgliteAdapter({ client, preparedStatements: 'yes' as never })).toThrow(InvalidArgumentError);
  });

  it('keeps what it wrote in the data directory across close and reopen', async () => {
    const own = pgliteAdapter({ client, schema: 'durable' });
    await own.open();
    await own.transaction(async (tx) => {
      await tx.insertSubject(subject('s-durable'));
      await tx.putValue(value('s-durable', 'kept'));
    });
    await own.writeBatch?.([{ op: 'insertSubject', row: subject('s-batch') }]);
    await own.close();
    const runner = await fastRunner();
    await client.close();
    await expect(runner.autocommit.all('SELECT 1 AS one', [])).rejects.toThrow(/^PGlite is closed$/);

    const reopened = pgliteAdapter({ dataDir, schema: 'durable' });
    try {
      const read = await reopened.getSubjectWithValues?.('s-durable');
      expect(read?.values.map((v) => v.meta)).toEqual(['kept']);
      expect(Array.from(read?.values[0]?.ciphertext ?? [])).toEqual([9, 8, 7]);
      expect((await reopened.transaction((tx) => tx.getSubject('s-batch'), { readOnly: true }))?.id).toBe('s-batch');
    } finally {
      await reopened.close();
    }
  });
});
