/**
 * The SQLite adapter when its driver fails: statements made to throw better-sqlite3's own
 * errors (SQLITE_BUSY, SQLITE_FULL, SQLITE_IOERR, constraint errors, bind errors) through a
 * wrapper around a real `Database`, and what the adapter promises then: the named error and
 * code, no retry, a rollback that leaves nothing half-written, no bound value in any message,
 * and a connection (and its queue) that works for the next transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { IntegrityError, StorageConflictError, StorageError, StorageUnavailableError, type AuditEntryInput, type StorageAdapter, type StorageWrite } from 'purpose-bound';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { checkAuditNodes } from './support/audit-nodes.js';
import { audit, SECRET, subject, value } from './support/fault-rows.js';
import { FaultPlan, faultySqlite, sqliteError } from './support/faulty-drivers.js';
import { failure } from './support/failure.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-sqlite-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** An opened adapter over a faulty connection to a new file, a plain second connection to read it raw. */
async function fresh(): Promise<{ adapter: StorageAdapter; plan: FaultPlan; db: ReturnType<typeof faultySqlite>; raw: Database.Database; file: string }> {
  const file = path.join(dir, `f${++n}.db`);
  const plan = new FaultPlan();
  const db = faultySqlite(new Database(file), plan);
  const adapter = sqliteAdapter({ database: db, closeClient: true });
  await adapter.open();
  return { adapter, plan, db, raw: new Database(file), file };
}

/** A promise and its resolver. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    fire = r;
  });
  return { promise, fire };
}

const count = (raw: Database.Database, table: string): number => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** `adapter.writeBatch(writes)`: on a free connection it runs synchronously, BEGIN to COMMIT in one call. */
const batch = (adapter: StorageAdapter, writes: Parameters<NonNullable<StorageAdapter['writeBatch']>>[0]) =>
  (adapter.writeBatch as NonNullable<StorageAdapter['writeBatch']>)(writes);

/** A subject and its e-mail written in a transaction (statement by statement) or in a write batch (synchronously). */
const writers = [
  [
    'a transaction',
    (adapter: StorageAdapter, id: string) =>
      adapter.transaction(async (tx) => {
        await tx.insertSubject(subject(id));
        await tx.putValue(value(id, 'email'));
      }),
  ],
  [
    'a write batch',
    (adapter: StorageAdapter, id: string) =>
      batch(adapter, [
        { op: 'insertSubject', row: subject(id) },
        { op: 'putValue', row: value(id, 'email') },
        { op: 'appendAudit', entry: audit() },
      ]),
  ],
] as const;

