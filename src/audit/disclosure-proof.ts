/**
 * Audit proofs in a disclosure (APPI Art. 33, GDPR Art. 15): for the audit entries about the
 * subject, a checkpoint signed when the disclosure was made and an inclusion proof of each
 * entry against it. The person (or anyone they hand the file to) checks offline, with the
 * log's verifier key, that every entry they were shown is in the signed log exactly as shown.
 *
 * Limit: inclusion proves that the entries shown are in the log and unaltered, not that no
 * other entry about the person exists. The entries between theirs belong to other people; a
 * proof of completeness would need a per-subject index committed in the checkpoint
 * (docs/security.md, "What the proofs do not show").
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { auditLeafData, type AuditEntry } from './audit-entry.js';
import { createAuditProofs } from './audit-proofs.js';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import type { Checkpointer } from './checkpointer.js';
import { hashLeaf, verifyInclusion } from './merkle.js';

/**
 * What a disclosure carries to prove its audit entries.
 *
 * @example
 * ```ts
 * const proof: DisclosureAuditProof | undefined = disclosure.auditProof;
 * proof?.checkpoint; // the signed note, C2SP tlog-checkpoint
 * ```
 */
export interface DisclosureAuditProof {
  readonly format: 'purpose-bound/audit-inclusion';
  /** The signed checkpoint (C2SP signed note) the proofs are against. */
  readonly checkpoint: string;
  /** The log's verifier key, for information: verify with a key you obtained independently. */
  readonly verifierKey: string;
  /** One proof per disclosed audit entry: sibling hashes (hex) from the leaf up. */
  readonly entries: readonly { readonly seq: number; readonly path: readonly string[] }[];
}

/**
 * @internal the audit proof of a disclosure's entries: a checkpoint signed now, and an
 * inclusion proof of each entry against it.
 */
export async function proveDisclosedAudit(adapter: StorageAdapter, entries: readonly AuditEntry[], checkpoints: Checkpointer): Promise<DisclosureAuditProof> {
  const checkpoint: SignedCheckpoint = await checkpoints.checkpoint();
  const proofs =
    entries.length === 0
      ? []
      : await createAuditProofs(adapter).inclusionMany(
          entries.map((e) => e.seq),
          checkpoint.size,
        );
  return Object.freeze({
    format: 'purpose-bound/audit-inclusion' as const,
    checkpoint: checkpoint.note,
    verifierKey: checkpoints.verifierKey,
    entries: Object.freeze(proofs.map((p) => Object.freeze({ seq: p.seq, path: p.path }))),
  });
}

/**
 * Result of {@link verifyDisclosureAudit}.
 *
 * @example
 * ```ts
 * const r: DisclosureAuditVerification = verifyDisclosureAudit(disclosure, { verifierKey });
 * if (!r.valid) console.error(r.failures);
 * ```
 */
export interface DisclosureAuditVerification {
  readonly valid: boolean;
  /** Entries proven to be in the signed log as shown. */
  readonly proven: number;
  /** The checkpoint they are proven against. */
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly rootHash: string } | undefined;
  /** Entries that are not proven, and why. */
  readonly failures: readonly { readonly seq: number | undefined; readonly problem: string }[];
}

/**
 * Check a disclosure's audit proofs offline: the checkpoint's signature under `verifierKey`
 * (a key you trust, not the one in the file), then each entry's inclusion, its leaf recomputed
 * from the entry as shown.
 *
 * @throws InvalidArgumentError when `disclosure` has no audit proof or `verifierKey` is missing
 * @throws CheckpointError when the checkpoint is not validly signed by `verifierKey`
 * @example
 * ```ts
 * const result = verifyDisclosureAudit(JSON.parse(await readFile('disclosure.json', 'utf8')), { verifierKey });
 * result.valid; // true: every audit entry shown is in the signed log, unaltered
 * ```
 */
export function verifyDisclosureAudit(
  disclosure: { readonly audit?: readonly AuditEntry[]; readonly auditProof?: DisclosureAuditProof },
  options: { readonly verifierKey: string | readonly string[]; readonly origin?: string },
): DisclosureAuditVerification {
  if (typeof disclosure !== 'object' || disclosure === null || !Array.isArray(disclosure.audit))
    throw new InvalidArgumentError('disclosure', 'must be a disclosure with an audit list');
  const proof = disclosure.auditProof;
  if (typeof proof !== 'object' || proof === null || typeof proof.checkpoint !== 'string' || !Array.isArray(proof.entries)) {
    throw new InvalidArgumentError('disclosure.auditProof', 'is missing: the disclosure was made without checkpoints configured');
  }
  if (options?.verifierKey === undefined) throw new InvalidArgumentError('options.verifierKey', 'is required: the key you trust for this log');
  const c = openCheckpoint(proof.checkpoint, { verifierKey: options.verifierKey, ...(options.origin !== undefined && { origin: options.origin }) });
  const bySeq = new Map<number, readonly string[]>();
  for (const p of proof.entries) if (typeof p?.seq === 'number' && Array.isArray(p.path)) bySeq.set(p.seq, p.path);
  const failures: { seq: number | undefined; problem: string }[] = [];
  let proven = 0;
  for (const e of disclosure.audit) {
    const seq = typeof e?.seq === 'number' ? e.seq : undefined;
    const path = seq === undefined ? undefined : bySeq.get(seq);
    if (seq === undefined || path === undefined) {
      failures.push({ seq, problem: 'no proof for this entry' });
      continue;
    }
    let leaf: Buffer;
    try {
      leaf = hashLeaf(auditLeafData(e));
    } catch {
      failures.push({ seq, problem: 'the entry is malformed' });
      continue;
    }
    if (!verifyInclusion(seq - 1, c.size, leaf, path, c.rootHash)) failures.push({ seq, problem: 'not in the signed log as shown (edited, or the proof is wrong)' });
    else proven++;
  }
  return Object.freeze({ valid: failures.length === 0, proven, checkpoint: { origin: c.origin, size: c.size, rootHash: c.rootHash }, failures: Object.freeze(failures) });
}
