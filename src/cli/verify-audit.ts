/**
 * `purpose-bound verify-audit`: check the hash chain of an exported audit log (JSON Lines, one
 * entry per line, or a JSON array) and report the first broken link. Entries hold ids, purposes
 * and codes only; the report repeats none of a line's content, only its position.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { AuditEntry } from '../audit/audit-entry.js';
import { verifyAuditLog, type AuditBreak, type AuditVerification } from '../audit/verify-audit-log.js';
import { AuditFileError } from './errors.js';
import type { DisclosureAuditVerification } from '../audit/disclosure-proof.js';

/** Why a link is broken, in words. */
export const BREAK_REASONS: Readonly<Record<AuditBreak | 'not-json', string>> = {
  'hash-mismatch': "the entry's content no longer matches its hash (edited)",
  'prev-hash-mismatch': 'the entry does not follow the one before it (deleted, reordered or inserted)',
  'sequence-gap': 'a sequence number is missing or repeated (deleted or inserted)',
  'checkpoint-mismatch': 'the entries the checkpoint covers are not the ones it signed (rewritten, deleted, inserted or reordered before it)',
  truncated: 'the log is shorter than the checkpoint (entries removed from the end)',
  'tree-mismatch': 'the stored tree is not the tree of the entries',
  'head-mismatch': 'the last entry is not the expected head (entries removed from the end)',
  'not-json': 'the line is not a JSON object (corrupted or edited)',
};

/** Breaks found after reading every entry (no line to point at). */
const AFTER_THE_LAST: ReadonlySet<string> = new Set(['head-mismatch', 'checkpoint-mismatch', 'truncated', 'tree-mismatch']);

/** Result of verifying an audit file: the library's verification plus where in the file. */
export type AuditFileVerification =
  | (AuditVerification & { readonly valid: true })
  | {
      readonly valid: false;
      /** Entries before the broken one (they verify). */
      readonly entries: number;
      /** Index (0-based) of the first entry that does not verify. */
      readonly index: number;
      readonly seq: number | undefined;
      readonly reason: AuditBreak | 'not-json';
      /** 1-based line of the file (JSON Lines), `undefined` for a JSON array or a head mismatch. */
      readonly line: number | undefined;
      /** Hash of the last entry that verifies (the genesis hash when none does). */
      readonly lastGoodHash: string | undefined;
    };

/** The file's bytes in chunks (standard input for `-`). @throws AuditFileError when the file cannot be read */
async function* chunksOf(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  const source = file === '-' ? stdin : createReadStream(file);
  try {
    for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw new AuditFileError('<audit-file>', `must be a readable file or - for standard input; ${file} could not be read (${code})`);
  }
}

/** Where the JSON text starts: past whitespace and a byte order mark. */
function firstByte(buffers: readonly Buffer[]): number | undefined {
  for (const b of buffers) {
    for (let i = 0; i < b.length; i++) {
      const c = b[i] as number;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf) continue;
      return c;
    }
  }
  return undefined;
}

/** What reading a JSON Lines file found beside the entries. */
interface LineReading {
  /** 1-based line of each entry yielded, in order. */
  readonly lines: (number | undefined)[];
  /** Each entry's `hash` as read (for the last good hash before a break). */
  readonly hashes: unknown[];
  /** The first line that is not a JSON object, if any (reading stops there). */
  notJson: number | undefined;
}

