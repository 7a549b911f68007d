/**
 * `verify-audit` reads JSON Lines as they arrive (chunk by chunk, lines split across chunks,
 * CRLF, blank lines), so a log of any size fits in memory, and still names the first broken
 * entry by its line, or the first line that is not JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAuditEntry, generateNoteKeys, noteSigner, signCheckpoint, verifyAuditLog, type AuditEntry } from 'purpose-bound';
import { verifyAuditFile } from '../../src/cli/verify-audit.js';

const N = 3000;
const entries: AuditEntry[] = [];
for (let i = 0; i < N; i++)
  entries.push(
    chainAuditEntry(
      { at: '2026-12-01T10:00:00.000Z', action: 'read', actor: `staff:${i % 9}`, subject: `s${i % 40}`, field: 'email', purpose: 'contact', decision: 'allow' },
      entries.at(-1),
    ),
  );
const origin = 'cli.test.example/log';
const keys = generateNoteKeys(origin);
const crlf = (list: readonly unknown[]) => `${list.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\r\n')}\r\n`;
const none = Readable.from([]);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-verify-stream-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileOf(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('verify-audit reads JSON Lines as a stream', () => {
  it('a file of many chunks (CRLF, a blank line) verifies against a checkpoint, as the whole list does', async () => {
    const first = await verifyAuditLog(entries.slice(0, 2000));
    if (!first.valid) throw new Error('fixture');
    const checkpoint = signCheckpoint({ origin, size: 2000, rootHash: first.rootHash, extensions: [] }, noteSigner(keys.signerKey)).note;
    const text = crlf([...entries.slice(0, 1500), '', ...entries.slice(1500)]);
    expect(text.length).toBeGreaterThan(4 * 65536); // several read chunks, lines split across them
    const r = await verifyAuditFile(await fileOf('ok.jsonl', text), { stdin: none, checkpoint, verifierKey: keys.verifierKey });
    expect(r).toEqual(await verifyAuditLog(entries, { checkpoint, verifierKey: keys.verifierKey }));
    expect(r).toMatchObject({ valid: true, entries: N, checkpoint: { size: 2000 } });
    // Standard input in small pieces gives the same.
    const pieces: Buffer[] = [];
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 997) pieces.push(bytes.subarray(i, i + 997));
    expect(await verifyAuditFile('-', { stdin: Readable.from(pieces) })).toMatchObject({ valid: true, entries: N });
  });

  it('an edited entry deep in the file is named by its line (blank lines counted) and the last good hash', async () => {
    const edited = entries.map((e, i) => (i === 2600 ? { ...e, actor: 'mallory' } : e));
    const text = crlf([...edited.slice(0, 10), '', ...edited.slice(10)]);
    const r = await verifyAuditFile(await fileOf('edited.jsonl', text), { stdin: none });
    expect(r).toMatchObject({ valid: false, index: 2600, seq: 2601, reason: 'hash-mismatch', line: 2602, lastGoodHash: entries[2599]?.hash });
  });

  it('a line that is not JSON stops the reading; an earlier broken entry is still reported first', async () => {
    const lines: unknown[] = [...entries];
    lines[2800] = '{"seq": 2801, "broken';
    const r = await verifyAuditFile(await fileOf('bad.jsonl', crlf(lines)), { stdin: none });
    expect(r).toMatchObject({ valid: false, entries: 2800, index: 2800, reason: 'not-json', line: 2801, lastGoodHash: entries[2799]?.hash });
    lines[100] = { ...entries[100], decision: 'deny' };
    const earlier = await verifyAuditFile(await fileOf('bad2.jsonl', crlf(lines)), { stdin: none });
    expect(earlier).toMatchObject({ valid: false, index: 100, reason: 'hash-mismatch', line: 101 });
  });
});
