/**
 * What the SQL adapters add to the `StorageAdapter` contract (migrations, the audit head, error
 * wrapping, closed databases), shared by the PGlite, SQLite and PostgreSQL test files. Each test
 * gets fresh, isolated storage from the harness. The contract itself is tested by the published
 * conformance suite (`runAdapterConformance`), which each of those files also runs: tests that
 * duplicated it moved there.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  IntegrityError,
  SCHEMA_VERSION,
  StorageError,
  StorageUnavailableError,
  verifyAuditLog,
  type AuditEntryInput,
  type StorageAdapter,
  type StorageTransaction,
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

    it('honours readOnly: every write and forUpdate refused with StorageError naming the operation, nothing written', async () => {
      const { adapter } = await h.fresh();
      for (const [operation, write] of [
        ['insertSubject', (tx: StorageTransaction) => tx.insertSubject(subject('ro'))],
        ['getSubject', (tx: StorageTransaction) => tx.getSubject('ro', { forUpdate: true })],
        ['putValue', (tx: StorageTransaction) => tx.putValue(value('ro', 'f', [1]))],
        ['appendAudit', (tx: StorageTransaction) => tx.appendAudit(audit())],
        ['deleteRecord', (tx: StorageTransaction) => tx.deleteRecord('k', 'x')],
      ] as const) {
        await expect(adapter.transaction(write as (tx: StorageTransaction) => Promise<unknown>, { readOnly: true })).rejects.toMatchObject({
          code: 'STORAGE_ERROR',
          adapter: h.name,
          operation,
        });
      }
      expect(await adapter.transaction((tx) => tx.getSubject('ro'))).toBeUndefined();
      expect(await adapter.transaction((tx) => tx.listAudit())).toEqual([]);
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
      await expect(
        adapter.writeBatch!([
          { op: 'putRecord', row: record },
          { op: 'appendAudit', entry: audit() },
        ]),
      ).rejects.toBeInstanceOf(IntegrityError);
      expect(await adapter.transaction((tx) => tx.getRecord('k', 'r-missing-head'))).toBeUndefined();
      await adapter.close();
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
      expect(after.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(after.map((v) => v.version).at(-1)).toBe(SCHEMA_VERSION);
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
}
