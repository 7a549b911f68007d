/**
 * `purpose-bound export-audit`: the audit log of a real database (SQLite file, PostgreSQL
 * schema), written by a vault, exported by the CLI as JSON Lines that `verify-audit` accepts
 * and as CSV that a standard parser (csv-parse) reads back to the same entries. No personal
 * value reaches either, and a formula-like actor cannot run in a spreadsheet.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createLocalKeyring, createVault, generateKey, memorySubjectSecrets, type AuditEntry, type StorageAdapter } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { AUDIT_CSV_COLUMNS, csvCell, exportAuditLog } from '../../src/cli/export-audit.js';
import { DATABASE_URL, uniqueSchema } from '../adapters/support/postgres-env.js';
import { cli } from './helpers.js';

const SECRETS = { name: '秘密花子', email: 'hana.secret@example.jp', phone: '090-1111-2222' };
const FORMULA_ACTOR = '=HYPERLINK("https://evil.example","x")';

let dir: string;
let sqliteFile: string;
let expected: AuditEntry[];
const schema = uniqueSchema('pb_export');

/** Write an audit log through a vault: collect, reads, a denial, a formula-like actor. */
async function fill(adapter: StorageAdapter): Promise<AuditEntry[]> {
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy: ji4pePolicy, adapter, keyring });
  const { subject } = await vault.collect({ collectionPoint: 'inquiry', actor: 'web', values: { name: SECRETS.name, email: SECRETS.email, inquiry: 'About the course' } as never });
  await vault.read(subject, 'email', { purpose: 'contact', actor: FORMULA_ACTOR });
  await vault.read(subject, 'email', { purpose: 'billing' as never, actor: 'staff, "quoted"\nnewline' }).catch(() => undefined);
  const entries = [...(await vault.audit.entries())];
  await vault.close();
  return entries;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-export-'));
  sqliteFile = join(dir, 'app.db');
  expected = await fill(sqliteAdapter({ filename: sqliteFile }));
  expect(expected.length).toBeGreaterThanOrEqual(3);
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('export-audit', () => {
  it('exports a SQLite database as JSON Lines that verify-audit accepts, holding no value', async () => {
    const r = await cli(['export-audit', '--database', sqliteFile]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as AuditEntry)).toEqual(expected);
    expect(r.stderr).toBe(`exported ${expected.length} audit entries from ${sqliteFile} (seq 1-${expected.length}; last hash ${expected.at(-1)?.hash})\n`);
    for (const v of Object.values(SECRETS)) expect(r.stdout + r.stderr).not.toContain(v);
    const verified = await cli(['verify-audit', '-', '--expected-head', expected.at(-1)?.hash as string], { stdin: r.stdout });
    expect(verified.code).toBe(0);
  }, 60_000);

  it('exports CSV that csv-parse reads back to the same entries; formula-like cells are neutralised', async () => {
    const out = join(dir, 'audit.csv');
    const r = await cli(['export-audit', '--database', sqliteFile, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const rows = parse(await readFile(out, 'utf8'), { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(expected.length);
    for (const [i, row] of rows.entries()) {
      const e = expected[i] as AuditEntry & Record<string, unknown>;
      for (const column of AUDIT_CSV_COLUMNS) {
        const value = e[column];
        const want = value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
        expect(row[column], `${column} of seq ${e.seq}`).toBe(/^[=+\-@\t\r]/.test(want) && typeof value === 'string' ? `'${want}` : want);
      }
    }
    expect(rows.some((row) => row['actor'] === `'${FORMULA_ACTOR}`)).toBe(true);
    expect(rows.some((row) => row['actor'] === 'staff, "quoted"\nnewline')).toBe(true);
  }, 60_000);

  it('--from-seq starts later; pages are stitched in seq order', async () => {
    const r = await cli(['export-audit', '--database', sqliteFile, '--from-seq', '2']);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEntry).seq),
    ).toEqual(expected.slice(1).map((e) => e.seq));
    const adapter = sqliteAdapter({ filename: sqliteFile });
    await adapter.open();
    let text = '';
    const result = await exportAuditLog(adapter, async (chunk) => void (text += chunk), { format: 'jsonl', pageSize: 2 });
    await adapter.close();
    expect(result).toEqual({ entries: expected.length, firstSeq: 1, lastSeq: expected.length, head: expected.at(-1)?.hash });
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditEntry),
    ).toEqual(expected);
  }, 60_000);

  it('exports a PostgreSQL schema (DATABASE_URL)', async () => {
    const written = await fill(postgresAdapter({ connectionString: DATABASE_URL, schema }));
    try {
      const r = await cli(['export-audit', '--database', DATABASE_URL, '--schema', schema]);
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      expect(
        r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as AuditEntry),
      ).toEqual(written);
      // The password of the URL is never printed.
      const { password } = new URL(DATABASE_URL);
      if (password !== '') expect(r.stderr).not.toContain(`:${password}@`);
      expect(r.stderr).toMatch(new RegExp(`^exported ${written.length} audit entries from postgres`));
    } finally {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }, 60_000);

  it('names what is wrong: no database, an unknown kind, a bad --from-seq', async () => {
    const none = await cli(['export-audit'], { cwd: dir });
    // DATABASE_URL may be set for the tests; without --database it is the default.
    if (process.env['DATABASE_URL'] === undefined) {
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('error INVALID_ARGUMENT: --database is required');
    }
    const unknown = await cli(['export-audit', '--database', join(dir, 'nothing-here')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--adapter is needed');
    const seq = await cli(['export-audit', '--database', sqliteFile, '--from-seq', '0']);
    expect(seq.code).toBe(2);
    expect(seq.stderr).toContain('--from-seq must be a positive whole number');
  }, 60_000);

  it('csvCell quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(7)).toBe('7');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe('diff of a policy with itself', () => {
  it('says "no changes" instead of printing a change notice', async () => {
    const same = await cli(['diff', 'examples/ji4pe/policy.ts', 'examples/ji4pe/policy.ts']);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe('no changes: policy ji4pe version 2020-09 (effective 2020-09-01) in both\n');
    const ja = await cli(['diff', 'examples/ji4pe/policy.ts', 'examples/ji4pe/policy.ts', '--lang', 'ja', '--exit-code']);
    expect(ja.code).toBe(0);
    expect(ja.stdout).toContain('変更はありません');
  }, 60_000);
});