describe('sqlite adapter: driver failures', () => {
  it('a busy database at BEGIN is a StorageConflictError: not retried, the body never ran, the next transaction runs', async () => {
    const { adapter, plan, raw } = await fresh();
    const begins = plan.count('BEGIN IMMEDIATE');
    plan.fail('BEGIN IMMEDIATE', () => sqliteError('SQLITE_BUSY', 'database is locked'));
    let ran = 0;
    const error = await failure(
      adapter.transaction(async (tx) => {
        ran++;
        await tx.insertSubject(subject('s1'));
      }),
    );
    expect(error).toBeInstanceOf(StorageConflictError);
    expect(error).toMatchObject({ code: 'STORAGE_CONFLICT' });
    expect((error as Error).message).toContain('SQLITE_BUSY');
    expect(ran).toBe(0);
    expect(plan.count('BEGIN IMMEDIATE') - begins).toBe(1);
    await adapter.transaction((tx) => tx.insertSubject(subject('s1')));
    expect(count(raw, 'pb_subjects')).toBe(1);
    await adapter.close();
  });

  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE'])(
    '%s inside a transaction is a StorageConflictError, and its earlier writes are rolled back',
    async (code) => {
      const { adapter, plan, raw, db } = await fresh();
      plan.fail('INSERT INTO pb_values', () => sqliteError(code, 'database table is locked'));
      const error = await failure(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(subject('s1'));
          await tx.appendAudit(audit());
          await tx.putValue(value('s1', 'email'));
        }),
      );
      expect(error).toBeInstanceOf(StorageConflictError);
      expect((error as Error).message).toContain(code);
      expect(db.inTransaction).toBe(false);
      expect(count(raw, 'pb_subjects')).toBe(0);
      expect(count(raw, 'pb_audit')).toBe(0);
      expect(plan.count('ROLLBACK')).toBe(1);
      await adapter.transaction((tx) => tx.insertSubject(subject('s2')));
      expect(count(raw, 'pb_subjects')).toBe(1);
      await adapter.close();
    },
  );

  it('a full disk is a StorageError naming the operation and SQLite code, with no bound value, and nothing half-written', async () => {
    const { adapter, plan, raw } = await fresh();
    plan.fail('INSERT INTO pb_history', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    const error = await failure(
      adapter.transaction(async (tx) => {
        await tx.insertSubject(subject('s1'));
        await tx.putValue(value('s1', 'email'));
        await tx.appendHistory({ id: 'h1', subjectId: 's1', field: 'email', ciphertext: new Uint8Array(Buffer.from(SECRET)), meta: SECRET, changedAt: 'c' });
      }),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', adapter: 'sqlite', operation: 'appendHistory', driverCode: 'SQLITE_FULL' });
    expect((error as Error).message).toBe(`sqlite adapter at ${adapter.location} failed to appendHistory (SQLITE_FULL): database or disk is full`);
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    expect(count(raw, 'pb_subjects') + count(raw, 'pb_values') + count(raw, 'pb_history')).toBe(0);
    await adapter.close();
  });

  it('a constraint error keeps SQLite message (identifiers only), cut to 200 characters and without password-like pairs', async () => {
    const { adapter, plan } = await fresh();
    plan.fail('INSERT INTO pb_records', () => sqliteError('SQLITE_CONSTRAINT_CHECK', `CHECK constraint failed: doc_ok password=hunter2 ${'x'.repeat(400)}`));
    const error = await failure(adapter.transaction((tx) => tx.putRecord({ kind: 'k', id: 'r1', subjectId: null, createdAt: 'c', doc: SECRET })));
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', operation: 'putRecord', driverCode: 'SQLITE_CONSTRAINT_CHECK' });
    const detail = (error as Error).message.split('(SQLITE_CONSTRAINT_CHECK): ')[1] ?? '';
    expect(detail.startsWith('CHECK constraint failed: doc_ok password=[redacted] xxx')).toBe(true);
    expect(detail.length).toBe(200);
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain('hunter2');
    await adapter.close();
  });

  it.each(['SQLITE_IOERR_WRITE', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH', 'SQLITE_MISUSE'])(
    '%s makes the database unavailable: StorageUnavailableError naming adapter and location, the code in its cause',
    async (code) => {
      const { adapter, plan, raw } = await fresh();
      plan.fail('INSERT INTO pb_values', () => sqliteError(code, 'disk I/O error at /var/db password=hunter2'));
      const error = await failure(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(subject('s1'));
          await tx.putValue(value('s1', 'email'));
        }),
      );
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', adapter: 'sqlite', location: adapter.location });
      expect(((error as Error).cause as Error).message).toBe(`${code}: disk I/O error at /var/db password=[redacted]`);
      expect(inspect(error, { depth: Infinity, showHidden: true })).not.toMatch(/hunter2|SECRET/);
      expect(count(raw, 'pb_subjects')).toBe(0);
      await adapter.close();
    },
  );

  it('an unknown SQLite code is a StorageError, not unavailable (codes are matched from their start)', async () => {
    const { adapter, plan } = await fresh();
    plan.fail('INSERT INTO pb_values', () => sqliteError('SQLITE_MISMATCH_SQLITE_IOERR', 'datatype mismatch'));
    const error = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect(error).not.toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', driverCode: 'SQLITE_MISMATCH_SQLITE_IOERR' });
    await adapter.close();
  });

  it('a driver error without a code (a bind error) is a StorageError with neither code nor the driver text', async () => {
    const { adapter, plan } = await fresh();
    plan.fail('INSERT INTO pb_values', () => new RangeError(`Too many parameter values were provided: ${SECRET}`));
    const error = await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toBe(`sqlite adapter at ${adapter.location} failed to putValue`);
    expect((error as StorageError).driverCode).toBeUndefined();
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    // Only "the connection is not open" makes a TypeError mean unavailable.
    plan.fail('INSERT INTO pb_values', () => new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null'));
    expect(await failure(adapter.transaction((tx) => tx.putValue(value('s1', 'email'))))).not.toBeInstanceOf(StorageUnavailableError);
    await adapter.close();
  });

  it.each(writers)('a failed COMMIT of %s is reported, rolls back, and leaves the connection usable', async (_, write) => {
    const { adapter, plan, raw, db } = await fresh();
    plan.fail(
      (sql) => sql === 'COMMIT',
      () => sqliteError('SQLITE_BUSY', 'database is locked'),
    );
    expect(await failure(write(adapter, 's1'))).toBeInstanceOf(StorageConflictError);
    expect(db.inTransaction).toBe(false);
    expect(count(raw, 'pb_subjects')).toBe(0);
    await write(adapter, 's1');
    expect(count(raw, 'pb_subjects')).toBe(1);
    await adapter.close();
  });

  it('an error of the caller passes through as it is, after a rollback; queued transactions still run in order', async () => {
    const { adapter, raw } = await fresh();
    const mine = new Error('caller failed');
    const order: string[] = [];
    const results = await Promise.allSettled([
      adapter.transaction(async (tx) => {
        order.push('first');
        await tx.insertSubject(subject('s1'));
        throw mine;
      }),
      adapter.transaction(async (tx) => {
        order.push('second');
        await tx.insertSubject(subject('s2'));
      }),
      adapter.transaction(async () => {
        order.push('third');
        throw new StorageConflictError('x');
      }),
      adapter.transaction(async () => order.push('fourth')),
    ]);
    expect(results[0]).toEqual({ status: 'rejected', reason: mine });
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(order).toEqual(['first', 'second', 'third', 'fourth']);
    expect(raw.prepare('SELECT id FROM pb_subjects').all()).toEqual([{ id: 's2' }]);
    await adapter.close();
  });

  it('the one-statement reads classify their failures too, and release the connection for the next caller', async () => {
    const { adapter, plan } = await fresh();
    await adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      await tx.putValue(value('s1', 'email'));
    });
    const read = adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>;
    plan.fail('LEFT JOIN', () => sqliteError('SQLITE_BUSY', 'database is locked'));
    expect(await failure(read('s1'))).toBeInstanceOf(StorageConflictError);
    plan.fail('LEFT JOIN', () => sqliteError('SQLITE_IOERR_READ', 'disk I/O error'));
    expect(await failure(read('s1'))).toBeInstanceOf(StorageUnavailableError);
    // Queued behind a running transaction (the fast path waits for it), then failing: the queue moves on.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const holder = adapter.transaction(async (tx) => {
      await tx.appendAudit(audit());
      await gate;
    });
    plan.fail('LEFT JOIN', () => sqliteError('SQLITE_CORRUPT', 'database disk image is malformed'));
    const queued = failure(read('s1'));
    release();
    await holder;
    expect(await queued).toBeInstanceOf(StorageUnavailableError);
    expect((await read('s1'))?.values.map((v) => v.field)).toEqual(['email']);
    const states = adapter.getSubjectStates as NonNullable<StorageAdapter['getSubjectStates']>;
    plan.fail('UNION ALL', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(await failure(states({ subjects: ['s1'], recordKinds: ['k'] }))).toMatchObject({ code: 'STORAGE_ERROR', operation: 'getSubjectStates', driverCode: 'SQLITE_FULL' });
    await adapter.close();
  });

  it('a read waits for an uncommitted write of the same connection instead of seeing it', async () => {
    const { adapter } = await fresh();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let inserted: () => void = () => undefined;
    const insertedP = new Promise<void>((r) => {
      inserted = r;
    });
    const writer = adapter.transaction(async (tx) => {
      await tx.insertSubject(subject('s1'));
      inserted();
      await gate;
      await tx.putValue(value('s1', 'email'));
    });
    await insertedP;
    // The subject row is written but not committed, and its value not yet there.
    const reader = (adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>)('s1');
    release();
    await writer;
    expect((await reader)?.values.map((v) => v.field)).toEqual(['email']);
    await adapter.close();
  });

  it('a failed audit append stores neither the entry nor a moved head', async () => {
    const { adapter, plan, raw } = await fresh();
    await adapter.transaction((tx) => tx.appendAudit(audit('before')));
    plan.fail('UPDATE pb_audit_head', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(await failure(adapter.transaction((tx) => tx.appendAuditMany!([audit('a'), audit('b')])))).toMatchObject({ operation: 'appendAuditMany', driverCode: 'SQLITE_FULL' });
    expect(count(raw, 'pb_audit')).toBe(1);
    const next = await adapter.transaction((tx) => tx.appendAudit(audit('after')));
    expect(next.seq).toBe(2);
    // The head row gone: the append refuses to fork the chain.
    raw.prepare('DELETE FROM pb_audit_head').run();
    expect(await failure(adapter.transaction((tx) => tx.appendAudit(audit('lost'))))).toBeInstanceOf(IntegrityError);
    await adapter.close();
  });

  it('stores the completed subtrees of the audit tree; a failure reading them is classified', async () => {
    const { adapter, plan } = await fresh();
    await checkAuditNodes(adapter);
    plan.fail('pb_audit_node', () => sqliteError('SQLITE_IOERR_READ', 'disk I/O error'));
    expect(await failure(adapter.transaction((tx) => tx.getAuditNodes!([{ level: 1, index: 0 }])))).toBeInstanceOf(StorageUnavailableError);
    plan.fail('INSERT INTO pb_audit_node', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(await failure(adapter.transaction((tx) => tx.appendAuditMany!([audit('a'), audit('b'), audit('c'), audit('d')])))).toMatchObject({ driverCode: 'SQLITE_FULL' });
    expect((await adapter.transaction((tx) => tx.listAudit())).length).toBe(4);
    await adapter.close();
  });

  it.each(writers)('an error of %s after which SQLite already rolled back by itself is reported as it is (no second ROLLBACK)', async (_, write) => {
    const { adapter, plan, raw, db } = await fresh();
    // SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM may end the transaction themselves.
    plan.fail('INSERT INTO pb_values', () => {
      db.prepare('ROLLBACK').run();
      return sqliteError('SQLITE_FULL', 'database or disk is full');
    });
    expect(await failure(write(adapter, 's1'))).toMatchObject({ code: 'STORAGE_ERROR', operation: 'putValue', driverCode: 'SQLITE_FULL' });
    expect(plan.count('ROLLBACK')).toBe(1); // the one SQLite ran, none of the adapter's
    expect(count(raw, 'pb_subjects')).toBe(0);
    await write(adapter, 's2');
    await adapter.close();
  });

  it('prepares each statement once per connection, however often it runs', async () => {
    const { adapter, db } = await fresh();
    for (let i = 0; i < 3; i++) {
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(subject(`s${i}`));
        await tx.getSubject(`s${i}`);
        await tx.appendAudit(audit());
      });
      await (adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>)(`s${i}`);
    }
    const repeated = [...db.prepares].filter(([, times]) => times > 1);
    expect(repeated).toEqual([]);
    expect(db.prepares.get('BEGIN IMMEDIATE')).toBe(1);
    await adapter.close();
  });

  it('scrub on a database closed under the adapter is StorageUnavailableError', async () => {
    const { adapter, db, raw } = await fresh();
    raw.close();
    db.close();
    expect(await failure((adapter.scrub as () => Promise<void>)())).toBeInstanceOf(StorageUnavailableError);
    await adapter.close();
  });
});

