/**
 * Conformance part `lookups`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `lookups` part (called inside its `describe` block). */
export function lookupsPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn, subjectRow, valueRow } = ctx;
  it('finds subjects by blind index (adapter level: field + digest)', async () => {
    await withAdapter(async (adapter) => {
      const a = subjectRow();
      const b = subjectRow();
      const digest = randomBytes(32).toString('hex');
      await adapter.transaction(async (tx) => {
        await tx.insertSubject(a);
        await tx.insertSubject(b);
        await tx.putValue(valueRow(a.id, 'email', { lookup: digest }));
        await tx.putValue(valueRow(b.id, 'email', { lookup: digest }));
        await tx.putValue(valueRow(b.id, 'text', { lookup: digest }));
      });
      expect((await adapter.transaction((tx) => tx.findByLookup('email', digest))).sort()).toEqual([a.id, b.id].sort());
      expect(await adapter.transaction((tx) => tx.findByLookup('text', digest))).toEqual([b.id]);
      await adapter.transaction((tx) => tx.putValue(valueRow(a.id, 'email', { lookup: null })));
      expect(await adapter.transaction((tx) => tx.findByLookup('email', digest))).toEqual([b.id]);
    });
  });

  it('vault lookups: normalised value, follow corrections, never a plaintext index', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const email = `Look.${randomBytes(4).toString('hex')}@Example.JP`;
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email } });
      expect(await vault.findByLookup('email', email.toLowerCase())).toEqual([subject]);
      const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
      expect(row?.lookup).toMatch(/^[0-9a-f]{64}$/);
      await vault.correct(subject, 'email', `new.${email}`, { actor: 'dpo', reason: 'changed' });
      expect(await vault.findByLookup('email', email)).toEqual([]);
      expect(await vault.findByLookup('email', `new.${email}`)).toEqual([subject]);
      await expectCode(vault.findByLookup('count', 1), 'INVALID_ARGUMENT');
    });
  });
}