/** Entries of a JSON Lines stream, parsed line by line as the bytes arrive (memory stays bounded by the chunk, not the file). */
async function* jsonLines(head: readonly Buffer[], rest: AsyncIterator<Buffer>, reading: LineReading): AsyncGenerator<AuditEntry> {
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  const parse = (bytes: Buffer, from: number, to: number): AuditEntry | undefined | null => {
    line++;
    const text = bytes.toString('utf8', from, to > from && bytes[to - 1] === 0x0d ? to - 1 : to);
    if (text.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    reading.lines.push(line);
    reading.hashes.push((parsed as { hash?: unknown }).hash);
    return parsed as AuditEntry;
  };
  const pending = [...head];
  for (;;) {
    let chunk = pending.shift();
    if (chunk === undefined) {
      const next = await rest.next();
      if (next.done === true) break;
      chunk = next.value;
    }
    const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let from = 0;
    for (let nl = bytes.indexOf(0x0a, from); nl >= 0; nl = bytes.indexOf(0x0a, from)) {
      const e = parse(bytes, from, nl);
      from = nl + 1;
      if (e === null) {
        reading.notJson = line;
        return;
      }
      if (e !== undefined) yield e;
    }
    carry = bytes.subarray(from);
  }
  if (carry.length > 0) {
    const e = parse(carry, 0, carry.length);
    if (e === null) reading.notJson = line;
    else if (e !== undefined) yield e;
  }
}

/** Breaks at an entry (reported even when a later line is not JSON). */
const AT_AN_ENTRY: ReadonlySet<string> = new Set(['hash-mismatch', 'prev-hash-mismatch', 'sequence-gap']);

/**
 * Parse and verify an exported audit log. JSON Lines are read and verified as they arrive, so
 * a log of any size fits in memory; a JSON array is read whole.
 *
 * @throws AuditFileError when the file cannot be read or is a JSON document that is not an array
 */
export async function verifyAuditFile(
  file: string,
  options: { stdin: NodeJS.ReadableStream; expectedHead?: string | undefined; checkpoint?: string | undefined; verifierKey?: string | undefined },
): Promise<AuditFileVerification> {
  const verifyOptions = {
    ...(options.expectedHead !== undefined && { expectedHead: options.expectedHead }),
    ...(options.checkpoint !== undefined && { checkpoint: options.checkpoint }),
    ...(options.verifierKey !== undefined && { verifierKey: options.verifierKey }),
  };
  const chunks = chunksOf(file, options.stdin);
  // Read until the first character says which form this is.
  const head: Buffer[] = [];
  let first: number | undefined;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) break;
    head.push(next.value);
    first = firstByte(head);
    if (first !== undefined) break;
  }
  if (first === 0x5b /* [ */) {
    for await (const chunk of { [Symbol.asyncIterator]: () => chunks }) head.push(chunk);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(head).toString('utf8').trimStart());
    } catch {
      throw new AuditFileError('<audit-file>', 'starts with [ but is not a valid JSON array; export one entry per line (JSON Lines) or a JSON array');
    }
    if (!Array.isArray(parsed)) throw new AuditFileError('<audit-file>', 'must be JSON Lines or a JSON array of audit entries');
    const entries = parsed as AuditEntry[];
    const result = await verifyAuditLog(entries, verifyOptions);
    return result.valid ? result : located(result, { lines: entries.map(() => undefined), hashes: entries.map((e) => e?.hash) });
  }
  const reading: LineReading = { lines: [], hashes: [], notJson: undefined };
  const result = await verifyAuditLog(jsonLines(head, chunks, reading), verifyOptions);
  if (reading.notJson !== undefined) {
    // The entries before the bad line are checked; a break at one of them comes first.
    if (!result.valid && AT_AN_ENTRY.has(result.reason) && result.index < reading.lines.length) return located(result, reading);
    const count = reading.lines.length;
    const last = count === 0 ? '0'.repeat(64) : reading.hashes[count - 1];
    return { valid: false, entries: count, index: count, seq: undefined, reason: 'not-json', line: reading.notJson, lastGoodHash: typeof last === 'string' ? last : undefined };
  }
  return result.valid ? result : located(result, reading);
}

function located(result: AuditVerification & { valid: false }, reading: Pick<LineReading, 'lines' | 'hashes'>): AuditFileVerification {
  const previous = result.index > 0 ? reading.hashes[result.index - 1] : undefined;
  return {
    valid: false,
    entries: result.entries,
    index: result.index,
    seq: result.seq,
    reason: result.reason,
    line: AFTER_THE_LAST.has(result.reason) ? undefined : reading.lines[result.index],
    lastGoodHash: result.index === 0 ? '0'.repeat(64) : typeof previous === 'string' ? previous : undefined,
  };
}

/** One-paragraph report of a verification, for the terminal. */
export function formatAuditVerification(file: string, r: AuditFileVerification): string {
  const name = file === '-' ? 'standard input' : file;
  if (r.valid) {
    return (
      `audit log valid: ${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} in ${name}\nhead ${r.head}\nroot ${r.rootHash} (tree of ${r.entries})\n` +
      (r.legacyEntries > 0 ? `${r.legacyEntries} entries of the schema-1 hash chain, sealed as the first leaves\n` : '') +
      (r.checkpoint !== undefined
        ? `consistent with the signed checkpoint of ${r.checkpoint.size} ${r.checkpoint.size === 1 ? 'entry' : 'entries'} (root ${r.checkpoint.rootHash})\n`
        : 'warning: no checkpoint given: truncation and a rewritten log cannot be detected (use --checkpoint and --key)\n') +
      (r.entries === 0 ? 'warning: the log is empty\n' : '')
    );
  }
  const where = [`entry ${r.index + 1}`, r.seq !== undefined ? `seq ${r.seq}` : undefined, r.line !== undefined ? `line ${r.line}` : undefined]
    .filter((x) => x !== undefined)
    .join(', ');
  return (
    `audit log BROKEN in ${name}\n` +
    (AFTER_THE_LAST.has(r.reason) ? `after the last entry: ${r.reason}: ${BREAK_REASONS[r.reason]}\n` : `first broken link: ${where}: ${r.reason}: ${BREAK_REASONS[r.reason]}\n`) +
    `${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} before it verify${r.lastGoodHash ? `; last good hash ${r.lastGoodHash}` : ''}\n`
  );
}

/** One-paragraph report of a disclosure's audit proofs, for the terminal. */
export function formatDisclosureVerification(file: string, r: DisclosureAuditVerification): string {
  const c = r.checkpoint;
  const against = c === undefined ? '' : ` against the checkpoint of ${c.origin} at ${c.size} entries (root ${c.rootHash})`;
  if (r.valid) {
    return `disclosure audit proofs valid: ${r.proven} ${r.proven === 1 ? 'entry is' : 'entries are'} in the signed log as shown${against}\n`;
  }
  return (
    `disclosure audit proofs FAILED in ${file}: ${r.failures.length} of ${r.failures.length + r.proven} entries not proven${against}\n` +
    r.failures.map((f) => `  entry seq ${f.seq ?? '?'}: ${f.problem}\n`).join('')
  );
}
