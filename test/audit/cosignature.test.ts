/**
 * Witness cosignatures (C2SP tlog-cosignature, Ed25519 cosignature/v1), checked against the
 * spec's format: the signature line's bytes (key id, big-endian u64 time, 64-byte signature) as
 * the spec's own example lays them out, the key id with type byte 0x04 against published keys
 * (a native 0x04 key of a running witness, and a 0x01 note key used as a cosigner key, from the
 * Go transparency-dev/formats tests), and the signature checked by @noble/ed25519 (another
 * Ed25519 implementation) over the message written out here from the spec's text.
 */
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { CheckpointError, cosignCheckpoint, generateNoteKeys, noteSigner, openCheckpoint, openCosignedCheckpoint, signCheckpoint, witnessCosigner } from 'purpose-bound';

const origin = 'audit.test.example/purpose-bound';
const log = generateNoteKeys(origin);
const root = 'f'.repeat(64);
const checkpoint = (size: number, extensions: string[] = []) => signCheckpoint({ origin, size, rootHash: root, extensions }, noteSigner(log.signerKey)).note;
const w1 = witnessCosigner(generateNoteKeys('witness.example.org/w1').signerKey);
const w2 = witnessCosigner(generateNoteKeys('witness.example.org/w2').signerKey);

/** The last signature line of a note, decoded. */
function lastLine(note: string): { name: string; raw: Buffer } {
  const line = note.trimEnd().split('\n').at(-1) as string;
  const [, name, b64] = line.split(' ') as [string, string, string];
  return { name, raw: Buffer.from(b64, 'base64') };
}

describe('witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1)', () => {
  it("the spec's example signature line has the layout we write: key id, big-endian u64 time, signature", () => {
    // From the spec: the example cosignature line and, in its signed-message example, "time 1679315147".
    const example = Buffer.from('jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==', 'base64');
    expect(example.length).toBe(4 + 8 + 64);
    expect(example.readBigUInt64BE(4)).toBe(1679315147n);
    // transparency-dev/formats' timestamp vector: 1727964367.
    expect(Buffer.from('ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==', 'base64').readBigUInt64BE(4)).toBe(1727964367n);
    const ours = lastLine(cosignCheckpoint(checkpoint(5), { verifierKey: log.verifierKey, cosigner: w1, time: 1679315147 })).raw;
    expect(ours.length).toBe(76);
    expect(ours.readUInt32BE(0)).toBe(w1.keyId);
    expect(ours.readBigUInt64BE(4)).toBe(1679315147n);
  });

  it('signs "cosignature/v1\\ntime <t>\\n" and the whole body, extension lines included, as @noble/ed25519 checks', async () => {
    const note = checkpoint(7, ['extension line']);
    const cosigned = cosignCheckpoint(note, { verifierKey: log.verifierKey, cosigner: w1, time: 1700000000 });
    expect(cosigned.startsWith(note)).toBe(true);
    const { name, raw } = lastLine(cosigned);
    expect(name).toBe('witness.example.org/w1');
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const publicKey = Buffer.from(w1.verifierKey.split('+').slice(2).join('+'), 'base64');
    expect(publicKey[0]).toBe(0x04);
    const message = (t: number, b: string) => Buffer.from(`cosignature/v1\ntime ${t}\n${b}`);
    expect(await ed.verifyAsync(raw.subarray(12), message(1700000000, body), publicKey.subarray(1))).toBe(true);
    expect(await ed.verifyAsync(raw.subarray(12), message(1700000001, body), publicKey.subarray(1))).toBe(false);
    expect(await ed.verifyAsync(raw.subarray(12), message(1700000000, body.replace('extension line\n', '')), publicKey.subarray(1))).toBe(false);
  });

  it('key ids use type byte 0x04: a published witness key and a plain note key taken as a cosigner key are accepted, a wrong id is not', () => {
    const note = checkpoint(3);
    // Published keys (Go transparency-dev/formats tests): no cosignature by them here, so the quorum fails, not the key.
    for (const key of ['remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2', 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6']) {
      expect(() => openCosignedCheckpoint(note, { verifierKey: log.verifierKey, witnessKeys: [key] })).toThrow(/0 of the listed witnesses cosigned/);
    }
    expect(() => openCosignedCheckpoint(note, { verifierKey: log.verifierKey, witnessKeys: ['remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2'] })).toThrow(
      /key id/,
    );
    // Our cosigner's key id is the 0x04 one, not its note key's.
    const keys = generateNoteKeys('witness.example.org/w3');
    expect(witnessCosigner(keys.signerKey).keyId).not.toBe(noteSigner(keys.signerKey).keyId);
  });

  it('opens a cosigned checkpoint with a quorum; a missing, moved or forged cosignature is refused', () => {
    const note = checkpoint(9);
    const both = cosignCheckpoint(cosignCheckpoint(note, { verifierKey: log.verifierKey, cosigner: w1, time: 100 }), { verifierKey: log.verifierKey, cosigner: w2, time: 200 });
    const opened = openCosignedCheckpoint(both, { verifierKey: log.verifierKey, witnessKeys: [w1.verifierKey, w2.verifierKey] });
    expect(opened).toMatchObject({ size: 9, rootHash: root });
    expect(opened.cosignatures.map((c) => [c.name, c.time])).toEqual([
      ['witness.example.org/w1', 100],
      ['witness.example.org/w2', 200],
    ]);
    // The log's checkpoint still opens as before (cosignatures are extra signature lines).
    expect(openCheckpoint(both, { verifierKey: log.verifierKey }).size).toBe(9);
    const one = cosignCheckpoint(note, { verifierKey: log.verifierKey, cosigner: w1, time: 100 });
    expect(() => openCosignedCheckpoint(one, { verifierKey: log.verifierKey, witnessKeys: [w1.verifierKey, w2.verifierKey] })).toThrow(
      /1 of the listed witnesses cosigned; 2 required/,
    );
    expect(openCosignedCheckpoint(one, { verifierKey: log.verifierKey, witnessKeys: [w1.verifierKey, w2.verifierKey], quorum: 1 }).cosignatures).toHaveLength(1);
    // A cosignature moved onto another checkpoint of the same log does not verify.
    const moved = `${checkpoint(10)}${one.slice(note.length)}`;
    expect(() => openCosignedCheckpoint(moved, { verifierKey: log.verifierKey, witnessKeys: [w1.verifierKey] })).toThrow(/does not verify/);
    // Its time changed: does not verify either.
    const { raw } = lastLine(one);
    raw.writeBigUInt64BE(101n, 4);
    const retimed = `${note}\u2014 ${w1.name} ${raw.toString('base64')}\n`;
    expect(() => openCosignedCheckpoint(retimed, { verifierKey: log.verifierKey, witnessKeys: [w1.verifierKey] })).toThrow(/does not verify/);
    // Not signed by the log: nothing to cosign, nothing to open.
    const other = signCheckpoint({ origin, size: 9, rootHash: root, extensions: [] }, noteSigner(generateNoteKeys(origin).signerKey)).note;
    expect(() => cosignCheckpoint(other, { verifierKey: log.verifierKey, cosigner: w1 })).toThrow(CheckpointError);
    expect(() => cosignCheckpoint(one, { verifierKey: log.verifierKey, cosigner: w1 })).toThrow(/already carries/);
    expect(() => cosignCheckpoint(note, { verifierKey: log.verifierKey, cosigner: w1, time: -1 })).toThrow(CheckpointError);
    expect(() => openCosignedCheckpoint(both, { verifierKey: log.verifierKey, witnessKeys: [] })).toThrow(CheckpointError);
  });
});
