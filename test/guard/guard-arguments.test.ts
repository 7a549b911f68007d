/**
 * The guard's write operations (consent, suspension, `record`) and reads refuse malformed input
 * with an `InvalidArgumentError` naming the argument (or `UnknownPurposeError`), audit nothing
 * then, and keep every optional member they were given.
 */
import { describe, expect, it } from 'vitest';
import { createGuard, createMemoryAuditLog, createMemoryConsentRegistry, createMemorySuspensionRegistry, type AuditEntry, type ConsentRecord } from 'purpose-bound';
import { shop } from '../fixtures/shop-policy.js';

function setup() {
  const guard = createGuard({ policy: shop, audit: createMemoryAuditLog(), clock: () => new Date('2026-03-01T09:00:00.000Z') });
  const entries = async () => (await guard.audit.entries()) as readonly AuditEntry[];
  return { guard, entries };
}

/** The error's code and argument (or purpose), or `resolved` when the call succeeded. */
async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    const e = error as { code?: string; argument?: string; purpose?: string };
    return `${e.code} ${e.argument ?? e.purpose ?? ''}`.trim();
  }
}

const base = { subject: 'subject-1', actor: 'dpo' } as const;

describe('guard arguments', () => {
  it('grantConsent and withdrawConsent name what they refuse, and audit nothing then', async () => {
    const { guard, entries } = setup();
    const g = (input: unknown) => refusal(() => guard.grantConsent(input as never));
    expect(await g(null)).toBe('INVALID_ARGUMENT input');
    expect(await g('consent')).toBe('INVALID_ARGUMENT input');
    expect(await g({ ...base, subject: '', purpose: 'newsletter' })).toBe('INVALID_ARGUMENT input.subject');
    expect(await g({ ...base, actor: '', purpose: 'newsletter' })).toBe('INVALID_ARGUMENT input.actor');
    expect(await g({ ...base, purpose: 'nope' })).toBe('UNKNOWN_PURPOSE nope');
    expect(await g({ ...base, purpose: 7 })).toMatch(/^UNKNOWN_PURPOSE/);
    expect(await g({ ...base, purpose: 'newsletter', expiresAt: 20260101 })).toBe('INVALID_ARGUMENT input.expiresAt');
    expect(await g({ ...base, purpose: 'newsletter', expiresAt: 'soon' })).toBe('INVALID_ARGUMENT input.expiresAt');
    expect(await g({ ...base, purpose: 'newsletter', method: '' })).toBe('INVALID_ARGUMENT input.method');
    expect(await g({ ...base, purpose: 'newsletter', noticeVersion: 'v'.repeat(65) })).toBe('INVALID_ARGUMENT input.noticeVersion');
    expect(await refusal(() => guard.withdrawConsent({ ...base, purpose: 'nope' } as never))).toBe('UNKNOWN_PURPOSE nope');
    expect(await entries()).toEqual([]);
  });

  it('a consent keeps its method, expiry and notice version, and is audited under its own action', async () => {
    const { guard, entries } = setup();
    const rec = await guard.grantConsent({ ...base, purpose: 'newsletter', method: 'paper', expiresAt: '2027-01-01T00:00:00.000Z', noticeVersion: 'n-9' });
    expect(rec).toMatchObject({ state: 'granted', method: 'paper', expiresAt: '2027-01-01T00:00:00.000Z', noticeVersion: 'n-9', at: '2026-03-01T09:00:00.000Z' });
    const plain = await guard.withdrawConsent({ ...base, purpose: 'newsletter' });
    expect(plain).toMatchObject({ state: 'withdrawn', noticeVersion: shop.version });
    expect(Object.keys(plain)).not.toContain('method');
    expect(Object.keys(plain)).not.toContain('expiresAt');
    expect((await entries()).map((e) => e.action)).toEqual(['consent.grant', 'consent.withdraw']);
  });

  it('suspend and liftSuspension name what they refuse', async () => {
    const { guard, entries } = setup();
    const s = (input: unknown) => refusal(() => guard.suspend(input as never));
    expect(await s(null)).toBe('INVALID_ARGUMENT input');
    expect(await s({ ...base, subject: 3, purposes: 'all' })).toBe('INVALID_ARGUMENT input.subject');
    expect(await s({ ...base, actor: null, purposes: 'all' })).toBe('INVALID_ARGUMENT input.actor');
    expect(await s({ ...base, purposes: [] })).toBe('INVALID_ARGUMENT input.purposes');
    expect(await s({ ...base, purposes: 'billing' })).toBe('INVALID_ARGUMENT input.purposes');
    expect(await s({ ...base, purposes: ['billing', 'nope'] })).toBe('UNKNOWN_PURPOSE nope');
    expect(await s({ ...base, purposes: [5] })).toMatch(/^UNKNOWN_PURPOSE/);
    expect(await s({ ...base, purposes: 'all', reason: '' })).toBe('INVALID_ARGUMENT input.reason');
    expect(await s({ ...base, purposes: 'all', requestId: 'r'.repeat(201) })).toBe('INVALID_ARGUMENT input.requestId');
    const l = (input: unknown) => refusal(() => guard.liftSuspension(input as never));
    expect(await l(undefined)).toBe('INVALID_ARGUMENT input');
    expect(await l({ ...base, subject: '', id: 'x' })).toBe('INVALID_ARGUMENT input.subject');
    expect(await l({ ...base, actor: '', id: 'x' })).toBe('INVALID_ARGUMENT input.actor');
    expect(await l({ ...base, id: '' })).toBe('INVALID_ARGUMENT input.id');
    expect(await l({ ...base, id: 42 })).toBe('INVALID_ARGUMENT input.id');
    expect(await l({ ...base, id: 'no-such-suspension' })).toBe('INVALID_ARGUMENT input.id');
    expect(await entries()).toEqual([]);
  });

  it('a suspension keeps its reason and request, audits the purposes it covers; another subject cannot lift it', async () => {
    const { guard, entries } = setup();
    const some = await guard.suspend({ ...base, purposes: ['billing', 'contact'], reason: 'objection', requestId: 'req-7' });
    expect(some).toMatchObject({ purposes: ['billing', 'contact'], reason: 'objection', requestId: 'req-7' });
    const bare = await guard.suspend({ ...base, purposes: 'all' });
    expect(Object.keys(bare)).not.toContain('reason');
    expect(Object.keys(bare)).not.toContain('requestId');
    const [first, second] = await entries();
    expect(first).toMatchObject({ action: 'suspension.start', reference: 'req-7', details: { suspension: some.id, purposes: 'billing,contact' } });
    expect(second?.reference).toBeUndefined();
    expect(await refusal(() => guard.liftSuspension({ subject: 'subject-2', actor: 'dpo', id: some.id }))).toBe('INVALID_ARGUMENT input.id');
  });

  it('record names the member it refuses and accepts the edge of each rule', async () => {
    const { guard, entries } = setup();
    const ok = { action: 'export', actor: 'dpo', decision: 'record' } as const;
    const r = (input: unknown) => refusal(() => guard.record(input as never));
    expect(await r(null)).toBe('INVALID_ARGUMENT input');
    expect(await r({ ...ok, actor: '' })).toBe('INVALID_ARGUMENT input.actor');
    expect(await r({ ...ok, action: '' })).toBe('INVALID_ARGUMENT input.action');
    expect(await r({ ...ok, action: 9 })).toBe('INVALID_ARGUMENT input.action');
    expect(await r({ ...ok, action: 'a'.repeat(201) })).toBe('INVALID_ARGUMENT input.action');
    expect(await r({ ...ok, decision: 'maybe' })).toBe('INVALID_ARGUMENT input.decision');
    expect(await r({ ...ok, at: 'yesterday' })).toBe('INVALID_ARGUMENT input.at');
    expect(await r({ ...ok, at: 1700000000000 })).toBe('INVALID_ARGUMENT input.at');
    for (const key of ['subject', 'field', 'purpose', 'basis', 'reference', 'reason']) expect(await r({ ...ok, [key]: 1 })).toBe(`INVALID_ARGUMENT input.${key}`);
    expect(await r({ ...ok, details: 'x' })).toBe('INVALID_ARGUMENT input.details');
    expect(await r({ ...ok, details: null })).toBe('INVALID_ARGUMENT input.details');
    expect(await r({ ...ok, details: ['a'] })).toBe('INVALID_ARGUMENT input.details');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, { nested: 1 }, undefined, 1n]) expect(await r({ ...ok, details: { k: bad } })).toBe('INVALID_ARGUMENT input.details');
    expect(await entries()).toEqual([]);

    for (const decision of ['allow', 'deny', 'record'] as const) expect(await r({ ...ok, decision })).toBe('resolved');
    expect(await r({ ...ok, action: 'a'.repeat(200), at: '2026-02-01T00:00:00Z' })).toBe('resolved');
    expect(await r({ ...ok, details: { s: 'id', n: 2, b: false, z: null } })).toBe('resolved');
    const all = await entries();
    expect(all.map((e) => e.decision)).toEqual(['allow', 'deny', 'record', 'record', 'record']);
    expect(all[3]?.at).toBe('2026-02-01T00:00:00Z');
    expect(all[4]).toMatchObject({ at: '2026-03-01T09:00:00.000Z', details: { s: 'id', n: 2, b: false, z: null } });
  });

  it('reads name the option they refuse', async () => {
    const { guard, entries } = setup();
    const email = shop.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
    const read = (options: unknown) => refusal(() => guard.read(email, options as never));
    expect(await read(null)).toBe('INVALID_ARGUMENT options');
    expect(await read({ purpose: 'contact' })).toBe('INVALID_ARGUMENT options.actor');
    expect(await read({ purpose: '', actor: 'a' })).toBe('INVALID_ARGUMENT options.purpose');
    expect(await read({ purpose: 3, actor: 'a' })).toBe('INVALID_ARGUMENT options.purpose');
    const outside = (options: unknown) => refusal(() => guard.readOutsidePurpose(email, options as never));
    expect(await outside({ purpose: 'marketing', actor: 'a' })).toBe('INVALID_ARGUMENT options.basis');
    expect(await outside({ purpose: 'marketing', actor: 'a', basis: { exception: 'whim', reference: 'r' } })).toBe('INVALID_ARGUMENT options.basis.exception');
    expect(await outside({ purpose: 'marketing', actor: 'a', basis: { exception: 'law' } })).toBe('INVALID_ARGUMENT options.basis.reference');
    expect(await outside({ purpose: 'marketing', actor: 'a', basis: { exception: 'law', reference: 'r'.repeat(501) } })).toBe('INVALID_ARGUMENT options.basis.reference');
    expect(await outside({ purpose: 'marketing', actor: 'a', basis: { exception: 7, reference: 'r' } })).toBe('INVALID_ARGUMENT options.basis');
    expect(await outside({ purpose: 'marketing', actor: 'a', basis: null })).toBe('INVALID_ARGUMENT options.basis');
    expect(await refusal(() => guard.read({ ...email } as never, { purpose: 'contact', actor: 'a' }))).toBe('INVALID_ARGUMENT field');
    expect(await entries()).toEqual([]);
  });

  it('an object value is handed out as a copy: changing it changes no later read', async () => {
    const { guard } = setup();
    const address = shop.wrap('address', { city: 'Kyoto', street: '1-2 Gion', zip: '605-0001' }, { subject: 'subject-1' });
    const first = (await guard.read(address, { purpose: 'billing', actor: 'a' })) as { city: string };
    first.city = 'Osaka';
    expect(await guard.read(address, { purpose: 'billing', actor: 'a' })).toEqual({ city: 'Kyoto', street: '1-2 Gion', zip: '605-0001' });
  });
});

