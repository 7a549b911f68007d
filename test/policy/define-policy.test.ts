import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePolicy, isPolicy, PolicyDefinitionError, UnknownFieldError, UnknownPurposeError, InvalidArgumentError, type PolicyIssue } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { cloneSpec, shop, shopSpec } from '../fixtures/shop-policy.js';

type Mutable = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function issuesOf(spec: unknown): PolicyIssue[] {
  try {
    definePolicy(spec as never);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyDefinitionError);
    expect((error as PolicyDefinitionError).code).toBe('POLICY_INVALID');
    return [...(error as PolicyDefinitionError).issues];
  }
  throw new Error('definePolicy accepted an invalid spec');
}

function broken(mutate: (s: Mutable) => void): Mutable {
  const s = cloneSpec(shopSpec) as Mutable;
  mutate(s);
  return s;
}

describe('definePolicy: valid specs', () => {
  it('returns a frozen, typed policy with ids, lineage and allowed purposes', () => {
    expect(isPolicy(shop)).toBe(true);
    expect(isPolicy(shopSpec)).toBe(false);
    expect(shop.id).toBe('shop');
    expect(shop.version).toBe('3');
    expect(shop.languages).toEqual(['en', 'ja']);
    expect(shop.purposeIds).toEqual(['contact', 'billing', 'receipts', 'reprints', 'newsletter', 'marketing', 'courtOrder']);
    expect(shop.fieldIds).toContain('address');
    expect(shop.lineage('reprints')).toEqual(['reprints', 'receipts', 'billing']);
    expect(shop.children('billing')).toEqual(['receipts']);
    expect([...shop.allowedPurposes('name')].sort()).toEqual(['billing', 'contact', 'receipts', 'reprints']);
    expect(shop.isAllowed('name', 'reprints')).toBe(true);
    expect(shop.isAllowed('email', 'billing')).toBe(false);
    expect(shop.retention('billing')).toMatchObject({ years: 7, months: 0 });
    expect(Object.isFrozen(shop)).toBe(true);
    expect(Object.isFrozen(shop.spec.purposes)).toBe(true);
    expect(shop.exceptions).toEqual(['law', 'life-body-property']);
  });

  it('copies the spec: later changes to the input do not change the policy', () => {
    const spec = cloneSpec(shopSpec) as Mutable;
    const policy = definePolicy(spec);
    spec.fields.email.purposes.push('billing');
    spec.purposes.contact.retention = 'P99Y';
    expect(policy.isAllowed('email', 'billing')).toBe(false);
    expect(policy.retention('contact').years).toBe(1);
  });

  it('lookups of unknown ids throw named errors', () => {
    expect(() => shop.purpose('nope')).toThrow(UnknownPurposeError);
    expect(() => shop.field('nope')).toThrow(UnknownFieldError);
    expect(() => shop.lineage('nope')).toThrow(UnknownPurposeError);
    expect(() => shop.collectionPoint('nope')).toThrow(InvalidArgumentError);
    expect(() => shop.vendor('toString')).toThrow(InvalidArgumentError);
    expect(() => shop.collectionPoint('constructor')).toThrow(InvalidArgumentError);
    expect(shop.hasPurpose('toString')).toBe(false);
    expect(shop.isAllowed('email', 'constructor')).toBe(false);
  });

  it('defaults: all four legal exceptions, en+ja', () => {
    const s = broken((x) => delete x.exceptions);
    expect(definePolicy(s).exceptions).toEqual(['law', 'life-body-property', 'public-health-children', 'public-body-cooperation']);
  });
});

