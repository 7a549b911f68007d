/**
 * Access codes: how a person who applied on the web proves, later, that a request is theirs.
 *
 * After a successful application the person is shown a random code once (128 bits, grouped for
 * reading). The app stores only its SHA-256 digest, as an adapter record mapping the digest to
 * the subject id; nothing personal. Presenting the code identifies the subject, and the
 * request desk's identity verifier (本人確認, APPI Art. 37) accepts a request only when the
 * presented code maps to the request's own subject. Whoever does not hold the code cannot name,
 * let alone see, anyone's data: there is no field to type someone else's e-mail into.
 *
 * Why not e-mail + date of birth through the blind index: both are often known to others
 * (family, colleagues, a leaked list), so they are weak evidence for a disclosure that hands
 * over every value held; they also match several subjects when one person applied twice.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IdentityVerifier, StorageAdapter } from 'purpose-bound';

const KIND = 'web-access-code';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

/** Evidence the verifier checks: the code the person typed. */
export interface AccessCodeEvidence {
  readonly code: string;
}

/** Normalise what a person typed: upper case, no spaces or dashes. */
export function normalizeCode(code: string): string {
  return code.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

function digest(code: string): string {
  return createHash('sha256')
    .update(`pb-web-access-code\0${normalizeCode(code)}`)
    .digest('hex');
}

/** Issue a new code for a subject; returns the code to show once (never stored, never logged). */
export async function issueAccessCode(adapter: StorageAdapter, subject: string): Promise<string> {
  const bytes = randomBytes(26);
  let code = '';
  for (const b of bytes) code += ALPHABET[b % 32];
  const id = digest(code);
  await adapter.transaction((tx) => tx.putRecord({ kind: KIND, id, subjectId: subject, createdAt: new Date().toISOString(), doc: '{}' }));
  return code.match(/.{1,5}/g)?.join('-') ?? code;
}

/** The subject a code belongs to, or `undefined`. */
export async function subjectOfCode(adapter: StorageAdapter, code: string): Promise<string | undefined> {
  if (typeof code !== 'string' || normalizeCode(code).length !== 26) return undefined;
  const row = await adapter.transaction((tx) => tx.getRecord(KIND, digest(code)));
  return row?.subjectId ?? undefined;
}

/** Forget every code of a subject (after erasure). */
export async function revokeAccessCodes(adapter: StorageAdapter, subject: string): Promise<void> {
  await adapter.transaction(async (tx) => {
    for (const row of await tx.listRecords(KIND, { subjectId: subject })) await tx.deleteRecord(KIND, row.id);
  });
}

/**
 * The request desk's identity verifier: the presented code must map to the request's subject.
 *
 * @param adapter - where the code digests live
 */
export function accessCodeVerifier(adapter: StorageAdapter): IdentityVerifier<AccessCodeEvidence> {
  return {
    method: 'web-access-code',
    async verify({ request, evidence }) {
      const subject = await subjectOfCode(adapter, evidence?.code ?? '');
      if (subject === undefined) return { verified: false, reason: 'code-unknown' };
      if (subject !== request.subject) return { verified: false, reason: 'subject-mismatch' };
      return { verified: true };
    },
  };
}
