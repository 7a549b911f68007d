/**
 * Conformance part `field-types`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { distinctiveValues, type SuiteContext } from './support.js';

/** Registers the tests of the `field-types` part (called inside its `describe` block). */
export function fieldTypesPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('round-trips every field type through the vault (string, e-mail, date string, Date, number, boolean, object, array, record, unicode)', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const guard = vault.guard();
      const values = distinctiveValues();
      const unicode = '𠮷野家 🦊 e\u0301 \u200d \ud83d\udc69\u200d\ud83d\udcbb ‮ "\'\\ \n\t';
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { ...values, text: unicode } });
      const all = await vault.readAll(subject, { purpose: 'service', actor: 'conformance' });
      // The same values one by one, through a handle and the vault's guard.
      const read = async (field: keyof typeof all): Promise<unknown> => {
        const one = await guard.read(vault.field(subject, field) as never, { purpose: 'service', actor: 'conformance' } as never);
        expect(all[field]).toEqual(one);
        return one;
      };
      expect(await read('text')).toBe(unicode);
      expect(await read('email')).toBe(values.email);
      expect(await read('birthDate')).toBe(values.birthDate);
      const when = await read('when');
      expect(when).toBeInstanceOf(Date);
      expect((when as Date).toISOString()).toBe(values.when.toISOString());
      expect(await read('count')).toBe(values.count);
      expect(await read('flag')).toBe(true);
      expect(await read('profile')).toEqual(values.profile);
      expect(await read('tags')).toEqual(values.tags);
      expect(await read('notes')).toEqual(values.notes);
      // Edge values of the simple types.
      const { subject: s2 } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'x', count: -0, flag: false, tags: [], notes: {} } });
      const edge = await vault.readAll(s2, { purpose: 'service', actor: 'c' });
      expect(Object.is(edge.count, -0)).toBe(true);
      expect(edge.flag).toBe(false);
      expect(edge.tags).toEqual([]);
      expect(edge.notes).toEqual({});
    });
  });
}
