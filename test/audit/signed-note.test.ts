/**
 * Signed notes and checkpoints against independent implementations: the published vectors of
 * Go's golang.org/x/mod/sumdb/note (keys, key ids and the exact signed note its Sign produces;
 * Ed25519 is deterministic, so ours must be byte-identical), and @noble/ed25519 (another Ed25519
 * implementation) verifying the signatures of our checkpoints.
 */
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  EMPTY_TREE_ROOT,
  formatCheckpoint,
  generateNoteKeys,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  signCheckpoint,
  signNote,
} from 'purpose-bound';

// Vectors from golang.org/x/mod/sumdb/note/note_test.go (data).
const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VERIFIER = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('signed notes (Go sumdb/note vectors)', () => {
  it('reads the published keys: names, key ids, the verifier derived from the signer', () => {
    const signer = noteSigner(PETER_SIGNER);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(PETER_VERIFIER);
    expect(noteVerifier(ENOCH_VERIFIER).keyId).toBe(0xaf0cfe78);
  });

  it('signs the published text into exactly the published note', () => {
    expect(signNote(TEXT, [noteSigner(PETER_SIGNER)])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('opens a note with two signatures: the trusted one verified, the other listed as unverified', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [noteVerifier(PETER_VERIFIER)]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verified.map((s) => [s.name, s.keyId])).toEqual([['PeterNeumann', 0xc74f20a3]]);
    expect(opened.unverified.map((s) => s.name)).toEqual(['EnochRoot']);
    const both = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [noteVerifier(PETER_VERIFIER), noteVerifier(ENOCH_VERIFIER)]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('rejects a mangled key, a changed text, a bad signature and a note without a trusted signature', () => {
    // As the Go tests do: every single-byte change of the verifier key is refused.
    const b = Buffer.from(PETER_VERIFIER);
    for (let i = 0; i < b.length; i++) {
      const mangled = Buffer.from(b);
      mangled[i] = (mangled[i] as number) + 1;
      expect(() => noteVerifier(mangled.toString('latin1')), `byte ${i}`).toThrow(CheckpointError);
    }
    expect(() => noteVerifier('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(CheckpointError); // unknown algorithm
    const v = [noteVerifier(PETER_VERIFIER)];
    expect(() => openNote(`${TEXT.replace('problem', 'Problem')}\n${PETER_SIG}`, v)).toThrow(/does not verify/);
    expect(() => openNote(`${TEXT}\n${ENOCH_SIG}`, v)).toThrow(/no signature by a trusted key/);
    expect(() => openNote(TEXT, v)).toThrow(CheckpointError);
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const origin = 'audit.example.jp/purpose-bound';
  const keys = generateNoteKeys(origin);
  const root = 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77';

  it('formats origin, decimal size and base64 root, one per line', () => {
    expect(formatCheckpoint({ origin, size: 3, rootHash: root, extensions: [] })).toBe(`${origin}\n3\n${Buffer.from(root, 'hex').toString('base64')}\n`);
    expect(parseCheckpoint(`${origin}\n0\n${Buffer.from(EMPTY_TREE_ROOT, 'hex').toString('base64')}\nsome-extension\n`)).toEqual({
      origin,
      size: 0,
      rootHash: EMPTY_TREE_ROOT,
      extensions: ['some-extension'],
    });
    for (const bad of [`${origin}\n03\nAAAA\n`, `${origin}\n3\n`, `${origin}\n-1\n${Buffer.alloc(32).toString('base64')}\n`, ` \n3\n${Buffer.alloc(32).toString('base64')}\n`]) {
      expect(() => parseCheckpoint(bad)).toThrow(CheckpointError);
    }
  });

  it('signs and opens; the signature verifies with @noble/ed25519 over the exact body', async () => {
    const signed = signCheckpoint({ origin, size: 3, rootHash: root, extensions: [] }, noteSigner(keys.signerKey));
    const opened = openCheckpoint(signed.note, { verifierKey: keys.verifierKey });
    expect(opened).toMatchObject({ origin, size: 3, rootHash: root });
    const [body, sigLine] = signed.note.split('\n\n') as [string, string];
    const raw = Buffer.from(sigLine.trim().split(' ')[2] as string, 'base64');
    const publicKey = Buffer.from(keys.verifierKey.split('+').slice(2).join('+'), 'base64').subarray(1);
    expect(await ed.verifyAsync(raw.subarray(4), Buffer.from(`${body}\n`), publicKey)).toBe(true);
    expect(await ed.verifyAsync(raw.subarray(4), Buffer.from(`${body.replace('\n3\n', '\n4\n')}\n`), publicKey)).toBe(false);
  });

  it('refuses another key, another origin, an edited size', () => {
    const signed = signCheckpoint({ origin, size: 3, rootHash: root, extensions: [] }, noteSigner(keys.signerKey));
    expect(() => openCheckpoint(signed.note, { verifierKey: generateNoteKeys(origin).verifierKey })).toThrow(CheckpointError);
    expect(() => openCheckpoint(signed.note, { verifierKey: keys.verifierKey, origin: 'other.example/log' })).toThrow(/another log/);
    expect(() => openCheckpoint(signed.note.replace(`${origin}\n3\n`, `${origin}\n4\n`), { verifierKey: keys.verifierKey })).toThrow(/does not verify/);
  });
});
