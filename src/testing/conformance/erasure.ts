/**
 * Conformance part `erasure`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { createLocalKeyring } from '../../crypto/local-keyring.js';
import type { ValueRow } from '../../storage/adapter.js';
import { KEK_2, INDEX_KEY, distinctiveValues, expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `erasure` part (called inside its `describe` block). */
export function erasurePart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('erase crypto-shreds: key and values gone, tombstone stays, reads fail, second erase fails', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const values = distinctiveValues();
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
      await vault.correct(subject, 'text', 'corrected', { actor: 'dpo', reason: 'r' });
      const [kept] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
      const text = vault.field(subject, 'text');
      const record = await vault.erase(subject, { actor: 'dpo', reference: 'req-9' });
      expect(record).toMatchObject({ subject, actor: 'dpo', reference: 'req-9' });
      expect(await vault.exists(subject)).toBe(true);
      expect(await vault.erasure(subject)).toEqual(record);
      await adapter.transaction(async (tx) => {
        expect(await tx.getSubject(subject)).toMatchObject({ wrappedKey: null, erasedAt: record.erasedAt, erasureRef: 'req-9' });
        expect(await tx.getValues(subject)).toEqual([]);
        expect(await tx.findByLookup('email', kept?.lookup ?? '')).not.toContain(subject);
      });
      // The earlier value in the history is unreadable at once and gone after the purge.
      expect(await vault.history(subject)).toEqual([]);
      expect((await vault.purgeErased()).subjects).toBeGreaterThanOrEqual(1);
      expect(await adapter.transaction((tx) => tx.listHistory(subject))).toEqual([]);
      expect((await vault.purgeErased()).rows).toBe(0);
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'SUBJECT_ERASED');
      await expectCode(vault.readAll(subject, { purpose: 'service', actor: 'c' }), 'SUBJECT_ERASED');
      await expectCode(vault.guard().read(text, { purpose: 'service', actor: 'c' }), 'SUBJECT_ERASED');
      await expectCode(vault.erase(subject, { actor: 'dpo', reference: 'again' }), 'ALREADY_ERASED');
      await expectCode(vault.collect({ subject, collectionPoint: 'form', actor: 'c', values: { text: 'x' } }), 'SUBJECT_ERASED');
      // A ciphertext copied before the erasure and put back cannot be decrypted: the key is gone.
      await adapter.transaction((tx) => tx.putValue(kept as ValueRow));
      await expectCode(vault.read(subject, 'email', { purpose: 'service', actor: 'c' }), 'SUBJECT_ERASED');
      expect((await vault.audit.entries({ subject, action: 'erase' })).length).toBe(1);
    });
  });

  it('a copy of the database taken before erasure is unreadable once the KEK is rotated and retired', async () => {
    await withAdapter(async (adapter) => {
      // The live database and its "backup" share the fixed suite keys; we model the backup by
      // keeping the subject row as it was before erasure.
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'backed up' } });
      const backupRow = await adapter.transaction((tx) => tx.getSubject(subject));
      const [backupValue] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      await vault.erase(subject, { actor: 'dpo', reference: 'req-backup' });
      // The backup still holds a wrapped key under kek-1. After rotation to kek-2 and removal
      // of kek-1 from the keyring, nothing can unwrap it.
      const retired = createLocalKeyring({ keys: { 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY });
      await expect(Promise.resolve().then(() => retired.unwrapKey(backupRow?.keyId ?? '', backupRow?.wrappedKey ?? new Uint8Array(), subject))).rejects.toMatchObject({
        code: 'KEY_UNAVAILABLE',
      });
      expect(backupValue?.ciphertext.length).toBeGreaterThan(0);
    });
  });
}
