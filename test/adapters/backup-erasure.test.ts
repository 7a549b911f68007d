/**
 * Crypto-shredding against old backups (issue 4): copy the SQLite file / PGlite data directory,
 * erase a subject through the vault, then open the OLD copy with the CURRENT keyring. The
 * erased subject's values must not be readable from the copy; another subject's values must
 * be (the copy is a working backup, so the test can fail).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, isPurposeBoundError, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey() });

async function scenario(open: (where: string) => StorageAdapter, live: string, backup: string, copy: () => void): Promise<void> {
  let vault = await createVault({ policy: ji4pePolicy, adapter: open(live), keyring });
  const erased = (await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'web', values: { name: '山田 花子', email: 'hanako@example.jp' } })).subject;
  const kept = (await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'web', values: { name: '佐藤 太郎', email: 'taro@example.jp' } })).subject;
  await vault.close();
  copy(); // the backup, taken before the erasure

  vault = await createVault({ policy: ji4pePolicy, adapter: open(live), keyring });
  await vault.erase(erased, { actor: 'dpo', reference: 'request-42' });
  await vault.close();

  const old = await createVault({ policy: ji4pePolicy, adapter: open(backup), keyring });
  try {
    const guard = old.guard();
    // the copy is a working backup: the other subject's value reads back
    expect(await guard.read(await old.read(kept, 'email'), { purpose: 'entrustedOperation', actor: 'restore-check' })).toBe('taro@example.jp');
    // the erased subject's values must be gone for good, even in the copy
    const outcome = await old.read(erased, 'email').then(
      async (field) => ({ read: await guard.read(field, { purpose: 'entrustedOperation', actor: 'restore-check' }) }),
      (error: unknown) => ({ error }),
    );
    expect(outcome, 'an erased subject is readable from a backup taken before the erasure').not.toHaveProperty('read');
    const { error } = outcome as { error: unknown };
    expect(isPurposeBoundError(error, 'KEY_UNAVAILABLE') || isPurposeBoundError(error, 'INTEGRITY_ERROR')).toBe(true);
  } finally {
    await old.close();
  }
}

describe('erasure reaches backups taken before it (crypto-shredding)', () => {
  it('sqlite: a copy of the file', async () => {
    const live = path.join(dir, 'live.db');
    const backup = path.join(dir, 'backup.db');
    await scenario(
      (filename) => sqliteAdapter({ filename }),
      live,
      backup,
      () => {
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(live + suffix)) cpSync(live + suffix, backup + suffix);
      },
    );
  });

  it('pglite: a copy of the data directory', async () => {
    const live = path.join(dir, 'live-pg');
    const backup = path.join(dir, 'backup-pg');
    await scenario((dataDir) => pgliteAdapter({ dataDir }), live, backup, () => cpSync(live, backup, { recursive: true }));
  }, 60_000);
});
