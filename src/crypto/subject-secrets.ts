/**
 * Per-subject erasure secrets, kept OUTSIDE the database. The local keyring mixes a subject's
 * secret into the key that wraps its data key; destroying the secret (on `vault.erase`) makes
 * the subject's data unreadable everywhere, including database backups taken before the
 * erasure. This is what makes crypto-shredding hold against a stolen or restored backup.
 *
 * Gotchas: a backup of the secret store itself, taken before the erasure, restores the
 * ability to decrypt; keep the store out of database backups, or back it up with a short
 * retention. File deletion is not secure deletion on journaling or copy-on-write file systems
 * and SSDs: protect the store's volume accordingly (e.g. an encrypted volume you can retire).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, KeyUnavailableError } from '../errors.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { sha256Hex } from '../util/sha256.js';

const SECRET_BYTES = 32;

/**
 * Where per-subject erasure secrets live. Implement it over a KMS, a separate database or a
 * secrets manager: anything that is not backed up together with the personal data.
 *
 * @example
 * ```ts
 * const secrets: SubjectSecretStore = fileSubjectSecrets('/var/lib/my-service/subject-secrets');
 * const keyring = createLocalKeyring({ keys: { 'kek-1': kek }, current: 'kek-1', subjectSecrets: secrets });
 * ```
 */
export interface SubjectSecretStore {
  /** Does the store outlive the process? A persistent database needs a persistent store. */
  readonly persistent: boolean;
  /** The subject's secret, or `undefined` when it never existed or was destroyed. */
  get(subject: string): MaybePromise<Uint8Array | undefined>;
  /** The subject's secret, created when absent. Concurrent calls must agree on one secret. */
  obtain(subject: string): MaybePromise<Uint8Array>;
  /** Destroy the subject's secret (idempotent). */
  destroy(subject: string): MaybePromise<void>;
}

/**
 * Secrets held in process memory: for tests, demos and in-memory databases. Everything
 * encrypted under them is unreadable after the process ends.
 *
 * @example
 * ```ts
 * const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', subjectSecrets: memorySubjectSecrets() });
 * ```
 */
export function memorySubjectSecrets(): SubjectSecretStore {
  const secrets = new Map<string, Uint8Array>();
  return Object.freeze({
    persistent: false,
    get: (subject: string) => secrets.get(subject),
    obtain(subject: string) {
      let s = secrets.get(subject);
      if (s === undefined) {
        s = new Uint8Array(randomBytes(SECRET_BYTES));
        secrets.set(subject, s);
      }
      return s;
    },
    destroy(subject: string) {
      secrets.get(subject)?.fill(0);
      secrets.delete(subject);
    },
  });
}

function isNodeError(e: unknown, code: string): boolean {
  return (e as { code?: unknown } | null)?.code === code;
}

/**
 * Secrets in a directory, one file per subject (named by a hash of the subject id, mode 0600),
 * shared safely by several processes: creation is atomic (`link`), so two writers never hold
 * different secrets for one subject. Nothing is cached, so an erasure by one process is
 * effective in every other at once.
 *
 * @param dir - the directory (created with mode 0700 when missing); keep it out of database backups
 * @throws InvalidArgumentError when `dir` is not a path
 * @throws KeyUnavailableError when the directory cannot be created
 * @example
 * ```ts
 * const keyring = createLocalKeyring({ keys, current: 'kek-1', subjectSecrets: fileSubjectSecrets('./keys/subjects') });
 * ```
 */
export function fileSubjectSecrets(dir: string): SubjectSecretStore {
  if (typeof dir !== 'string' || dir === '') throw new InvalidArgumentError('dir', 'must be a directory path');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    throw new KeyUnavailableError('subject-secrets', `cannot create the secret directory${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  const fileOf = (subject: string): string => join(dir, `${sha256Hex(`purpose-bound/subject-secret/v1\0${subject}`)}.key`);
  const read = async (file: string): Promise<Uint8Array | undefined> => {
    try {
      const bytes = await readFile(file);
      return bytes.length === SECRET_BYTES ? new Uint8Array(bytes) : undefined;
    } catch (e) {
      if (isNodeError(e, 'ENOENT')) return undefined;
      throw new KeyUnavailableError('subject-secrets', 'cannot read the secret store');
    }
  };
  return Object.freeze({
    persistent: true,
    get: (subject: string) => read(fileOf(subject)),
    async obtain(subject: string) {
      const file = fileOf(subject);
      const existing = await read(file);
      if (existing) return existing;
      const secret = randomBytes(SECRET_BYTES);
      const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, secret, { mode: 0o600, flag: 'wx', flush: true });
        try {
          await link(tmp, file);
        } catch (e) {
          if (!isNodeError(e, 'EEXIST')) throw e;
        }
      } catch {
        throw new KeyUnavailableError('subject-secrets', 'cannot write the secret store');
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      const stored = await read(file);
      if (!stored) throw new KeyUnavailableError('subject-secrets', 'the secret store lost a secret it just wrote');
      return stored;
    },
    async destroy(subject: string) {
      try {
        await unlink(fileOf(subject));
      } catch (e) {
        if (!isNodeError(e, 'ENOENT')) throw new KeyUnavailableError('subject-secrets', 'cannot delete from the secret store');
      }
    },
  });
}
