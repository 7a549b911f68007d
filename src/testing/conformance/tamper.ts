/**
 * Conformance part `tamper`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import type { SubjectRow, ValueRow } from '../../storage/adapter.js';
import { expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `tamper` part (called inside its `describe` block). */
export function tamperPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('one flipped byte in a stored ciphertext → IntegrityError, no value', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'untouched', count: 42 } });
      const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      const flipped = new Uint8Array(row?.ciphertext ?? []);
      const i = flipped.length - 1;
      flipped[i] = (flipped[i] as number) ^ 0x01;
      await adapter.transaction((tx) => tx.putValue({ ...(row as ValueRow), ciphertext: flipped }));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await expectCode(vault.readAll(subject, { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // The untouched field still reads.
      expect(await vault.read(subject, 'count', { purpose: 'service', actor: 'c' })).toBe(42);
      // Erasure needs no key: it also clears the damage for later parts on a shared database.
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a ciphertext swapped between subjects or between fields → IntegrityError', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject: a } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Alice', email: 'alice@example.jp' } });
      const { subject: b } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Bob', email: 'bob@example.jp' } });
      const [aText] = await adapter.transaction((tx) => tx.getValues(a, ['text']));
      const [aEmail] = await adapter.transaction((tx) => tx.getValues(a, ['email']));
      // a's text ciphertext under b's text.
      await adapter.transaction((tx) => tx.putValue({ ...(aText as ValueRow), subjectId: b }));
      await expectCode(vault.read(b, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // a's e-mail ciphertext under a's text (same subject, same key, other field).
      await adapter.transaction((tx) => tx.putValue({ ...(aEmail as ValueRow), field: 'text' }));
      await expectCode(vault.read(a, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // a wrapped data key moved to another subject does not unwrap either.
      const rowA = await adapter.transaction((tx) => tx.getSubject(a));
      const rowB = await adapter.transaction((tx) => tx.getSubject(b));
      await adapter.transaction((tx) => tx.updateSubject({ ...(rowB as SubjectRow), wrappedKey: rowA?.wrappedKey ?? null, version: (rowB?.version ?? 0) + 1 }, rowB?.version ?? 0));
      await expectCode(vault.read(b, 'email', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      for (const s of [a, b]) await vault.erase(s, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a tampered wrapped data key → IntegrityError; an unknown KEK id → KeyUnavailableError', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'k' } });
      const row = (await adapter.transaction((tx) => tx.getSubject(subject))) as SubjectRow;
      const wrapped = new Uint8Array(row.wrappedKey ?? []);
      wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] as number) ^ 0x80;
      await adapter.transaction((tx) => tx.updateSubject({ ...row, wrappedKey: wrapped, version: row.version + 1 }, row.version));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await adapter.transaction((tx) => tx.updateSubject({ ...row, keyId: 'kek-9', version: row.version + 2 }, row.version + 1));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'KEY_UNAVAILABLE');
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });
}
