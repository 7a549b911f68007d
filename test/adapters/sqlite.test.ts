import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, InvalidArgumentError, StorageUnavailableError } from 'purpose-bound';
import { conformancePolicy } from 'purpose-bound/testing';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { runAdapterConformance } from 'purpose-bound/testing';
import { adapterContract, type Harness } from './support/contract.js';
import { sqliteFileBytes } from './support/raw-dump.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const harness: Harness = {
  name: 'sqlite',
  concurrent: true,
  async fresh(prepare) {
    const filename = path.join(dir, `t${++n}.db`);
    const rawDb = new Database(filename);
    const raw = async (sql: string) => {
      const stmt = rawDb.prepare(sql);
      return stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
    };
    const t = (name: string) => name;
    if (prepare) await prepare(raw, t);
    return { adapter: sqliteAdapter({ filename }), raw, t, another: () => sqliteAdapter({ filename }) };
  },
};

adapterContract(harness);

// The published conformance suite: one file of its own, a second Database on it for the
// concurrency parts, the file bytes (with WAL) searched for plaintext.
const conformanceFile = path.join(dir, 'conformance.db');
runAdapterConformance({
  name: 'sqlite',
  createAdapter: async () => sqliteAdapter({ filename: conformanceFile }),
  rawDump: async () => sqliteFileBytes(conformanceFile),
  concurrent: async () => sqliteAdapter({ database: new Database(conformanceFile), closeClient: true }),
  reopen: async () => sqliteAdapter({ filename: conformanceFile }),
});

describe('sqlite adapter specifics', () => {
  it('sets WAL, busy timeout and synchronous on the file it opens', async () => {
    const filename = path.join(dir, 'pragmas.db');
    const adapter = sqliteAdapter({ filename, busyTimeoutMs: 1234, synchronous: 'NORMAL' });
    await adapter.open();
    const db = new Database(filename);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(adapter.location).toBe(path.resolve(filename));
    expect(adapter.capabilities).toEqual({ persistent: true, concurrentWriters: true });
    await adapter.close();
  });

  it('uses a database you pass, configures it, and leaves it open on close unless asked', async () => {
    const filename = path.join(dir, 'given.db');
    const db = new Database(filename);
    const adapter = sqliteAdapter({ database: db });
    await adapter.transaction((tx) => tx.findByLookup('email', 'x'));
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    await adapter.close();
    expect(db.open).toBe(true);
    const closing = sqliteAdapter({ database: db, closeClient: true });
    await closing.open();
    await closing.close();
    expect(db.open).toBe(false);
  });

  it('defaults to an in-memory database that says it is not persistent', async () => {
    const adapter = sqliteAdapter();
    expect(adapter.location).toBe(':memory:');
    expect(adapter.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    await adapter.transaction((tx) => tx.listSubjects());
    await adapter.close();
  });

  it('gives StorageUnavailableError for a file that cannot be opened or a database closed under it', async () => {
    const bad = sqliteAdapter({ filename: path.join(dir, 'no', 'such', 'dir', 'x.db') });
    const error = await bad.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ adapter: 'sqlite', location: path.join(dir, 'no', 'such', 'dir', 'x.db') });

    const db = new Database(path.join(dir, 'closed-under.db'));
    const adapter = sqliteAdapter({ database: db });
    await adapter.open();
    db.close();
    await expect(adapter.transaction((tx) => tx.getSubject('s1'))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(sqliteAdapter({ database: db }).open()).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('rejects malformed options with a named error', () => {
    expect(() => sqliteAdapter({ filename: '' })).toThrow(InvalidArgumentError);
    expect(() => sqliteAdapter({ busyTimeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => sqliteAdapter({ synchronous: 'OFF' as never })).toThrow(InvalidArgumentError);
    expect(() => sqliteAdapter({ database: {} as never })).toThrow(InvalidArgumentError);
  });

  it('serialises transactions of one connection although their callbacks are async', async () => {
    const adapter = sqliteAdapter({ filename: path.join(dir, 'serial.db') });
    const order: string[] = [];
    await Promise.all(
      [0, 1, 2].map((i) =>
        adapter.transaction(async (tx) => {
          order.push(`start${i}`);
          await new Promise((r) => setTimeout(r, 5));
          await tx.appendAudit({ at: '2026-01-01T00:00:00.000Z', action: 'a', actor: 'x', decision: 'record' });
          order.push(`end${i}`);
        }),
      ),
    );
    expect(order).toEqual(['start0', 'end0', 'start1', 'end1', 'start2', 'end2']);
    await adapter.close();
  });

  it('live-only erasure: secure_delete is on, and scrub() leaves the erased wrapped key in neither the WAL nor the file while open', async () => {
    const filename = path.join(dir, `erase-${++n}.db`);
    const adapter = sqliteAdapter({ filename });
    const vault = await createVault({ policy: conformancePolicy, adapter, keyring: createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1' }) });
    const reader = new Database(filename);
    expect(reader.pragma('secure_delete', { simple: true })).toBe(0); // a connection of its own: the pragma is per connection
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 't', values: { text: 'wal' } });
    const key = Buffer.from((await adapter.transaction((tx) => tx.getSubject(subject)))?.wrappedKey ?? []);
    expect(key.length).toBeGreaterThan(0);
    const holds = () => [filename, `${filename}-wal`].filter((f) => existsSync(f) && readFileSync(f).includes(key));
    expect(holds().length).toBeGreaterThan(0);
    await vault.erase(subject, { actor: 'dpo', reference: 'req-wal' });
    expect((await vault.audit.entries({ subject, action: 'erase' }))[0]?.details?.['keyring']).toBe('live-only');
    expect(holds()).toEqual([]); // the database is still open
    expect(existsSync(`${filename}-wal`) ? readFileSync(`${filename}-wal`).length : 0).toBe(0);
    reader.close();
    await vault.close();
  });

  it('scrub() reports a checkpoint another connection blocks, and an erase still succeeds then', async () => {
    const filename = path.join(dir, `busy-${++n}.db`);
    const adapter = sqliteAdapter({ filename, busyTimeoutMs: 50 });
    const vault = await createVault({ policy: conformancePolicy, adapter, keyring: createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1' }) });
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 't', values: { text: 'busy' } });
    const reader = new Database(filename);
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM pb_subjects').get(); // holds a read snapshot of the WAL
    await vault.erase(subject, { actor: 'dpo', reference: 'req-busy' });
    expect(await vault.erasure(subject)).toMatchObject({ reference: 'req-busy' });
    await expect((adapter.scrub as () => Promise<void>)()).rejects.toMatchObject({ code: 'STORAGE_CONFLICT' }); // SQLITE_BUSY: retry later
    reader.prepare('COMMIT').run();
    await (adapter.scrub as () => Promise<void>)();
    reader.close();
    await vault.close();
  });
});
