/**
 * Crypto-shredding against backups (issue 4): copy the SQLite file and the PGlite data
 * directory, erase a subject, then open the OLD copy with the current keyring: the erased
 * subject's values cannot be read, the other subjects' still can.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, fileSubjectSecrets, generateKey, isPurposeBoundError, memorySubjectSecrets, type StorageAdapter } from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const root = mkdtempSync(join(tmpdir(), 'pb-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const kek = generateKey();
const keyringFor = (dir: string) => createLocalKeyring({ keys: { 'kek-1': kek }, current: 'kek-1', subjectSecrets: fileSubjectSecrets(dir) });

const values = (n: number) => ({
  name: `Backup Person ${n}`,
  email: `backup.person.${n}@example.jp`,
  dateOfBirth: '1990-01-0' + n,
  address: `${n}-1 Chiyoda, Tokyo`,
  phone: `03-1234-567${n}`,
});

async function roundTrip(kind: string, open: (where: string) => StorageAdapter, copy: (from: string, to: string) => void, live: string, backup: string) {
  const secrets = join(root, `${kind}-secrets`);
  const vault = await createVault({ policy: ji4pePolicy, adapter: open(live), keyring: keyringFor(secrets) });
  expect(vault.adapter.capabilities.persistent).toBe(true);
  const a = (await vault.collect({ collectionPoint: 'courseApplication', actor: 'test', values: values(1) })).subject;
  const b = (await vault.collect({ collectionPoint: 'courseApplication', actor: 'test', values: values(2) })).subject;
  await vault.close();
  copy(live, backup); // the backup, taken before the erasure

  const again = await createVault({ policy: ji4pePolicy, adapter: open(live), keyring: keyringFor(secrets) });
  await again.erase(a, { actor: 'dpo', reference: 'request-1' });
  await expect(again.read(a, 'email', { purpose: 'contact', actor: 'test' })).rejects.toSatisfy((e) => isPurposeBoundError(e, 'SUBJECT_ERASED'));
  await again.close();

  // The old copy, opened with the current keyring (same KEK, same secret store).
  const old = await createVault({ policy: ji4pePolicy, adapter: open(backup), keyring: keyringFor(secrets) });
  const err = await old.read(a, 'email', { purpose: 'contact', actor: 'test' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPurposeBoundError(err, 'KEY_UNAVAILABLE')).toBe(true);
  expect(String((err as Error).message)).not.toContain('backup.person.1');
  // The subject that was not erased is intact in the backup.
  expect(await old.read(b, 'email', { purpose: 'contact', actor: 'test' })).toBe('backup.person.2@example.jp');
  await old.close();
}

describe('erasure defeats backups taken before it (backup-proof keyring)', () => {
  it('SQLite file copied before erasure cannot decrypt the erased subject', async () => {
    await roundTrip(
      'sqlite',
      (file) => sqliteAdapter({ filename: file }),
      (from, to) => {
        cpSync(from, to);
        for (const ext of ['-wal', '-shm']) {
          try {
            cpSync(from + ext, to + ext);
          } catch {
            /* no WAL file after a clean close */
          }
        }
      },
      join(root, 'live.sqlite'),
      join(root, 'backup.sqlite'),
    );
  });

  it('PGlite data directory copied before erasure cannot decrypt the erased subject', async () => {
    await roundTrip(
      'pglite',
      (dir) => pgliteAdapter({ dataDir: dir }),
      (from, to) => cpSync(from, to, { recursive: true }),
      join(root, 'live-pgdata'),
      join(root, 'backup-pgdata'),
    );
  });
});

describe('keyring erasure guarantees', () => {
  it('reports backup-proof with a secret store and live-only without', () => {
    expect(createLocalKeyring({ keys: { k: kek }, current: 'k', subjectSecrets: memorySubjectSecrets() }).erasure).toBe('backup-proof');
    expect(createLocalKeyring({ keys: { k: kek }, current: 'k' }).erasure).toBe('live-only');
  });

  it('without a secret store, a backup stays readable after erasure (documented limit, proven here)', async () => {
    const live = join(root, 'liveonly.sqlite');
    const backup = join(root, 'liveonly-backup.sqlite');
    const keyring = createLocalKeyring({ keys: { 'kek-1': kek }, current: 'kek-1' });
    const vault = await createVault({ policy: ji4pePolicy, adapter: sqliteAdapter({ filename: live }), keyring });
    const a = (await vault.collect({ collectionPoint: 'courseApplication', actor: 'test', values: values(3) })).subject;
    await vault.close();
    cpSync(live, backup);
    const again = await createVault({ policy: ji4pePolicy, adapter: sqliteAdapter({ filename: live }), keyring });
    await again.erase(a, { actor: 'dpo', reference: 'r' });
    await again.close();
    const old = await createVault({ policy: ji4pePolicy, adapter: sqliteAdapter({ filename: backup }), keyring });
    expect(await old.read(a, 'email', { purpose: 'contact', actor: 'test' })).toBe('backup.person.3@example.jp');
    await old.close();
  });

  it('the file secret store agrees on one secret under concurrent creation and forgets on destroy', async () => {
    const store = fileSubjectSecrets(join(root, 'concurrent'));
    const other = fileSubjectSecrets(join(root, 'concurrent'));
    const [x, y] = await Promise.all([store.obtain('s-1'), other.obtain('s-1')]);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(true);
    await store.destroy('s-1');
    expect(await other.get('s-1')).toBeUndefined();
    await store.destroy('s-1'); // idempotent
  });
});
