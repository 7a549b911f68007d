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
      const first = await adapter.transaction((tx) =>
        tx.appendAudit({ at, action: 'read', actor, subject, field: 'email', purpose: 'service', basis: 'purpose', decision: 'allow' }),
      );
      const second = await adapter.transaction((tx) =>
        tx.appendAudit({
          at,
          action: 'read',
          actor,
          subject,
          field: 'text',
          purpose: 'newsletter',
          decision: 'deny',
          reason: 'CONSENT_REQUIRED',
          details: { n: 1, ok: false, none: null, s: 'x' },
        }),
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

  it('filters combined with limit and fromSeq on a log that already holds entries: limit applies after the filter', async () => {
    await withAdapter(async (adapter) => {
      const at = new Date().toISOString();
      // Entries of others before, between and after ours: the log is never empty in real use.
      await adapter.transaction((tx) => tx.appendAudit({ at, action: 'noise', actor: uid('other'), decision: 'record' }));
      const actor = uid('mine');
      const mine: number[] = [];
      for (let i = 0; i < 5; i++) {
        await adapter.transaction((tx) => tx.appendAudit({ at, action: 'noise', actor: uid('other'), decision: 'record' }));
        mine.push((await adapter.transaction((tx) => tx.appendAudit({ at, action: i % 2 === 0 ? 'read' : 'write', actor, decision: i === 3 ? 'deny' : 'allow' }))).seq);
      }
      const q = async (query: Parameters<StorageTransaction['listAudit']>[0]) => (await adapter.transaction((tx) => tx.listAudit(query))).map((e) => e.seq);
      expect(await q({ actor })).toEqual(mine);
      expect(await q({ actor, limit: 2 })).toEqual(mine.slice(0, 2));
      expect(await q({ actor, action: 'read', limit: 2 })).toEqual([mine[0], mine[2]]);
      expect(await q({ actor, fromSeq: mine[1] as number, limit: 2 })).toEqual(mine.slice(1, 3));
      expect(await q({ actor, fromSeq: (mine[1] as number) + 1, action: 'write' })).toEqual([mine[3]]);
      expect(await q({ actor, decision: 'deny', limit: 5 })).toEqual([mine[3]]);
      expect(await q({ actor, limit: 0 })).toEqual([]);
      expect(await q({ fromSeq: mine[4] as number, limit: 1 })).toEqual([mine[4]]);
    });
  });
}
