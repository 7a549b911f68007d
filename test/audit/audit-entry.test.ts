/**
 * Audit entries as `chainAuditEntry` builds them and the memory log filters them: no member
 * without a value, details copied and frozen, the same hash however the input spells an absent
 * member, and the split around `seq` a database uses to compute the same hash.
 */
import { describe, expect, it } from 'vitest';
import { chainAuditEntry, computeAuditHash, createMemoryAuditLog, hashLeaf, type AuditEntryInput } from 'purpose-bound';
import { auditHashParts } from '../../src/audit/audit-entry.js';
import { canonicalJson } from '../../src/util/canonical-json.js';

const input: AuditEntryInput = { at: '2026-12-01T00:00:00.000Z', action: 'read', actor: 'staff:1', decision: 'allow' };

describe('chainAuditEntry', () => {
  it('holds no member without a value, whatever the input spells out as undefined', () => {
    const entry = chainAuditEntry(
      {
        ...input,
        subject: undefined,
        field: undefined,
        purpose: undefined,
        basis: undefined,
        reference: undefined,
        reason: undefined,
        details: undefined,
      } as unknown as AuditEntryInput,
      undefined,
    );
    expect(Object.keys(entry).sort()).toEqual(['action', 'actor', 'at', 'decision', 'hash', 'prevHash', 'seq']);
    expect(entry.hash).toBe(chainAuditEntry(input, undefined).hash);
    expect(computeAuditHash({ ...input, seq: 1, prevHash: entry.prevHash, subject: undefined } as never)).toBe(entry.hash);
  });

  it('keeps every optional member, and details as a frozen copy', () => {
    const details = { count: 2, ok: true };
    const full = { ...input, subject: 's1', field: 'email', purpose: 'contact', basis: 'consent', reference: 'req-1', reason: 'USE_SUSPENDED', details };
    const entry = chainAuditEntry(full, { seq: 4, hash: 'a'.repeat(64) });
    expect(entry).toMatchObject({ ...full, seq: 5, prevHash: 'a'.repeat(64) });
    details.count = 99;
    expect(entry.details).toEqual({ count: 2, ok: true });
    expect(Object.isFrozen(entry.details)).toBe(true);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(chainAuditEntry({ ...full, unknown: 'x' } as AuditEntryInput, undefined)).not.toHaveProperty('unknown');
  });

  it('orders members as exports show them (seq, prevHash, the body, hash) and hashes the leaf RFC 6962 gives', () => {
    const full = { ...input, subject: 's1', field: 'email', purpose: 'contact', basis: 'consent', reference: 'req-1', reason: 'USE_SUSPENDED', details: { n: 1 } };
    const entry = chainAuditEntry(full, { seq: 4, hash: 'b'.repeat(64) });
    expect(Object.keys(entry)).toEqual(['seq', 'prevHash', 'at', 'action', 'actor', 'decision', 'subject', 'field', 'purpose', 'basis', 'reference', 'reason', 'details', 'hash']);
    const { hash, prevHash, ...members } = entry;
    expect(hash).toBe(hashLeaf(`${prevHash}\n${canonicalJson(members)}`).toString('hex'));
  });
});

describe('auditHashParts', () => {
  it('splits the hashed content around seq so that prevHash, prefix, seq and suffix give the entry hash', () => {
    for (const body of [input, { ...input, subject: 's1', details: { n: 1 } }, { ...input, reason: 'X', reference: 'seq":0' }]) {
      const { prefix, suffix } = auditHashParts(body);
      for (const seq of [1, 42, 123456]) {
        const prevHash = 'b'.repeat(64);
        expect(hashLeaf(`${prevHash}\n${prefix}${seq}${suffix}`).toString('hex')).toBe(computeAuditHash({ ...body, seq, prevHash }));
      }
    }
  });
});

describe('memory audit log queries', () => {
  it('filters by every member it offers, returns all matches without a limit, and stops at the limit', () => {
    const log = createMemoryAuditLog();
    const rows: AuditEntryInput[] = [
      { ...input, subject: 's1', field: 'email', purpose: 'contact' },
      { ...input, subject: 's1', field: 'name', purpose: 'billing', actor: 'dpo' },
      { ...input, subject: 's2', field: 'email', purpose: 'contact', decision: 'deny' },
      { ...input, subject: 's1', field: 'email', purpose: 'billing', action: 'export' },
    ];
    for (const r of rows) log.append(r);
    const seqs = (q: Parameters<typeof log.entries>[0]) => (log.entries(q) as readonly { seq: number }[]).map((e) => e.seq);
    expect(seqs({ subject: 's1' })).toEqual([1, 2, 4]);
    expect(seqs({ actor: 'dpo' })).toEqual([2]);
    expect(seqs({ field: 'email' })).toEqual([1, 3, 4]);
    expect(seqs({ purpose: 'billing' })).toEqual([2, 4]);
    expect(seqs({ action: 'export' })).toEqual([4]);
    expect(seqs({ decision: 'deny' })).toEqual([3]);
    expect(seqs({ fromSeq: 3 })).toEqual([3, 4]);
    expect(seqs({ subject: 's1', limit: 2 })).toEqual([1, 2]);
    expect(seqs({ field: 'email', purpose: 'contact', subject: 's1' })).toEqual([1]);
    expect(seqs(undefined)).toEqual([1, 2, 3, 4]);
  });
});