describe('guard with asynchronous registries', () => {
  /** The in-memory registries behind promises, as a database-backed registry would answer. */
  function asyncSetup(erased: Record<string, string> = {}) {
    const consents = createMemoryConsentRegistry();
    const suspensions = createMemorySuspensionRegistry();
    const later = <T>(v: T) => new Promise<T>((resolve) => setTimeout(() => resolve(v), 1));
    const guard = createGuard({
      policy: shop,
      audit: createMemoryAuditLog(),
      consents: {
        record: (e) => later(consents.record(e) as ConsentRecord),
        isGranted: (s, p, at) => later(consents.isGranted(s, p, at) as boolean),
        list: (s) => later(consents.list(s) as readonly ConsentRecord[]),
      },
      suspensions: {
        suspend: async (i) => suspensions.suspend(i),
        lift: async (id, at, actor) => suspensions.lift(id, at, actor),
        isSuspended: (s, p) => later(suspensions.isSuspended(s, p) as boolean),
        list: async (s) => suspensions.list(s),
      },
      erasures: { erasedAt: (s) => later(erased[s]) },
      clock: () => new Date('2026-03-01T09:00:00.000Z'),
    });
    return { guard };
  }
  const email = (subject: string) => shop.wrap('email', 'hana@example.jp', { subject });

  it('decides on their answers: erasure, then suspension, then consent in force', async () => {
    const { guard } = asyncSetup({ gone: '2026-02-01T00:00:00.000Z' });
    expect(await refusal(() => guard.read(email('gone'), { purpose: 'contact', actor: 'a' }))).toMatch(/^SUBJECT_ERASED/);
    expect(await refusal(() => guard.read(email('s1'), { purpose: 'newsletter', actor: 'a' }))).toMatch(/^CONSENT_REQUIRED/);
    await guard.grantConsent({ subject: 's1', actor: 's1', purpose: 'newsletter' });
    expect(await guard.read(email('s1'), { purpose: 'newsletter', actor: 'a' })).toBe('hana@example.jp');
    await guard.suspend({ subject: 's1', actor: 'dpo', purposes: ['newsletter'] });
    expect(await refusal(() => guard.read(email('s1'), { purpose: 'newsletter', actor: 'a' }))).toMatch(/^USE_SUSPENDED/);
    expect(await guard.read(email('s1'), { purpose: 'contact', actor: 'a' })).toBe('hana@example.jp');
    // Consent as the ground of a read outside the purposes: in force for that purpose only.
    const name = shop.wrap('name', 'Hanako', { subject: 's2' });
    expect(await refusal(() => guard.readOutsidePurpose(name, { purpose: 'marketing', actor: 'a', basis: 'consent' }))).toMatch(/^CONSENT_REQUIRED/);
    await guard.grantConsent({ subject: 's2', actor: 's2', purpose: 'marketing' });
    expect(await guard.readOutsidePurpose(name, { purpose: 'marketing', actor: 'a', basis: 'consent' })).toBe('Hanako');
    // A legal exception needs neither consent nor the absence of a suspension.
    await guard.suspend({ subject: 's2', actor: 'dpo', purposes: 'all' });
    expect(await guard.readOutsidePurpose(name, { purpose: 'marketing', actor: 'a', basis: { exception: 'law', reference: 'Act 57 Art. 18(3)(i)' } })).toBe('Hanako');
  });
});
