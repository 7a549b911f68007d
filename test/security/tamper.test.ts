/**
 * Tamper tests (issue 8): change stored ciphertexts, keys and audit rows directly in the
 * database, behind the adapter's back, and check that every change is detected with an
 * `IntegrityError` or a failed `verifyAuditLog` naming the first broken link, on every adapter.
 */
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type AuditEntryInput,
  type AuditVerification,
  createLocalKeyring,
  createVault,
  generateKey,
  generateNoteKeys,
  noteSigner,
  signCheckpoint,
  IntegrityError,
  KeyUnavailableError,
  memorySubjectSecrets,
  PurposeBoundError,
  type StorageAdapter,
  verifyAuditLog,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sec } from './fixtures/policy.js';
import { memoryTamperable, sqlTamperable, type Tamperable } from './fixtures/tamperable.js';
import { type RawDb, sqlTargets, type Target } from './fixtures/targets.js';

const { targets, close } = sqlTargets('pb_sec_tamper');
afterAll(close);

/** Tamper cases run, counted for the report. */
const counted = new Set<string>();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.info(`[tamper] ${counted.size} tamper cases detected across adapters`);
});

const ENTRIES = 6;

// The log's signing key; checkpoints are what an operator keeps outside the database.
const origin = 'tamper.test.example/purpose-bound';
const keys = generateNoteKeys(origin);
const signer = noteSigner(keys.signerKey);

/** A signed checkpoint of the log as it verifies now. */
async function checkpointOf(adapter: StorageAdapter): Promise<string> {
  const v = await verify(adapter);
  if (!v.valid) throw new Error('cannot checkpoint a broken log');
  return signCheckpoint({ origin, size: v.entries, rootHash: v.rootHash, extensions: [] }, signer).note;
}

function input(i: number): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2026, 10, 24, 10, 0, i)).toISOString(),
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

async function seededAudit(target: Target): Promise<{ adapter: StorageAdapter; raw: RawDb; head: string; checkpoint: string }> {
  const { adapter, raw } = await target.create();
  await adapter.open();
  let last: AuditEntry | undefined;
  for (let i = 1; i <= ENTRIES; i++) last = await adapter.transaction((tx) => tx.appendAudit(input(i)));
  const ok = await verify(adapter);
  expect(ok).toMatchObject({ valid: true, entries: ENTRIES, head: last?.hash });
  return { adapter, raw, head: last?.hash as string, checkpoint: await checkpointOf(adapter) };
}

async function entries(adapter: StorageAdapter): Promise<AuditEntry[]> {
  return adapter.transaction((tx) => tx.listAudit());
}

async function verify(adapter: StorageAdapter, checkpoint?: string): Promise<AuditVerification> {
  return verifyAuditLog(await entries(adapter), checkpoint === undefined ? {} : { checkpoint, verifierKey: keys.verifierKey });
}

function broken(v: AuditVerification, seq: number | undefined, reason: string): void {
  expect(v.valid).toBe(false);
  if (v.valid) return;
  expect({ seq: v.seq, reason: v.reason }).toEqual({ seq, reason });
}

async function entryJson(raw: RawDb, seq: number): Promise<Record<string, unknown>> {
  const [row] = await raw.all(`SELECT entry FROM ${raw.t('pb_audit')} WHERE seq = ?`, [seq]);
  return JSON.parse(String(row?.['entry'])) as Record<string, unknown>;
}

async function setEntryJson(raw: RawDb, seq: number, body: Record<string, unknown>): Promise<void> {
  await raw.run(`UPDATE ${raw.t('pb_audit')} SET entry = ? WHERE seq = ?`, [JSON.stringify(body), seq]);
}

