/**
 * Upgrading a schema-1 database (the hash chain of purpose-bound 0.1) to schema 2 on SQLite,
 * PGlite and PostgreSQL: the chain is sealed as the tree's first leaves, keeps verifying,
 * entries appended afterwards extend the tree, proofs cover old and new entries alike, and the
 * unread JSON copies of column members (issue 16, "unverified copies") are gone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditProofs, IntegrityError, SCHEMA_VERSION, verifyAuditLog, verifyInclusion, type AuditEntryInput } from 'purpose-bound';
import { groupCommitAuditLogOf } from '../../src/audit/group-commit.js';
import { sqlTargets, type RawDb } from '../security/fixtures/targets.js';
import { layOutSchemaOne } from './fixtures/schema-one.js';

const { targets, close } = sqlTargets('pb_audit_mig');
afterAll(close);

function input(i: number): AuditEntryInput {
  return {
    at: `2025-06-0${1 + (i % 9)}T09:00:00.000Z`,
    action: 'read',
    actor: `staff:${i}`,
    subject: `s${i % 2}`,
    field: 'email',
    purpose: 'contact',
    decision: 'allow',
    details: { i },
  };
}

/** Schema 1 with `n` entries chained as purpose-bound 0.1 wrote them (`gapAt` left out). */
function schemaOne(raw: RawDb, n: number, gapAt?: number): Promise<void> {
  return layOutSchemaOne(
    raw,
    Array.from({ length: n }, (_, i) => input(i + 1)),
    gapAt === undefined ? {} : { gapAt },
  );
}

describe.each(targets)('schema 1 → 2 on $name', (target) => {
  it('seals the old chain as the first leaves; it keeps verifying and the tree grows from it', async () => {
    const { adapter, raw } = await target.create();
    await schemaOne(raw, 5);
    await adapter.open();
    expect(await adapter.schemaVersion()).toBe(SCHEMA_VERSION);
    const log = groupCommitAuditLogOf(adapter);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: 5, legacyEntries: 5 });
    const [head] = await raw.all(`SELECT legacy_size, seq FROM ${raw.t('pb_audit_head')}`);
    expect(Number(head?.['legacy_size'])).toBe(5);
    // No copy of a column member is left in the JSON (only basis/reference/reason/details live there).
    for (const r of await raw.all(`SELECT entry FROM ${raw.t('pb_audit')}`)) expect(Object.keys(JSON.parse(String(r['entry'])))).toEqual(['details']);
    await log.appendMany([input(6), input(7), input(8)]);
    const after = await verifyAuditLog(log);
    expect(after).toMatchObject({ valid: true, entries: 8, legacyEntries: 5 });
    const proofs = createAuditProofs(adapter);
    const now = await proofs.head();
    if (after.valid) expect(now.rootHash).toBe(after.rootHash);
    for (const p of await proofs.inclusionMany([1, 5, 6, 8], now.size)) expect(verifyInclusion(p.seq - 1, now.size, p.leafHash, p.path, now.rootHash)).toBe(true);
    // An old entry edited after the upgrade is still caught by its old hash.
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET actor = ? WHERE seq = ?`, ['someone-else', 2]);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: false, seq: 2, reason: 'hash-mismatch' });
    await adapter.close();
  });

  it('refuses to seal a chain with a gap (tampered before the upgrade), leaving the database at schema 1', async () => {
    const { adapter, raw } = await target.create();
    await schemaOne(raw, 4, 2);
    const error = await adapter.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(String((error as Error).message)).toMatch(/gap before seq 3/);
    const rows = await raw.all(`SELECT MAX(version) AS v FROM ${raw.t('pb_schema')}`);
    expect(Number(rows[0]?.['v'])).toBe(1);
    await adapter.close();
  });
});

describe.each(targets)('no unverified copies on $name (issue 16)', (target) => {
  it('stores each member once: columns only for the filtered ones, JSON only for the rest; an edited `at` column is caught', async () => {
    const { adapter, raw } = await target.create();
    await adapter.open();
    const log = groupCommitAuditLogOf(adapter);
    await log.appendMany([{ ...input(1), basis: 'purpose', reference: 'req_1', reason: 'PURPOSE_NOT_ALLOWED', decision: 'deny' }, input(2)]);
    const rows = await raw.all(`SELECT at, actor, entry FROM ${raw.t('pb_audit')} ORDER BY seq`);
    expect(Object.keys(JSON.parse(String(rows[0]?.['entry']))).sort()).toEqual(['basis', 'details', 'reason', 'reference']);
    expect(rows[0]?.['at']).toBe(input(1).at);
    const [first] = await log.entries({ limit: 1 });
    expect(first?.at).toBe(input(1).at);
    // The column a SQL report would read is the one the tree verifies.
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET at = ? WHERE seq = ?`, ['2020-01-01T00:00:00.000Z', 1]);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: false, seq: 1, reason: 'hash-mismatch' });
    await adapter.close();
  });
});
