/**
 * `purpose-bound verify-audit`: check the hash chain of an exported audit log (JSON Lines, one
 * entry per line, or a JSON array) and report the first broken link. Entries hold ids, purposes
 * and codes only; the report repeats none of a line's content, only its position.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
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

async function readSource(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
    throw new AuditFileError('<audit-file>', `must be a readable file or - for standard input; ${file} could not be read (${code})`);
  }
}

/**
 * Parse and verify an exported audit log.
 *
 * @throws AuditFileError when the file cannot be read or is a JSON document that is not an array
 */
export async function verifyAuditFile(
  file: string,
  options: { stdin: NodeJS.ReadableStream; expectedHead?: string | undefined; checkpoint?: string | undefined; verifierKey?: string | undefined },
): Promise<AuditFileVerification> {
  const source = await readSource(file, options.stdin);
  const entries: AuditEntry[] = [];
  const lines: (number | undefined)[] = [];
  const trimmed = source.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new AuditFileError('<audit-file>', 'starts with [ but is not a valid JSON array; export one entry per line (JSON Lines) or a JSON array');
    }
    if (!Array.isArray(parsed)) throw new AuditFileError('<audit-file>', 'must be JSON Lines or a JSON array of audit entries');
    for (const e of parsed) {
      entries.push(e as AuditEntry);
      lines.push(undefined);
    }
  } else {
    const all = source.split(/\r?\n/);
    for (let i = 0; i < all.length; i++) {
      const line = all[i] ?? '';
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        // Verify what comes before, then report this line as the first break.
        const before = await verifyAuditLog(entries);
        if (!before.valid) return located(before, lines, entries);
        return { valid: false, entries: entries.length, index: entries.length, seq: undefined, reason: 'not-json', line: i + 1, lastGoodHash: before.head };
      }
      entries.push(parsed as AuditEntry);
      lines.push(i + 1);
    }
  }
  const result = await verifyAuditLog(entries, {
    ...(options.expectedHead !== undefined && { expectedHead: options.expectedHead }),
    ...(options.checkpoint !== undefined && { checkpoint: options.checkpoint }),
    ...(options.verifierKey !== undefined && { verifierKey: options.verifierKey }),
  });
  return result.valid ? result : located(result, lines, entries);
}

function located(result: AuditVerification & { valid: false }, lines: readonly (number | undefined)[], entries: readonly AuditEntry[]): AuditFileVerification {
  const previous = result.index > 0 ? entries[result.index - 1] : undefined;
  return {
    valid: false,
    entries: result.entries,
    index: result.index,
    seq: result.seq,
    reason: result.reason,
    line: AFTER_THE_LAST.has(result.reason) ? undefined : lines[result.index],
    lastGoodHash: result.index === 0 ? '0'.repeat(64) : typeof previous?.hash === 'string' ? previous.hash : undefined,
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
