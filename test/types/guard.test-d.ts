import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createGuard, definePolicy, type PersonalField, type PersonalPurposes, type PersonalValue, type PurposeBoundError, type Vault, type VaultField } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const t = { en: 'x', ja: 'x' };
const policy = definePolicy({
  id: 'types',
  version: '1',
  effective: '2026-01-01',
  controller: { name: t, contact: { email: 'privacy@types.example' } },
  purposes: {
    contact: { title: t, description: t, basis: 'contract', retention: 'P1Y' },
    billing: { title: t, description: t, basis: 'contract', retention: 'P7Y' },
    receipts: { title: t, description: t, basis: 'contract', retention: 'P7Y', parent: 'billing' },
    reprints: { title: t, description: t, basis: 'contract', retention: 'P7Y', parent: 'receipts' },
    marketing: { title: t, description: t, basis: 'consent', retention: 'P1Y' },
    courtOrder: { title: t, description: t, basis: 'legal-obligation', retention: 'P1Y', scope: 'outside' },
  },
  fields: {
    email: { title: t, schema: z.email(), category: 'contact', purposes: ['contact'] },
    age: { title: t, schema: z.number().int(), category: 'quasi-identifier', purposes: ['billing'] },
    address: { title: t, schema: z.object({ city: z.string(), zip: z.string() }), category: 'contact', purposes: ['billing'] },
    joined: { title: t, schema: z.iso.date().transform((s) => new Date(s)), category: 'other', purposes: ['contact', 'billing'] },
    tags: { title: t, schema: z.array(z.enum(['a', 'b'])), category: 'other', purposes: ['marketing'] },
  },
  collectionPoints: {},
});
const guard = createGuard({ policy });
const actor = 'staff:1';

describe('guard.read purposes at compile time', () => {
  it('allows the purposes the field lists', () => {
    const email = policy.wrap('email', 'a@b.jp', { subject: 's1' });
    expectTypeOf(guard.read(email, { purpose: 'contact', actor })).resolves.toEqualTypeOf<string>();
  });

  it('rejects a purpose the field does not allow', () => {
    const email = policy.wrap('email', 'a@b.jp', { subject: 's1' });
    // @ts-expect-error 'billing' is not a purpose of email
    void guard.read(email, { purpose: 'billing', actor });
    // @ts-expect-error 'marketing' is not a purpose of email
    void guard.read(email, { purpose: 'marketing', actor });
    // @ts-expect-error unknown purpose
    void guard.read(email, { purpose: 'nope', actor });
    // @ts-expect-error the actor is required
    void guard.read(email, { purpose: 'contact' });
  });

  it('allows child purposes through their parents, not the other way round', () => {
    const age = policy.wrap('age', 40, { subject: 's1' });
    expectTypeOf<PersonalPurposes<typeof age>>().toEqualTypeOf<'billing' | 'receipts' | 'reprints'>();
    void guard.read(age, { purpose: 'receipts', actor });
    void guard.read(age, { purpose: 'reprints', actor });
    const restricted = policy.wrap('address', { city: 'Kyoto', zip: '605-0001' }, { subject: 's1' });
    // @ts-expect-error a child of billing, but email does not allow billing
    void guard.read(policy.wrap('email', 'a@b.jp', { subject: 's1' }), { purpose: 'receipts', actor });
    void guard.read(restricted, { purpose: 'reprints', actor });
  });

  it('outside-scope purposes cannot be read within purpose', () => {
    const email = policy.wrap('email', 'a@b.jp', { subject: 's1' });
    // @ts-expect-error courtOrder is reachable only through readOutsidePurpose
    void guard.read(email, { purpose: 'courtOrder', actor });
  });
});

describe('value types come from the zod schemas', () => {
  it('output types, including transforms', async () => {
    const joined = policy.wrap('joined', '2026-01-01', { subject: 's1' });
    expectTypeOf(joined).toEqualTypeOf<PersonalField<Date, 'contact' | 'billing' | 'receipts' | 'reprints', 'joined'>>();
    expectTypeOf<PersonalValue<typeof joined>>().toEqualTypeOf<Date>();
    expectTypeOf(await guard.read(joined, { purpose: 'contact', actor })).toEqualTypeOf<Date>();
    const address = policy.wrap('address', { city: 'Kyoto', zip: '605-0001' }, { subject: 's1' });
    expectTypeOf(await guard.read(address, { purpose: 'billing', actor })).toEqualTypeOf<{ city: string; zip: string }>();
    const tags = policy.wrap('tags', ['a'], { subject: 's1' });
    expectTypeOf(await guard.readOutsidePurpose(tags, { purpose: 'contact', actor, basis: 'consent' })).toEqualTypeOf<('a' | 'b')[]>();
  });
});

describe('readOutsidePurpose', () => {
  it('accepts any purpose of the policy but not unknown ones', () => {
    const email = policy.wrap('email', 'a@b.jp', { subject: 's1' });
    void guard.readOutsidePurpose(email, { purpose: 'billing', actor, basis: 'consent' });
    void guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis: { exception: 'law', reference: 'case 1' } });
    // @ts-expect-error unknown purpose
    void guard.readOutsidePurpose(email, { purpose: 'nope', actor, basis: 'consent' });
    // @ts-expect-error unknown legal exception
    void guard.readOutsidePurpose(email, { purpose: 'billing', actor, basis: { exception: 'whim', reference: 'r' } });
    // @ts-expect-error an exception needs a reference
    void guard.readOutsidePurpose(email, { purpose: 'billing', actor, basis: { exception: 'law' } });
  });
});

