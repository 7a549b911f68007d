import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chainAuditEntry,
  computeAuditHash,
  createGuard,
  createMemoryAuditLog,
  EMPTY_TREE_ROOT,
  GENESIS_HASH,
  treeRoot,
  InvalidArgumentError,
  verifyAuditLog,
  type AuditEntry,
  type AuditEntryInput,
} from 'purpose-bound';
import { shop } from '../fixtures/shop-policy.js';

const input = (i: number): AuditEntryInput => ({
  at: `2026-03-01T09:00:0${i % 10}.000Z`,
  action: 'read',
  actor: `staff:${i}`,
  subject: `s${i}`,
  field: 'email',
  purpose: 'contact',
  basis: 'purpose',
  decision: i % 3 === 0 ? 'deny' : 'allow',
  ...(i % 3 === 0 && { reason: 'PURPOSE_NOT_ALLOWED' }),
});

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(chainAuditEntry(input(i), out.at(-1)));
  return out;
}

/**
 * Reference definition of the hash: the RFC 6962 leaf hash, SHA-256 over a 0x00 byte, prevHash,
 * a newline and the sorted-key JSON of the entry without hash/prevHash.
 */
function referenceHash(e: Omit<AuditEntry, 'hash'>): string {
  // Serialise by hand (an object would put integer-like keys first whatever the sort).
  const canon = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
    const rec = v as Record<string, unknown>;
    const keys = Object.keys(rec)
      .filter((k) => rec[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(rec[k])}`).join(',')}}`;
  };
  const { prevHash, ...rest } = e;
  return createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(`${prevHash}\n${canon(rest)}`)
    .digest('hex');
}

describe('hash chain', () => {
  it('links entries: seq, prevHash, SHA-256 hash', () => {
    const [a, b] = chain(2);
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a?.hash });
    expect(a?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('drops unknown keys of the input (nothing beyond ids and codes is stored)', () => {
    const e = chainAuditEntry({ ...input(1), value: 'hana@example.jp' } as AuditEntryInput, undefined);
    expect(JSON.stringify(e)).not.toContain('hana@example.jp');
  });

  it('the hash is the RFC 6962 leaf hash of prevHash and the canonical (sorted-key) entry, for any entry', () => {
    // Any code point, plus lone surrogates (JSON.stringify escapes them the same way in both).
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('binary' as const).chain(() => fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      ),
      maxLength: 40,
    });
    const entryArb = fc.record(
      {
        at: text,
        action: text,
        actor: text,
        subject: text,
        field: text,
        purpose: text,
        basis: text,
        reference: text,
        decision: fc.constantFrom('allow', 'deny', 'record'),
        reason: text,
        details: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
      },
      { requiredKeys: ['at', 'action', 'actor', 'decision'] },
    );
    fc.assert(
      fc.property(entryArb, fc.nat(1000), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), (e, seq, prev) => {
        const entry = { ...(e as AuditEntryInput), seq: seq + 1, prevHash: prev };
        expect(computeAuditHash(entry)).toBe(referenceHash(entry));
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyAuditLog', () => {
  it('a valid chain reports entries and head', async () => {
    const entries = chain(5);
    expect(await verifyAuditLog(entries)).toEqual({
      valid: true,
      entries: 5,
      head: entries[4]?.hash,
      rootHash: treeRoot(entries.map((e) => Buffer.from(e.hash, 'hex'))).toString('hex'),
      legacyEntries: 0,
    });
    expect(await verifyAuditLog([])).toEqual({ valid: true, entries: 0, head: GENESIS_HASH, rootHash: EMPTY_TREE_ROOT, legacyEntries: 0 });
    expect(await verifyAuditLog(entries, { expectedHead: entries[4]?.hash as string })).toMatchObject({ valid: true });
  });

  it("verifies a guard's log", async () => {
    const audit = createMemoryAuditLog();
    const guard = createGuard({ policy: shop, audit });
    const email = shop.wrap('email', 'a@b.jp', { subject: 's1' });
    await guard.read(email, { purpose: 'contact', actor: 'a' });
    await guard.read(email, { purpose: 'billing' as never, actor: 'a' }).catch(() => undefined);
    expect(await verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 2 });
  });

  it('detects an edited entry (hash-mismatch) at its index', async () => {
    const entries = chain(5);
    entries[2] = { ...(entries[2] as AuditEntry), actor: 'someone-else' };
    expect(await verifyAuditLog(entries)).toEqual({ valid: false, entries: 2, index: 2, seq: 3, reason: 'hash-mismatch' });
  });

  it('detects an edit that recomputes the entry hash (the next link breaks)', async () => {
    const entries = chain(5);
    const forged = { ...(entries[1] as AuditEntry), purpose: 'marketing' };
    const { hash: _drop, ...rest } = forged;
    entries[1] = { ...rest, hash: computeAuditHash(rest) };
    expect(await verifyAuditLog(entries)).toMatchObject({ valid: false, index: 2, reason: 'prev-hash-mismatch' });
  });

  it('detects a deleted entry', async () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(await verifyAuditLog(entries)).toMatchObject({ valid: false, index: 1, seq: 3, reason: 'sequence-gap' });
  });

  it('detects a deleted entry even when seq numbers are rewritten', async () => {
    const entries = chain(5);
    entries.splice(1, 1);
    const renumbered = entries.map((e, i) => ({ ...e, seq: i + 1 }));
    const result = await verifyAuditLog(renumbered);
    expect(result.valid).toBe(false);
    expect(result).toMatchObject({ index: 1 });
  });

  it('detects reordered entries', async () => {
    const entries = chain(5);
    [entries[1], entries[2]] = [entries[2] as AuditEntry, entries[1] as AuditEntry];
    expect(await verifyAuditLog(entries)).toMatchObject({ valid: false, index: 1, reason: 'sequence-gap' });
    const renumbered = entries.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(await verifyAuditLog(renumbered)).toMatchObject({ valid: false, index: 1 });
  });

  it('detects an inserted entry', async () => {
    const entries = chain(4);
    const fake = chainAuditEntry(input(99), entries[1]);
    entries.splice(2, 0, fake);
    const result = await verifyAuditLog(entries);
    expect(result).toMatchObject({ valid: false, index: 3 });
  });

  it('detects tail truncation only against an expected head', async () => {
    const entries = chain(5);
    const head = entries[4]?.hash as string;
    const truncated = entries.slice(0, 3);
    expect(await verifyAuditLog(truncated)).toMatchObject({ valid: true, entries: 3 });
    expect(await verifyAuditLog(truncated, { expectedHead: head })).toEqual({ valid: false, entries: 3, index: 3, seq: undefined, reason: 'head-mismatch' });
  });

  it('a non-object entry and bad sources', async () => {
    expect(await verifyAuditLog([null as never])).toMatchObject({ valid: false, index: 0, reason: 'hash-mismatch' });
    await expect(verifyAuditLog(42 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('memory audit log', () => {
  it('filters entries by query and limit', async () => {
    const log = createMemoryAuditLog();
    for (let i = 0; i < 6; i++) await log.append(input(i));
    expect(await log.entries({ decision: 'deny' })).toHaveLength(2);
    expect(await log.entries({ subject: 's2' })).toHaveLength(1);
    expect(await log.entries({ fromSeq: 4 })).toHaveLength(3);
    expect(await log.entries({ field: 'email', limit: 2 })).toHaveLength(2);
    expect(await log.entries({ actor: 'staff:0', action: 'read', purpose: 'contact' })).toHaveLength(1);
  });
});
