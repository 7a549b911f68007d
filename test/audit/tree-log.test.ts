/**
 * The audit log's Merkle tree on every adapter (memory, PGlite, SQLite, PostgreSQL): stored
 * tree = tree of the entries, proofs built from the stored nodes verify against signed
 * checkpoints, legitimate growth after a checkpoint always verifies, and every tampering the
 * issue names is detected against a checkpoint taken BEFORE it: an edited, deleted, inserted
 * or reordered entry, a tail truncated (and one regrown to the same size), a rewritten tree.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  chainAuditEntry,
  CompactRange,
  createAuditProofs,
  generateNoteKeys,
  noteSigner,
  openCheckpoint,
  signCheckpoint,
  verifyAuditLog,
  verifyConsistency,
  verifyInclusion,
  type AuditEntry,
  type AuditEntryInput,
  type AuditTreeHead,
  type SignedCheckpoint,
  type StorageAdapter,
} from 'purpose-bound';
import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';
import { groupCommitAuditLogOf } from '../../src/audit/group-commit.js';
import { sqlTargets, type RawDb } from '../security/fixtures/targets.js';

const { targets: sql, close } = sqlTargets('pb_audit_tree');
afterAll(close);

const origin = 'audit.test.example/purpose-bound';
const keys = generateNoteKeys(origin);
const signer = noteSigner(keys.signerKey);

function input(i: number): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
    action: i % 2 ? 'read' : 'collect',
    actor: `staff:${i}`,
    subject: `subject-${i % 3}`,
    field: 'email',
    purpose: 'contact',
    basis: 'purpose',
    decision: 'allow',
    details: { n: i },
  };
}

/** What a tamper case does to the stored log, per kind of store. */
interface Tamper {
  entries(): Promise<AuditEntry[]>;
  /** Set stored entry `seq` to `e` (columns, JSON, hashes) without touching the tree. */
  put(seq: number, e: AuditEntry): Promise<void>;
  remove(seqAbove: number, only?: number): Promise<void>;
  renumber(from: number, to: number): Promise<void>;
  /** Replace the stored tree: head and nodes, as an attacker who recomputed them would. */
  setTree(head: AuditTreeHead, nodes: Map<string, string>): Promise<void>;
  /** An adapter that sees the tampered store. */
  adapter(): Promise<StorageAdapter>;
}

interface Store {
  readonly name: string;
  create(): Promise<{ adapter: StorageAdapter; tamper: Tamper }>;
}

function sqlTamper(raw: RawDb, adapter: StorageAdapter): Tamper {
  const t = raw.t;
  return {
    entries: () => adapter.transaction((tx) => tx.listAudit()),
    async put(seq, e) {
      const json: Record<string, unknown> = {};
      for (const k of ['basis', 'reference', 'reason', 'details'] as const) if (e[k] !== undefined) json[k] = e[k];
      await raw.run(
        `UPDATE ${t('pb_audit')} SET at = ?, action = ?, actor = ?, subject = ?, field = ?, purpose = ?, decision = ?, prev_hash = ?, hash = ?, entry = ? WHERE seq = ?`,
        [e.at, e.action, e.actor, e.subject ?? null, e.field ?? null, e.purpose ?? null, e.decision, e.prevHash, e.hash, JSON.stringify(json), seq],
      );
    },
    async remove(seqAbove, only) {
      if (only !== undefined) await raw.run(`DELETE FROM ${t('pb_audit')} WHERE seq = ?`, [only]);
      else await raw.run(`DELETE FROM ${t('pb_audit')} WHERE seq > ?`, [seqAbove]);
    },
    async renumber(from, to) {
      await raw.run(`UPDATE ${t('pb_audit')} SET seq = ? WHERE seq = ?`, [to, from]);
    },
    async setTree(head, nodes) {
      await raw.run(`DELETE FROM ${t('pb_audit_node')}`);
      for (const [k, h] of nodes) {
        const [level, idx] = k.split('/').map(Number);
        await raw.run(`INSERT INTO ${t('pb_audit_node')} (level, idx, hash) VALUES (?, ?, ?)`, [level, idx, h]);
      }
      await raw.run(`UPDATE ${t('pb_audit_head')} SET seq = ?, hash = ?, frontier = ? WHERE id = 1`, [head.size, head.lastHash, head.frontier.join('')]);
    },
    adapter: async () => adapter,
  };
}

