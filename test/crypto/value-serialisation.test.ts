/**
 * Values the schema accepts but V8 cannot serialise are refused as InvalidPersonalValueError,
 * never as a raw TypeError/RangeError quoting the value, and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalKeyring, createVault, definePolicy, generateKey, InvalidPersonalValueError } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { inspect } from 'node:util';

const t = (s: string) => ({ en: s, ja: s });
const policy = definePolicy({
  id: 'serialisation',
  version: '1',
  effective: '2026-01-01',
  controller: { name: t('C'), contact: { email: 'dpo@example.jp' } },
  purposes: { care: { title: t('Care'), description: t('Care'), basis: 'contract', retention: 'P1Y' } },
  fields: {
    name: { title: t('Name'), schema: z.string(), category: 'identifier', purposes: ['care'] },
    notes: { title: t('Notes'), schema: z.any(), category: 'other', purposes: ['care'] },
  },
  collectionPoints: { form: { title: t('Form'), fields: ['name', 'notes'], purposes: ['care'], optional: ['notes'] } },
});

function deep(n: number): unknown {
  let v: unknown = 'leaf SECRET-DEEP';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const cases: [string, unknown, RegExp][] = [
  ['a symbol', { s: Symbol('SECRET-SYMBOL') }, /symbol/],
  ['a function', { f: () => 'SECRET-FN' }, /function/],
  [
    'a getter that throws',
    {
      get g(): never {
        throw new Error('SECRET-GETTER');
      },
    },
    /throws when read/,
  ],
  ['nesting 10,000 deep', deep(10_000), /nested too deeply/],
];

describe('values that cannot be serialised', () => {
  for (const [what, value, rule] of cases) {
    it(`${what}: InvalidPersonalValueError naming the field and rule, not the value; nothing written (collect and correct)`, async () => {
      const adapter = memoryAdapter();
      const vault = await createVault({ policy, adapter, keyring: createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1' }) });
      const error = await vault.collect({ collectionPoint: 'form', actor: 'test', values: { name: 'n', notes: value } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidPersonalValueError);
      expect(error).toMatchObject({ code: 'INVALID_PERSONAL_VALUE', field: 'notes' });
      expect((error as InvalidPersonalValueError).rules[0]?.rule).toMatch(rule);
      expect(inspect(error, { depth: Infinity, showHidden: true })).not.toMatch(/SECRET/);
      expect(await adapter.transaction((tx) => tx.listSubjects())).toEqual([]);
      // On an existing subject (inside the write transaction): rolled back, the old value kept.
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'test', values: { name: 'n', notes: 'before' } });
      const again = await vault.correct(subject, 'notes', value, { actor: 'dpo', reason: 'r' }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(InvalidPersonalValueError);
      expect(inspect(again, { depth: Infinity, showHidden: true })).not.toMatch(/SECRET/);
      expect(await vault.read(subject, 'notes', { purpose: 'care', actor: 'c' })).toBe('before');
      expect(await vault.history(subject)).toEqual([]);
    });
  }
});
