/**
 * C2SP signed notes (`c2sp.org/signed-note`) with Ed25519 through node:crypto: a text that
 * ends in a newline, a blank line, then one line per signature,
 * `— <key name> <base64(key id || signature)>`. The key id of an Ed25519 key is the first four
 * bytes of `SHA-256(name || 0x0A || 0x01 || public key)`; keys are written as the Go
 * `golang.org/x/mod/sumdb/note` package writes them (`name+hex id+base64(0x01 || key)`, the
 * signer key prefixed `PRIVATE+KEY+`), so keys and notes are interchangeable with that
 * implementation and the witnesses built on it (the tests check its published vectors).
 *
 * @module
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { CheckpointError } from './errors.js';

/** Signature algorithm byte of Ed25519 in signed notes. */
const ALG_ED25519 = 0x01;
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_SIGNATURES = 100;

/**
 * A key pair in the signed-note text form: keep `signerKey` secret (it is the private key);
 * give `verifierKey` to whoever checks the checkpoints (auditors, witnesses, data subjects).
 *
 * @example
 * ```ts
 * import { generateNoteKeys } from 'purpose-bound';
 *
 * const { signerKey, verifierKey } = generateNoteKeys('audit.example.jp/purpose-bound');
 * // verifierKey: 'audit.example.jp/purpose-bound+1a2b3c4d+AX…'
 * ```
 */
export interface NoteKeys {
  /** `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>`. Secret. */
  readonly signerKey: string;
  /** `<name>+<key id>+<base64(0x01 || public key)>`. Public. */
  readonly verifierKey: string;
}

/**
 * Signs notes (and so checkpoints) under one key.
 *
 * @example
 * ```ts
 * import { noteSigner } from 'purpose-bound';
 *
 * const signer = noteSigner(process.env.AUDIT_SIGNER_KEY!);
 * signer.verifierKey; // publish this one
 * ```
 */
export interface NoteSigner {
  readonly name: string;
  /** The 32-bit key id. */
  readonly keyId: number;
  /** The matching verifier key, to publish. */
  readonly verifierKey: string;
  /** The Ed25519 signature of `message` (64 bytes). */
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Checks signatures under one key.
 *
 * @example
 * ```ts
 * import { noteVerifier } from 'purpose-bound';
 *
 * const verifier = noteVerifier('audit.example.jp/purpose-bound+1a2b3c4d+AX…');
 * ```
 */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * One signature line of a note.
 *
 * @example
 * ```ts
 * const { verified } = openNote(text, [verifier]);
 * verified[0]?.name; // 'audit.example.jp/purpose-bound'
 * ```
 */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** base64 of key id || signature, as in the note. */
  readonly base64: string;
}

/**
 * A note after {@link openNote}: its text and which signatures verified.
 *
 * @example
 * ```ts
 * const note: OpenedNote = openNote(text, [verifier]);
 * if (note.verified.length > 0) use(note.text);
 * ```
 */
export interface OpenedNote {
  readonly text: string;
  /** Signatures by one of the verifiers, checked. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys not among the verifiers (not checked). */
  readonly unverified: readonly NoteSignature[];
}

/** C2SP: a key name is non-empty, has no Unicode space and no `+`. */
function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.length === 0 || /[\s+\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name) || name.length > 256) {
    throw new CheckpointError(`${what} must be 1-256 characters without spaces or '+'`);
  }
  return name;
}

/**
 * The key id of an Ed25519 note key: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key), big-endian.
 *
 * @example
 * ```ts
 * import { noteKeyId } from 'purpose-bound';
 *
 * noteKeyId('PeterNeumann', publicKey).toString(16); // 'c74f20a3' for Go's test key
 * ```
 */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  return keyIdFor(name, ALG_ED25519, publicKey);
}

/** @internal the key id of a key of signature type `alg`: SHA-256(name || 0x0A || alg || key)[:4], big-endian. */
export function keyIdFor(name: string, alg: number, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, alg]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

function verifierKeyOf(name: string, publicKey: Uint8Array): string {
  return `${name}+${hex8(noteKeyId(name, publicKey))}+${Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]).toString('base64')}`;
}

/**
 * Generate an Ed25519 key pair for signing notes, named `name` (for checkpoints, by
 * convention the log's origin).
 *
 * @throws CheckpointError when the name has spaces or `+`
 * @example
 * ```ts
 * const { signerKey, verifierKey } = generateNoteKeys('audit.example.jp/purpose-bound');
 * ```
 */