type MemoryStore = { audit: AuditEntry[]; auditHead: AuditTreeHead; auditNodes: Map<string, string> };

function memoryTamper(source: MemoryAdapter): Tamper {
  const snap = source.snapshot();
  const store = snap.store as unknown as MemoryStore;
  return {
    entries: async () => [...store.audit],
    async put(seq, e) {
      store.audit[seq - 1] = e;
    },
    async remove(seqAbove, only) {
      if (only !== undefined) store.audit.splice(only - 1, 1);
      else store.audit.length = seqAbove;
    },
    async renumber(from, to) {
      const i = store.audit.findIndex((e) => e.seq === from);
      store.audit[i] = { ...(store.audit[i] as AuditEntry), seq: to };
      store.audit.sort((a, b) => a.seq - b.seq);
    },
    async setTree(head, nodes) {
      store.auditHead = head;
      store.auditNodes.clear();
      for (const [k, v] of nodes) store.auditNodes.set(k, v);
    },
    async adapter() {
      const restored = memoryAdapter({ from: snap });
      await restored.open();
      return restored;
    },
  };
}

const stores: Store[] = [
  {
    name: 'memory',
    async create() {
      const adapter = memoryAdapter();
      await adapter.open();
      let tamper: Tamper | undefined;
      return {
        adapter,
        get tamper() {
          tamper ??= memoryTamper(adapter);
          return tamper;
        },
      };
    },
  },
  ...sql.map(
    (target): Store => ({
      name: target.name,
      async create() {
        const { adapter, raw } = await target.create();
        await adapter.open();
        return { adapter, tamper: sqlTamper(raw, adapter) };
      },
    }),
  ),
];

/** A checkpoint of the adapter's current tree, signed. */
async function checkpointOf(adapter: StorageAdapter): Promise<SignedCheckpoint> {
  const head = await createAuditProofs(adapter).head();
  return signCheckpoint({ origin, size: head.size, rootHash: head.rootHash, extensions: [] }, signer);
}

/** The tree an attacker rebuilds for `entries`: head and every node. */
function rebuiltTree(entries: readonly AuditEntry[]): { head: AuditTreeHead; nodes: Map<string, string> } {
  const r = new CompactRange();
  const nodes = new Map<string, string>();
  for (const e of entries) r.append(Buffer.from(e.hash, 'hex'), (l, i, h) => nodes.set(`${l}/${i}`, h.toString('hex')));
  return { head: { size: r.size, lastHash: entries.at(-1)?.hash ?? '0'.repeat(64), frontier: r.frontier().map((h) => h.toString('hex')), legacySize: 0 }, nodes };
}

/** Re-chain `bodies` from scratch (every hash recomputed). */
function rechain(bodies: readonly AuditEntryInput[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const b of bodies) out.push(chainAuditEntry(b, out.at(-1)));
  return out;
}

const body = (e: AuditEntry): AuditEntryInput => {
  const { seq: _s, prevHash: _p, hash: _h, ...rest } = e;
  return rest;
};

