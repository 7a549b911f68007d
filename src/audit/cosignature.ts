/**
 * Witness cosignatures of checkpoints (C2SP `tlog-cosignature`, Ed25519 `cosignature/v1`): a
 * note signature line added to a checkpoint by someone outside the log's operator, stating
 * that, at the given time, this is the largest consistent tree head they have seen for the log.
 * The signed message is `cosignature/v1`, a `time <seconds>` line, then the checkpoint's whole
 * note body; the signature line holds the key id (`SHA-256(name || 0x0A || 0x04 || key)[:4]`),
 * the time as a big-endian u64 and the Ed25519 signature. A verifier who requires a quorum of
 * cosignatures can no longer be shown a log different from the one the witnesses see.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { openCheckpoint, type OpenCheckpointOptions, type SignedCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { keyIdFor, noteSigner, noteVerifier, openNote, splitKey } from './signed-note.js';

/** Signature type byte of an Ed25519 `cosignature/v1` key. */
const ALG_COSIGNATURE_V1 = 0x04;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_TIME = 2n ** 63n - 1n;

/**
 * A witness's signing side: its name, key id and verifier key (type 0x04), and the means to
 * cosign (see {@link cosignCheckpoint}).
 *
 * @example
 * ```ts
 * import { generateNoteKeys, witnessCosigner } from 'purpose-bound';
 *
 * const witness = witnessCosigner(generateNoteKeys('witness.example.org/w1').signerKey);
 * witness.verifierKey; // 'witness.example.org/w1+<id>+BA…': give it to the log's verifiers
 * ```
 */
export interface WitnessCosigner {
  readonly name: string;
  /** The 0x04 key id. */
  readonly keyId: number;
  /** `name+keyid+base64(0x04 || public key)`: what verifiers configure. */
  readonly verifierKey: string;
  /** Ed25519 signature of `message`. */
  sign(message: Uint8Array): Uint8Array;
}

/**
 * A cosignature found valid by {@link openCosignedCheckpoint}.
 *
 * @example
 * ```ts
 * const { cosignatures } = openCosignedCheckpoint(note, { verifierKey, witnessKeys: [w1] });
 * cosignatures[0]?.time; // seconds since the epoch, when the witness cosigned
 * ```
 */
export interface Cosignature {
  readonly name: string;
  readonly keyId: number;
  /** When the witness cosigned, as a POSIX timestamp (seconds). */
  readonly time: number;
}

const keyIdBytes = (id: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(id);
  return b;
};

/** The message a `cosignature/v1` signs. */
function cosignedMessage(time: bigint, body: string): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8');
}

/**
 * A witness cosigner from an Ed25519 note signer key (`PRIVATE+KEY+…`, as `generateNoteKeys`
 * or Go's `note.GenerateKey` write it): the same key material under the 0x04 key id, as the
 * Go `transparency-dev/formats` cosigner does. Use a key for one witness only (the message does
 * not name the witness).
 *
 * @throws CheckpointError when the key is malformed
 * @example
 * ```ts
 * const witness = witnessCosigner(process.env.WITNESS_SIGNER_KEY!);
 * ```
 */
export function witnessCosigner(signerKey: string): WitnessCosigner {
  const checked = noteSigner(signerKey); // checks the key and its 0x01 key id
  const { key: seed } = splitKey(signerKey.slice('PRIVATE+KEY+'.length), 'the signer key');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const pub = Buffer.from(der.subarray(der.length - 32));
  const keyId = keyIdFor(checked.name, ALG_COSIGNATURE_V1, pub);
  return Object.freeze({
    name: checked.name,
    keyId,
    verifierKey: `${checked.name}+${keyId.toString(16).padStart(8, '0')}+${Buffer.concat([Buffer.from([ALG_COSIGNATURE_V1]), pub]).toString('base64')}`,
    sign: (message: Uint8Array) => new Uint8Array(sign(null, message, privateKey)),
  });
}

/** A witness verifier key: type 0x04 as written, or a 0x01 note key taken as a cosigner key (Go's `VKeyToCosignatureV1`). */
function witnessVerifier(text: string): { name: string; keyId: number; publicKey: ReturnType<typeof createPublicKey> } {
  if (typeof text !== 'string') throw new CheckpointError('a witness key must be a string');
  const second = text.indexOf('+', text.indexOf('+') + 1);
  // The key's type is its first byte: 0x04, or 0x01 for a plain note key.
  const alg = second > 0 && Buffer.from(text.slice(second + 1), 'base64')[0] === 0x01 ? 0x01 : ALG_COSIGNATURE_V1;
  const { name, id, key } = splitKey(text, 'the witness key', alg);
  if (keyIdFor(name, alg, key) !== id) throw new CheckpointError('the witness key id does not match its key');
  return { name, keyId: keyIdFor(name, ALG_COSIGNATURE_V1, key), publicKey: createPublicKey({ key: Buffer.concat([SPKI_ED25519, key]), format: 'der', type: 'spki' }) };
}

