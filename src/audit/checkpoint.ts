/**
 * Checkpoints of the audit log in the C2SP `tlog-checkpoint` format, signed as C2SP signed
 * notes: the origin (a unique name of the log), the tree size in decimal, the root hash in
 * base64, optional extension lines, each ending in a newline; then the signatures.
 *
 * ```text
 * audit.example.jp/purpose-bound
 * 1024
 * 6pOJsb4s7bU0Dk3XmRz9Qm8h8b1+Yz8dIq0mO3h1qkE=
 *
 * — audit.example.jp/purpose-bound Az3grl…
 * ```
 *
 * @module
 */
import { CheckpointError } from './errors.js';
import { noteVerifier, openNote, signNote, type NoteSigner, type NoteVerifier, type OpenedNote } from './signed-note.js';

/**
 * A checkpoint's contents: which log, how many entries, the tree's root.
 *
 * @example
 * ```ts
 * import type { Checkpoint } from 'purpose-bound';
 *
 * const c: Checkpoint = { origin: 'audit.example.jp/purpose-bound', size: 1024, rootHash: '6e34…', extensions: [] };
 * ```
 */
export interface Checkpoint {
  /** Unique name of the log, e.g. `audit.example.jp/purpose-bound` (no spaces). */
  readonly origin: string;
  /** Number of entries the checkpoint covers. */
  readonly size: number;
  /** Root hash of the tree of `size` entries, hex (base64 in the note). */
  readonly rootHash: string;
  /** Extension lines after the root (opaque here). */
  readonly extensions: readonly string[];
}

/**
 * A checkpoint with the signed note it came from (what to keep and to hand on).
 *
 * @example
 * ```ts
 * const trusted: SignedCheckpoint = openCheckpoint(noteText, { verifierKey });
 * trusted.note; // the exact text, signatures included
 * ```
 */
export interface SignedCheckpoint extends Checkpoint {
  readonly note: string;
}

/**
 * Options of {@link openCheckpoint}.
 *
 * @example
 * ```ts
 * const options: OpenCheckpointOptions = { verifierKey: 'audit.example.jp/purpose-bound+1a2b3c4d+AX…', origin: 'audit.example.jp/purpose-bound' };
 * ```
 */
export interface OpenCheckpointOptions {
  /** The log's verifier key, or several (key rotation; a witness's cosignature is not required). */
  readonly verifierKey: string | readonly string[];
  /** The origin the checkpoint must name. Default: the name of the key that signed it. */
  readonly origin?: string;
}

function checkOrigin(origin: unknown): string {
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > 256 || /\s/u.test(origin)) {
    throw new CheckpointError('the origin must be 1-256 characters without spaces');
  }
  return origin;
}

/**
 * The checkpoint body (the note text that is signed).
 *
 * @throws CheckpointError for a malformed checkpoint
 * @example
 * ```ts
 * formatCheckpoint({ origin: 'example.com/log', size: 0, rootHash: EMPTY_TREE_ROOT, extensions: [] });
 * // 'example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'
 * ```
 */
export function formatCheckpoint(c: Checkpoint): string {
  checkOrigin(c?.origin);
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new CheckpointError('the size must be a non-negative integer');
  if (typeof c.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.rootHash)) throw new CheckpointError('the root hash must be 64 lowercase hex digits');
  const ext = c.extensions ?? [];
  for (const line of ext) if (typeof line !== 'string' || line.length === 0 || line.includes('\n')) throw new CheckpointError('an extension line must be non-empty, one line');
  return `${c.origin}\n${c.size}\n${Buffer.from(c.rootHash, 'hex').toString('base64')}\n${ext.map((l) => `${l}\n`).join('')}`;
}

/**
 * Parse a checkpoint body (without signatures).
 *
 * @throws CheckpointError when it is not a C2SP checkpoint
 * @example
 * ```ts
 * parseCheckpoint('example.com/log\n3\nq7…=\n').size; // 3
 * ```
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new CheckpointError('a checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError('a checkpoint has an origin, a size and a root hash line');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  checkOrigin(origin);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) throw new CheckpointError('the size line must be a decimal number without leading zeros');
  const rootBytes = Buffer.from(root, 'base64');
  if (rootBytes.length !== 32 || rootBytes.toString('base64') !== root) throw new CheckpointError('the root hash line must be the base64 of 32 bytes');
  for (const l of extensions) if (l.length === 0) throw new CheckpointError('a checkpoint must not contain a blank line');
  return Object.freeze({ origin, size: Number(size), rootHash: rootBytes.toString('hex'), extensions: Object.freeze(extensions) });
}

/**
 * Sign a checkpoint: its body as a signed note.
 *
 * @throws CheckpointError for a malformed checkpoint
 * @example
 * ```ts
 * const note = signCheckpoint({ origin, size: head.size, rootHash, extensions: [] }, noteSigner(signerKey));
 * ```
 */
export function signCheckpoint(c: Checkpoint, signer: NoteSigner | readonly NoteSigner[]): SignedCheckpoint {
  const body = formatCheckpoint(c);
  const note = signNote(body, Array.isArray(signer) ? signer : [signer as NoteSigner]);
  return Object.freeze({ ...parseCheckpoint(body), note });
}

/**
 * Open a signed checkpoint: check the signature by one of the trusted keys and the origin,
 * parse the body.
 *
 * @throws CheckpointError when malformed, unsigned by a trusted key, badly signed, or of another origin
 * @example
 * ```ts
 * const trusted = openCheckpoint(await readFile('audit.checkpoint', 'utf8'), { verifierKey });
 * ```
 */
export function openCheckpoint(note: string, options: OpenCheckpointOptions): SignedCheckpoint & { readonly signedBy: OpenedNote['verified'] } {
  if (typeof options !== 'object' || options === null) throw new CheckpointError('options with a verifierKey are required');
  const keys = typeof options.verifierKey === 'string' ? [options.verifierKey] : options.verifierKey;
  if (!Array.isArray(keys) || keys.length === 0) throw new CheckpointError('at least one verifier key is required');
  const verifiers: NoteVerifier[] = keys.map((k) => noteVerifier(k));
  const opened = openNote(note, verifiers);
  const c = parseCheckpoint(opened.text);
  const origin = options.origin ?? opened.verified[0]?.name;
  if (c.origin !== origin) throw new CheckpointError('the checkpoint is of another log (origin)');
  return Object.freeze({ ...c, note, signedBy: opened.verified });
}
