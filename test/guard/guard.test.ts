import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuditWriteError,
  ConsentRequiredError,
  createGuard,
  createMemoryAuditLog,
  definePolicy,
  ExceptionNotPermittedError,
  FieldNotIssuedError,
  InvalidArgumentError,
  PurposeBoundError,
  PurposeNotAllowedError,
  SubjectErasedError,
  UnknownPurposeError,
  UseSuspendedError,
  verifyAuditLog,
  type AuditEntry,
  type AuditLog,
} from 'purpose-bound';
import { otherShop, shop, shopSpec } from '../fixtures/shop-policy.js';

const actor = 'staff:7';
const law = { exception: 'law', reference: 'Court order 2026-(wa)-118' } as const;

function setup(extra: Partial<Parameters<typeof createGuard<typeof shop>>[0]> = {}) {
  const audit = createMemoryAuditLog();
  const guard = createGuard({ policy: shop, audit, clock: () => new Date('2026-03-01T09:00:00.000Z'), ...extra });
  const email = shop.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
  const name = shop.wrap('name', 'Hanako Tanaka', { subject: 'subject-1' });
  const address = shop.wrap('address', { city: 'Kyoto', street: '1-2 Gion', zip: '605-0001' }, { subject: 'subject-1' });
  const entries = async () => (await guard.audit.entries()) as readonly AuditEntry[];
  const last = async () => (await entries()).at(-1);
  return { guard, audit, email, name, address, entries, last };
}

async function rejection(promise: Promise<unknown>): Promise<PurposeBoundError> {
  try {
    await promise;
  } catch (error) {
    return error as PurposeBoundError;
  }
  throw new Error('expected a rejection');
}

