/**
 * Conformance part `key-rotation`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLocalKeyring } from '../../crypto/local-keyring.js';
import type { SubjectRow } from '../../storage/adapter.js';
import { KEK_1, KEK_2, INDEX_KEY, expectCode, kekOnlyKeyring, suiteKeyring, type SuiteContext } from './support.js';

/** Registers the tests of the `key-rotation` part (called inside its `describe` block). */
export function keyRotationPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('rotateKeys re-wraps data keys with the current KEK without re-encrypting values; the old KEK can then be removed', async () => {
    await withAdapter(async (adapter) => {
      const oldRing = createLocalKeyring({ keys: { 'kek-1': KEK_1 }, current: 'kek-1', indexKey: INDEX_KEY });
      const v1 = await vaultOn(adapter, oldRing);
      const email = `rot.${randomBytes(4).toString('hex')}@example.jp`;
      const { subject } = await v1.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'rotated', email } });
      const [before] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      const both = createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY });
      const v2 = await vaultOn(adapter, both);
      const { rewrapped, failed } = await v2.rotateKeys({ actor: 'ops' });
      expect(rewrapped).toBeGreaterThanOrEqual(1);
      expect(failed.map((f) => f.subject)).not.toContain(subject);
      const row = await adapter.transaction((tx) => tx.getSubject(subject));
      expect(row?.keyId).toBe('kek-2');
      const [after] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      expect(Buffer.from(after?.ciphertext ?? []).equals(Buffer.from(before?.ciphertext ?? [1]))).toBe(true);
      const newOnly = await vaultOn(adapter, createLocalKeyring({ keys: { 'kek-2': KEK_2 }, current: 'kek-2', indexKey: INDEX_KEY }));
      expect(await newOnly.read(subject, 'text', { purpose: 'service', actor: 'c' })).toBe('rotated');
      expect(await newOnly.findByLookup('email', email)).toEqual([subject]);
      await expectCode(v1.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'KEY_UNAVAILABLE');
      expect((await v2.rotateKeys({ actor: 'ops' })).rewrapped).toBe(0);
      expect((await v2.audit.entries({ action: 'keys.rotate' })).length).toBeGreaterThanOrEqual(2);
      // Back to kek-1 so later parts (and later runs) find the suite's usual state.
      await vaultOn(adapter, createLocalKeyring({ keys: { 'kek-1': KEK_1, 'kek-2': KEK_2 }, current: 'kek-1', indexKey: INDEX_KEY })).then((v) => v.rotateKeys({ actor: 'ops' }));
    });
  });

  it('a data key wrapped by the KEK alone (before a subject-secret store) is erased live-only until rotateKeys re-wraps it backup-proof', async () => {
    await withAdapter(async (adapter) => {
      const old = await vaultOn(adapter, kekOnlyKeyring());
      const { subject: early } = await old.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'early, not rotated' } });
      const { subject: upgraded } = await old.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'early, rotated' } });
      const vault = await vaultOn(adapter); // the suite's keyring: backup-proof
      // Erased before any rotation: the erasure entry says what the subject actually had.
      await vault.erase(early, { actor: 'dpo', reference: 'req-early' });
      const [earlyEntry] = await vault.audit.entries({ subject: early, action: 'erase' });
      expect(earlyEntry?.details?.['keyring']).toBe('live-only');
      // rotateKeys re-wraps the KEK-only key even though kek-1 is already current.
      const before = (await adapter.transaction((tx) => tx.getSubject(upgraded))) as SubjectRow;
      const { rewrapped } = await vault.rotateKeys({ actor: 'ops' });
      expect(rewrapped).toBeGreaterThanOrEqual(1);
      const backup = (await adapter.transaction((tx) => tx.getSubject(upgraded))) as SubjectRow; // a backup taken after the upgrade
      expect(backup.keyId).toBe('kek-1');
      expect(Buffer.from(backup.wrappedKey ?? []).equals(Buffer.from(before.wrappedKey ?? []))).toBe(false);
      expect(await vault.read(upgraded, 'text', { purpose: 'service', actor: 'c' })).toBe('early, rotated');
      await vault.erase(upgraded, { actor: 'dpo', reference: 'req-upgraded' });
      const [entry] = await vault.audit.entries({ subject: upgraded, action: 'erase' });
      expect(entry?.details?.['keyring']).toBe('backup-proof');
      // The backup's wrapped key no longer unwraps: the subject's secret is gone.
      const ring = suiteKeyring();
      await expect(Promise.resolve().then(() => ring.unwrapKey(backup.keyId, backup.wrappedKey as Uint8Array, upgraded))).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
      // A copy from BEFORE the re-wrap still unwraps with kek-1: retire it (rotate to kek-2, remove kek-1) to defeat those.
      expect(await Promise.resolve(kekOnlyKeyring().unwrapKey(before.keyId, before.wrappedKey as Uint8Array, upgraded))).toHaveLength(32);
    });
  });
}