describe('sqlite adapter: opening and closing under failures', () => {
  it('opens once for callers that ask at the same time; a failed open is reported and can be retried', async () => {
    const file = path.join(dir, `open${++n}.db`);
    const plan = new FaultPlan();
    const adapter = sqliteAdapter({ database: faultySqlite(new Database(file), plan), closeClient: true });
    plan.fail('MAX(version)', () => sqliteError('SQLITE_IOERR_READ', 'disk I/O error'));
    const first = await failure(adapter.open());
    expect(first).toBeInstanceOf(StorageUnavailableError);
    expect(((first as Error).cause as Error).message).toBe('SQLITE_IOERR_READ: disk I/O error');
    await Promise.all([adapter.open(), adapter.open(), adapter.transaction((tx) => tx.listSubjects())]);
    expect(plan.count('MAX(version)')).toBe(2); // the failed open and ONE successful one
    expect(await adapter.schemaVersion()).toBeGreaterThan(0);
    plan.fail('MAX(version)', () => sqliteError('SQLITE_CORRUPT', 'malformed'));
    expect(await failure(adapter.schemaVersion())).toBeInstanceOf(StorageUnavailableError);
    await adapter.close();
  });

  it('close waits for an open under way; afterwards every call is StorageUnavailableError, an empty batch is still nothing', async () => {
    const { file } = await fresh();
    const adapter = sqliteAdapter({ filename: file });
    const opening = adapter.open();
    await adapter.close();
    await opening;
    expect(await failure(adapter.transaction((tx) => tx.listSubjects()))).toBeInstanceOf(StorageUnavailableError);
    expect(await failure(adapter.open())).toBeInstanceOf(StorageUnavailableError);
    expect(await failure((adapter.getSubjectWithValues as NonNullable<StorageAdapter['getSubjectWithValues']>)('s1'))).toBeInstanceOf(StorageUnavailableError);
    expect(await adapter.writeBatch?.([])).toEqual([]);
    expect(await failure((adapter.writeBatch as NonNullable<StorageAdapter['writeBatch']>)([{ op: 'appendAudit', entry: audit() }]))).toBeInstanceOf(StorageUnavailableError);
  });

  it('a connection that fails to close is a StorageError naming close', async () => {
    const { adapter, plan } = await fresh();
    plan.fail('<close>', () => sqliteError('SQLITE_BUSY', 'unable to close due to unfinalized statements'));
    expect(await failure(adapter.close())).toMatchObject({ code: 'STORAGE_CONFLICT' });
    const other = await fresh();
    other.plan.fail('<close>', () => new Error('close failed'));
    expect(await failure(other.adapter.close())).toMatchObject({ code: 'STORAGE_ERROR', operation: 'close' });
  });
});

