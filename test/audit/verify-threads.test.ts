/**
 * The verifier hashes leaves in chunks, on the calling thread or in worker threads: whichever
 * does it, every break is the one a plain entry-by-entry check finds (same reason, same entry),
 * and every root is the same. The reference below is that plain check, written out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditLeafData,
  CompactRange,
  computeAuditHash,
  computeLegacyAuditHash,
  GENESIS_HASH,
  hashLeaf,
  InvalidArgumentError,
  verifyAuditLog,
  type AuditEntry,
  type AuditEntryInput,
} from 'purpose-bound';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { LEAF_CHUNK_SIZE } from '../../src/audit/leaf-chunk.js';
import { checkEntries, type EntryCheck } from '../../src/audit/verify-entries.js';
import { createHash } from 'node:crypto';

const input = (i: number): AuditEntryInput => ({
  at: '2026-12-01T10:00:00.000Z',
  action: 'read',
  actor: `staff:${i % 13}`,
  subject: `s${i % 100}`,
  field: 'email',
  purpose: 'contact',
  decision: i % 5 === 0 ? 'deny' : 'allow',
  ...(i % 7 === 0 && { details: { fields: i % 3, partial: false } }),
});

/** A log of `n` entries whose first `legacy` were written by the schema-1 chain. */
function buildLog(n: number, legacy = 0): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = { seq: i + 1, prevHash, ...input(i) };
    const hash = i < legacy ? computeLegacyAuditHash(e) : computeAuditHash(e);
    out.push({ ...e, hash });
    prevHash = hash;
  }
  return out;
}

