/**
 * The audit tree as the SQL adapters store it (`src/adapters/sql/audit-tree-sql.ts`), on
 * SQLite, PGlite and PostgreSQL: a head row tampered into something malformed is an
 * `IntegrityError` (never a head a proof is then built on); batches and reads larger than one
 * statement's chunk store and return exactly what one statement would; empty reads are empty;
 * and the upgrade from schema 1 seals a chain longer than one page, refusing a missing or
 * mismatched head.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CompactRange, createAuditProofs, IntegrityError, SCHEMA_VERSION, verifyAuditLog, type AuditEntryInput, type StorageTransaction } from 'purpose-bound';
import { groupCommitAuditLogOf } from '../../../src/audit/group-commit.js';
import { auditLeafData } from '../../../src/audit/audit-entry.js';
import { hashLeaf } from '../../../src/audit/merkle.js';
import { layOutSchemaOne } from '../../audit/fixtures/schema-one.js';
import { sqlTargets } from '../../security/fixtures/targets.js';

const { targets, close } = sqlTargets('pb_audit_tree_sql');
afterAll(close);

const input = (i: number): AuditEntryInput => ({ at: '2026-12-01T09:00:00.000Z', action: 'read', actor: `staff:${i}`, subject: `s${i % 7}`, decision: 'allow' });
const inputs = (n: number, from = 1): AuditEntryInput[] => Array.from({ length: n }, (_, i) => input(from + i));

type Tx = Required<StorageTransaction>;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** Every stored node of a tree of `n` leaves built from `leafHashes`, as `level/index` → hash. */
function expectedNodes(leafHashes: readonly Buffer[]): Map<string, string> {
  const range = new CompactRange();
  const nodes = new Map<string, string>();
  for (const h of leafHashes) range.append(h, (level, index, hash) => nodes.set(`${level}/${index}`, hash.toString('hex')));
  return nodes;
}

describe.each(targets)('audit tree storage on $name', (target) => {
  it.each([
    ['a negative size', { seq: -1, frontier: '' }],
    ['a size beyond the safe integers', { seq: 2 ** 60, frontier: '' }],
    ['a frontier that is not whole hashes', { seq: 1, frontier: 'ab' }],
    ['a frontier that is not lower-case hex', { seq: 1, frontier: 'g'.repeat(64) }],
    ['a frontier with upper-case hex', { seq: 1, frontier: 'A'.repeat(64) }],
  ])('a head row with %s is an IntegrityError naming pb_audit_head', async (_name, head) => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => tx.appendAudit(input(1)));
    await raw.run(`UPDATE ${raw.t('pb_audit_head')} SET seq = ?, frontier = ? WHERE id = 1`, [head.seq, head.frontier]);
    const error = await rejection(adapter.transaction((tx) => (tx as Tx).auditTreeHead(), { readOnly: true }));
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(/pb_audit_head/);
    await adapter.close();
  });

  it('a deleted head row is an IntegrityError naming pb_audit_head, for the head and for an append', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => tx.appendAudit(input(1)));
    await raw.run(`DELETE FROM ${raw.t('pb_audit_head')}`);
    for (const op of [(tx: StorageTransaction): Promise<unknown> => (tx as Tx).auditTreeHead(), (tx: StorageTransaction): Promise<unknown> => tx.appendAudit(input(2))]) {
      const error = await rejection(adapter.transaction(op));
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).message).toMatch(/head/);
    }
    expect(await adapter.transaction((tx) => tx.listAudit(), { readOnly: true })).toHaveLength(1);
    await adapter.close();
  });

  it('the head states the stored legacy size (the entries sealed from schema 1)', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => (tx as Tx).appendAuditMany(inputs(3)));
    expect((await adapter.transaction((tx) => (tx as Tx).auditTreeHead(), { readOnly: true })).legacySize).toBe(0);
    await raw.run(`UPDATE ${raw.t('pb_audit_head')} SET legacy_size = ? WHERE id = 1`, [2]);
    expect(await adapter.transaction((tx) => (tx as Tx).auditTreeHead(), { readOnly: true })).toMatchObject({ size: 3, legacySize: 2 });
    await adapter.close();
  });

  it('one append of 700 entries stores every subtree it completes, once; node and entry reads larger than a chunk return all of them, in the order asked', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    const appended = await adapter.transaction((tx) => (tx as Tx).appendAuditMany(inputs(700)));
    const expected = expectedNodes(appended.map((e) => hashLeaf(auditLeafData(e))));
    const stored = await raw.all(`SELECT level, idx, hash FROM ${raw.t('pb_audit_node')}`);
    expect(new Map(stored.map((r) => [`${Number(r['level'])}/${Number(r['idx'])}`, String(r['hash'])]))).toEqual(expected);
    expect(stored).toHaveLength(expected.size);

    // 699 nodes asked (several chunks), newest first, with refs that do not exist between them.
    const refs = [...expected.keys()].reverse().flatMap((k) => {
      const [level, index] = k.split('/').map(Number) as [number, number];
      return [
        { level, index },
        { level, index: index + 1_000_000 },
      ];
    });
    const hashes = await adapter.transaction((tx) => (tx as Tx).getAuditNodes(refs), { readOnly: true });
    expect(hashes).toEqual(refs.map((r) => expected.get(`${r.level}/${r.index}`)));

    // 700 entries asked twice each (a chunk is of distinct seqs), newest first, and one that does not exist.
    const seqs = [...appended.map((e) => e.seq).reverse(), 701, ...appended.map((e) => e.seq)];
    const entries = await adapter.transaction((tx) => (tx as Tx).getAuditEntries(seqs), { readOnly: true });
    expect(entries).toEqual(seqs.map((s) => appended[s - 1]));
    expect(await verifyAuditLog(groupCommitAuditLogOf(adapter))).toMatchObject({ valid: true, entries: 700 });
    await adapter.close();
  });

  it('node and entry reads of more refs than a statement can bind (40,000) are split into statements that can', async () => {
    const { adapter } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => (tx as Tx).appendAuditMany(inputs(4)));
    const refs = Array.from({ length: 40_000 }, (_, i) => ({ level: 2, index: i }));
    const hashes = await adapter.transaction((tx) => (tx as Tx).getAuditNodes(refs), { readOnly: true });
    expect(hashes).toHaveLength(40_000);
    expect(hashes.filter((h) => h !== undefined)).toHaveLength(1); // level 2, index 0: the four leaves' root
    const entries = await adapter.transaction((tx) => (tx as Tx).getAuditEntries(Array.from({ length: 70_000 }, (_, i) => i + 1)), { readOnly: true });
    expect(entries.filter((e) => e !== undefined).map((e) => e?.seq)).toEqual([1, 2, 3, 4]);
    await adapter.close();
  });

  it('empty node and entry reads are empty (no statement with an empty list)', async () => {
    const { adapter } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => (tx as Tx).appendAuditMany(inputs(2)));
    expect(await adapter.transaction((tx) => (tx as Tx).getAuditNodes([]), { readOnly: true })).toEqual([]);
    expect(await adapter.transaction((tx) => (tx as Tx).getAuditEntries([]), { readOnly: true })).toEqual([]);
    await adapter.close();
  });
});

