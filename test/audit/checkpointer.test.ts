/**
 * Checkpoints written every N entries, every T ms and on demand, published to a file, an HTTP
 * endpoint on loopback and a function; each one opens with the log's verifier key and is
 * consistent with the one before; the checkpointer refuses to sign a log that is shorter than,
 * or not consistent with, the checkpoint it trusts.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createAuditProofs,
  createCheckpointer,
  createGroupCommitAuditLog,
  fileCheckpointSink,
  generateNoteKeys,
  httpCheckpointSink,
  IntegrityError,
  noteSigner,
  openCheckpoint,
  signCheckpoint,
  verifyAuditLog,
  verifyConsistency,
  type AuditEntryInput,
  type SignedCheckpoint,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { groupCommitAuditLogOf } from '../../src/audit/group-commit.js';
import { adapterAuditLog } from '../../src/vault/stores.js';

const origin = 'audit.test.example/checkpoints';
const keys = generateNoteKeys(origin);
const dir = mkdtempSync(path.join(tmpdir(), 'pb-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = (i: number): AuditEntryInput => ({ at: '2026-12-01T10:00:00.000Z', action: 'read', actor: `staff:${i}`, decision: 'allow' });

async function opened() {
  const adapter = memoryAdapter();
  await adapter.open();
  return adapter;
}

describe('checkpointer', () => {
  it('writes a checkpoint every N entries to every sink; each is consistent with the one before', async () => {
    const adapter = await opened();
    const seen: SignedCheckpoint[] = [];
    const file = path.join(dir, 'every-n', 'audit.checkpoint');
    const checkpoints = createCheckpointer({
      adapter,
      origin,
      signer: keys.signerKey,
      everyEntries: 10,
      everyMs: 0,
      sinks: [(c) => void seen.push(c), fileCheckpointSink({ path: file })],
    });
    const log = createGroupCommitAuditLog({ adapter, checkpoints });
    for (let i = 0; i < 25; i++) await log.append(input(i));
    await checkpoints.close();
    // Triggered after the 10th and the 20th entry; each signs the head it reads (appends go on meanwhile).
    expect(seen.length).toBe(2);
    expect(seen[0]?.size).toBeGreaterThanOrEqual(10);
    expect(seen[1]?.size).toBeGreaterThanOrEqual(20);
    expect(seen[1]?.size).toBeGreaterThan(seen[0]?.size as number);
    const proofs = createAuditProofs(adapter);
    for (const c of seen) expect(openCheckpoint(c.note, { verifierKey: keys.verifierKey })).toMatchObject({ origin, size: c.size });
    const [a, b] = seen as [SignedCheckpoint, SignedCheckpoint];
    const proof = await proofs.consistency(a.size, b.size);
    expect(verifyConsistency(a.size, b.size, proof.path, a.rootHash, b.rootHash)).toBe(true);
    // The file holds the latest; its history every one of them.
    expect(openCheckpoint(await readFile(file, 'utf8'), { verifierKey: keys.verifierKey }).size).toBe(b.size);
    const history = (await readFile(`${file}.history.jsonl`, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { size: number });
    expect(history.map((h) => h.size)).toEqual([a.size, b.size]);
    // An old checkpoint verifies the whole, larger log.
    expect(await verifyAuditLog(log, { checkpoint: a.note, verifierKey: keys.verifierKey })).toMatchObject({ valid: true, entries: 25 });
  });

  it("counts the entries of the vault's shared audit log (the guard's) without being passed to it", async () => {
    const adapter = await opened();
    const seen: number[] = [];
    const checkpoints = createCheckpointer({ adapter, origin, signer: keys.signerKey, everyEntries: 3, everyMs: 0, sinks: [(c) => void seen.push(c.size)] });
    await adapterAuditLog(adapter).append(input(1));
    expect(seen).toEqual([]);
    await groupCommitAuditLogOf(adapter).appendMany([input(2), input(3)]);
    await vi.waitFor(() => expect(seen).toEqual([3]));
    await checkpoints.close();
    await groupCommitAuditLogOf(adapter).appendMany([input(4), input(5), input(6)]);
    expect(seen).toEqual([3]); // closed: no longer watching
  });

  it('writes on demand and every T ms while the log grows', async () => {
    const adapter = await opened();
    const seen: number[] = [];
    const checkpoints = createCheckpointer({ adapter, origin, signer: noteSigner(keys.signerKey), everyEntries: 0, everyMs: 20, sinks: [(c) => void seen.push(c.size)] });
    const log = createGroupCommitAuditLog({ adapter, checkpoints });
    await log.append(input(1));
    await vi.waitFor(() => expect(seen).toEqual([1]), { timeout: 2000 });
    expect((await checkpoints.checkpoint()).size).toBe(1); // unchanged tree: the same checkpoint, not a new signature
    await log.appendMany([input(2), input(3)]);
    expect((await checkpoints.checkpoint()).size).toBe(3);
    await checkpoints.close();
  });

  it('publishes to an HTTP endpoint; a failing endpoint fails an on-demand checkpoint and reaches onError for automatic ones', async () => {
    const received: { type: string | undefined; body: string }[] = [];
    let status = 200;
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'], body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const adapter = await opened();
      const errors: unknown[] = [];
      const checkpoints = createCheckpointer({
        adapter,
        origin,
        signer: keys.signerKey,
        everyEntries: 2,
        everyMs: 0,
        sinks: [httpCheckpointSink({ url: `http://127.0.0.1:${port}/checkpoints` })],
        onError: (e) => errors.push(e),
      });
      const log = createGroupCommitAuditLog({ adapter, checkpoints });
      await log.appendMany([input(1), input(2)]);
      await vi.waitFor(() => expect(received.length).toBe(1));
      expect(received[0]?.type).toBe('text/plain; charset=utf-8');
      expect(openCheckpoint(received[0]?.body as string, { verifierKey: keys.verifierKey }).size).toBe(2);
      status = 503;
      await log.append(input(3));
      await expect(checkpoints.checkpoint()).rejects.toThrow(/HTTP 503/);
      await log.appendMany([input(4), input(5)]);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
      await checkpoints.close();
    } finally {
      server.close();
    }
  });

  it('refuses to sign a log shorter than, or inconsistent with, the checkpoint it trusts', async () => {
    const adapter = await opened();
    const log = createGroupCommitAuditLog({ adapter });
    await log.appendMany([input(1), input(2), input(3)]);
    const head = await createAuditProofs(adapter).head();
    const signer = noteSigner(keys.signerKey);
    const bigger = signCheckpoint({ origin, size: 10, rootHash: head.rootHash, extensions: [] }, signer);
    await expect(createCheckpointer({ adapter, origin, signer, trusted: bigger.note, everyMs: 0 }).checkpoint()).rejects.toBeInstanceOf(IntegrityError);
    const other = signCheckpoint({ origin, size: 2, rootHash: 'ab'.repeat(32), extensions: [] }, signer);
    await expect(createCheckpointer({ adapter, origin, signer, trusted: other.note, everyMs: 0 }).checkpoint()).rejects.toThrow(/not consistent/);
    const genuine = signCheckpoint({ origin, size: 2, rootHash: await createAuditProofs(adapter).rootAt(2), extensions: [] }, signer);
    expect((await createCheckpointer({ adapter, origin, signer, trusted: genuine.note, everyMs: 0 }).checkpoint()).size).toBe(3);
  });
});
