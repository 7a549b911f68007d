/**
 * Adapter-level tests of the `StorageAdapter` contract and of what the SQL adapters add
 * (migrations, error wrapping, closed databases), shared by the PGlite, SQLite and PostgreSQL
 * test files. Each test gets fresh, isolated storage from the harness.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  InvalidArgumentError,
  SCHEMA_VERSION,
  StorageConflictError,
  StorageError,
  StorageUnavailableError,
  verifyAuditLog,
  type AuditEntryInput,
  type StorageAdapter,
  type SubjectRow,
  type ValueRow,
} from 'purpose-bound';

/** Fresh storage for one test. */
export interface Fixture {
  readonly adapter: StorageAdapter;
  /** Run SQL directly on the same database (table names through `t`). */
  readonly raw: (sql: string) => Promise<readonly Record<string, unknown>[]>;
  /** Qualified table name. */
  readonly t: (table: string) => string;
  /** A new adapter on the same storage (a new connection where the adapter has them). */
  readonly another: () => StorageAdapter;
}

export interface Harness {
  readonly name: string;
  /** New isolated storage; `prepare` runs raw SQL before the adapter first opens (for migration tests). */
  fresh(prepare?: (raw: Fixture['raw'], t: Fixture['t']) => Promise<void>): Promise<Fixture>;
  /** Does `another()` give an independent connection (true concurrency)? */
  readonly concurrent: boolean;
}

const subject = (id: string, over: Partial<SubjectRow> = {}): SubjectRow => ({
  id,
  keyId: 'kek-1',
  wrappedKey: new Uint8Array([1, 2, 3, 250, 0, 7]),
  createdAt: '2026-11-24T10:00:00.000Z',
  erasedAt: null,
  erasureRef: null,
  version: 1,
  ...over,
});

const value = (subjectId: string, field: string, bytes: number[], over: Partial<ValueRow> = {}): ValueRow => ({
  subjectId,
  field,
  ciphertext: new Uint8Array(bytes),
  lookup: null,
  meta: JSON.stringify({ collectionPoint: 'web' }),
  updatedAt: '2026-11-24T10:00:00.000Z',
  version: 1,
  ...over,
});

const audit = (over: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  at: '2026-11-24T10:00:00.000Z',
  action: 'read',
  actor: 'staff:1',
  subject: 's1',
  field: 'email',
  purpose: 'contact',
  decision: 'allow',
  ...over,
});

/** Every string an error exposes: message, stack, cause chain, inspect output. */
function exposed(error: unknown): string {
  return inspect(error, { depth: Infinity, showHidden: true });
}