describe.each(targets)('schema 1 → 2 sealing on $name', (target) => {
  it('seals a chain longer than one page (6,001 entries): every node stored, the head at the chain, legacy size recorded, the log verifies', async () => {
    const { adapter, raw } = await target.create();
    await layOutSchemaOne(raw, inputs(6001));
    await adapter.open();
    expect(await adapter.schemaVersion()).toBe(SCHEMA_VERSION);
    const listed = await adapter.transaction((tx) => tx.listAudit(), { readOnly: true });
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 6001 }, (_, i) => i + 1));
    const expected = expectedNodes(listed.map((e) => hashLeaf(auditLeafData(e))));
    const [count] = await raw.all(`SELECT COUNT(*) AS n FROM ${raw.t('pb_audit_node')}`);
    expect(Number(count?.['n'])).toBe(expected.size);
    const some = [...expected.keys()].filter((_, i) => i % 97 === 0);
    const refs = some.map((k) => {
      const [level, index] = k.split('/').map(Number) as [number, number];
      return { level, index };
    });
    expect(await adapter.transaction((tx) => (tx as Tx).getAuditNodes(refs), { readOnly: true })).toEqual(some.map((k) => expected.get(k)));
    const head = await adapter.transaction((tx) => (tx as Tx).auditTreeHead(), { readOnly: true });
    expect(head).toMatchObject({ size: 6001, legacySize: 6001, lastHash: listed.at(-1)?.hash });
    expect((await createAuditProofs(adapter).head()).size).toBe(6001);
    expect(await verifyAuditLog(groupCommitAuditLogOf(adapter))).toMatchObject({ valid: true, entries: 6001, legacyEntries: 6001 });
    await adapter.close();
  });

  it.each([
    ['a head row missing', 'delete', /head row is missing/],
    ['a head ahead of the entries', 'ahead', /head does not match/],
  ] as const)('refuses to seal a chain with %s, leaving the database at schema 1', async (_name, how, message) => {
    const { adapter, raw } = await target.create();
    await layOutSchemaOne(raw, inputs(3), how === 'ahead' ? { headSeq: 4 } : {});
    if (how === 'delete') await raw.run(`DELETE FROM ${raw.t('pb_audit_head')}`);
    const error = await rejection(adapter.open());
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toMatch(message);
    const [version] = await raw.all(`SELECT MAX(version) AS v FROM ${raw.t('pb_schema')}`);
    expect(Number(version?.['v'])).toBe(1);
    await adapter.close();
  });
});
