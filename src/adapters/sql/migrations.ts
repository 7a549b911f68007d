/**
 * Versioned schema migrations of the SQL adapters. `pb_schema` holds one row per applied
 * version; all pending migrations run in one transaction under a lock, so opening twice, or
 * from two processes at once, applies each exactly once, and a failed migration leaves the
 * database at its previous version.
 *
 * @module
 */
import { GENESIS_HASH } from '../../audit/audit-entry.js';
import type { SqlDialect, SqlValue } from './dialect.js';
import type { SqlExecutor } from './executor.js';
import { sealLegacyAuditChain } from './audit-tree-sql.js';
import { auditAppendFunction } from './audit-append-function.js';

/** @internal one migration: statements run in order, then `run`, in one transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (d: SqlDialect) => readonly (readonly [sql: string, params?: readonly SqlValue[]])[];
  /** Work that needs code, not only SQL (e.g. hashing the existing rows), after `statements`. */
  readonly run?: (exec: SqlExecutor, d: SqlDialect) => Promise<void>;
}

/** @internal the migrations, oldest first. Never edit a released one: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subjects, values, history, records, audit chain',
    statements: (d) => {
      const t = d.table;
      return [
        [
          `CREATE TABLE ${t('pb_subjects')} (
            id ${d.key} PRIMARY KEY,
            key_id TEXT NOT NULL,
            wrapped_key ${d.bytes},
            created_at TEXT NOT NULL,
            erased_at TEXT,
            erasure_ref TEXT,
            version INTEGER NOT NULL
          )`,
        ],
        [
          `CREATE TABLE ${t('pb_values')} (
            subject_id ${d.key} NOT NULL,
            field ${d.key} NOT NULL,
            ciphertext ${d.bytes} NOT NULL,
            lookup TEXT,
            meta TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (subject_id, field)
          )`,
        ],
        [`CREATE INDEX pb_values_lookup ON ${t('pb_values')} (field, lookup)`],
        [
          `CREATE TABLE ${t('pb_history')} (
            id ${d.key} PRIMARY KEY,
            subject_id ${d.key} NOT NULL,
            field TEXT NOT NULL,
            ciphertext ${d.bytes},
            meta TEXT NOT NULL,
            changed_at TEXT NOT NULL${d.historyPosColumn}
          )`,
        ],
        [`CREATE INDEX pb_history_subject ON ${t('pb_history')} (subject_id)`],
        [
          `CREATE TABLE ${t('pb_records')} (
            kind ${d.key} NOT NULL,
            id ${d.key} NOT NULL,
            subject_id ${d.key},
            created_at ${d.key} NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY (kind, id)
          )`,
        ],
        [`CREATE INDEX pb_records_subject ON ${t('pb_records')} (kind, subject_id)`],
        [
          `CREATE TABLE ${t('pb_audit')} (
            seq ${d.int64} PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            subject TEXT,
            field TEXT,
            purpose TEXT,
            decision TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            entry TEXT NOT NULL
          )`,
        ],
        [`CREATE INDEX pb_audit_subject ON ${t('pb_audit')} (subject, seq)`],
        [`CREATE INDEX pb_audit_actor ON ${t('pb_audit')} (actor, seq)`],
        [`CREATE INDEX pb_audit_purpose ON ${t('pb_audit')} (purpose, seq)`],
        [`CREATE INDEX pb_audit_field ON ${t('pb_audit')} (field, seq)`],
        [`CREATE INDEX pb_audit_action ON ${t('pb_audit')} (action, seq)`],
        [
          `CREATE TABLE ${t('pb_audit_head')} (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq ${d.int64} NOT NULL,
            hash TEXT NOT NULL
          )`,
        ],
        [d.sql(`INSERT INTO ${t('pb_audit_head')} (id, seq, hash) VALUES (1, 0, ?)`), [GENESIS_HASH]],
      ];
    },
  },
  {
    version: 2,
    name: 'audit Merkle tree (nodes, compact range in the head; schema-1 chain sealed as its first leaves); no unread copies in the entry JSON',
    statements: (d) => {
      const t = d.table;
      // Members kept in columns are read from the columns only: drop their unread copies from the JSON.
      const columns = ['at', 'action', 'actor', 'subject', 'field', 'purpose', 'decision'];
      const strip = d.name === 'postgres' ? `(entry::jsonb ${columns.map((c) => `- '${c}'`).join(' ')})::text` : `json_remove(entry, ${columns.map((c) => `'$.${c}'`).join(', ')})`;
      return [
        [
          `CREATE TABLE ${t('pb_audit_node')} (
            level INTEGER NOT NULL,
            idx ${d.int64} NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (level, idx)
          )`,
        ],
        [`ALTER TABLE ${t('pb_audit_head')} ADD COLUMN frontier TEXT NOT NULL DEFAULT ''`],
        [`ALTER TABLE ${t('pb_audit_head')} ADD COLUMN legacy_size ${d.int64} NOT NULL DEFAULT 0`],
        [`UPDATE ${t('pb_audit')} SET entry = ${strip}`],
        ...(d.name === 'postgres' ? [[`CREATE TABLE ${t('pb_audit_sync')} (pid INTEGER PRIMARY KEY, n ${d.int64} NOT NULL)`] as const, [auditAppendFunction(d)] as const] : []),
      ];
    },
    run: sealLegacyAuditChain,
  },
  {
    version: 3,
    name: 'value state of each subject (replay detection)',
    // Nullable: subjects written before it have none until their next write or `rotateKeys`.
    statements: (d) => [[`ALTER TABLE ${d.table('pb_subjects')} ADD COLUMN value_state TEXT`]],
  },
];

/** @internal the version the current code migrates to. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** @internal create the version table when missing (idempotent; run under the migration lock). */
export async function ensureSchemaTable(exec: SqlExecutor, d: SqlDialect, schema: string | undefined): Promise<void> {
  if (schema !== undefined) await exec.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`, []);
  await exec.run(
    `CREATE TABLE IF NOT EXISTS ${d.table('pb_schema')} (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`,
    [],
  );
}

/** @internal the highest applied version (0 for an empty database). */
export async function readSchemaVersion(exec: SqlExecutor, d: SqlDialect): Promise<number> {
  const rows = await exec.all(`SELECT MAX(version) AS v FROM ${d.table('pb_schema')}`, []);
  const v = rows[0]?.['v'];
  return v === null || v === undefined ? 0 : Number(v);
}

/**
 * @internal apply every migration newer than the database's version. The caller holds the
 * migration lock and the transaction.
 */
export async function applyMigrations(exec: SqlExecutor, d: SqlDialect, from: number, now: string): Promise<void> {
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    for (const [sql, params] of m.statements(d)) await exec.run(sql, params ?? []);
    if (m.run !== undefined) await m.run(exec, d);
    await exec.run(d.sql(`INSERT INTO ${d.table('pb_schema')} (version, name, applied_at) VALUES (?, ?, ?)`), [m.version, m.name, now]);
  }
}