export function adapterContract(h: Harness): void {
  describe(`${h.name}: StorageAdapter contract`, () => {
    it('opens idempotently at the current schema version and reports honest capabilities', async () => {
      const { adapter } = await h.fresh();
      await adapter.open();
      await adapter.open();
      expect(await adapter.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(adapter.kind).toBe(h.name);
      expect(typeof adapter.capabilities.persistent).toBe('boolean');
      expect(adapter.capabilities.concurrentWriters).toBe(h.concurrent);
      expect(Object.isFrozen(adapter.capabilities)).toBe(true);
      await adapter.close();
    });

    it('stores subjects: insert, conflict on duplicate, optimistic update, ordered paging', async () => {
      const { adapter } = await h.fresh();
      await adapter.transaction(async (tx) => {
        for (const id of ['b', 'a', 'c', 'B', 'é']) await tx.insertSubject(subject(id));
      });
      const got = await adapter.transaction((tx) => tx.getSubject('a'));
      expect(got).toEqual(subject('a'));
      expect(got?.wrappedKey).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(got?.wrappedKey)).toBe(false);
      expect(await adapter.transaction((tx) => tx.getSubject('zz'))).toBeUndefined();
      await expect(adapter.transaction((tx) => tx.insertSubject(subject('a')))).rejects.toBeInstanceOf(StorageConflictError);

      await adapter.transaction(async (tx) => {
        const row = await tx.getSubject('a', { forUpdate: true });
        await tx.updateSubject({ ...row!, wrappedKey: null, erasedAt: '2026-12-01T00:00:00.000Z', erasureRef: 'req-1', version: 2 }, 1);
      });
      expect(await adapter.transaction((tx) => tx.getSubject('a'))).toEqual(
        subject('a', { wrappedKey: null, erasedAt: '2026-12-01T00:00:00.000Z', erasureRef: 'req-1', version: 2 }),
      );
      await expect(adapter.transaction((tx) => tx.updateSubject(subject('a', { version: 3 }), 1))).rejects.toBeInstanceOf(StorageConflictError);
      await expect(adapter.transaction((tx) => tx.updateSubject(subject('nobody', { version: 2 }), 1))).rejects.toBeInstanceOf(StorageConflictError);

      const ids = (await adapter.transaction((tx) => tx.listSubjects())).map((s) => s.id);
      expect(ids).toEqual(['B', 'a', 'b', 'c', 'é']); // byte order, the same on every adapter
      expect((await adapter.transaction((tx) => tx.listSubjects({ after: 'a', limit: 2 }))).map((s) => s.id)).toEqual(['b', 'c']);
      expect(await adapter.transaction((tx) => tx.listSubjects({ limit: 0 }))).toEqual([]);
      await adapter.close();
    });

    it('stores values: exact bytes, upsert, field filters, delete counts, blind-index lookups', async () => {
      const { adapter } = await h.fresh();
      const all = Array.from({ length: 256 }, (_, i) => i);
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(subject('s1'));
        await tx.insertSubject(subject('s2'));
        await tx.putValue(value('s1', 'email', all, { lookup: 'ab12' }));
        await tx.putValue(value('s1', 'name', [9, 9]));
        await tx.putValue(value('s2', 'email', [5], { lookup: 'ab12' }));
        await tx.putValue(value('s1', 'name', [8], { version: 2, meta: '{}' }));
      });
      const values = await adapter.transaction((tx) => tx.getValues('s1'));
      expect(values).toEqual([value('s1', 'email', all, { lookup: 'ab12' }), value('s1', 'name', [8], { version: 2, meta: '{}' })]);
      expect(Buffer.isBuffer(values[0]?.ciphertext)).toBe(false);
      expect((await adapter.transaction((tx) => tx.getValues('s1', ['name', 'phone']))).map((v) => v.field)).toEqual(['name']);
      expect(await adapter.transaction((tx) => tx.getValues('s1', []))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.findByLookup('email', 'ab12'))).toEqual(['s1', 's2']);
      expect(await adapter.transaction((tx) => tx.findByLookup('name', 'ab12'))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.deleteValues('s1', ['name', 'phone']))).toBe(1);
      expect(await adapter.transaction((tx) => tx.deleteValues('s2'))).toBe(1);
      expect(await adapter.transaction((tx) => tx.deleteValues('s2'))).toBe(0);
      expect((await adapter.transaction((tx) => tx.getValues('s1'))).map((v) => v.field)).toEqual(['email']);
      await expect(adapter.transaction((tx) => tx.putValue({ ...value('s1', 'x', []), ciphertext: 'text' as never }))).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await adapter.close();
    });

    it('keeps history oldest first, refuses duplicate ids, deletes it per subject', async () => {
      const { adapter } = await h.fresh();
      await adapter.transaction(async (tx) => {
        for (const [i, id] of ['h-z', 'h-a', 'h-m'].entries()) {
          await tx.appendHistory({ id, subjectId: 's1', field: 'email', ciphertext: i === 1 ? null : new Uint8Array([i]), meta: `{"n":${i}}`, changedAt: '2026-11-24T10:00:00.000Z' });
        }
        await tx.appendHistory({ id: 'h-0', subjectId: 's2', field: 'email', ciphertext: null, meta: '{}', changedAt: '2026-11-20T10:00:00.000Z' });
      });
      const rows = await adapter.transaction((tx) => tx.listHistory('s1'));
      expect(rows.map((r) => r.id)).toEqual(['h-z', 'h-a', 'h-m']);
      expect(rows[1]?.ciphertext).toBeNull();
      expect(rows[2]?.ciphertext).toEqual(new Uint8Array([2]));
      await expect(
        adapter.transaction((tx) => tx.appendHistory({ id: 'h-a', subjectId: 's1', field: 'x', ciphertext: null, meta: '{}', changedAt: 'x' })),
      ).rejects.toBeInstanceOf(StorageConflictError);
      expect(await adapter.transaction((tx) => tx.deleteHistory('s1'))).toBe(3);
      expect(await adapter.transaction((tx) => tx.listHistory('s1'))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.listHistory('s2'))).toHaveLength(1);
      await adapter.close();
    });

    it('stores records by (kind, id), replaces them, lists by kind and subject in createdAt order', async () => {
      const { adapter } = await h.fresh();
      await adapter.transaction(async (tx) => {
        await tx.putRecord({ kind: 'consent', id: 'c2', subjectId: 's1', createdAt: '2026-02-01', doc: '{"v":2}' });
        await tx.putRecord({ kind: 'consent', id: 'c1', subjectId: 's1', createdAt: '2026-01-01', doc: '{"v":1}' });
        await tx.putRecord({ kind: 'consent', id: 'c3', subjectId: 's2', createdAt: '2026-01-15', doc: '{}' });
        await tx.putRecord({ kind: 'provision', id: 'c1', subjectId: null, createdAt: '2026-01-01', doc: '{"p":1}' });
        await tx.putRecord({ kind: 'consent', id: 'c2', subjectId: 's1', createdAt: '2026-02-01', doc: '{"v":"2b"}' });
      });
      expect(await adapter.transaction((tx) => tx.getRecord('consent', 'c2'))).toEqual({
        kind: 'consent', id: 'c2', subjectId: 's1', createdAt: '2026-02-01', doc: '{"v":"2b"}',
      });
      expect(await adapter.transaction((tx) => tx.getRecord('provision', 'c1'))).toMatchObject({ subjectId: null, doc: '{"p":1}' });
      expect((await adapter.transaction((tx) => tx.listRecords('consent'))).map((r) => r.id)).toEqual(['c1', 'c3', 'c2']);
      expect((await adapter.transaction((tx) => tx.listRecords('consent', { subjectId: 's1' }))).map((r) => r.id)).toEqual(['c1', 'c2']);
      expect(await adapter.transaction((tx) => tx.deleteRecord('consent', 'c1'))).toBe(true);
      expect(await adapter.transaction((tx) => tx.deleteRecord('consent', 'c1'))).toBe(false);
      expect(await adapter.transaction((tx) => tx.getRecord('consent', 'c1'))).toBeUndefined();
      await adapter.close();
    });

    it('appends a verifiable audit chain and filters it by indexed columns', async () => {
      const { adapter } = await h.fresh();
      const e1 = await adapter.transaction((tx) => tx.appendAudit(audit()));
      expect(e1.seq).toBe(1);
      expect(e1.prevHash).toBe('0'.repeat(64));
      await adapter.transaction(async (tx) => {
        await tx.appendAudit(audit({ subject: 's2', decision: 'deny', reason: 'USE_SUSPENDED' }));
        await tx.appendAudit(audit({ actor: 'dpo', action: 'consent.grant', decision: 'record', details: { count: 2, ok: true, note: null } }));
      });
      const entries = await adapter.transaction((tx) => tx.listAudit());
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(entries[1]?.prevHash).toBe(e1.hash);
      expect(entries[0]).toEqual(e1);
      expect(entries[2]?.details).toEqual({ count: 2, ok: true, note: null });
      expect(await verifyAuditLog(entries)).toMatchObject({ valid: true, entries: 3 });
      expect((await adapter.transaction((tx) => tx.listAudit({ subject: 's2' }))).map((e) => e.seq)).toEqual([2]);
      expect((await adapter.transaction((tx) => tx.listAudit({ actor: 'staff:1', decision: 'allow' }))).map((e) => e.seq)).toEqual([1]);
      expect((await adapter.transaction((tx) => tx.listAudit({ fromSeq: 2, limit: 1 }))).map((e) => e.seq)).toEqual([2]);
      expect((await adapter.transaction((tx) => tx.listAudit({ purpose: 'contact', action: 'consent.grant' }))).map((e) => e.seq)).toEqual([3]);
      expect(await adapter.transaction((tx) => tx.listAudit({ limit: 0 }))).toEqual([]);
      await adapter.close();
    });

    it('rolls a failed transaction back completely and passes the error through unchanged', async () => {
      const { adapter } = await h.fresh();
      const boom = new Error('boom');
      await expect(
        adapter.transaction(async (tx) => {
          await tx.insertSubject(subject('s1'));
          await tx.putValue(value('s1', 'email', [1]));
          await tx.appendAudit(audit());
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await adapter.transaction((tx) => tx.getSubject('s1'))).toBeUndefined();
      expect(await adapter.transaction((tx) => tx.getValues('s1'))).toEqual([]);
      expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
      // the chain continues from the last committed entry
      expect((await adapter.transaction((tx) => tx.appendAudit(audit()))).seq).toBe(1);
      await adapter.close();
    });

    it('refuses a transaction object used after its transaction ended, and nested transactions', async () => {
      const { adapter } = await h.fresh();
      let leaked: Parameters<Parameters<StorageAdapter['transaction']>[0]>[0] | undefined;
      await adapter.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.getSubject('s1')).rejects.toBeInstanceOf(StorageError);
      await expect(adapter.transaction(() => adapter.transaction(async () => 1))).rejects.toThrow(/inside another/);
      expect(await adapter.transaction(async () => 42)).toBe(42);
      await adapter.close();
    });

    it('throws StorageUnavailableError naming the adapter and location once closed', async () => {
      const { adapter } = await h.fresh();
      await adapter.open();
      await adapter.close();
      await adapter.close();
      const error = await adapter.transaction((tx) => tx.getSubject('s1')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', adapter: h.name, location: adapter.location });
      expect((error as Error).message).toContain(adapter.location);
    });

    it('wraps driver failures without the values bound to the statement', async () => {
      const secretMeta = '{"note":"SECRET-VALUE-4711"}';
      const secretBytes = [0x53, 0x45, 0x43, 0x52, 0x45, 0x54];
      const { adapter, raw, t } = await h.fresh();
      await adapter.open();
      if (h.name === 'sqlite') {
        await raw(`CREATE TRIGGER reject_values BEFORE INSERT ON ${t('pb_values')} BEGIN SELECT RAISE(ABORT, 'rejected by trigger'); END`);
      } else {
        await raw(`ALTER TABLE ${t('pb_values')} ADD CONSTRAINT meta_short CHECK (length(meta) < 5)`);
      }
      const error = await adapter.transaction((tx) => tx.putValue(value('s1', 'SECRET-FIELD-1', secretBytes, { meta: secretMeta }))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', adapter: h.name, operation: 'putValue' });
      expect((error as StorageError).driverCode).toMatch(h.name === 'sqlite' ? /^SQLITE_CONSTRAINT/ : /^23514$/);
      const text = exposed(error);
      expect(text).not.toContain('SECRET-VALUE-4711');
      expect(text).not.toContain('SECRET-FIELD-1');
      expect(text).not.toContain('SECRET');
      await adapter.close();
    });

    it('detects a missing audit head instead of forking the chain', async () => {
      const { adapter, raw, t } = await h.fresh();
      await adapter.transaction((tx) => tx.appendAudit(audit()));
      await raw(`DELETE FROM ${t('pb_audit_head')}`);
      await expect(adapter.transaction((tx) => tx.appendAudit(audit()))).rejects.toBeInstanceOf(IntegrityError);
      // The one-statement batch too, and none of its other writes lands.
      const record = { kind: 'k', id: 'r-missing-head', subjectId: null, createdAt: '2026-11-24T00:00:00.000Z', doc: '{}' };
      await expect(adapter.writeBatch!([{ op: 'putRecord', row: record }, { op: 'appendAudit', entry: audit() }])).rejects.toBeInstanceOf(IntegrityError);
      expect(await adapter.transaction((tx) => tx.getRecord('k', 'r-missing-head'))).toBeUndefined();
      await adapter.close();
    });

    it('keeps committed data for a new adapter on the same storage', async () => {
      const { adapter, another } = await h.fresh();
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(subject('s1'));
        await tx.putValue(value('s1', 'email', [1, 2, 3]));
        await tx.appendAudit(audit());
      });
      await adapter.close();
      const again = another();
      expect(await again.transaction((tx) => tx.getValues('s1'))).toEqual([value('s1', 'email', [1, 2, 3])]);
      expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await verifyAuditLog(await again.transaction((tx) => tx.listAudit()))).toMatchObject({ valid: true, entries: 1 });
      await again.close();
    });
  });

  describe(`${h.name}: migrations`, () => {
    const versions = async (raw: Fixture['raw'], t: Fixture['t']) =>
      (await raw(`SELECT version, applied_at FROM ${t('pb_schema')} ORDER BY version`)).map((r) => ({ version: Number(r['version']), at: r['applied_at'] }));

    it('migrates a database at schema version 0 (meta table only, other tables untouched); opening again is a no-op', async () => {
      const f = await h.fresh(async (raw, t) => {
        await raw(`CREATE TABLE ${t('pb_schema')} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
        await raw(`CREATE TABLE ${t('app_users')} (id INTEGER PRIMARY KEY, label TEXT)`);
        await raw(`INSERT INTO ${t('app_users')} (id, label) VALUES (1, 'kept')`);
      });
      expect(await versions(f.raw, f.t)).toEqual([]);
      await f.adapter.open();
      const after = await versions(f.raw, f.t);
      expect(after.map((v) => v.version).at(-1)).toBe(SCHEMA_VERSION);
      expect(after.map((v) => v.version)).toEqual([...after.map((v) => v.version)].sort((a, b) => a - b));
      expect(await f.raw(`SELECT label FROM ${f.t('app_users')}`)).toEqual([{ label: 'kept' }]);
      await f.adapter.transaction((tx) => tx.insertSubject(subject('s1')));
      await f.adapter.close();
      const again = f.another();
      await again.open();
      expect(await versions(f.raw, f.t)).toEqual(after);
      expect(await again.transaction((tx) => tx.getSubject('s1'))).toEqual(subject('s1'));
      await again.close();
    });

    it('refuses a database from a newer version of the library', async () => {
      const f = await h.fresh(async (raw, t) => {
        await raw(`CREATE TABLE ${t('pb_schema')} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
        await raw(`INSERT INTO ${t('pb_schema')} (version, name, applied_at) VALUES (99, 'future', '2030-01-01')`);
      });
      const error = await f.adapter.open().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(new RegExp(`schema version 99, newer than this library's ${SCHEMA_VERSION}`));
      await f.adapter.close();
    });

    it('rolls a failed migration back: the database stays at its previous version', async () => {
      const f = await h.fresh(async (raw, t) => {
        // version 0, plus a table of ours already there (left by hand): migration 1 fails on it
        await raw(`CREATE TABLE ${t('pb_schema')} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
        await raw(`CREATE TABLE ${t('pb_audit')} (x INTEGER)`);
      });
      await expect(f.adapter.open()).rejects.toBeInstanceOf(StorageError);
      expect(await versions(f.raw, f.t)).toEqual([]);
      // migration 1 created pb_subjects before failing; the rollback removed it
      await expect(f.raw(`SELECT * FROM ${f.t('pb_subjects')}`)).rejects.toThrow();
      await f.adapter.close();
    });
  });

  if (h.concurrent) {
    describe(`${h.name}: two connections`, () => {
      it('keeps one linear audit chain under concurrent appends from both', async () => {
        const f = await h.fresh();
        const a = f.adapter;
        const b = f.another();
        await a.open();
        await b.open();
        const per = 25;
        await Promise.all(
          [a, b].flatMap((ad, k) => Array.from({ length: per }, (_, i) => ad.transaction((tx) => tx.appendAudit(audit({ actor: `w${k}`, details: { i } }))))),
        );
        const entries = await a.transaction((tx) => tx.listAudit());
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 2 * per }, (_, i) => i + 1));
        expect(await verifyAuditLog(entries)).toMatchObject({ valid: true, entries: 2 * per });
        await a.close();
        await b.close();
      });

      it('loses no update: two writers of one subject version, exactly one wins', async () => {
        const f = await h.fresh();
        const a = f.adapter;
        const b = f.another();
        await a.transaction((tx) => tx.insertSubject(subject('s1')));
        const results = await Promise.allSettled(
          [a, b].map((ad, k) =>
            ad.transaction(async (tx) => {
              const row = await tx.getSubject('s1', { forUpdate: true });
              await tx.updateSubject({ ...row!, keyId: `kek-${k}`, version: row!.version + 1 }, 1);
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected');
        expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(StorageConflictError);
        expect((await b.transaction((tx) => tx.getSubject('s1')))?.version).toBe(2);
        await a.close();
        await b.close();
      });
    });
  }
}