describe('guard.read', () => {
  it('works with only a policy (in-memory audit, consents, suspensions)', async () => {
    const guard = createGuard({ policy: shop });
    const email = shop.wrap('email', 'hana@example.jp', { subject: 's1' });
    await expect(guard.read(email, { purpose: 'contact', actor })).resolves.toBe('hana@example.jp');
    expect(await guard.audit.entries()).toHaveLength(1);
  });

  it('allowed read returns the value and audits allow with every detail, never the value', async () => {
    const { guard, email, last } = setup();
    await expect(guard.read(email, { purpose: 'contact', actor })).resolves.toBe('hana@example.jp');
    const e = await last();
    expect(e).toMatchObject({
      seq: 1,
      at: '2026-03-01T09:00:00.000Z',
      action: 'read',
      actor,
      subject: 'subject-1',
      field: 'email',
      purpose: 'contact',
      basis: 'purpose',
      decision: 'allow',
    });
    expect(e?.reason).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('hana@example.jp');
  });

  it('a child purpose is allowed through its parent (two levels)', async () => {
    const { guard, name } = setup();
    await expect(guard.read(name, { purpose: 'receipts' as never, actor })).resolves.toBe('Hanako Tanaka');
    await expect(guard.read(name, { purpose: 'reprints', actor })).resolves.toBe('Hanako Tanaka');
  });

  it('PurposeNotAllowedError for a purpose the field does not allow (audited as deny)', async () => {
    const { guard, email, last } = setup();
    const e = await rejection(guard.read(email, { purpose: 'billing' as never, actor }));
    expect(e).toBeInstanceOf(PurposeNotAllowedError);
    expect(e).toMatchObject({ code: 'PURPOSE_NOT_ALLOWED', field: 'email', purpose: 'billing', subject: 'subject-1' });
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'PURPOSE_NOT_ALLOWED', field: 'email', purpose: 'billing', actor, subject: 'subject-1', basis: 'purpose' });
  });

  it('a parent is not allowed through its child', async () => {
    const policyGuard = setup();
    const f = shop.wrap('name', 'x', { subject: 's9', restrictTo: ['receipts'] });
    await expect(policyGuard.guard.read(f, { purpose: 'billing' as never, actor })).rejects.toBeInstanceOf(PurposeNotAllowedError);
  });

  it('UnknownPurposeError for an undefined purpose (audited as deny)', async () => {
    const { guard, email, last } = setup();
    await expect(guard.read(email, { purpose: 'marketting' as never, actor })).rejects.toBeInstanceOf(UnknownPurposeError);
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'UNKNOWN_PURPOSE', purpose: 'marketting' });
  });

  it('consent-basis purposes need consent in force; withdrawal takes effect at once', async () => {
    const { guard, email, last } = setup();
    const e = await rejection(guard.read(email, { purpose: 'newsletter', actor }));
    expect(e).toBeInstanceOf(ConsentRequiredError);
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'CONSENT_REQUIRED' });

    const rec = await guard.grantConsent({ subject: 'subject-1', purpose: 'newsletter', actor: 'subject', method: 'web-form' });
    expect(rec).toMatchObject({ subject: 'subject-1', purpose: 'newsletter', state: 'granted', noticeVersion: '3', method: 'web-form' });
    expect(await last()).toMatchObject({ action: 'consent.grant', decision: 'record', purpose: 'newsletter', details: { consent: rec.id, noticeVersion: '3' } });
    await expect(guard.read(email, { purpose: 'newsletter', actor })).resolves.toBe('hana@example.jp');

    await guard.withdrawConsent({ subject: 'subject-1', purpose: 'newsletter', actor: 'subject' });
    expect(await last()).toMatchObject({ action: 'consent.withdraw' });
    await expect(guard.read(email, { purpose: 'newsletter', actor })).rejects.toBeInstanceOf(ConsentRequiredError);
  });

  it('consent for another subject or an expired consent does not count', async () => {
    const { guard, email } = setup();
    await guard.grantConsent({ subject: 'subject-2', purpose: 'newsletter', actor: 'subject' });
    await expect(guard.read(email, { purpose: 'newsletter', actor })).rejects.toBeInstanceOf(ConsentRequiredError);
    await guard.grantConsent({ subject: 'subject-1', purpose: 'newsletter', actor: 'subject', expiresAt: '2026-02-01T00:00:00Z' });
    await expect(guard.read(email, { purpose: 'newsletter', actor })).rejects.toBeInstanceOf(ConsentRequiredError);
    await expect(guard.grantConsent({ subject: 'subject-1', purpose: 'newsletter', actor: 'subject', expiresAt: 'soon' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('suspension of all purposes denies every read; lifting restores it', async () => {
    const { guard, email, name, last } = setup();
    const s = await guard.suspend({ subject: 'subject-1', purposes: 'all', actor: 'dpo', requestId: 'req-1' });
    expect(await last()).toMatchObject({ action: 'suspension.start', decision: 'record', reference: 'req-1', details: { suspension: s.id, purposes: 'all' } });
    const e = await rejection(guard.read(email, { purpose: 'contact', actor }));
    expect(e).toBeInstanceOf(UseSuspendedError);
    expect(e).toMatchObject({ code: 'USE_SUSPENDED', field: 'email', purpose: 'contact', subject: 'subject-1' });
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'USE_SUSPENDED' });
    await expect(guard.read(name, { purpose: 'billing', actor })).rejects.toBeInstanceOf(UseSuspendedError);
    // other subjects are not affected
    await expect(guard.read(shop.wrap('email', 'b@c.jp', { subject: 'subject-2' }), { purpose: 'contact', actor })).resolves.toBe('b@c.jp');

    await guard.liftSuspension({ id: s.id, subject: 'subject-1', actor: 'dpo' });
    expect(await last()).toMatchObject({ action: 'suspension.lift', details: { suspension: s.id } });
    await expect(guard.read(email, { purpose: 'contact', actor })).resolves.toBe('hana@example.jp');
    await expect(guard.liftSuspension({ id: s.id, subject: 'subject-1', actor: 'dpo' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('suspension of some purposes; a suspended parent suspends its children', async () => {
    const { guard, name } = setup();
    await guard.suspend({ subject: 'subject-1', purposes: ['billing'], actor: 'dpo' });
    await expect(guard.read(name, { purpose: 'contact', actor })).resolves.toBe('Hanako Tanaka');
    await expect(guard.read(name, { purpose: 'billing', actor })).rejects.toBeInstanceOf(UseSuspendedError);
    await expect(guard.read(name, { purpose: 'receipts', actor })).rejects.toBeInstanceOf(UseSuspendedError);
    await expect(guard.read(name, { purpose: 'reprints', actor })).rejects.toBeInstanceOf(UseSuspendedError);
  });

  it('suspending a child leaves the parent usable', async () => {
    const { guard, name } = setup();
    await guard.suspend({ subject: 'subject-1', purposes: ['receipts'], actor: 'dpo' });
    await expect(guard.read(name, { purpose: 'billing', actor })).resolves.toBe('Hanako Tanaka');
    await expect(guard.read(name, { purpose: 'reprints', actor })).rejects.toBeInstanceOf(UseSuspendedError);
  });

  it('suspend/lift validate their input', async () => {
    const { guard } = setup();
    await expect(guard.suspend({ subject: 'subject-1', purposes: [], actor: 'dpo' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guard.suspend({ subject: 'subject-1', purposes: ['nope' as never], actor: 'dpo' })).rejects.toBeInstanceOf(UnknownPurposeError);
    await expect(guard.suspend({ subject: '', purposes: 'all', actor: 'dpo' })).rejects.toBeInstanceOf(InvalidArgumentError);
    const s = await guard.suspend({ subject: 'subject-1', purposes: 'all', actor: 'dpo' });
    await expect(guard.liftSuspension({ id: s.id, subject: 'subject-2', actor: 'dpo' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guard.liftSuspension({ id: 'nope', subject: 'subject-1', actor: 'dpo' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('erasure registry: SubjectErasedError, audited', async () => {
    const { guard, email, last } = setup({ erasures: { erasedAt: async (s) => (s === 'subject-1' ? '2026-02-01T00:00:00.000Z' : undefined) } });
    const e = await rejection(guard.read(email, { purpose: 'contact', actor }));
    expect(e).toBeInstanceOf(SubjectErasedError);
    expect(e).toMatchObject({ code: 'SUBJECT_ERASED', subject: 'subject-1', erasedAt: '2026-02-01T00:00:00.000Z' });
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'SUBJECT_ERASED' });
    await expect(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis: law })).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('restrictTo narrows the field to the entrusted purposes (and their children)', async () => {
    const { guard } = setup();
    const name = shop.wrap('name', 'Hanako', { subject: 's2', restrictTo: ['billing'] });
    await expect(guard.read(name, { purpose: 'contact', actor })).rejects.toBeInstanceOf(PurposeNotAllowedError);
    await expect(guard.read(name, { purpose: 'billing', actor })).resolves.toBe('Hanako');
    await expect(guard.read(name, { purpose: 'receipts', actor })).resolves.toBe('Hanako');
    // restricting to a purpose the field does not allow leaves nothing allowed
    const email = shop.wrap('email', 'a@b.jp', { subject: 's2', restrictTo: ['billing'] });
    await expect(guard.read(email, { purpose: 'contact', actor })).rejects.toBeInstanceOf(PurposeNotAllowedError);
  });

  it('fields from another policy, copies, proxies and look-alikes are rejected', async () => {
    const { guard, email, last } = setup();
    // Genuine fields of another issuer: another policy, or a look-alike policy object with the
    // same id and spec. Refused with FieldNotIssuedError, audited as a deny in this guard's log.
    const foreign = otherShop.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
    const lookAlike = definePolicy(shopSpec).wrap('email', 'hana@example.jp', { subject: 'subject-1' });
    for (const f of [foreign, lookAlike]) {
      const e = await rejection(guard.read(f as never, { purpose: 'contact', actor }));
      expect(e).toBeInstanceOf(FieldNotIssuedError);
      expect(e).toMatchObject({ code: 'FIELD_NOT_ISSUED', field: 'email', subject: 'subject-1' });
      expect(await last()).toMatchObject({ action: 'read', subject: 'subject-1', field: 'email', decision: 'deny', reason: 'FIELD_NOT_ISSUED' });
      await expect(guard.readOutsidePurpose(f as never, { purpose: 'courtOrder', actor, basis: law })).rejects.toBeInstanceOf(FieldNotIssuedError);
    }
    // Not fields at all: copies, proxies, look-alike objects.
    for (const f of [{ ...email }, new Proxy(email, {}), Object.create(email), structuredClone(email), { field: 'email', subject: 'subject-1' }, null, 'hana@example.jp']) {
      const e = await rejection(guard.read(f as never, { purpose: 'contact', actor }));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as InvalidArgumentError).argument).toBe('field');
    }
  });

  it('object values are copied out: mutating the result leaves the sealed value intact', async () => {
    const { guard, address } = setup();
    const a = await guard.read(address, { purpose: 'billing', actor });
    a.city = 'Osaka';
    const b = await guard.read(address, { purpose: 'billing', actor });
    expect(b.city).toBe('Kyoto');
    expect(a).not.toBe(b);
  });

  it('invalid options are rejected before anything else, naming the argument', async () => {
    const { guard, email } = setup();
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [{ purpose: 'contact' }, 'options.actor'],
      [{ purpose: 'contact', actor: '  ' }, 'options.actor'],
      [{ purpose: 'contact', actor: 'x'.repeat(201) }, 'options.actor'],
      [{ purpose: '', actor }, 'options.purpose'],
      [{ purpose: 7, actor }, 'options.purpose'],
    ];
    for (const [options, argument] of cases) {
      const e = await rejection(guard.read(email, options as never));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('createGuard validates its options', () => {
    expect(() => createGuard(undefined as never)).toThrow(InvalidArgumentError);
    expect(() => createGuard({ policy: {} as never })).toThrow(InvalidArgumentError);
  });
});

describe('guard.readOutsidePurpose', () => {
  it('with recorded consent for that purpose', async () => {
    const { guard, email, last } = setup();
    await expect(guard.readOutsidePurpose(email, { purpose: 'marketing', actor, basis: 'consent' })).rejects.toBeInstanceOf(ConsentRequiredError);
    expect(await last()).toMatchObject({ action: 'read-outside-purpose', basis: 'consent', decision: 'deny', reason: 'CONSENT_REQUIRED' });
    await guard.grantConsent({ subject: 'subject-1', purpose: 'marketing', actor: 'subject' });
    await expect(guard.readOutsidePurpose(email, { purpose: 'marketing', actor, basis: 'consent' })).resolves.toBe('hana@example.jp');
    expect(await last()).toMatchObject({ action: 'read-outside-purpose', basis: 'consent', decision: 'allow', purpose: 'marketing' });
  });

  it.each(['law', 'life-body-property'] as const)('with the legal exception %s and a reference', async (exception) => {
    const { guard, email, last } = setup();
    const basis = { exception, reference: 'Police request 2026-44' };
    await expect(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis })).resolves.toBe('hana@example.jp');
    expect(await last()).toMatchObject({ action: 'read-outside-purpose', basis: `exception:${exception}`, reference: 'Police request 2026-44', decision: 'allow' });
  });

  it.each(['public-health-children', 'public-body-cooperation'] as const)('exception %s, not permitted by this policy: ExceptionNotPermittedError, audited', async (exception) => {
    const { guard, email, last } = setup();
    const e = await rejection(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis: { exception, reference: 'r-1' } }));
    expect(e).toBeInstanceOf(ExceptionNotPermittedError);
    expect(e).toMatchObject({ code: 'EXCEPTION_NOT_PERMITTED', exception });
    expect(await last()).toMatchObject({ decision: 'deny', reason: 'EXCEPTION_NOT_PERMITTED', basis: `exception:${exception}` });
  });

  it('an exception needs a reference; the basis must be well-formed', async () => {
    const { guard, email } = setup();
    for (const basis of [{ exception: 'law' }, { exception: 'law', reference: ' ' }, { exception: 'law', reference: 'x'.repeat(501) }]) {
      const e = await rejection(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis } as never));
      expect((e as InvalidArgumentError).argument).toBe('options.basis.reference');
    }
    for (const basis of [undefined, 'because', { exception: 'whim', reference: 'r' }, { reference: 'r' }]) {
      await expect(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(guard.readOutsidePurpose(email, { purpose: 'nope' as never, actor, basis: law })).rejects.toBeInstanceOf(UnknownPurposeError);
  });

  it('legal exceptions override suspension; consent does not', async () => {
    const { guard, email } = setup();
    await guard.grantConsent({ subject: 'subject-1', purpose: 'marketing', actor: 'subject' });
    await guard.suspend({ subject: 'subject-1', purposes: 'all', actor: 'dpo' });
    await expect(guard.readOutsidePurpose(email, { purpose: 'marketing', actor, basis: 'consent' })).rejects.toBeInstanceOf(UseSuspendedError);
    await expect(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis: law })).resolves.toBe('hana@example.jp');
  });
});

describe('audit of every decision', () => {
  it('a mixed sequence of decisions leaves a valid chain with one entry each, no value anywhere', async () => {
    const { guard, email, name, entries } = setup();
    await guard.read(email, { purpose: 'contact', actor });
    await guard.read(email, { purpose: 'billing' as never, actor }).catch(() => undefined);
    await guard.read(email, { purpose: 'newsletter', actor }).catch(() => undefined);
    await guard.readOutsidePurpose(name, { purpose: 'courtOrder', actor, basis: law });
    const all = await entries();
    expect(all.map((e) => [e.decision, e.reason ?? null])).toEqual([
      ['allow', null],
      ['deny', 'PURPOSE_NOT_ALLOWED'],
      ['deny', 'CONSENT_REQUIRED'],
      ['allow', null],
    ]);
    for (const e of all) for (const k of ['at', 'actor', 'subject', 'field', 'purpose', 'basis', 'decision'] as const) expect(e[k]).toBeTruthy();
    const text = JSON.stringify(all) + inspect(all, { depth: Infinity });
    expect(text).not.toContain('hana@example.jp');
    expect(text).not.toContain('Hanako');
    expect(await verifyAuditLog(guard.audit)).toMatchObject({ valid: true, entries: 4 });
  });

  it('an unknown purpose that is not id-shaped is recorded as a description, not verbatim', async () => {
    const { guard, email, last } = setup();
    await guard.read(email, { purpose: 'drop table; hana@example.jp' as never, actor }).catch(() => undefined);
    expect((await last())?.purpose).not.toContain('hana@example.jp');
  });

  it.each([
    [
      'throws',
      (): AuditLog => ({
        append: () => {
          throw new Error('disk full');
        },
        entries: () => [],
      }),
    ],
    [
      'rejects',
      (): AuditLog => ({
        append: async () => {
          throw new Error('disk full');
        },
        entries: () => [],
      }),
    ],
  ])('an audit log whose append %s fails closed with AuditWriteError and no value', async (_label, make) => {
    const guard = createGuard({ policy: shop, audit: make() });
    const email = shop.wrap('email', 'hana@example.jp', { subject: 's1' });
    const e = await rejection(guard.read(email, { purpose: 'contact', actor }));
    expect(e).toBeInstanceOf(AuditWriteError);
    expect(e.code).toBe('AUDIT_WRITE_FAILED');
    expect(e.cause).toBeUndefined(); // a foreign error could carry anything: not passed through
    // denials fail closed too: the audit error wins over the denial
    await expect(guard.read(email, { purpose: 'billing' as never, actor })).rejects.toBeInstanceOf(AuditWriteError);
    await expect(guard.readOutsidePurpose(email, { purpose: 'courtOrder', actor, basis: law })).rejects.toBeInstanceOf(AuditWriteError);
    await expect(guard.grantConsent({ subject: 's1', purpose: 'newsletter', actor })).rejects.toBeInstanceOf(AuditWriteError);
  });

  it('an audit failure that is itself an SDK error is kept as cause', async () => {
    const inner = new AuditWriteError();
    const guard = createGuard({
      policy: shop,
      audit: {
        append: () => {
          throw inner;
        },
        entries: () => [],
      },
    });
    const e = await rejection(guard.read(shop.wrap('email', 'a@b.jp', { subject: 's1' }), { purpose: 'contact', actor }));
    expect(e.cause).toBe(inner);
  });

  it('guard.record appends ids-only entries to the same chain', async () => {
    const { guard, entries } = setup();
    const e = await guard.record({
      action: 'provide',
      actor: 'dpo',
      subject: 's1',
      field: 'name',
      purpose: 'receipts',
      basis: 'contract',
      decision: 'record',
      details: { vendor: 'printer', count: 1 },
    });
    expect(e).toMatchObject({ seq: 1, action: 'provide', at: '2026-03-01T09:00:00.000Z' });
    expect(await entries()).toHaveLength(1);
    await expect(guard.record({ action: '', actor: 'dpo', decision: 'record' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(guard.record({ action: 'x', actor: '', decision: 'record' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
