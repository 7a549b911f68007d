/**
 * Conformance part `audit`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import type { StorageTransaction } from '../../storage/adapter.js';
import { uid, distinctiveValues, searchTerms, type SuiteContext } from './support.js';

/** Registers the tests of the `audit` part (called inside its `describe` block). */
export function auditPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('appends a verifiable chain, filters by subject/actor/field/purpose/action/decision/fromSeq/limit', async () => {
    await withAdapter(async (adapter) => {
      const actor = uid('actor');
      const subject = uid('s');
      const at = new Date().toISOString();
      const first = await adapter.transaction((tx) => tx.appendAudit({ at, action: 'read', actor, subject, field: 'email', purpose: 'service', basis: 'purpose', decision: 'allow' }));
      const second = await adapter.transaction((tx) =>
        tx.appendAudit({ at, action: 'read', actor, subject, field: 'text', purpose: 'newsletter', decision: 'deny', reason: 'CONSENT_REQUIRED', details: { n: 1, ok: false, none: null, s: 'x' } }),
      );
      expect(second.seq).toBe(first.seq + 1);
      expect(second.prevHash).toBe(first.hash);
      const q = (query: Parameters<StorageTransaction['listAudit']>[0]) => adapter.transaction((tx) => tx.listAudit(query));
      expect(await q({ actor })).toHaveLength(2);
      expect(await q({ actor, decision: 'deny' })).toEqual([second]);
      expect(await q({ subject, field: 'email' })).toEqual([first]);
      expect(await q({ actor, purpose: 'newsletter', action: 'read' })).toEqual([second]);
      expect(await q({ fromSeq: second.seq })).toEqual([second]);
      expect(await q({ actor, limit: 1 })).toEqual([first]);
      const all = await q(undefined);
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(await verifyAuditLog(all)).toMatchObject({ valid: true, head: all[all.length - 1]?.hash });
      // The vault's AuditLog view verifies too.
      expect((await verifyAuditLog((await vaultOn(adapter)).audit)).valid).toBe(true);
    });
  });

  it('audit entries of vault operations hold ids, never values', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const values = distinctiveValues();
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
      await vault.read(subject, 'email', { purpose: 'service', actor: 'c' });
      await vault.correct(subject, 'text', `${values.text} corrected`, { actor: 'dpo', reason: 'request' });
      const entries = JSON.stringify(await vault.audit.entries({ subject }));
      expect(entries).toContain('"collect"');
      for (const term of searchTerms(values)) expect(entries).not.toContain(term);
    });
  });
}
