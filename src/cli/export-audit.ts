/**
 * `purpose-bound export-audit`: write the audit log of a database as JSON Lines (the form
 * `verify-audit` reads) or CSV. The audit log holds ids, purposes, decisions and codes, never a
 * personal value, so neither does the export; no key is needed and none is asked for.
 *
 * The database is opened through the built-in adapter of its kind, the way the application
 * opens it (which applies pending schema migrations), and read in pages of `seq` order, each
 * page in its own transaction: entries appended meanwhile are exported when they fall after
 * the last page read.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditEntry } from '../audit/audit-entry.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { CliUsageError } from './errors.js';

/** Output formats of `export-audit`. */
export type AuditExportFormat = 'jsonl' | 'csv';

/** Adapters `export-audit` can open. */
export type AuditExportAdapter = 'postgres' | 'pglite' | 'sqlite';

/** CSV columns, in order: every member an audit entry can have. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'action',
  'actor',
  'subject',
  'field',
  'purpose',
  'basis',
  'reference',
  'decision',
  'reason',
  'details',
  'prevHash',
  'hash',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF. Objects are written
 * as JSON. A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * tab or CR) is prefixed with `'` (OWASP's advice on CSV injection): actor names and
 * references come from the application and could be chosen by an attacker. JSON Lines keeps
 * every value exactly; use it to verify the chain.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record of an entry, without the line break. */
export function auditCsvRow(entry: AuditEntry): string {
  return AUDIT_CSV_COLUMNS.map((column) => csvCell((entry as unknown as Record<string, unknown>)[column])).join(',');
}

/** Which adapter a `--database` value means when `--adapter` is not given. */
export async function inferAdapter(database: string): Promise<AuditExportAdapter> {
  if (/^postgres(ql)?:\/\//i.test(database)) return 'postgres';
  if (/\.(db|sqlite3?)$/i.test(database)) return 'sqlite';
  const info = await stat(database).catch(() => undefined);
  if (info?.isDirectory()) return 'pglite';
  throw new CliUsageError('--adapter', 'is needed: --database is neither a postgres:// URL, a .db/.sqlite/.sqlite3 file nor a PGlite data directory');
}

/** Open the database's adapter (dynamically: each loads only its own driver). */
export async function openAuditSource(
  database: string,
  kind: AuditExportAdapter,
  options: { readonly cwd: string; readonly schema?: string | undefined },
): Promise<StorageAdapter> {
  let adapter: StorageAdapter;
  if (kind === 'postgres') {
    const { postgresAdapter } = await import('../adapters/postgres.js');
    adapter = postgresAdapter({ connectionString: database, max: 1, ...(options.schema !== undefined && { schema: options.schema }) });
  } else if (kind === 'pglite') {
    const { pgliteAdapter } = await import('../adapters/pglite.js');
    adapter = pgliteAdapter({ dataDir: resolve(options.cwd, database), ...(options.schema !== undefined && { schema: options.schema }) });
  } else {
    if (options.schema !== undefined) throw new CliUsageError('--schema', 'applies only to postgres and pglite');
    const { sqliteAdapter } = await import('../adapters/sqlite.js');
    adapter = sqliteAdapter({ filename: resolve(options.cwd, database) });
  }
  await adapter.open();
  return adapter;
}

/** What an export wrote. */
export interface AuditExportResult {
  readonly entries: number;
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  /** Hash of the last entry written: the head, when the export ran to the end of the log. */
  readonly head: string | undefined;
}

/** Where the export goes: a write that resolves once the chunk is accepted (back-pressure). */
export type ChunkSink = (chunk: string) => Promise<void>;

/** A sink over a writable stream that waits for `drain` when the stream asks. */
export function streamSink(stream: NodeJS.WritableStream): ChunkSink {
  return (chunk) =>
    new Promise((resolvePromise, reject) => {
      const ok = stream.write(chunk, (error) => (error ? reject(error) : undefined));
      if (ok) resolvePromise();
      else stream.once('drain', () => resolvePromise());
    });
}

/**
 * Write every audit entry with `seq >= fromSeq`, in `seq` order, page by page.
 *
 * @param adapter - an opened adapter
 * @param sink - where the lines go
 */
export async function exportAuditLog(
  adapter: StorageAdapter,
  sink: ChunkSink,
  options: { readonly format: AuditExportFormat; readonly fromSeq?: number; readonly pageSize?: number },
): Promise<AuditExportResult> {
  const pageSize = options.pageSize ?? 1000;
  let next = options.fromSeq ?? 1;
  let entries = 0;
  let firstSeq: number | undefined;
  let lastSeq: number | undefined;
  let head: string | undefined;
  if (options.format === 'csv') await sink(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
  for (;;) {
    const page = await adapter.transaction((tx) => tx.listAudit({ fromSeq: next, limit: pageSize }));
    if (page.length === 0) break;
    const lines = page.map((e) => (options.format === 'csv' ? `${auditCsvRow(e)}\r\n` : `${JSON.stringify(e)}\n`));
    await sink(lines.join(''));
    entries += page.length;
    firstSeq ??= page[0]?.seq;
    const last = page[page.length - 1] as AuditEntry;
    lastSeq = last.seq;
    head = last.hash;
    if (page.length < pageSize) break;
    next = last.seq + 1;
  }
  return { entries, firstSeq, lastSeq, head };
}

/** A file sink; `close()` resolves when everything is on disk. */
export function fileSink(path: string): { readonly sink: ChunkSink; close(): Promise<void> } {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  return {
    sink: streamSink(stream),
    close: () =>
      new Promise((resolvePromise, reject) => {
        stream.once('error', reject);
        stream.end(() => resolvePromise());
      }),
  };
}
