/**
 * `vault.collect` validates every value before it writes any, and reports every invalid one in
 * one error, in the shape of `PolicyDefinitionError.issues`, never echoing a value.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { InvalidPersonalValueError } from 'purpose-bound';
import { setup } from './fixtures.js';

describe('collect reports every invalid value at once', () => {
  it('lists each invalid field with its rules, and nothing is stored', async () => {
    const { vault, adapter } = await setup();
    const error = await vault.collect({ collectionPoint: 'intake', actor: 'desk', values: { name: '', allergies: ['pollen', ''] } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPersonalValueError);
    const e = error as InvalidPersonalValueError;
    expect(e.invalid.map((v) => v.field)).toEqual(['name', 'allergies']);
    expect(e.issues).toEqual([
      { path: 'name', message: expect.stringMatching(/^too_small/) },
      { path: 'allergies[1]', message: expect.stringMatching(/^too_small/) },
    ]);
    expect(e.field).toBe('name'); // the first, as before
    expect(e.message).not.toContain('pollen');
    expect(adapter.rawContents().length).toBe(0);
  });

  it('reports a missing required value beside an invalid one', async () => {
    const { vault } = await setup();
    const e = (await vault
      .collect({ collectionPoint: 'registration', actor: 'desk', values: { email: 'not an address' } as never })
      .catch((x: unknown) => x)) as InvalidPersonalValueError;
    expect(e.issues.map((i) => [i.path, i.message])).toEqual([
      ['email', 'invalid_format(email)'],
      ['name', 'required(collection point registration)'],
    ]);
    expect(e.message).not.toContain('not an address');
  });

  it('a single invalid value keeps the message it always had', async () => {
    const { vault } = await setup();
    const e = (await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: 'ok', email: 'bad' } }).catch((x: unknown) => x)) as InvalidPersonalValueError;
    expect(e.message).toBe('Value for field "email" breaks invalid_format(email)');
    expect(e.invalid).toHaveLength(1);
  });
});
