/**
 * SQLite, one connection: a read of the subject state does not wait for an audit-only batch to
 * commit (it runs between the batch's statements: nothing it reads is uncommitted), while it
 * still waits for any batch that writes subject data, and never sees that batch's rows before
 * they are committed.
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

/** Start `writes`, wait (microtasks only) until the batch has begun, then read `subject`'s state. */
async function readDuring(writes: StorageWrite[], subject: string, log: string[], adapter: ReturnType<typeof sqliteAdapter>) {
  log.length = 0;
  const batch = adapter.writeBatch?.(writes) as Promise<unknown>;
  for (let i = 0; i < 1000 && !log.some((s) => /^BEGIN IMMEDIATE/.test(s)); i++) await Promise.resolve();
  expect(log.some((s) => /^BEGIN IMMEDIATE/.test(s))).toBe(true);
  const read = adapter.getSubjectStates?.({ subjects: [subject], recordKinds: [] }) as Promise<unknown[]>;
  const [states] = await Promise.all([read, batch]);
  const select = log.findIndex((s) => /^\s*SELECT 0 AS part/.test(s));
  const commit = log.findIndex((s) => /^COMMIT/.test(s));
  return { states: states as { subject: { id: string } }[], readBeforeCommit: select !== -1 && select < commit };
}

describe('sqlite: reads during an audit batch', () => {
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
