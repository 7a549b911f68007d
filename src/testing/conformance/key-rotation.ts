/**
 * Conformance part `key-rotation`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLocalKeyring } from '../../crypto/local-keyring.js';
import { KEK_1, KEK_2, INDEX_KEY, expectCode, type SuiteContext } from './support.js';

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
}