describe.each(targets)('audit rows tampered directly in the $name database', (target) => {
  it('edit of an entry (actor changed) is a hash-mismatch at that entry', async () => {
    const { adapter, raw } = await seededAudit(target);
    // A careful attacker edits the JSON and its indexed copy alike.
    await setEntryJson(raw, 3, { ...(await entryJson(raw, 3)), actor: 'someone-else' });
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET actor = ? WHERE seq = ?`, ['someone-else', 3]);
    broken(await verify(adapter), 3, 'hash-mismatch');
    counted.add(`${target.name}:audit-edit-actor`);
    await adapter.close();
  });

  it('edit of a decision (deny turned into allow) is a hash-mismatch', async () => {
    const { adapter, raw } = await seededAudit(target);
    await setEntryJson(raw, 2, { ...(await entryJson(raw, 2)), decision: 'deny', reason: 'PURPOSE_NOT_ALLOWED' });
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET decision = ? WHERE seq = ?`, ['deny', 2]);
    broken(await verify(adapter), 2, 'hash-mismatch');
    counted.add(`${target.name}:audit-edit-decision`);
    await adapter.close();
  });

  it('an indexed column edited alone (an entry hidden from a subject filter) is a hash-mismatch at that entry', async () => {
    const { adapter, raw } = await seededAudit(target);
    const before = await entries(adapter);
    const hidden = before.find((e) => e.seq === 3);
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET subject = ? WHERE seq = ?`, ['someone-else', 3]);
    const filtered = await adapter.transaction((tx) => tx.listAudit({ subject: hidden?.subject ?? '' }));
    expect(filtered.some((e) => e.seq === 3)).toBe(false); // hidden from the filter...
    broken(await verify(adapter), 3, 'hash-mismatch'); // ...and caught by verification
    counted.add(`${target.name}:audit-edit-column`);
    await adapter.close();
  });

  it('an extra member smuggled into the stored JSON is never returned, and the chain still verifies', async () => {
    const { adapter, raw } = await seededAudit(target);
    await setEntryJson(raw, 4, { ...(await entryJson(raw, 4)), value: 'smuggled@example.jp' });
    const all = await entries(adapter);
    expect(JSON.stringify(all)).not.toContain('smuggled@example.jp');
    expect((await verify(adapter)).valid).toBe(true);
    counted.add(`${target.name}:audit-extra-member`);
    await adapter.close();
  });

  it('edit of a stored hash is a hash-mismatch at that entry', async () => {
    const { adapter, raw } = await seededAudit(target);
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET hash = ? WHERE seq = ?`, ['f'.repeat(64), 4]);
    broken(await verify(adapter), 4, 'hash-mismatch');
    counted.add(`${target.name}:audit-edit-hash`);
    await adapter.close();
  });

  it('deletion of a middle entry is a sequence gap at the entry after it', async () => {
    const { adapter, raw } = await seededAudit(target);
    await raw.run(`DELETE FROM ${raw.t('pb_audit')} WHERE seq = ?`, [3]);
    broken(await verify(adapter), 4, 'sequence-gap');
    counted.add(`${target.name}:audit-delete`);
    await adapter.close();
  });

  it('deletion with renumbering (seq closed up) is a prev-hash mismatch', async () => {
    const { adapter, raw } = await seededAudit(target);
    await raw.run(`DELETE FROM ${raw.t('pb_audit')} WHERE seq = ?`, [3]);
    for (let s = 4; s <= ENTRIES; s++) {
      await raw.run(`UPDATE ${raw.t('pb_audit')} SET seq = ? WHERE seq = ?`, [s - 1, s]);
    }
    broken(await verify(adapter), 3, 'prev-hash-mismatch');
    counted.add(`${target.name}:audit-delete-renumber`);
    await adapter.close();
  });

  it('reordering two entries (seq swapped) is detected at the first moved one', async () => {
    const { adapter, raw } = await seededAudit(target);
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET seq = ? WHERE seq = ?`, [-1, 2]);
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET seq = ? WHERE seq = ?`, [2, 3]);
    await raw.run(`UPDATE ${raw.t('pb_audit')} SET seq = ? WHERE seq = ?`, [3, -1]);
    broken(await verify(adapter), 2, 'prev-hash-mismatch');
    counted.add(`${target.name}:audit-reorder`);
    await adapter.close();
  });

  it('a forged entry inserted in the middle is detected', async () => {
    const { adapter, raw } = await seededAudit(target);
    for (let s = ENTRIES; s >= 4; s--) await raw.run(`UPDATE ${raw.t('pb_audit')} SET seq = ? WHERE seq = ?`, [s + 1, s]);
    const [prev] = await raw.all(`SELECT hash FROM ${raw.t('pb_audit')} WHERE seq = ?`, [3]);
    const forged = { ...input(99) };
    await raw.run(`INSERT INTO ${raw.t('pb_audit')} (seq, at, action, actor, subject, field, purpose, decision, prev_hash, hash, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      4,
      forged.at,
      forged.action,
      forged.actor,
      forged.subject,
      forged.field,
      forged.purpose,
      forged.decision,
      String(prev?.['hash']),
      'a'.repeat(64),
      JSON.stringify(forged),
    ]);
    broken(await verify(adapter), 4, 'hash-mismatch');
    counted.add(`${target.name}:audit-insert`);
    await adapter.close();
  });

  it('truncating the tail is caught against a checkpoint taken before it, and by the next append', async () => {
    const { adapter, raw, checkpoint } = await seededAudit(target);
    await raw.run(`DELETE FROM ${raw.t('pb_audit')} WHERE seq > ?`, [4]);
    // Without a checkpoint a truncated log is a valid shorter log: that is the documented limit.
    expect((await verify(adapter)).valid).toBe(true);
    broken(await verify(adapter, checkpoint), undefined, 'truncated');
    // The adapter's own head row still points at seq 6: the next append leaves a visible gap.
    await adapter.transaction((tx) => tx.appendAudit(input(7)));
    broken(await verify(adapter), 7, 'sequence-gap');
    counted.add(`${target.name}:audit-truncate-tail`);
    await adapter.close();
  });

  it('a chain rewritten with recomputed hashes passes on its own and fails against a checkpoint taken before it', async () => {
    const { adapter, raw, checkpoint } = await seededAudit(target);
    // The strongest attacker of the audit table: edit entry 2, recompute every later link.
    const all = await entries(adapter);
    const { chainAuditEntry } = await import('purpose-bound');
    let prev: AuditEntry | undefined;
    for (const e of all) {
      const { seq: _s, prevHash: _p, hash: _h, ...body } = e;
      const edited = e.seq === 2 ? { ...body, actor: 'nobody' } : body;
      const next = chainAuditEntry(edited, prev);
      await raw.run(`UPDATE ${raw.t('pb_audit')} SET prev_hash = ?, hash = ?, entry = ?, actor = ? WHERE seq = ?`, [
        next.prevHash,
        next.hash,
        JSON.stringify(edited),
        edited.actor,
        e.seq,
      ]);
      prev = next;
    }
    await raw.run(`UPDATE ${raw.t('pb_audit_head')} SET hash = ? WHERE id = 1`, [prev?.hash]);
    expect((await verify(adapter)).valid).toBe(true);
    broken(await verify(adapter, checkpoint), undefined, 'checkpoint-mismatch');
    counted.add(`${target.name}:audit-rewrite-recomputed`);
    await adapter.close();
  });
});

describe('audit entries tampered in a memory-adapter snapshot (a restored backup)', () => {
  type Store = { audit: AuditEntry[] };
  async function tampered(edit: (audit: AuditEntry[]) => void): Promise<{ adapter: StorageAdapter; head: string; checkpoint: string }> {
    const source = memoryAdapter();
    await source.open();
    let last: AuditEntry | undefined;
    for (let i = 1; i <= ENTRIES; i++) last = await source.transaction((tx) => tx.appendAudit(input(i)));
    const checkpoint = await checkpointOf(source);
    const snapshot = source.snapshot();
    edit((snapshot.store as unknown as Store).audit);
    const adapter = memoryAdapter({ from: snapshot });
    await adapter.open();
    return { adapter, head: last?.hash as string, checkpoint };
  }

  it('edit of an entry is a hash-mismatch at that entry', async () => {
    const { adapter } = await tampered((a) => {
      a[2] = { ...(a[2] as AuditEntry), actor: 'someone-else' };
    });
    broken(await verify(adapter), 3, 'hash-mismatch');
    counted.add('memory:audit-edit-actor');
  });

  it('deletion of a middle entry is a sequence gap', async () => {
    const { adapter } = await tampered((a) => void a.splice(2, 1));
    broken(await verify(adapter), 4, 'sequence-gap');
    counted.add('memory:audit-delete');
  });

  it('deletion with renumbering is a prev-hash mismatch', async () => {
    const { adapter } = await tampered((a) => {
      a.splice(2, 1);
      for (let i = 2; i < a.length; i++) a[i] = { ...(a[i] as AuditEntry), seq: i + 1 };
    });
    broken(await verify(adapter), 3, 'prev-hash-mismatch');
    counted.add('memory:audit-delete-renumber');
  });

  it('reordering two entries is detected at the first moved one', async () => {
    const { adapter } = await tampered((a) => {
      const [x, y] = [a[1] as AuditEntry, a[2] as AuditEntry];
      a[1] = { ...y, seq: 2 };
      a[2] = { ...x, seq: 3 };
    });
    broken(await verify(adapter), 2, 'prev-hash-mismatch');
    counted.add('memory:audit-reorder');
  });

  it('truncating the tail is caught against a checkpoint taken before it', async () => {
    const { adapter, checkpoint } = await tampered((a) => void a.splice(4));
    expect((await verify(adapter)).valid).toBe(true);
    broken(await verify(adapter, checkpoint), undefined, 'truncated');
    counted.add('memory:audit-truncate-tail');
  });

  it('the deprecated expectedHead still catches a truncated tail (kept while the option exists)', async () => {
    const { adapter, head } = await tampered((a) => void a.splice(4));
    broken(await verifyAuditLog(await entries(adapter), { expectedHead: head }), undefined, 'head-mismatch');
    // And, as documented, it fails after every legitimate append: the reason to use a checkpoint.
    const grown = memoryAdapter();
    await grown.open();
    let last: AuditEntry | undefined;
    for (let i = 1; i <= 3; i++) last = await grown.transaction((tx) => tx.appendAudit(input(i)));
    await grown.transaction((tx) => tx.appendAudit(input(4)));
    broken(await verifyAuditLog(await entries(grown), { expectedHead: last?.hash as string }), undefined, 'head-mismatch');
    counted.add('memory:audit-truncate-tail-expected-head');
  });
});

// ---------------------------------------------------------------------------------------------
// Ciphertexts and keys, through the vault, then changed directly in storage.
// ---------------------------------------------------------------------------------------------

// The recommended configuration: per-subject erasure secrets outside the database (wrap format 2).
const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey(), 'kek-2': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
const PLAIN = ['hana@example.jp', 'taro@example.jp', 'Hana Yamada', 'Taro Sato', 'old-hana@example.jp', 'allergic to penicillin', 'lives near the station'];

interface Seeded {
  readonly store: Tamperable;
  readonly a: string;
  readonly b: string;
  /** History entries (ids) of A's and B's replaced e-mail addresses. */
  readonly aHistory: string;
  readonly bHistory: string;
}

async function seed(store: Tamperable): Promise<Seeded> {
  const vault = await createVault({ policy: sec, adapter: store.adapter, keyring });
  const { subject: a } = await vault.collect({
    collectionPoint: 'form',
    actor: 'web',
    values: { email: 'old-hana@example.jp', name: 'Hana Yamada', note: 'allergic to penicillin' },
  });
  const { subject: b } = await vault.collect({
    collectionPoint: 'form',
    actor: 'web',
    values: { email: 'old-taro@example.jp', name: 'Taro Sato', note: 'lives near the station' },
  });
  await vault.correct(a, 'email', 'hana@example.jp', { actor: 'staff:1', reason: 'request r-1' });
  await vault.correct(b, 'email', 'taro@example.jp', { actor: 'staff:1', reason: 'request r-2' });
  const aHistory = (await vault.history(a))[0]?.id as string;
  const bHistory = (await vault.history(b))[0]?.id as string;
  await vault.close();
  return { store, a, b, aHistory, bHistory };
}

async function reopened(s: Seeded) {
  return createVault({ policy: sec, adapter: await s.store.reopen(), keyring });
}

/** The operation fails with the named error, and the error carries no stored value. */
async function detected(op: Promise<unknown>, code: 'INTEGRITY_ERROR' | 'KEY_UNAVAILABLE'): Promise<void> {
  const error = await op.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'tampering went undetected: the operation returned a value').toBeInstanceOf(PurposeBoundError);
  expect((error as PurposeBoundError).code).toBe(code);
  expect(code === 'INTEGRITY_ERROR' ? error instanceof IntegrityError : error instanceof KeyUnavailableError).toBe(true);
  const text = `${String(error)} ${JSON.stringify(error)} ${inspect(error, { showHidden: true, depth: Infinity })}`;
  for (const p of PLAIN) expect(text).not.toContain(p);
}

function flipped(b: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(b);
  const i = at < 0 ? out.length + at : at;
  out[i] = (out[i] as number) ^ 0x01;
  return out;
}

const stores: { name: string; make(): Promise<Tamperable> }[] = [
  { name: 'memory', make: async () => memoryTamperable() },
  ...targets.map((t) => ({ name: t.name, make: () => sqlTamperable(t) })),
];

describe.each(stores)('ciphertexts and keys tampered in the $name store', ({ name, make }) => {
  // Layout of a stored value: format byte | 12-byte IV | 16-byte tag | ciphertext.
  it.each([
    ['the format byte', 0],
    ['a byte of the IV', 5],
    ['a byte of the GCM tag', 20],
    ['the last byte of the ciphertext', -1],
  ])('one flipped bit in %s of a value: IntegrityError', async (region, at) => {
    const s = await seed(await make());
    await s.store.setCipher(s.a, 'email', flipped(await s.store.getCipher(s.a, 'email'), at));
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'email', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    await detected(vault.readAll(s.a, { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    // The untouched values of the subject and of others still read.
    expect(await vault.read(s.a, 'name', { purpose: 'contact', actor: 't' })).toBe('Hana Yamada');
    counted.add(`${name}:value-bitflip-${region}`);
    await vault.close();
  });

  it('a truncated value: IntegrityError', async () => {
    const s = await seed(await make());
    const c = await s.store.getCipher(s.a, 'note');
    await s.store.setCipher(s.a, 'note', c.subarray(0, c.length - 1));
    await s.store.setCipher(s.b, 'note', c.subarray(0, 10));
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'note', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    await detected(vault.read(s.b, 'note', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    counted.add(`${name}:value-truncated`);
    await vault.close();
  });

  it('ciphertexts swapped between two subjects: IntegrityError for both', async () => {
    const s = await seed(await make());
    const [ca, cb] = [await s.store.getCipher(s.a, 'email'), await s.store.getCipher(s.b, 'email')];
    await s.store.setCipher(s.a, 'email', cb);
    await s.store.setCipher(s.b, 'email', ca);
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'email', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    await detected(vault.read(s.b, 'email', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    counted.add(`${name}:value-swap-subjects`);
    await vault.close();
  });

  it('ciphertexts swapped between two fields of a subject: IntegrityError for both', async () => {
    const s = await seed(await make());
    const [cn, cm] = [await s.store.getCipher(s.a, 'name'), await s.store.getCipher(s.a, 'note')];
    await s.store.setCipher(s.a, 'name', cm);
    await s.store.setCipher(s.a, 'note', cn);
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'name', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    await detected(vault.read(s.a, 'note', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    counted.add(`${name}:value-swap-fields`);
    await vault.close();
  });

  it("a subject's wrapped data key replaced by another subject's: IntegrityError", async () => {
    const s = await seed(await make());
    const kb = await s.store.getKey(s.b);
    await s.store.setKey(s.a, kb.keyId, kb.wrapped);
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'email', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    counted.add(`${name}:wrapped-key-moved`);
    await vault.close();
  });

  it('one flipped bit in a wrapped data key: IntegrityError', async () => {
    const s = await seed(await make());
    const k = await s.store.getKey(s.a);
    await s.store.setKey(s.a, k.keyId, flipped(k.wrapped, -1));
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'name', { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    counted.add(`${name}:wrapped-key-bitflip`);
    await vault.close();
  });

  it('a wrapped data key relabelled with another KEK id: KeyUnavailableError', async () => {
    const s = await seed(await make());
    const k = await s.store.getKey(s.a);
    expect(k.keyId).toBe('kek-1');
    await s.store.setKey(s.a, 'kek-2', k.wrapped);
    const vault = await reopened(s);
    await detected(vault.read(s.a, 'name', { purpose: 'contact', actor: 't' }), 'KEY_UNAVAILABLE');
    counted.add(`${name}:wrapped-key-relabelled`);
    await vault.close();
  });

  it('an erased subject restored by hand from an older copy (wrapped key and values put back): KeyUnavailableError', async () => {
    const s = await seed(await make());
    const key = await s.store.getKey(s.a);
    const email = await s.store.getCipher(s.a, 'email');
    const live = await reopened(s);
    await live.erase(s.a, { actor: 'dpo', reference: 'request r-9' });
    await live.close();
    // The insider writes the pre-erasure wrapped key back; the erasure secret is gone for good.
    await s.store.setKey(s.a, key.keyId, key.wrapped);
    const vault = await reopened(s);
    await detected(Promise.resolve(keyring.unwrapKey(key.keyId, key.wrapped, s.a)), 'KEY_UNAVAILABLE');
    expect(email.length).toBeGreaterThan(29);
    counted.add(`${name}:erased-key-restored`);
    await vault.close();
  });

  it('an earlier value in the history: a flipped bit or another subject’s ciphertext is an IntegrityError', async () => {
    const s = await seed(await make());
    const ha = await s.store.getHistoryCipher(s.a, s.aHistory);
    const hb = await s.store.getHistoryCipher(s.b, s.bHistory);
    await s.store.setHistoryCipher(s.a, s.aHistory, flipped(ha, 30));
    await s.store.setHistoryCipher(s.b, s.bHistory, ha);
    const vault = await reopened(s);
    await detected(vault.historyValue(s.a, s.aHistory, { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    await detected(vault.historyValue(s.b, s.bHistory, { purpose: 'contact', actor: 't' }), 'INTEGRITY_ERROR');
    expect(hb.length).toBeGreaterThan(29);
    counted.add(`${name}:history-bitflip`);
    counted.add(`${name}:history-swap-subjects`);
    await vault.close();
  });
});