/** The plain check: entry by entry on this thread, one compact range. */
function reference(entries: readonly unknown[], checkpoint?: { size: number; rootHash: string }, statedSize?: number): EntryCheck {
  const range = new CompactRange();
  let prevHash = GENESIS_HASH;
  let index = 0;
  let legacy = 0;
  let treeEra = false;
  let statedRoot: string | undefined;
  const broken = (reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap', seq: number | undefined): EntryCheck => ({ valid: false, entries: index, index, seq, reason });
  for (const raw of entries) {
    const e = raw as AuditEntry;
    const seq = typeof e?.seq === 'number' ? e.seq : undefined;
    if (typeof e !== 'object' || e === null) return broken('hash-mismatch', seq);
    if (e.seq !== index + 1) return broken('sequence-gap', seq);
    if (e.prevHash !== prevHash) return broken('prev-hash-mismatch', seq);
    let data: string;
    try {
      data = auditLeafData(e);
    } catch {
      return broken('hash-mismatch', seq);
    }
    const leaf = hashLeaf(data);
    if (leaf.toString('hex') === e.hash) treeEra = true;
    else if (!treeEra && createHash('sha256').update(data).digest('hex') === e.hash) legacy++;
    else return broken('hash-mismatch', seq);
    range.append(leaf);
    prevHash = e.hash;
    index++;
    if (index === checkpoint?.size && range.rootHex() !== checkpoint.rootHash) return { valid: false, entries: 0, index: 0, seq: undefined, reason: 'checkpoint-mismatch' };
    if (index === statedSize) statedRoot = range.rootHex();
  }
  return { valid: true, entries: index, head: prevHash, rootHash: range.rootHex(), legacyEntries: legacy, statedRoot };
}

const C = LEAF_CHUNK_SIZE;
const N = 3 * C + 700;
const log = buildLog(N, C + 10); // the schema-1 prefix ends inside the second chunk
const rootAt = (size: number): string => (reference(log.slice(0, size)) as { rootHash: string }).rootHash;

const edit = (at: number, change: (e: AuditEntry) => unknown): unknown[] => log.map((e, i) => (i === at ? change(e) : e));
const tampered: Record<string, unknown[]> = {
  untouched: log,
  'content edited in the first chunk': edit(17, (e) => ({ ...e, actor: 'mallory' })),
  'content edited at the last entry of a chunk': edit(C - 1, (e) => ({ ...e, decision: 'allow' })),
  'content edited at the first entry of a chunk': edit(2 * C, (e) => ({ ...e, purpose: 'marketing' })),
  'content edited at the last entry': edit(N - 1, (e) => ({ ...e, subject: 'other' })),
  'hash replaced by another valid one': edit(2 * C + 5, (e) => ({ ...e, hash: log[3]?.hash })),
  'hash in upper case (same bytes)': edit(N - 1, (e) => ({ ...e, hash: e.hash.toUpperCase() })),
  'hash cut short': edit(100, (e) => ({ ...e, hash: e.hash.slice(0, 62) })),
  'hash not a string': edit(5000, (e) => ({ ...e, hash: 42 })),
  'deleted entry': log.filter((_, i) => i !== 3 * C),
  'reordered entries': log.map((e, i) => (i === C + 1 ? log[C + 2] : i === C + 2 ? log[C + 1] : e)),
  'entry that is not an object': edit(2 * C - 1, () => 'not an entry'),
  'a BigInt planted in a member': edit(9000, (e) => ({ ...e, reference: 10n })),
  'a schema-1 hash after the tree began': (() => {
    const out: AuditEntry[] = log.slice(0, 2 * C + 3);
    let prev = out[out.length - 1] as AuditEntry;
    const body = { ...input(2 * C + 3), seq: 2 * C + 4, prevHash: prev.hash };
    prev = { ...body, hash: computeLegacyAuditHash(body) };
    out.push(prev);
    return out;
  })(),
  'truncated inside a chunk': log.slice(0, 2 * C + 9),
};

const checkpoints: Record<string, { size: number; rootHash: string } | undefined> = {
  'no checkpoint': undefined,
  'a checkpoint of 3': { size: 3, rootHash: rootAt(3) },
  'a checkpoint at a chunk boundary': { size: 2 * C, rootHash: rootAt(2 * C) },
  'a checkpoint one past a chunk boundary': { size: 2 * C + 1, rootHash: rootAt(2 * C + 1) },
  'a checkpoint of the whole log': { size: N, rootHash: rootAt(N) },
  'a checkpoint with a wrong root': { size: C + 3, rootHash: rootAt(C + 4) },
};

const hashers = [
  { name: 'this thread', threads: 0, threadsAfter: 0 },
  { name: 'two worker threads from the start', threads: 2, threadsAfter: 0 },
  { name: 'this thread, then one worker thread', threads: 1, threadsAfter: C },
];
// (with two threads, each case is also read from an async iterable)

describe('leaf hashing in chunks, on this thread or in worker threads', () => {
  for (const [what, entries] of Object.entries(tampered)) {
    it(`${what}: the same result as the entry-by-entry check, with every checkpoint and hasher`, async () => {
      // Every checkpoint for the untouched log; for a tampered one, none, one past a chunk boundary, a wrong root.
      const which = what === 'untouched' ? Object.keys(checkpoints) : ['no checkpoint', 'a checkpoint one past a chunk boundary', 'a checkpoint with a wrong root'];
      for (const label of which) {
        const checkpoint = checkpoints[label];
        const statedSize = checkpoint === undefined ? C + 1 : checkpoint.size;
        const expected = reference(entries, checkpoint, statedSize);
        for (const h of hashers) {
          const got = await checkEntries(entries as AuditEntry[], { checkpoint, statedSize, threads: h.threads, threadsAfter: h.threadsAfter });
          expect(got, `${label}, ${h.name}`).toEqual(expected);
          if (h.threads === 2) {
            // The same entries as an async iterable (as a file read line by line gives them).
            const stream = (async function* () {
              yield* entries as AuditEntry[];
            })();
            expect(await checkEntries(stream, { checkpoint, statedSize, threads: h.threads, threadsAfter: h.threadsAfter }), `${label}, async source`).toEqual(expected);
          }
        }
      }
    });
  }

  it('the tampered logs break as a plain check says they should (the reference itself is not vacuous)', () => {
    expect(reference(log)).toMatchObject({ valid: true, entries: N, legacyEntries: C + 10 });
    expect(reference(tampered['content edited at the first entry of a chunk'] as unknown[])).toMatchObject({ valid: false, index: 2 * C, reason: 'hash-mismatch' });
    expect(reference(tampered['hash in upper case (same bytes)'] as unknown[])).toMatchObject({ valid: false, index: N - 1, reason: 'hash-mismatch' });
    expect(reference(tampered['deleted entry'] as unknown[])).toMatchObject({ valid: false, index: 3 * C, reason: 'sequence-gap' });
    expect(reference(tampered['a schema-1 hash after the tree began'] as unknown[])).toMatchObject({ valid: false, index: 2 * C + 3, reason: 'hash-mismatch' });
    expect(reference(log, checkpoints['a checkpoint with a wrong root'])).toMatchObject({ valid: false, reason: 'checkpoint-mismatch' });
  });

  it('verifyAuditLog gives the same answer with and without worker threads, and checks the option', async () => {
    const big = buildLog(40_000);
    const checkpoint = { origin: 'test.example/log', size: 39_000, rootHash: (reference(big.slice(0, 39_000)) as { rootHash: string }).rootHash, extensions: [] };
    const alone = await verifyAuditLog(big, { checkpoint, threads: 0 });
    const threaded = await verifyAuditLog(big, { checkpoint, threads: 2 });
    expect(alone).toMatchObject({ valid: true, entries: 40_000 });
    expect(threaded).toEqual(alone);
    const edited = big.map((e, i) => (i === 35_000 ? { ...e, actor: 'mallory' } : e));
    expect(await verifyAuditLog(edited, { threads: 2 })).toMatchObject({ valid: false, index: 35_000, reason: 'hash-mismatch' });
    for (const threads of [-1, 1.5, 65, Number.NaN]) {
      await expect(verifyAuditLog(big, { threads })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
  });
});

describe('the hashed content', () => {
  it('is the canonical JSON of the entry for any values in its members (tampered entries included)', () => {
    const keys = ['action', 'actor', 'at', 'basis', 'decision', 'details', 'field', 'purpose', 'reason', 'reference', 'seq', 'subject'] as const;
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.jsonValue(),
      fc.dictionary(fc.string(), fc.jsonValue()),
    );
    fc.assert(
      fc.property(fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }), (members) => {
        const entry = { ...members, prevHash: GENESIS_HASH } as unknown as AuditEntry;
        expect(auditLeafData(entry)).toBe(`${GENESIS_HASH}\n${canonicalJson(members)}`);
      }),
      { numRuns: 500 },
    );
  });
});
