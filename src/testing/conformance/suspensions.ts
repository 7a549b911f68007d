/**
 * Conformance part `suspensions`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `suspensions` part (called inside its `describe` block). */
export function suspensionsPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('suspension of use persists, blocks reads for the covered purposes, and lifts', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const guard = vault.guard();
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana' } });
      const text = vault.field(subject, 'text');
      const s1 = await guard.suspend({ subject, purposes: ['service'], actor: 'dpo', reason: 'request', requestId: 'req-1' });
      await expectCode(guard.read(text, { purpose: 'service', actor: 'c' }), 'USE_SUSPENDED');
      await expectCode(guard.read(text, { purpose: 'support', actor: 'c' }), 'USE_SUSPENDED'); // a child purpose
      expect(await vault.suspensions.isSuspended(subject, ['newsletter'])).toBe(false);
      const lifted = await guard.liftSuspension({ id: s1.id, actor: 'dpo', subject });
      expect(lifted.liftedBy).toBe('dpo');
      expect(await guard.read(text, { purpose: 'service', actor: 'c' })).toBe('Hana');
      expect(await vault.suspensions.lift(s1.id, new Date().toISOString(), 'dpo')).toBeUndefined();
      await guard.suspend({ subject, purposes: 'all', actor: 'dpo' });
      expect(await (await vaultOn(adapter)).suspensions.isSuspended(subject, ['service'])).toBe(true);
      expect((await vault.suspensions.list(subject)).map((s) => s.liftedAt === undefined)).toEqual([false, true]);
    });
  });
}
