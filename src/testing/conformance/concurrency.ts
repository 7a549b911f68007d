/**
 * Conformance part `concurrency`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { verifyAuditLog } from '../../audit/verify-audit-log.js';
import type { StorageAdapter } from '../../storage/adapter.js';
import { uid, type SuiteContext } from './support.js';

/** Registers the tests of the `concurrency` part (called inside its `describe` block). */
export function concurrencyPart(ctx: SuiteContext): void {
  const { options, withAdapter, vaultOn, subjectRow } = ctx;
  const second = async (adapter: StorageAdapter, track: (a: StorageAdapter) => StorageAdapter): Promise<StorageAdapter> => {
    if (!options.concurrent) return adapter;
    const a = track(await options.concurrent(adapter));
    await a.open();
    return a;
  };
  const how = options.concurrent ? 'two connections' : 'one connection (no second connection given)';
  if (!options.concurrent) {
    // Loud, not silent: concurrency on one connection proves little about an adapter whose
    // users run several processes. Give `concurrent`, or skip the part with the reason.
    it('has a second connection to test with', () => {
      throw new Error(
        `runAdapterConformance(${JSON.stringify(options.name)}): no \`concurrent\` option, so concurrency cannot be tested on two connections. Pass \`concurrent\` (a second adapter on the same database), or skip: { concurrency: '<why the adapter has a single connection>' }.`,
      );
    });
  }

  it(`concurrent version-checked updates of one subject lose no update (${how})`, async () => {
    await withAdapter(async (adapter, track) => {
      const other = await second(adapter, track);
      const s = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(s));
      const bump = async (a: StorageAdapter): Promise<void> => {
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await a.transaction(async (tx) => {
              const row = await tx.getSubject(s.id, { forUpdate: true });
              if (!row) throw new Error('subject vanished');
              await tx.updateSubject({ ...row, version: row.version + 1 }, row.version);
            });
            return;
          } catch (error) {
            if ((error as { code?: unknown }).code !== 'STORAGE_CONFLICT') throw error;
            await new Promise((r) => setTimeout(r, Math.random() * 5));
          }
        }
        throw new Error('too many conflicts');
      };
      const n = 10;
      await Promise.all(Array.from({ length: n }, (_, i) => bump(i % 2 === 0 ? adapter : other)));
      expect((await adapter.transaction((tx) => tx.getSubject(s.id)))?.version).toBe(1 + n);
    });
  });

  it(`two vaults writing different fields of one subject at once keep both (${how})`, async () => {
    await withAdapter(async (adapter, track) => {
      const other = await second(adapter, track);
      const v1 = await vaultOn(adapter);
      const v2 = await vaultOn(other);
      const { subject } = await v1.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'start' } });
      await Promise.all([
        v1.correct(subject, 'text', 'from-one', { actor: 'a', reason: 'r' }),
        v2.correct(subject, 'email', 'two@example.jp', { actor: 'b', reason: 'r' }),
        v1.correct(subject, 'count', 1, { actor: 'a', reason: 'r' }),
        v2.correct(subject, 'flag', true, { actor: 'b', reason: 'r' }),
      ]);
      const all = await v1.readAll(subject, { purpose: 'service', actor: 'c' });
      expect(Object.keys(all).sort()).toEqual(['count', 'email', 'flag', 'text']);
      expect(all.text).toBe('from-one');
      expect((await v1.history(subject)).map((h) => h.change).sort()).toEqual(['addition', 'addition', 'addition', 'correction']);
    });
  });

  it(`concurrent audit appends from both sides form one linear chain (${how})`, async () => {
    await withAdapter(async (adapter, track) => {
      const other = await second(adapter, track);
      const actor = uid('audit');
      const at = new Date().toISOString();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? adapter : other).transaction((tx) => tx.appendAudit({ at, action: 'concurrent', actor, decision: 'record', details: { i } })),
        ),
      );
      const all = await adapter.transaction((tx) => tx.listAudit());
      expect(all.filter((e) => e.actor === actor)).toHaveLength(20);
      const verification = await verifyAuditLog(all);
      expect(verification).toMatchObject({ valid: true, entries: all.length });
    });
  });
}