describe('wrap', () => {
  it('rejects unknown field ids and wrong input types', () => {
    // @ts-expect-error unknown field
    policy.wrap('shoeSize', 42, { subject: 's1' });
    // @ts-expect-error age takes a number
    policy.wrap('age', '40', { subject: 's1' });
    // @ts-expect-error address misses zip
    policy.wrap('address', { city: 'Kyoto' }, { subject: 's1' });
    // @ts-expect-error tags are 'a' | 'b'
    policy.wrap('tags', ['c'], { subject: 's1' });
    // @ts-expect-error the subject is required
    policy.wrap('email', 'a@b.jp', {});
    expectTypeOf(policy.wrap('email', 'a@b.jp', { subject: 's1' })).toEqualTypeOf<PersonalField<string, 'contact', 'email'>>();
  });
});

describe('the ji4pe policy types', () => {
  it('knows its fields and purposes', () => {
    const g = createGuard({ policy: ji4pePolicy });
    const name = ji4pePolicy.wrap('name', 'Hanako', { subject: 's1' });
    void g.read(name, { purpose: 'receipts', actor });
    void g.read(name, { purpose: 'courseMaterials', actor });
    const dob = ji4pePolicy.wrap('dateOfBirth', '1990-01-01', { subject: 's1' });
    // @ts-expect-error dateOfBirth is not for inquiry responses
    void g.read(dob, { purpose: 'inquiryResponse', actor });
    void g.readOutsidePurpose(dob, { purpose: 'legalCompliance', actor, basis: { exception: 'law', reference: 'r' } });
    // @ts-expect-error ji4pe does not define this purpose
    void g.readOutsidePurpose(dob, { purpose: 'marketing', actor, basis: 'consent' });
  });
});

describe('vault reads at compile time', () => {
  // Type-level only: a test-d file is checked by tsc, never run.
  const vault = {} as Vault<typeof policy>;

  it('vault.read takes the purpose and actor and returns the value itself', async () => {
    expectTypeOf(vault.read('s1', 'email', { purpose: 'contact', actor })).resolves.toEqualTypeOf<string>();
    expectTypeOf(await vault.read('s1', 'joined', { purpose: 'reprints', actor })).toEqualTypeOf<Date>();
    expectTypeOf(await vault.read('s1', 'address', { purpose: 'billing', actor })).toEqualTypeOf<{ city: string; zip: string }>();
    // @ts-expect-error the read options are required: there is no read without a purpose
    void vault.read('s1', 'email');
    // @ts-expect-error 'billing' is not a purpose of email
    void vault.read('s1', 'email', { purpose: 'billing', actor });
    // @ts-expect-error courtOrder is reachable only through readOutsidePurpose
    void vault.read('s1', 'email', { purpose: 'courtOrder', actor });
    // @ts-expect-error unknown field
    void vault.read('s1', 'shoeSize', { purpose: 'contact', actor });
    // @ts-expect-error the actor is required
    void vault.read('s1', 'email', { purpose: 'contact' });
  });

  it('readOutsidePurpose accepts any purpose of the policy with a basis', async () => {
    expectTypeOf(await vault.readOutsidePurpose('s1', 'age', { purpose: 'courtOrder', actor, basis: { exception: 'law', reference: 'case 1' } })).toEqualTypeOf<number>();
    // @ts-expect-error unknown purpose
    void vault.readOutsidePurpose('s1', 'age', { purpose: 'nope', actor, basis: 'consent' });
  });

  it('vault.field is a handle the vault guard reads with the field purposes', async () => {
    const email = vault.field('s1', 'email');
    expectTypeOf(email).toEqualTypeOf<VaultField<typeof policy, 'email'>>();
    expectTypeOf(email).toEqualTypeOf<PersonalField<string, 'contact', 'email'>>();
    expectTypeOf(await vault.guard().read(email, { purpose: 'contact', actor })).toEqualTypeOf<string>();
    // @ts-expect-error 'billing' is not a purpose of email
    void vault.guard().read(email, { purpose: 'billing', actor });
  });

  it('readMany: one result per subject, values keyed by the asked fields, optional', async () => {
    const [row] = await vault.readMany(['s1', 's2'], ['age', 'address'], { purpose: 'billing', actor });
    if (row?.ok) {
      expectTypeOf(row.values.age).toEqualTypeOf<number | undefined>();
      expectTypeOf(row.values.address).toEqualTypeOf<{ city: string; zip: string } | undefined>();
      // @ts-expect-error email was not asked for
      void row.values.email;
    } else if (row) expectTypeOf(row.error).toEqualTypeOf<PurposeBoundError>();
    // @ts-expect-error email does not allow billing
    void vault.readMany(['s1'], ['age', 'email'], { purpose: 'billing', actor });
  });

  it('readAll and historyValue need a purpose', async () => {
    const all = await vault.readAll('s1', { purpose: 'billing', actor });
    expectTypeOf(all.age).toEqualTypeOf<number | undefined>();
    // @ts-expect-error the read options are required
    void vault.readAll('s1');
    expectTypeOf(vault.historyValue('s1', 'h1', { purpose: 'contact', actor })).resolves.toEqualTypeOf<unknown>();
    // @ts-expect-error the read options are required
    void vault.historyValue('s1', 'h1');
  });
});