describe('sqlite adapter: driver failures in a write batch on a free connection (run synchronously)', () => {
  const collectLike = (id: string) =>
    [
      { op: 'insertSubject', row: subject(id) },
      { op: 'putValue', row: value(id, 'email') },
      { op: 'putValue', row: value(id, 'name') },
      { op: 'appendAudit', entry: audit() },
    ] as const;

  it('a busy database at BEGIN is a StorageConflictError: no write ran, the next batch runs', async () => {
    const { adapter, plan, raw } = await fresh();
    plan.fail('BEGIN IMMEDIATE', () => sqliteError('SQLITE_BUSY', 'database is locked'));
    const sent = plan.sent.length;
    const error = await failure(batch(adapter, [...collectLike('s1')]));
    expect(error).toBeInstanceOf(StorageConflictError);
    expect((error as Error).message).toContain('SQLITE_BUSY');
    expect(plan.sent.slice(sent)).toEqual(['BEGIN IMMEDIATE']);
    await batch(adapter, [...collectLike('s1')]);
    expect(count(raw, 'pb_subjects')).toBe(1);
    await adapter.close();
  });

  it('a full disk midway is a StorageError naming the write that failed, with no bound value, and nothing half-written', async () => {
    const { adapter, plan, raw, db } = await fresh();
    plan.fail(
      (sql) => sql.includes('INSERT INTO pb_values') && plan.count('INSERT INTO pb_values') === 2,
      () => sqliteError('SQLITE_FULL', 'database or disk is full'),
    );
    const error = await failure(batch(adapter, [...collectLike('s1')]));
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', adapter: 'sqlite', operation: 'putValue', driverCode: 'SQLITE_FULL' });
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    expect(db.inTransaction).toBe(false);
    expect(plan.count('ROLLBACK')).toBe(1);
    expect(count(raw, 'pb_subjects') + count(raw, 'pb_values') + count(raw, 'pb_audit')).toBe(0);
    await batch(adapter, [...collectLike('s2')]);
    expect(count(raw, 'pb_values')).toBe(2);
    await adapter.close();
  });

  it('a failed audit append is named appendAudit (one entry) or appendAuditMany (several); a missing head is an IntegrityError', async () => {
    const { adapter, plan, raw } = await fresh();
    const twoEntries = (): StorageWrite[] => [
      { op: 'appendAudit', entry: audit('a') },
      { op: 'appendAudit', entry: audit('b') },
    ];
    plan.fail('UPDATE pb_audit_head', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(await failure(batch(adapter, [{ op: 'appendAudit', entry: audit('a') }]))).toMatchObject({ operation: 'appendAudit', driverCode: 'SQLITE_FULL' });
    plan.fail('SELECT seq, hash, frontier', () => sqliteError('SQLITE_IOERR_READ', 'disk I/O error'));
    expect(await failure(batch(adapter, twoEntries()))).toBeInstanceOf(StorageUnavailableError);
    plan.fail('INSERT INTO pb_audit ', () => sqliteError('SQLITE_FULL', 'database or disk is full'));
    expect(await failure(batch(adapter, twoEntries()))).toMatchObject({ operation: 'appendAuditMany' });
    expect(count(raw, 'pb_audit')).toBe(0);
    raw.prepare('DELETE FROM pb_audit_head').run();
    expect(await failure(batch(adapter, [...collectLike('s1')]))).toBeInstanceOf(IntegrityError);
    expect(count(raw, 'pb_subjects')).toBe(0);
    await adapter.close();
  });

  it('a malformed write is refused before any statement, naming it, on a free connection and behind a transaction', async () => {
    const { adapter, plan, raw } = await fresh();
    const sent = plan.sent.length;
    expect(await failure(batch(adapter, [...collectLike('s1'), { op: 'dropTable' } as never]))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes[4].op' });
    expect(plan.sent.slice(sent)).toEqual([]);
    // Queued behind a transaction that holds the connection: refused at once, before its turn.
    let release!: () => void;
    const holder = adapter.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 1000 && release === undefined; i++) await Promise.resolve();
    const queued = plan.sent.length;
    expect(await failure(batch(adapter, [{ op: 'appendAudit', entry: audit() }, null as never]))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes[1]' });
    expect(plan.sent.slice(queued)).toEqual([]);
    release();
    await holder;
    expect(count(raw, 'pb_subjects') + count(raw, 'pb_audit')).toBe(0);
    await adapter.close();
  });

  it.each(writers)('names what %s refuses: a history row that exists, an audit body by its place in the call', async (how) => {
    const { adapter, raw } = await fresh();
    const row = { id: 'h1', subjectId: 's1', field: 'email', ciphertext: null, meta: '{}', changedAt: 'c' };
    const bad = { ...audit(), at: 5 } as never;
    const write = (writes: StorageWrite[]) =>
      how === 'a write batch'
        ? batch(adapter, writes)
        : adapter.transaction(async (tx) => {
            for (const w of writes) {
              if (w.op === 'appendHistory') await tx.appendHistory(w.row);
            }
            const entries = writes.flatMap((w) => (w.op === 'appendAudit' ? [w.entry] : []));
            if (entries.length === 1) await tx.appendAudit(entries[0] as AuditEntryInput);
            if (entries.length > 1) await (tx.appendAuditMany as NonNullable<typeof tx.appendAuditMany>)(entries);
          });
    await write([{ op: 'appendHistory', row }]);
    const duplicate = await failure(write([{ op: 'appendHistory', row }]));
    expect(duplicate).toBeInstanceOf(StorageConflictError);
    expect((duplicate as Error).message).toContain('history row "h1" (it already exists)');
    expect(await failure(write([{ op: 'appendAudit', entry: bad }]))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'input.at' });
    expect(
      await failure(
        write([
          { op: 'appendAudit', entry: audit() },
          { op: 'appendAudit', entry: bad },
        ]),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'inputs[1].at' });
    expect(count(raw, 'pb_history')).toBe(1);
    expect(count(raw, 'pb_audit')).toBe(0);
    await adapter.close();
  });
});

describe('sqlite adapter: connections of one process', () => {
  /** A transaction that holds the connection until `release()`. */
  function holding(adapter: StorageAdapter): { done: Promise<void>; started: Promise<void>; release: () => void } {
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const startedP = new Promise<void>((r) => {
      started = r;
    });
    const done = adapter.transaction(async (tx) => {
      await tx.appendAudit(audit('holder'));
      started();
      await gate;
    });
    return { done, started: startedP, release };
  }

  it('two adapters on one file queue their transactions instead of failing busy (busyTimeoutMs 0)', async () => {
    const file = path.join(dir, `shared${++n}.db`);
    const a = sqliteAdapter({ filename: file, busyTimeoutMs: 0 });
    const b = sqliteAdapter({ filename: file, busyTimeoutMs: 0 });
    await a.open();
    await b.open();
    const held = holding(a);
    await held.started;
    const order: string[] = [];
    const second = b.transaction(async (tx) => {
      order.push('b');
      await tx.appendAudit(audit('b'));
    });
    await new Promise((r) => setTimeout(r, 20));
    order.push('a released');
    held.release();
    await held.done;
    await second;
    expect(order).toEqual(['a released', 'b']);
    // One of the two closed: the other and a third adapter on the file still share the queue.
    await a.close();
    const c = sqliteAdapter({ filename: file, busyTimeoutMs: 0 });
    await c.open();
    const heldB = holding(b);
    await heldB.started;
    const third = c.transaction((tx) => tx.appendAudit(audit('c')));
    heldB.release();
    await heldB.done;
    expect((await third).seq).toBe(4);
    await b.close();
    await c.close();
  });

  it('a write transaction holds the write lock from its start: another connection cannot write meanwhile, a reader can read', async () => {
    const { adapter, raw } = await fresh();
    raw.pragma('busy_timeout = 0');
    const gate = signal();
    const started = signal();
    // The transaction only reads before it waits, and writes after: the lock must be its own from BEGIN.
    const done = adapter.transaction(async (tx) => {
      await tx.getSubject('s1');
      started.fire();
      await gate.promise;
      await tx.appendAudit(audit('after the wait'));
    });
    await started.promise;
    expect(() => raw.prepare("INSERT INTO pb_records (kind, id, subject_id, created_at, doc) VALUES ('k', 'r', NULL, 'c', '{}')").run()).toThrow(
      expect.objectContaining({ code: 'SQLITE_BUSY' }),
    );
    expect(count(raw, 'pb_records')).toBe(0); // readable meanwhile
    gate.fire();
    await done;
    expect(count(raw, 'pb_audit')).toBe(1);
    await adapter.close();
  });

  it('in-memory databases do not share a queue: one waits while another commits', async () => {
    const a = sqliteAdapter();
    const b = sqliteAdapter();
    const result = await Promise.race([
      a.transaction(async (tx) => {
        await tx.appendAudit(audit('a'));
        // b's transaction must complete while a's is still open
        return (await b.transaction((other) => other.appendAudit(audit('b')))).seq;
      }),
      new Promise((r) => setTimeout(() => r('deadlocked'), 3000)),
    ]);
    expect(result).toBe(1);
    await a.close();
    await b.close();
  });
});

describe('sqlite adapter: options reach the connection', () => {
  it('sets busy timeout, synchronous, WAL and secure_delete on a database you pass, and none of them with configure: false', async () => {
    const file = path.join(dir, `opts${++n}.db`);
    const db = new Database(file);
    const adapter = sqliteAdapter({ database: db, busyTimeoutMs: 1234, synchronous: 'NORMAL' });
    await adapter.open();
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    await adapter.close();
    db.close();

    const full = new Database(path.join(dir, `opts${++n}.db`));
    const defaults = sqliteAdapter({ database: full });
    await defaults.open();
    expect(full.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await defaults.close();
    full.close();

    const untouched = new Database(path.join(dir, `opts${++n}.db`), { timeout: 777 });
    const plain = sqliteAdapter({ database: untouched, configure: false, busyTimeoutMs: 1234, synchronous: 'NORMAL' });
    await plain.open();
    expect(untouched.pragma('busy_timeout', { simple: true })).toBe(777);
    expect(untouched.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(untouched.pragma('secure_delete', { simple: true })).toBe(0);
    await plain.close();
    untouched.close();
  });

  it('an in-memory database reports no persistence; a database opened on "" is in memory too', async () => {
    const adapter = sqliteAdapter({ filename: ':memory:' });
    await adapter.open();
    expect(adapter.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    const given = new Database('');
    const onGiven = sqliteAdapter({ database: given });
    expect(onGiven.location).toBe(':memory:');
    await onGiven.open();
    expect(onGiven.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    await (onGiven.scrub as () => Promise<void>)(); // nothing to checkpoint: resolves
    await onGiven.close();
    given.close();
    await adapter.close();
  });

  it('names the option it refuses', () => {
    const refused = (options: unknown) => {
      try {
        sqliteAdapter(options as never);
        return undefined;
      } catch (error) {
        const { argument, message } = error as { argument?: string; message: string };
        // The message names the argument and states the rule.
        expect(message).toMatch(new RegExp(`^${(argument ?? '').replace('.', '\\.')} (must|takes) \\S+ \\S+`));
        return argument;
      }
    };
    expect(refused(null)).toBe('options');
    expect(refused('file.db')).toBe('options');
    expect(refused({ database: new Database(':memory:'), filename: 'x.db' })).toBe('options');
    expect(refused({ database: null })).toBe('options.database');
    expect(refused({ database: { prepare: 'no' } })).toBe('options.database');
    expect(refused({ filename: 7 })).toBe('options.filename');
    expect(refused({ busyTimeoutMs: 1.5 })).toBe('options.busyTimeoutMs');
    expect(refused({ busyTimeoutMs: 0 })).toBeUndefined();
    expect(refused({ synchronous: 'NORMAL' })).toBeUndefined();
  });
});
