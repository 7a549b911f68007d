/**
 * Conformance part `migrations`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { distinctiveValues, quietClose, type SuiteContext } from './support.js';

/** Registers the tests of the `migrations` part (called inside its `describe` block). */
export function migrationsPart(ctx: SuiteContext): void {
  const { options, withAdapter, vaultOn, subjectRow } = ctx;
  it('opening twice is idempotent: same schema version, data kept', async () => {
    await withAdapter(async (adapter) => {
      const version = await adapter.schemaVersion();
      expect(Number.isInteger(version) && version > 0).toBe(true);
      const row = subjectRow();
      await adapter.transaction((tx) => tx.insertSubject(row));
      await adapter.open();
      expect(await adapter.schemaVersion()).toBe(version);
      expect(await adapter.transaction((tx) => tx.getSubject(row.id))).toMatchObject({ id: row.id });
    });
  });

  it('a second adapter opening the same database runs no migration twice', async () => {
    await withAdapter(async (adapter, track) => {
      if (!options.concurrent) {
        // Without a second connection, a second open of the same adapter is the check.
        await adapter.open();
        expect(await adapter.schemaVersion()).toBeGreaterThan(0);
        return;
      }
      const second = track(await options.concurrent(adapter));
      await second.open();
      expect(await second.schemaVersion()).toBe(await adapter.schemaVersion());
    });
  });

  if (options.reopen) {
    const reopen = options.reopen;
    it('data persists across close and reopen (values readable with the same keyring)', async () => {
      const values = distinctiveValues();
      const adapter = await options.createAdapter();
      let subject: string;
      try {
        const vault = await vaultOn(adapter);
        ({ subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values }));
      } finally {
        await quietClose(adapter);
      }
      const again = await reopen(adapter);
      try {
        const vault = await vaultOn(again);
        const guard = vault.guard();
        const text = vault.field(subject, 'text');
        expect(await guard.read(text, { purpose: 'service', actor: 'conformance' })).toBe(values.text);
      } finally {
        await quietClose(again);
      }
    });
  }
}
