/**
 * How the SQL adapters store and read an audit entry (`src/adapters/sql/audit-rows.ts`), on
 * SQLite, PGlite and PostgreSQL: an entry reads back exactly as appended (absent members stay
 * absent), a member that is not a string is refused by name, and a stored entry whose JSON was
 * replaced by something that is not an object is an `IntegrityError` naming the entry.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { IntegrityError, InvalidArgumentError, type AuditEntryInput, type StorageAdapter, type StorageTransaction } from 'purpose-bound';
import { sqlTargets } from '../../security/fixtures/targets.js';

const { targets, close } = sqlTargets('pb_audit_rows');
type Tx = Required<StorageTransaction>;
afterAll(close);

const full: AuditEntryInput = {
  at: '2026-12-01T09:00:00.000Z',
  action: 'read',
  actor: 'staff:1',
  subject: 'subject-1',
  field: 'email',
  purpose: 'contact',
  basis: 'purpose',
  reference: 'req_1',
  reason: 'PURPOSE_NOT_ALLOWED',
  decision: 'deny',
  details: { n: 1, note: 'kept' },
};
/** Only the members every entry needs: no subject, field, purpose, basis, reference, reason or details. */
const minimal: AuditEntryInput = { at: '2026-12-01T09:00:01.000Z', action: 'export', actor: 'system', decision: 'allow' };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe.each(targets)('audit rows on $name', (target) => {
  async function seeded(): Promise<{ adapter: StorageAdapter; raw: Awaited<ReturnType<typeof target.create>>['raw'] }> {
    const { adapter, raw } = await target.create();
    await adapter.open();
    await adapter.transaction((tx) => (tx as Tx).appendAuditMany([full, minimal, full]));
    return { adapter, raw };
  }

  it('an entry reads back exactly as the append returned it: no member added (not even as undefined), none lost', async () => {
    const { adapter } = await target.create();
    await adapter.open();
    const appended = await adapter.transaction((tx) => (tx as Tx).appendAuditMany([full, minimal]));
    expect(appended[1]).not.toHaveProperty('subject');
    const listed = await adapter.transaction((tx) => tx.listAudit(), { readOnly: true });
    expect(listed).toStrictEqual(appended);
    // The minimal entry has none of the optional members, column or JSON ones.
    expect(Object.keys(listed[1] ?? {}).sort()).toEqual(['action', 'actor', 'at', 'decision', 'hash', 'prevHash', 'seq']);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      ['action', 'actor', 'at', 'basis', 'decision', 'details', 'field', 'hash', 'prevHash', 'purpose', 'reason', 'reference', 'seq', 'subject'].sort(),
    );
    const byNumber = await adapter.transaction(async (tx) => (tx as Required<StorageTransaction>).getAuditEntries([2, 1]), { readOnly: true });
    expect(byNumber).toStrictEqual([appended[1], appended[0]]);
    await adapter.close();
  });

  it.each(['at', 'action', 'actor', 'decision'] as const)('an entry whose %s is not a string is refused, naming the member; nothing is appended', async (member) => {
    const { adapter } = await target.create();
    await adapter.open();
    const one = await rejection(adapter.transaction((tx) => tx.appendAudit({ ...full, [member]: 42 } as unknown as AuditEntryInput)));
    expect(one).toBeInstanceOf(InvalidArgumentError);
    expect((one as InvalidArgumentError).argument).toBe(`input.${member}`);
    const many = await rejection(adapter.transaction((tx) => (tx as Tx).appendAuditMany([full, { ...minimal, [member]: undefined } as unknown as AuditEntryInput])));
    expect(many).toBeInstanceOf(InvalidArgumentError);
    expect((many as InvalidArgumentError).argument).toBe(`inputs[1].${member}`);
    expect(await adapter.transaction((tx) => tx.listAudit(), { readOnly: true })).toEqual([]);
    await adapter.close();
  });

  it.each([
    ['text that is not JSON', 'not json {', /not valid JSON/],
    ['a JSON array', '[1, 2]', /not an object/],
    ['JSON null', 'null', /not an object/],
    ['a JSON string', '"basis"', /not an object/],
    ['a JSON number', '7', /not an object/],
  ])('a stored entry JSON replaced by %s is an IntegrityError naming the entry and why', async (_name, json, reason) => {
    const { adapter, raw } = await seeded();
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET entry = ? WHERE seq = ?`, [json, 2]);
    for (const read of [(tx: StorageTransaction) => tx.listAudit(), (tx: StorageTransaction) => (tx as Required<StorageTransaction>).getAuditEntries([2])]) {
      const error = await rejection(adapter.transaction(read, { readOnly: true }));
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).message).toMatch(/audit entry 2\b/);
      expect((error as Error).message).toMatch(reason);
    }
    // The entries around it still read.
    expect((await adapter.transaction((tx) => tx.listAudit({ fromSeq: 3 }), { readOnly: true })).map((e) => e.seq)).toEqual([3]);
    await adapter.close();
  });

  it('an unknown member smuggled into the stored JSON, or a JSON copy of a column member, is not returned', async () => {
    const { adapter, raw } = await seeded();
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET entry = ? WHERE seq = ?`, [JSON.stringify({ actor: 'forged', subject: 'forged', extra: 1 }), 2]);
    const [entry] = await adapter.transaction((tx) => tx.listAudit({ fromSeq: 2, limit: 1 }), { readOnly: true });
    expect(entry).toMatchObject({ seq: 2, actor: 'system' });
    expect(entry).not.toHaveProperty('subject');
    expect(entry).not.toHaveProperty('extra');
    await adapter.close();
  });
});

// SQLite only: a TEXT column holds a BLOB bound to it (numbers it turns into text).
describe.each(targets.filter((t) => t.name === 'sqlite'))('audit rows on $name (columns hold any type)', (sqlite) => {
  it('a hash column tampered into a BLOB reads back as a string, so the verifier compares strings', async () => {
    const { adapter, raw } = await sqlite.create();
    await adapter.open();
    await adapter.transaction((tx) => (tx as Tx).appendAuditMany([full, minimal]));
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET prev_hash = ?, hash = ? WHERE seq = ?`, [Buffer.from('12345'), Buffer.from('678'), 2]);
    const [entry] = await adapter.transaction((tx) => tx.listAudit({ fromSeq: 2 }), { readOnly: true });
    expect(entry?.prevHash).toBe('12345');
    expect(entry?.hash).toBe('678');
    await adapter.close();
  });
});
