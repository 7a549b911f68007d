import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePolicy, InvalidArgumentError, InvalidPersonalValueError, isPersonalField, PersonalField, UnknownFieldError, UnknownPurposeError } from 'purpose-bound';
import { cloneSpec, shop, shopSpec } from './fixtures/shop-policy.js';

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** Everything an error shows a developer: message, stack, own properties, inspect output. */
function everything(error: Error): string {
  return [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })].join('\n');
}

describe('policy.wrap', () => {
  it('validates and wraps: field, subject, redacted text', () => {
    const email = shop.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
    expect(isPersonalField(email)).toBe(true);
    expect(email).toBeInstanceOf(PersonalField);
    expect(email.field).toBe('email');
    expect(email.subject).toBe('subject-1');
    expect(String(email)).toBe('[personal:email]');
    expect(Object.isFrozen(email)).toBe(true);
  });

  it('fields cannot be forged: the constructor throws TypeError, also from a subclass', () => {
    expect(() => new (PersonalField as unknown as new (...args: unknown[]) => unknown)('email', 'hana@example.jp')).toThrow(TypeError);
    class Forged extends PersonalField {}
    expect(() => new Forged()).toThrow(TypeError);
    expect(isPersonalField(Object.create(PersonalField.prototype))).toBe(false);
  });

  it('keeps the schema output (trimming and transforms apply)', async () => {
    const policy = definePolicy({
      ...cloneSpec(shopSpec),
      fields: { ...cloneSpec(shopSpec).fields, name: { ...shopSpec.fields.name, schema: z.string().trim().toUpperCase() } },
    });
    const { createGuard } = await import('purpose-bound');
    const guard = createGuard({ policy });
    const name = policy.wrap('name', '  hana  ', { subject: 's1' });
    await expect(guard.read(name, { purpose: 'contact', actor: 'a' })).resolves.toBe('HANA');
  });

  it('InvalidPersonalValueError names field and rule, never the value', () => {
    const value = 'not-an-address-SECRET-91';
    const e = caught(() => shop.wrap('email', value, { subject: 's1' }));
    expect(e).toBeInstanceOf(InvalidPersonalValueError);
    const err = e as InvalidPersonalValueError;
    expect(err.code).toBe('INVALID_PERSONAL_VALUE');
    expect(err.field).toBe('email');
    expect(err.rules[0]?.rule).toBe('invalid_format(email)');
    expect(err.message).toBe('Value for field "email" breaks invalid_format(email)');
    expect(everything(err)).not.toContain('SECRET-91');
  });

  it('object values: names the nested path and rule, not the value', () => {
    const e = caught(() => shop.wrap('address', { city: 'Kyoto-SECRET', street: '', zip: '12-SECRET' } as never, { subject: 's1' })) as InvalidPersonalValueError;
    expect(e).toBeInstanceOf(InvalidPersonalValueError);
    expect(e.rules.map((r) => r.path).sort()).toEqual(['street', 'zip']);
    expect(e.message).toMatch(/too_small\(string min 1\) at street/);
    expect(e.message).toMatch(/invalid_format\(regex\) at zip/);
    expect(everything(e)).not.toContain('SECRET');
  });

  it('z.record: keys of the input are personal and masked in paths', () => {
    const e = caught(() => shop.wrap('notes', { 'Tanaka-Hanako-SECRET': 'x'.repeat(30), ok: 'fine' }, { subject: 's1' })) as InvalidPersonalValueError;
    expect(e).toBeInstanceOf(InvalidPersonalValueError);
    expect(e.rules).toEqual([{ path: '*', rule: 'too_big(string max 20)' }]);
    expect(everything(e)).not.toContain('Tanaka');
    expect(everything(e)).not.toContain('xxxxxxxxxx');
  });

  it('unrecognised keys of a strict object are not echoed', () => {
    const policy = definePolicy({
      ...cloneSpec(shopSpec),
      fields: { ...cloneSpec(shopSpec).fields, address: { ...shopSpec.fields.address, schema: z.strictObject({ city: z.string() }) } },
    });
    const e = caught(() => policy.wrap('address', { city: 'x', 'Hanako-SECRET': 1 } as never, { subject: 's1' }));
    expect(e).toBeInstanceOf(InvalidPersonalValueError);
    expect(everything(e)).not.toContain('SECRET');
  });

  it('custom messages of refinements that interpolate the value are never used', () => {
    const policy = definePolicy({
      ...cloneSpec(shopSpec),
      fields: {
        ...cloneSpec(shopSpec).fields,
        name: { ...shopSpec.fields.name, schema: z.string().refine((v) => v.length > 50, { error: (i) => `bad name ${String(i.input)}` }) },
      },
    });
    const e = caught(() => policy.wrap('name', 'Hanako-SECRET', { subject: 's1' }));
    expect(e).toBeInstanceOf(InvalidPersonalValueError);
    expect(everything(e)).not.toContain('SECRET');
  });

  it('a schema that throws or is async gives a named error without the thrown error', () => {
    const policy = definePolicy({
      ...cloneSpec(shopSpec),
      fields: {
        ...cloneSpec(shopSpec).fields,
        name: {
          ...shopSpec.fields.name,
          schema: z.string().transform((v) => {
            throw new Error(`boom ${v}`);
          }),
        },
        age: { ...shopSpec.fields.age, schema: z.number().refine(async () => true) },
      },
    });
    const e1 = caught(() => policy.wrap('name', 'Hanako-SECRET', { subject: 's1' }));
    expect(e1).toBeInstanceOf(InvalidPersonalValueError);
    expect(everything(e1)).not.toContain('SECRET');
    expect(e1.cause).toBeUndefined();
    expect(caught(() => policy.wrap('age', 4, { subject: 's1' }))).toBeInstanceOf(InvalidPersonalValueError);
  });

  it('wrong types are rejected with the rule', () => {
    const e = caught(() => shop.wrap('age', 'forty' as never, { subject: 's1' })) as InvalidPersonalValueError;
    expect(e.rules).toEqual([{ path: '', rule: 'invalid_type(expected number)' }]);
  });

  it('unknown field, bad subject, bad restrictTo', () => {
    expect(caught(() => shop.wrap('shoeSize' as never, 1 as never, { subject: 's1' }))).toBeInstanceOf(UnknownFieldError);
    for (const subject of ['', 'has space', 'x'.repeat(201), 42, undefined, 'ümlaut']) {
      const e = caught(() => shop.wrap('email', 'a@b.co', { subject } as never));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as InvalidArgumentError).argument).toBe('options.subject');
    }
    expect(caught(() => shop.wrap('email', 'a@b.co', undefined as never))).toBeInstanceOf(InvalidArgumentError);
    expect(caught(() => shop.wrap('email', 'a@b.co', { subject: 's1', restrictTo: 'contact' as never }))).toBeInstanceOf(InvalidArgumentError);
    expect(caught(() => shop.wrap('email', 'a@b.co', { subject: 's1', restrictTo: ['nope'] }))).toBeInstanceOf(UnknownPurposeError);
  });

  it('the value is checked before wrapping even when the caller lies about types', () => {
    expect(caught(() => shop.wrap('email', { toString: () => 'a@b.co' } as never, { subject: 's1' }))).toBeInstanceOf(InvalidPersonalValueError);
  });
});