describe.each(stores)('audit tree on $name', (store) => {
  /** 6 entries, checkpoint, 2 more: the log every tamper case starts from. */
  async function seeded() {
    const s = await store.create();
    const log = groupCommitAuditLogOf(s.adapter);
    for (let i = 1; i <= 6; i++) await s.adapter.transaction((tx) => tx.appendAudit(input(i)));
    const before = await checkpointOf(s.adapter);
    await log.appendMany([input(7), input(8)]);
    return { ...s, log, before };
  }
  const check = async (adapter: StorageAdapter, c: SignedCheckpoint) => verifyAuditLog(groupCommitAuditLogOf(adapter), { checkpoint: c.note, verifierKey: keys.verifierKey });

  it('stores the tree of its entries; legitimate growth after a checkpoint verifies; proofs from stored nodes verify', async () => {
    const { adapter, log, before } = await seeded();
    const result = await check(adapter, before);
    expect(result).toMatchObject({ valid: true, entries: 8, legacyEntries: 0, checkpoint: { size: 6 } });
    const proofs = createAuditProofs(adapter);
    const head = await proofs.head();
    expect(head.size).toBe(8);
    if (result.valid) expect(head.rootHash).toBe(result.rootHash);
    const now = openCheckpoint((await checkpointOf(adapter)).note, { verifierKey: keys.verifierKey });
    for (const p of await proofs.inclusionMany([1, 2, 3, 4, 5, 6, 7, 8], now.size)) {
      expect(verifyInclusion(p.seq - 1, p.treeSize, p.leafHash, p.path, now.rootHash)).toBe(true);
    }
    const single = await proofs.inclusion(5, 6);
    expect(verifyInclusion(4, 6, single.leafHash, single.path, before.rootHash)).toBe(true);
    expect(verifyInclusion(4, 6, single.leafHash, single.path, now.rootHash)).toBe(false);
    const cons = await proofs.consistency(before.size);
    expect(verifyConsistency(before.size, now.size, cons.path, before.rootHash, now.rootHash)).toBe(true);
    expect(await proofs.rootAt(6)).toBe(before.rootHash);
    // Growth keeps the old checkpoint valid.
    await log.append(input(9));
    expect((await check(adapter, before)).valid).toBe(true);
    expect(await verifyAuditLog(log)).toMatchObject({ valid: true, entries: 9 });
  });

  it("a disclosure's many inclusion proofs read their leaves in one getAuditEntries call, the same proofs as listAudit runs give", async () => {
    const { adapter } = await store.create();
    await adapter.transaction(async (tx) => void (await tx.appendAuditMany?.(Array.from({ length: 300 }, (_, i) => input(i + 1)))));
    const seqs = (await adapter.transaction((tx) => tx.listAudit({ subject: 'subject-0' }))).map((e) => e.seq);
    expect(seqs).toHaveLength(100);
    /** The adapter with its transactions' calls counted, and `getAuditEntries` hidden when `hide`. */
    const counted = (hide: boolean) => {
      const calls: string[] = [];
      const wrapped: StorageAdapter = {
        ...adapter,
        transaction: (fn, options) =>
          adapter.transaction(
            (tx) =>
              fn(
                new Proxy(tx, {
                  get(target, key) {
                    if (hide && key === 'getAuditEntries') return undefined;
                    const v = Reflect.get(target, key);
                    if (typeof v !== 'function') return v;
                    return (...args: unknown[]) => {
                      calls.push(String(key));
                      return v.apply(target, args);
                    };
                  },
                }),
              ),
            options,
          ),
      };
      return { wrapped, calls };
    };
    const batch = counted(false);
    const fallback = counted(true);
    const head = await createAuditProofs(adapter).head();
    const proofs = await createAuditProofs(batch.wrapped).inclusionMany(seqs, head.size);
    for (const p of proofs) expect(verifyInclusion(p.seq - 1, p.treeSize, p.leafHash, p.path, head.rootHash)).toBe(true);
    expect(batch.calls.filter((c) => c === 'getAuditEntries')).toHaveLength(1);
    expect(batch.calls).not.toContain('listAudit');
    expect(await createAuditProofs(fallback.wrapped).inclusionMany(seqs, head.size)).toEqual(proofs);
    // Without it: one listAudit per run of nearby leaves (here every third entry: one run), never one per leaf.
    expect(fallback.calls.filter((c) => c === 'listAudit').length).toBeLessThan(5);
    // The method itself: in the order asked, duplicates kept, undefined where there is no entry, bad input refused.
    const got = await adapter.transaction((tx) => tx.getAuditEntries?.([7, 3, 7, 999, 0]) ?? Promise.resolve([]));
    expect(got.map((e) => e?.seq)).toEqual([7, 3, 7, undefined, undefined]);
    await expect(adapter.transaction((tx) => tx.getAuditEntries?.([1.5]) ?? Promise.resolve([]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('an edited entry is a hash mismatch at that entry', async () => {
    const { tamper, before } = await seeded();
    const all = await tamper.entries();
    await tamper.put(3, { ...(all[2] as AuditEntry), actor: 'someone-else' });
    expect(await check(await tamper.adapter(), before)).toMatchObject({ valid: false, seq: 3, reason: 'hash-mismatch' });
  });

  it('a deleted entry is a sequence gap; deleted and renumbered, a broken link', async () => {
    const { tamper, before } = await seeded();
    await tamper.remove(0, 3);
    expect(await check(await tamper.adapter(), before)).toMatchObject({ valid: false, seq: 4, reason: 'sequence-gap' });
    for (let s = 4; s <= 8; s++) await tamper.renumber(s, s - 1);
    expect(await check(await tamper.adapter(), before)).toMatchObject({ valid: false, seq: 3, reason: 'prev-hash-mismatch' });
  });

  it('an inserted entry and two reordered entries are detected', async () => {
    const a = await seeded();
    const all = await a.tamper.entries();
    await a.tamper.put(4, chainAuditEntry(input(99), all[2]));
    expect(await check(await a.tamper.adapter(), a.before)).toMatchObject({ valid: false, seq: 5, reason: 'prev-hash-mismatch' });
    const b = await seeded();
    const list = await b.tamper.entries();
    await b.tamper.put(2, { ...(list[2] as AuditEntry), seq: 2 });
    await b.tamper.put(3, { ...(list[1] as AuditEntry), seq: 3 });
    expect(await check(await b.tamper.adapter(), b.before)).toMatchObject({ valid: false, seq: 2, reason: 'prev-hash-mismatch' });
  });

  it('a truncated tail is detected against the earlier checkpoint, and so is a tail regrown to the same size', async () => {
    const a = await seeded();
    const kept = (await a.tamper.entries()).slice(0, 4);
    await a.tamper.remove(4);
    const cut = rebuiltTree(kept);
    await a.tamper.setTree(cut.head, cut.nodes);
    const truncated = await a.tamper.adapter();
    expect((await verifyAuditLog(groupCommitAuditLogOf(truncated))).valid).toBe(true); // a valid shorter log on its own...
    expect(await check(truncated, a.before)).toMatchObject({ valid: false, reason: 'truncated' }); // ...not against the checkpoint
    // Regrown through the adapter's own append to the old size and beyond: a consistent log, but not the signed one.
    for (let i = 0; i < 4; i++) await truncated.transaction((tx) => tx.appendAudit({ ...input(50 + i), actor: 'regrown' }));
    expect((await verifyAuditLog(groupCommitAuditLogOf(truncated))).valid).toBe(true);
    expect(await check(truncated, a.before)).toMatchObject({ valid: false, reason: 'checkpoint-mismatch' });
    const proofs = createAuditProofs(truncated);
    const now = await proofs.head();
    const cons = await proofs.consistency(a.before.size);
    expect(verifyConsistency(a.before.size, now.size, cons.path, a.before.rootHash, now.rootHash)).toBe(false);
  });

  it('a rewritten log with every hash, node and the head recomputed passes alone and fails against the checkpoint', async () => {
    const { tamper, before } = await seeded();
    const all = await tamper.entries();
    const forged = rechain(all.map((e) => (e.seq === 2 ? { ...body(e), decision: 'deny' as const, reason: 'PURPOSE_NOT_ALLOWED' } : body(e))));
    for (const e of forged) await tamper.put(e.seq, e);
    const tree = rebuiltTree(forged);
    await tamper.setTree(tree.head, tree.nodes);
    const rewritten = await tamper.adapter();
    expect((await verifyAuditLog(groupCommitAuditLogOf(rewritten))).valid).toBe(true);
    expect(await check(rewritten, before)).toMatchObject({ valid: false, reason: 'checkpoint-mismatch' });
    const proofs = createAuditProofs(rewritten);
    const cons = await proofs.consistency(before.size);
    expect(verifyConsistency(before.size, 8, cons.path, before.rootHash, (await proofs.head()).rootHash)).toBe(false);
  });

  it('a stored tree that disagrees with the entries (head rewritten alone) is a tree mismatch, and its proofs fail', async () => {
    const { tamper, before } = await seeded();
    const all = await tamper.entries();
    const other = rebuiltTree(rechain(all.map((e) => ({ ...body(e), actor: 'x' }))));
    await tamper.setTree({ ...other.head, lastHash: all.at(-1)?.hash as string }, other.nodes);
    const adapter = await tamper.adapter();
    expect(await check(adapter, before)).toMatchObject({ valid: false, reason: 'tree-mismatch' });
    const proofs = createAuditProofs(adapter);
    const p = await proofs.inclusion(3, 6);
    expect(verifyInclusion(2, 6, p.leafHash, p.path, before.rootHash)).toBe(false);
  });
});