export function generateNoteKeys(name: string): NoteKeys {
  checkName(name, 'the key name');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const seed = der.subarray(der.length - 32);
  const pub = rawPublicKey(publicKey);
  const id = hex8(noteKeyId(name, pub));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`,
    verifierKey: verifierKeyOf(name, pub),
  };
}

/** @internal split `name+hex8+base64(alg || 32-byte key)` (the name may not hold `+`). */
export function splitKey(text: string, what: string, alg: number = ALG_ED25519): { name: string; id: number; key: Buffer } {
  // The base64 key may itself contain '+': split at the first two only.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new CheckpointError(`${what} must be name+keyid+key`);
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  const b64 = text.slice(second + 1);
  checkName(name, `the name in ${what}`);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new CheckpointError(`the key id in ${what} must be 8 lowercase hex digits`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new CheckpointError(`the key in ${what} must be base64`);
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 33 || key[0] !== alg || key.toString('base64') !== b64)
    throw new CheckpointError(`${what} must hold an Ed25519 key (0x${alg.toString(16).padStart(2, '0')} and 32 bytes)`);
  return { name, id: Number.parseInt(id, 16), key: key.subarray(1) };
}

/**
 * A signer from its signer key (`PRIVATE+KEY+…`, as {@link generateNoteKeys} or Go's
 * `note.GenerateKey` write it).
 *
 * @throws CheckpointError when the key is malformed or its key id does not match
 * @example
 * ```ts
 * const signer = noteSigner(process.env.AUDIT_SIGNER_KEY!);
 * ```
 */
export function noteSigner(signerKey: string): NoteSigner {
  if (typeof signerKey !== 'string' || !signerKey.startsWith('PRIVATE+KEY+')) throw new CheckpointError('a signer key must start with PRIVATE+KEY+');
  const { name, id, key: seed } = splitKey(signerKey.slice('PRIVATE+KEY+'.length), 'the signer key');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const pub = rawPublicKey(createPublicKey(privateKey));
  if (noteKeyId(name, pub) !== id) throw new CheckpointError('the signer key id does not match its key');
  return Object.freeze({
    name,
    keyId: id,
    verifierKey: verifierKeyOf(name, pub),
    sign: (message: Uint8Array) => new Uint8Array(sign(null, message, privateKey)),
  });
}

/**
 * A verifier from its verifier key (`name+keyid+base64`).
 *
 * @throws CheckpointError when the key is malformed or its key id does not match
 * @example
 * ```ts
 * const verifier = noteVerifier('audit.example.jp/purpose-bound+1a2b3c4d+AX…');
 * ```
 */
export function noteVerifier(verifierKey: string): NoteVerifier {
  if (typeof verifierKey !== 'string') throw new CheckpointError('a verifier key must be a string');
  const { name, id, key } = splitKey(verifierKey, 'the verifier key');
  if (noteKeyId(name, key) !== id) throw new CheckpointError('the verifier key id does not match its key');
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key]), format: 'der', type: 'spki' });
  return Object.freeze({
    name,
    keyId: id,
    verify: (message: Uint8Array, signature: Uint8Array) => signature.length === 64 && verify(null, message, publicKey, signature),
  });
}

/** C2SP: the text is UTF-8 without control characters but newline, ends with one, has no blank line. */
function checkText(text: string): void {
  if (typeof text !== 'string' || text.length === 0 || !text.endsWith('\n')) throw new CheckpointError('a note text must end with a newline');
  if (text.includes('\n\n') || text.startsWith('\n')) throw new CheckpointError('a note text must not contain a blank line');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new CheckpointError('a note text must not contain control characters');
  if (/[\ud800-\udfff]/u.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) throw new CheckpointError('a note text must be valid UTF-8');
}

/**
 * Sign `text` (which must end with a newline) and return the signed note.
 *
 * @throws CheckpointError for a malformed text
 * @example
 * ```ts
 * const note = signNote('example.com/log\n3\nq7…=\n', [signer]);
 * ```
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  if (!Array.isArray(signers) || signers.length === 0) throw new CheckpointError('a note needs at least one signer');
  const message = Buffer.from(text, 'utf8');
  let out = `${text}\n`;
  for (const s of signers) {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(s.keyId);
    out += `\u2014 ${s.name} ${Buffer.concat([id, Buffer.from(s.sign(message))]).toString('base64')}\n`;
  }
  return out;
}

/**
 * Open a signed note: split text and signatures, check those by `verifiers`. At least one must
 * verify; a signature by a known key that does not verify is an error.
 *
 * @throws CheckpointError when malformed, when no signature is by a verifier, or when one by a verifier is invalid
 * @example
 * ```ts
 * const { text } = openNote(received, [noteVerifier(trustedKey)]);
 * ```
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (typeof note !== 'string') throw new CheckpointError('a signed note must be a string');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new CheckpointError('a signed note needs a blank line before its signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw new CheckpointError('the signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new CheckpointError(`a note may carry at most ${MAX_SIGNATURES} signatures`);
  const message = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (m === null) throw new CheckpointError('a signature line must be "— <name> <base64>"');
    const [, name, b64] = m as unknown as [string, string, string];
    checkName(name, 'a signature name');
    const raw = Buffer.from(b64, 'base64');
    if (raw.length < 5 || raw.toString('base64') !== b64) throw new CheckpointError('a signature must be base64 of a key id and a signature');
    const keyId = raw.readUInt32BE(0);
    const sig: NoteSignature = Object.freeze({ name, keyId, base64: b64 });
    const matching = verifiers.filter((v) => v.name === name && v.keyId === keyId);
    if (matching.length === 0) {
      unverified.push(sig);
      continue;
    }
    if (!matching.some((v) => v.verify(message, raw.subarray(4)))) throw new CheckpointError(`the signature by ${name} does not verify`);
    const key = `${name}+${keyId}`;
    if (!seen.has(key)) verified.push(sig);
    seen.add(key);
  }
  if (verified.length === 0) throw new CheckpointError('no signature by a trusted key');
  return Object.freeze({ text, verified: Object.freeze(verified), unverified: Object.freeze(unverified) });
}
