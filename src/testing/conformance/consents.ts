/**
 * Conformance part `consents`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { expectCode, type SuiteContext } from './support.js';

/** Registers the tests of the `consents` part (called inside its `describe` block). */
export function consentsPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('grants, withdrawals and expiry persist and drive the guard (latest event wins)', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const guard = vault.guard();
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Hana', email: 'hana@example.jp' } });
      const email = vault.field(subject, 'email');
      await expectCode(guard.read(email, { purpose: 'newsletter', actor: 'c' }), 'CONSENT_REQUIRED');
      await guard.grantConsent({ subject, purpose: 'newsletter', actor: 'subject', method: 'web-form' });
      expect(await guard.read(email, { purpose: 'newsletter', actor: 'c' })).toBe('hana@example.jp');
      expect(await vault.consents.isGranted(subject, 'newsletter', new Date())).toBe(true);
      await guard.withdrawConsent({ subject, purpose: 'newsletter', actor: 'subject' });
      await expectCode(guard.read(email, { purpose: 'newsletter', actor: 'c' }), 'CONSENT_REQUIRED');
      await guard.grantConsent({ subject, purpose: 'newsletter', actor: 'subject', expiresAt: '2000-01-01T00:00:00.000Z' });
      expect(await vault.consents.isGranted(subject, 'newsletter', new Date())).toBe(false);
      const list = await vault.consents.list(subject);
      expect(list.map((c) => c.state)).toEqual(['granted', 'withdrawn', 'granted']);
      expect(list[0]).toMatchObject({ subject, purpose: 'newsletter', actor: 'subject', method: 'web-form', noticeVersion: '1' });
      // A second vault (a restarted service) sees the same consents.
      const again = await vaultOn(adapter);
      expect(await again.consents.list(subject)).toHaveLength(3);
    });
  });
}