/**
 * Cosign a checkpoint as a witness: check its signature by the log (`verifierKey`) and add a
 * `cosignature/v1` line by `cosigner` at `time` (seconds; default now). A cosignature states
 * that this is the largest tree the witness has seen consistent with all before it: call this
 * only after checking a consistency proof from the last checkpoint you cosigned.
 *
 * @throws CheckpointError when the checkpoint is not validly signed by the log, already carries a cosignature by this witness, or `time` is not a valid timestamp
 * @example
 * ```ts
 * const cosigned = cosignCheckpoint(note, { verifierKey: logVerifierKey, cosigner: witness });
 * ```
 */
export function cosignCheckpoint(note: string, options: OpenCheckpointOptions & { readonly cosigner: WitnessCosigner; readonly time?: number }): string {
  if (typeof options !== 'object' || options === null) throw new CheckpointError('options with a verifierKey and a cosigner are required');
  const { cosigner } = options;
  openCheckpoint(note, options);
  const time = options.time ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(time) || time < 0) throw new CheckpointError('the cosignature time must be a non-negative integer of seconds');
  const logKeys = typeof options.verifierKey === 'string' ? [options.verifierKey] : options.verifierKey;
  const { text, unverified } = openNote(note, logKeys.map(noteVerifier));
  if (unverified.some((s) => s.name === cosigner.name && s.keyId === cosigner.keyId)) throw new CheckpointError(`the checkpoint already carries a cosignature by ${cosigner.name}`);
  const t = BigInt(time);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(t);
  const blob = Buffer.concat([keyIdBytes(cosigner.keyId), stamp, Buffer.from(cosigner.sign(cosignedMessage(t, text)))]);
  return `${note}\u2014 ${cosigner.name} ${blob.toString('base64')}\n`;
}

/**
 * Open a checkpoint and check its witness cosignatures: the log's signature as
 * `openCheckpoint` does, then every cosignature by one of `witnessKeys`; at least `quorum` of
 * those witnesses (default: all of them) must have cosigned. Signatures by other keys are
 * ignored.
 *
 * @throws CheckpointError when the log's signature fails, a cosignature by a listed witness does not verify, or fewer than `quorum` witnesses cosigned
 * @example
 * ```ts
 * const { size, rootHash, cosignatures } = openCosignedCheckpoint(note, { verifierKey, witnessKeys: [w1, w2], quorum: 1 });
 * ```
 */
export function openCosignedCheckpoint(
  note: string,
  options: OpenCheckpointOptions & { readonly witnessKeys: readonly string[]; readonly quorum?: number },
): SignedCheckpoint & { readonly cosignatures: readonly Cosignature[] } {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.witnessKeys) || options.witnessKeys.length === 0) {
    throw new CheckpointError('options.witnessKeys must list at least one witness key');
  }
  const checkpoint = openCheckpoint(note, options);
  const quorum = options.quorum ?? options.witnessKeys.length;
  if (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > options.witnessKeys.length) throw new CheckpointError('options.quorum must be from 1 to the number of witness keys');
  const witnesses = options.witnessKeys.map(witnessVerifier);
  const logKeys = typeof options.verifierKey === 'string' ? [options.verifierKey] : options.verifierKey;
  const { text, unverified } = openNote(note, logKeys.map(noteVerifier));
  const found = new Map<string, Cosignature>();
  for (const sig of unverified) {
    const w = witnesses.find((x) => x.name === sig.name && x.keyId === sig.keyId);
    if (w === undefined) continue;
    const raw = Buffer.from(sig.base64, 'base64');
    if (raw.length !== 4 + 8 + 64) throw new CheckpointError(`the cosignature by ${sig.name} is not 76 bytes`);
    const t = raw.readBigUInt64BE(4);
    if (t > MAX_TIME || t > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`the cosignature by ${sig.name} has a time beyond any plausible clock`);
    if (!verify(null, cosignedMessage(t, text), w.publicKey, raw.subarray(12))) throw new CheckpointError(`the cosignature by ${sig.name} does not verify`);
    found.set(`${w.name}+${w.keyId}`, Object.freeze({ name: w.name, keyId: w.keyId, time: Number(t) }));
  }
  if (found.size < quorum) throw new CheckpointError(`${found.size} of the listed witnesses cosigned; ${quorum} required`);
  const { signedBy: _signedBy, ...rest } = checkpoint;
  return Object.freeze({ ...rest, cosignatures: Object.freeze([...found.values()]) });
}
