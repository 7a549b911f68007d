/**
 * SQLite, one connection. A batch on a free connection runs whole, synchronously, before
 * `writeBatch` returns (nothing runs between its statements; a failure rolls it all back). A
 * batch queued behind another transaction runs statement by statement: a read of the subject
 * state then does not wait for an audit-only batch to commit (it runs between the batch's
 * statements: nothing it reads is uncommitted), while it still waits for any batch that writes
 * subject data, and never sees that batch's rows before they are committed.
 *
 * @module
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AuditEntryInput, StorageWrite } from 'purpose-bound';
import { sqliteAdapter, type BetterSqlite3Like } from 'purpose-bound/adapters/sqlite';

/** A better-sqlite3 database that logs every statement it runs, in order. */
function loggingDatabase(log: string[]): BetterSqlite3Like {
  const db = new Database(':memory:');
  return new Proxy(db as unknown as BetterSqlite3Like, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== 'prepare') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return (sql: string) => {
        const stmt = db.prepare(sql);
        return {
          all: (...args: unknown[]) => (log.push(sql), stmt.all(...args)),
          run: (...args: unknown[]) => (log.push(sql), stmt.run(...args)),
        };
      };
    },
  });
}

const entry = (i: number): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor: `a${i}`, subject: 's0', decision: 'allow' });
const subjectRow = (id: string) => ({ id, keyId: 'k', wrappedKey: new Uint8Array(32), createdAt: '2026-12-01T00:00:00.000Z', erasedAt: null, erasureRef: null, version: 1 });

/**
 * Hold the connection with a transaction of its own, so that `writes` queue behind it (on a free
 * connection a batch runs synchronously at once, and nothing can run between its statements);
 * let it go, wait (microtasks only) until the batch has begun, then read `subject`'s state.
 */
async function readDuring(writes: StorageWrite[], subject: string, log: string[], adapter: ReturnType<typeof sqliteAdapter>) {
  let release!: () => void;
  const holder = adapter.transaction(() => new Promise<void>((resolve) => (release = resolve)));
  for (let i = 0; i < 1000 && release === undefined; i++) await Promise.resolve();
  log.length = 0;
  const batch = adapter.writeBatch?.(writes) as Promise<unknown>;
  expect(log).toEqual([]); // queued: the connection is busy
  release();
  const batchBegan = () => log.filter((s) => /^BEGIN IMMEDIATE/.test(s)).length === 1;
  for (let i = 0; i < 1000 && !batchBegan(); i++) await Promise.resolve();
  expect(batchBegan()).toBe(true);
  const read = adapter.getSubjectStates?.({ subjects: [subject], recordKinds: [] }) as Promise<unknown[]>;
  const [states] = await Promise.all([read, batch, holder]);
  const begin = log.findIndex((s) => /^BEGIN IMMEDIATE/.test(s));
  const select = log.findIndex((s) => /^\s*SELECT 0 AS part/.test(s));
  const commit = log.findIndex((s, i) => i > begin && /^COMMIT/.test(s));
  return { states: states as { subject: { id: string } }[], readBeforeCommit: select > begin && select < commit };
}

describe('sqlite: a batch on a free connection', () => {
  it('runs whole before writeBatch returns: BEGIN IMMEDIATE, its statements and COMMIT, nothing between them', async () => {
    const log: string[] = [];
    const adapter = sqliteAdapter({ database: loggingDatabase(log) });
    await adapter.open();
    log.length = 0;
    const batch = adapter.writeBatch?.([
      { op: 'insertSubject', row: subjectRow('s0') },
      { op: 'appendAudit', entry: entry(0) },
      { op: 'appendAudit', entry: entry(1) },
    ]) as Promise<unknown[]>;
    const read = adapter.getSubjectStates?.({ subjects: ['s0'], recordKinds: [] }) as Promise<{ subject: { id: string } }[]>;
    expect(log.map((s) => s.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'BEGIN IMMEDIATE',
      'INSERT INTO pb_subjects',
      'SELECT seq, hash,',
      'INSERT INTO pb_audit',
      'INSERT INTO pb_audit',
      'INSERT INTO pb_audit_node',
      'UPDATE pb_audit_head SET',
      'COMMIT',
      'SELECT 0 AS',
    ]);
    expect((await batch).map((e) => (e as { seq: number }).seq)).toEqual([1, 2]);
    expect((await read).map((s) => s.subject.id)).toEqual(['s0']);
    await adapter.close();
  });

  it('rolls back whole when a write fails midway, and the error names it', async () => {
    const log: string[] = [];
    const adapter = sqliteAdapter({ database: loggingDatabase(log) });
    await adapter.open();
    await adapter.writeBatch?.([{ op: 'insertSubject', row: subjectRow('s0') }]);
    log.length = 0;
    await expect(
      adapter.writeBatch?.([
        { op: 'insertSubject', row: subjectRow('s1') },
        { op: 'appendAudit', entry: entry(0) },
        { op: 'insertSubject', row: subjectRow('s0') },
      ]),
    ).rejects.toMatchObject({ name: 'StorageConflictError', message: expect.stringContaining('subject "s0"') });
    expect(log.at(-1)).toBe('ROLLBACK');
    const states = (await adapter.getSubjectStates?.({ subjects: ['s0', 's1'], recordKinds: [] })) as { subject: { id: string } }[];
    expect(states.map((s) => s.subject.id)).toEqual(['s0']);
    expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
    await adapter.close();
  });
});

describe('sqlite: reads during a queued audit batch', () => {
  it('a state read runs between the statements of an audit-only batch, and sees what is committed', async () => {
    const log: string[] = [];
    const adapter = sqliteAdapter({ database: loggingDatabase(log) });
    await adapter.open();
    await adapter.writeBatch?.([{ op: 'insertSubject', row: subjectRow('s0') }]);
    const { states, readBeforeCommit } = await readDuring(
      Array.from({ length: 5 }, (_, i) => ({ op: 'appendAudit', entry: entry(i) }) as StorageWrite),
      's0',
      log,
      adapter,
    );
    expect(readBeforeCommit).toBe(true);
    expect(states.map((s) => s.subject.id)).toEqual(['s0']);
    expect(await adapter.transaction((tx) => tx.listAudit())).toHaveLength(5);
    await adapter.close();
  });

  it('a state read waits for a batch that writes subject data, and sees its rows only once committed', async () => {
    const log: string[] = [];
    const adapter = sqliteAdapter({ database: loggingDatabase(log) });
    await adapter.open();
    const { states, readBeforeCommit } = await readDuring(
      [
        { op: 'insertSubject', row: subjectRow('s1') },
        { op: 'appendAudit', entry: entry(1) },
      ],
      's1',
      log,
      adapter,
    );
    expect(readBeforeCommit).toBe(false);
    expect(states.map((s) => s.subject.id)).toEqual(['s1']);
    await adapter.close();
  });
});