describe('definePolicy: every problem in one PolicyDefinitionError, with its path', () => {
  it('reports many problems at once', () => {
    const issues = issuesOf(
      broken((s) => {
        s.fields.email.purposes = ['contact', 'ghost'];
        s.collectionPoints.signup.purposes = ['contact', 'phantom'];
        s.vendors.printer.purposes = ['receipts', 'spectre'];
        s.purposes.billing.title = { en: 'Billing' };
        s.purposes.contact.description = { ja: '連絡' };
        s.purposes.marketing.retention = '3 years';
        s.vendors.printer.contract = undefined;
        delete s.vendors.printer.contract;
      }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'fields.email.purposes[1]',
        'collectionPoints.signup.purposes[1]',
        'vendors.printer.purposes[1]',
        'purposes.billing.title.ja',
        'purposes.contact.description.en',
        'vendors.printer.contract',
      ]),
    );
    const msg = (path: string) => issues.find((i) => i.path === path)?.message;
    expect(msg('fields.email.purposes[1]')).toMatch(/unknown purpose "ghost"/);
    expect(msg('purposes.billing.title.ja')).toMatch(/missing Japanese text/);
    expect(msg('purposes.contact.description.en')).toMatch(/missing English text/);
    expect(msg('vendors.printer.contract')).toMatch(/contract/);
  });

  it('structural problems come with their paths (bad ISO 8601 retention, bad basis, bad category)', () => {
    const issues = issuesOf(
      broken((s) => {
        s.purposes.marketing.retention = '3 years';
        s.purposes.billing.retention = 'P';
        s.purposes.contact.basis = 'because';
        s.fields.name.category = 'secret';
        s.effective = '2026-02-30';
      }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['purposes.marketing.retention', 'purposes.billing.retention', 'purposes.contact.basis', 'fields.name.category', 'effective']));
    expect(issues.find((i) => i.path === 'purposes.marketing.retention')?.message).toMatch(/ISO 8601/);
  });

  it('unknown purpose referenced by a field, a collection point, a vendor and a parent', () => {
    const issues = issuesOf(
      broken((s) => {
        s.fields.age.purposes = ['billing', 'nowhere'];
        s.collectionPoints.signup.purposes = ['nowhere'];
        s.vendors.printer.purposes = ['nowhere'];
        s.purposes.receipts.parent = 'nowhere';
      }),
    );
    for (const p of ['fields.age.purposes[1]', 'collectionPoints.signup.purposes[0]', 'vendors.printer.purposes[0]', 'purposes.receipts.parent']) {
      expect(issues.find((i) => i.path === p)?.message).toMatch(/unknown purpose "nowhere"/);
    }
  });

  it('unknown field referenced by a collection point or a vendor', () => {
    const issues = issuesOf(
      broken((s) => {
        s.collectionPoints.signup.fields = ['email', 'shoeSize'];
        s.vendors.printer.fields = ['name', 'shoeSize'];
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'collectionPoints.signup.fields[1]', message: 'unknown field "shoeSize"' },
        { path: 'vendors.printer.fields[1]', message: 'unknown field "shoeSize"' },
      ]),
    );
  });

  it('cycles in parent purposes', () => {
    const issues = issuesOf(
      broken((s) => {
        s.purposes.billing.parent = 'reprints';
      }),
    );
    const cycle = issues.filter((i) => /cycle/.test(i.message));
    expect(cycle.map((i) => i.path)).toEqual(expect.arrayContaining(['purposes.billing.parent', 'purposes.receipts.parent', 'purposes.reprints.parent']));
    expect(issuesOf(broken((s) => void (s.purposes.contact.parent = 'contact'))).some((i) => i.path === 'purposes.contact.parent' && /cycle/.test(i.message))).toBe(true);
  });

  it('deep parent chains: a field allowed for the root may be announced for a purpose 5,000 levels down', () => {
    // The check once walked at most 64 parents and reported an Art. 21 problem here.
    const s = broken((x) => {
      const purposes = x.purposes as Record<string, unknown>;
      let parent = 'contact';
      for (let i = 0; i < 5000; i++) {
        purposes[`deep${i}`] = { ...(purposes['contact'] as object), parent };
        parent = `deep${i}`;
      }
      (x.collectionPoints.signup as { purposes: string[] }).purposes = [parent];
    });
    const policy = definePolicy(s as never); // throws PolicyDefinitionError, listing the issues, if any
    expect(policy.lineage('deep4999')).toHaveLength(5001);
    expect(policy.lineage('deep4999').at(-1)).toBe('contact');
    expect(policy.isAllowed('email', 'deep4999')).toBe(policy.isAllowed('email', 'contact'));
  });

  it('a long parent cycle: one issue per member, each message shortened', () => {
    const s = broken((x) => {
      const purposes = x.purposes as Record<string, unknown>;
      for (let i = 0; i < 3000; i++) purposes[`ring${i}`] = { ...(purposes['contact'] as object), parent: `ring${(i + 1) % 3000}` };
    });
    const cycle = issuesOf(s).filter((i) => /cycle/.test(i.message));
    expect(cycle).toHaveLength(3000);
    expect(cycle.map((i) => i.path)).toContain('purposes.ring17.parent');
    expect(cycle.find((i) => i.path === 'purposes.ring17.parent')?.message).toMatch(/^parent chain forms a cycle: ring17 -> ring18 -> .* -> … \(3000 purposes\) -> ring17$/);
    expect(Math.max(...cycle.map((i) => i.message.length))).toBeLessThan(400);
  });

  it('ids differing only in case, and duplicates in lists', () => {
    const issues = issuesOf(
      broken((s) => {
        s.purposes.Contact = { ...s.purposes.contact };
        s.fields.EMAIL = { ...s.fields.email };
        s.fields.name.purposes = ['contact', 'contact'];
      }),
    );
    expect(issues.find((i) => i.path === 'purposes.Contact')?.message).toMatch(/only in case/);
    expect(issues.find((i) => i.path === 'fields.EMAIL')?.message).toMatch(/only in case/);
    expect(issues.find((i) => i.path === 'fields.name.purposes[1]')?.message).toMatch(/duplicate purpose/);
  });

  it('missing Japanese or English texts everywhere texts are required', () => {
    const issues = issuesOf(
      broken((s) => {
        s.controller.name = { en: 'Shop' };
        s.fields.email.title = { ja: 'メール' };
        s.collectionPoints.signup.title = { en: 'Sign-up', ja: '  ' };
        s.vendors.printer.name = {};
      }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['controller.name.ja', 'fields.email.title.en', 'collectionPoints.signup.title.ja', 'vendors.printer.name.en', 'vendors.printer.name.ja']),
    );
  });

  it('a contact e-mail longer than an address can be (RFC 5321: 254 characters)', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.jp`;
    expect(long.length).toBeGreaterThan(254);
    const issues = issuesOf(
      broken((s) => {
        s.controller.contact = { ...(s.controller.contact ?? {}), email: long };
      }),
    );
    expect(issues.map((i) => i.path)).toContain('controller.contact.email');
    expect(JSON.stringify(issues)).not.toContain(long);
  });

  it('a policy declaring only English needs only English', () => {
    const s = broken((x) => {
      x.languages = ['en'];
      x.purposes.contact.title = { en: 'Contact' };
    });
    expect(definePolicy(s).languages).toEqual(['en']);
  });

  it('contractor without contract; vendor receiving a field for none of its purposes', () => {
    const issues = issuesOf(
      broken((s) => {
        delete s.vendors.printer.contract;
        s.vendors.printer.fields = ['name', 'email'];
      }),
    );
    expect(issues.find((i) => i.path === 'vendors.printer.contract')?.message).toMatch(/contractor needs a contract/);
    expect(issues.find((i) => i.path === 'vendors.printer.fields')?.message).toMatch(/field "email"/);
  });

  it('outside-scope purposes: no field may list them, no collection point may announce them', () => {
    const issues = issuesOf(
      broken((s) => {
        s.fields.email.purposes = ['contact', 'courtOrder'];
        s.collectionPoints.signup.purposes = ['contact', 'courtOrder'];
      }),
    );
    expect(issues.find((i) => i.path === 'fields.email.purposes[1]')?.message).toMatch(/scope "outside"/);
    expect(issues.find((i) => i.path === 'collectionPoints.signup.purposes[1]')?.message).toMatch(/scope "outside"/);
  });

  it('Art. 21: a collected field must have one of its purposes announced at the point', () => {
    const issues = issuesOf(broken((s) => void (s.collectionPoints.signup.fields = ['email', 'name', 'age'])));
    expect(issues.find((i) => i.path === 'collectionPoints.signup.fields')?.message).toMatch(/field "age"/);
  });

  it('unknown keys, wrong types, a non-zod schema and a non-object spec', () => {
    const issues = issuesOf(
      broken((s) => {
        s.fields.email.titel = 'x';
        s.fields.name.schema = { parse: () => 1 };
        s.purposes.contact.retention = 3;
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['fields.email.titel', 'fields.name.schema', 'purposes.contact.retention']));
    expect(issuesOf(null)).toEqual([{ path: '', message: 'policy spec must be an object' }]);
    expect(issuesOf([])).toHaveLength(1);
    const e = (() => {
      try {
        definePolicy(broken((s) => void (s.purposes.marketing.retention = 'forever')));
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(e?.message).toContain('purposes.marketing.retention');
  });

  it('reserved ids (prototype keys) are rejected', () => {
    const spec = broken((s) => {
      s.purposes.constructor = { ...s.purposes.contact };
    });
    expect(issuesOf(spec).some((i) => /reserved/.test(i.message))).toBe(true);
    const withProto = broken((s) => {
      s.fields = JSON.parse('{"__proto__": {"title": {"en": "x", "ja": "y"}}}');
    });
    expect(issuesOf(withProto).some((i) => /__proto__|reserved/.test(i.message + i.path))).toBe(true);
  });

  it('a spec whose zod schema is valid but empty field list works', () => {
    const p = definePolicy({ ...cloneSpec(shopSpec), fields: {}, collectionPoints: {}, vendors: {} });
    expect(p.fieldIds).toEqual([]);
    expect(z.string().safeParse('x').success).toBe(true);
  });
});

describe('the ji4pe policy (examples/ji4pe/policy.ts)', () => {
  const p = ji4pePolicy;
  it('defines cleanly', () => {
    expect(isPolicy(p)).toBe(true);
    expect(p.id).toBe('ji4pe');
    expect(p.effective).toBe('2020-09-01');
  });

  it('models the six purposes of §3 and §3.7 incidental purposes as their children', () => {
    const roots = p.purposeIds.filter((id) => p.purpose(id).parent === undefined && (p.purpose(id).scope ?? 'announced') === 'announced');
    expect(roots).toEqual(expect.arrayContaining(['contact', 'identification', 'eventInsurance', 'applicationPrefill', 'abusePrevention', 'inquiryResponse']));
    const incidental = p.purposeIds.filter((id) => p.purpose(id).parent !== undefined);
    expect(incidental.length).toBeGreaterThanOrEqual(1);
    for (const id of incidental) expect(roots).toContain(p.lineage(id).at(-1));
    expect(p.purpose('receipts').parent).toBe('identification');
    // A field allowed for the parent is allowed for the incidental purpose.
    expect(p.isAllowed('name', 'receipts')).toBe(true);
    expect(p.isAllowed('address', 'courseMaterials')).toBe(true);
    // §3.4 is consent-based: application prefill.
    expect(p.purpose('applicationPrefill').basis).toBe('consent');
    for (const id of p.purposeIds) {
      expect(p.purpose(id).title.ja).toBeTruthy();
      expect(p.purpose(id).title.en).toBeTruthy();
    }
  });

  it('models the three collection points of §2 (course, event, inquiry) and the §11 entrusted one', () => {
    expect(p.collectionPointIds).toEqual(expect.arrayContaining(['courseApplication', 'eventApplication', 'inquiry', 'entrustedSeminar']));
    for (const f of ['name', 'dateOfBirth', 'address', 'phone', 'email']) expect(p.collectionPoint('courseApplication').fields).toContain(f);
    expect(p.collectionPoint('entrustedSeminar').source).toBe('entrusted');
    expect(p.collectionPoint('entrustedSeminar').purposes).toEqual(['entrustedOperation']);
  });

  it('models the §3 exceptions and only those, with outside-scope purposes no field lists', () => {
    expect(p.exceptions).toEqual(['law', 'life-body-property']);
    const outside = p.purposeIds.filter((id) => p.purpose(id).scope === 'outside');
    expect(outside.sort()).toEqual(['emergency', 'legalCompliance']);
    for (const f of p.fieldIds) for (const o of outside) expect(p.isAllowed(f, o)).toBe(false);
  });

  it('models §9 contractors with contracts and the §10 third party', () => {
    const contractors = p.vendorIds.filter((v) => p.vendor(v).role === 'contractor');
    expect(contractors.length).toBeGreaterThanOrEqual(1);
    for (const v of contractors) expect(p.vendor(v).contract).toBeTruthy();
    expect(p.vendor('eventInsurer').role).toBe('third-party');
    expect(p.vendor('eventInsurer').fields).toEqual(['name', 'dateOfBirth']);
  });
});
