/**
 * "Every read is decided against the subject's state and audited", by construction: the
 * bypasses an attacker with only the public API would try (another guard, a look-alike policy,
 * a forged, cloned or proxied field, a field kept across a suspension, an erasure, a
 * withdrawal) are refused and, where a decision was made, audited; a denied read decrypts
 * nothing (counted through a wrapper around node:crypto's decipher and the keyring's unwrap).
 *
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGuard, createVault, definePolicy, FieldNotIssuedError, isPersonalField, PersonalField, type Keyring, type SubjectStateQuery } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { clinic, keyring, setup } from './fixtures.js';

/** Every AES-GCM (or other) decipher created anywhere in the library, counted. */
const deciphers = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof nodeCrypto>();
  return {
    ...original,
    createDecipheriv: (...args: Parameters<typeof original.createDecipheriv>) => {
      deciphers.count++;
      return original.createDecipheriv(...args);
    },
  };
});

/** A keyring whose unwraps are counted. */
function countingKeyring(ring: Keyring): Keyring & { unwraps: number } {
  const counted = {
    unwraps: 0,
    ...ring,
    currentKeyId: ring.currentKeyId,
    async unwrapKey(keyId: string, wrapped: Uint8Array, subject: string) {
      counted.unwraps++;
      return ring.unwrapKey(keyId, wrapped, subject);
    },
  };
  return counted as Keyring & { unwraps: number };
}

async function registered() {
  const world = await setup({ dataKeyCache: false });
  const { subject } = await world.vault.collect({
    collectionPoint: 'registration',
    actor: 'desk',
    values: { name: '山田花子', email: 'hana@example.jp' },
  });
  return { ...world, subject };
}

const READ = { purpose: 'care', actor: 'staff:7' } as const;

describe('a vault read is one decided, audited call', () => {
  it('returns the value for an allowed purpose and records the allow', async () => {
    const { vault, subject } = await registered();
    expect(await vault.read(subject, 'email', READ)).toBe('hana@example.jp');
    const [entry] = await vault.audit.entries({ subject, action: 'read' });
    expect(entry).toMatchObject({ decision: 'allow', field: 'email', purpose: 'care', actor: 'staff:7', basis: 'purpose' });
  });

  it('without options it refuses (migration: the read needs its purpose and actor)', async () => {
    const { vault, subject } = await registered();
    await expect((vault.read as (s: string, f: string) => Promise<unknown>)(subject, 'email')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options' });
  });

  it('a handle from vault.field() holds no value and is read through the vault guard only', async () => {
    const { vault, subject, guard } = await registered();
    const email = vault.field(subject, 'email');
    expect(isPersonalField(email)).toBe(true);
    expect(String(email)).toBe('[personal:email]');
    expect(JSON.stringify({ email })).toBe('{"email":"[personal:email]"}');
    expect(await guard.read(email, READ)).toBe('hana@example.jp');
    // no I/O to make one: an unknown subject is only found at the read, and audited there
    const ghost = vault.field('no-such-subject', 'email');
    await expect(guard.read(ghost, READ)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    expect(await vault.audit.entries({ subject: 'no-such-subject' })).toMatchObject([{ decision: 'deny', reason: 'SUBJECT_NOT_FOUND' }]);
    expect(() => vault.field(subject, 'nope' as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_FIELD' }));
  });
});

describe('fields are bound to their issuer', () => {
  it('a standalone guard over the vault policy refuses the vault field, and records the refusal in its own log', async () => {
    const { vault, subject } = await registered();
    const standalone = createGuard({ policy: vault.policy });
    await expect(standalone.read(vault.field(subject, 'email'), READ)).rejects.toBeInstanceOf(FieldNotIssuedError);
    expect(await standalone.audit.entries({ subject })).toMatchObject([{ decision: 'deny', reason: 'FIELD_NOT_ISSUED', field: 'email' }]);
    expect(await vault.audit.entries({ subject, action: 'read' })).toEqual([]);
  });

  it('a standalone guard given the vault stores still refuses it (the stores are not the issuer)', async () => {
    const { vault, subject } = await registered();
    await vault.guard().suspend({ subject, purposes: 'all', actor: 'dpo' });
    const sneaky = createGuard({ policy: vault.policy, audit: vault.audit, consents: vault.consents, suspensions: vault.suspensions, erasures: vault.erasures });
    await expect(sneaky.read(vault.field(subject, 'email'), READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    const reads = await vault.audit.entries({ subject, action: 'read' });
    expect(reads.map((e) => [e.decision, e.reason])).toEqual([['deny', 'FIELD_NOT_ISSUED']]);
  });

  it("another vault's guard refuses it, even over the same policy and adapter", async () => {
    const { vault, subject, adapter } = await registered();
    const other = await createVault({ policy: clinic, adapter: adapter.connect(), keyring: keyring() });
    await expect(other.guard().read(vault.field(subject, 'email'), READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    await expect(vault.guard().read(other.field(subject, 'email'), READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
  });

  it('a look-alike policy (same id, wider purposes) is another issuer', async () => {
    const { vault, subject } = await registered();
    const lookalike = definePolicy({
      ...clinic.spec,
      fields: { ...clinic.spec.fields, email: { ...clinic.spec.fields.email, purposes: ['care', 'research', 'payroll'] } },
    } as never) as typeof clinic;
    expect(lookalike.id).toBe(clinic.id);
    await expect(createGuard({ policy: lookalike }).read(vault.field(subject, 'email'), READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    // and fields it wraps are read by its own guards only
    const wrapped = lookalike.wrap('email', 'x@example.jp', { subject });
    await expect(vault.guard().read(wrapped as never, READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    await expect(createGuard({ policy: clinic }).read(wrapped as never, READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    expect(await createGuard({ policy: lookalike }).read(wrapped as never, READ)).toBe('x@example.jp');
  });

  it('the vault guard does not read in-memory values wrapped by its own policy', async () => {
    const { vault, subject } = await registered();
    await expect(vault.guard().read(clinic.wrap('email', 'forged@example.jp', { subject }), READ)).rejects.toMatchObject({ code: 'FIELD_NOT_ISSUED' });
    expect((await vault.audit.entries({ subject, action: 'read' })).map((e) => e.decision)).toEqual(['deny']);
  });

  it('no field can be constructed, cloned or proxied into one a guard accepts', async () => {
    const { vault, subject, guard } = await registered();
    expect(() => new (PersonalField as unknown as new (seal: unknown) => unknown)({ value: 'x', field: 'email', subject, policyId: 'clinic' })).toThrow(TypeError);
    expect(() => Reflect.construct(PersonalField, [])).toThrow(TypeError);
    class Forged extends PersonalField {}
    expect(() => new Forged()).toThrow(TypeError);
    const real = vault.field(subject, 'email');
    for (const fake of [structuredClone(real), { ...real }, new Proxy(real, {}), Object.create(real) as object]) {
      await expect(guard.read(fake as never, READ)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'field' });
    }
    expect(await vault.audit.entries({ subject })).toHaveLength(1); // only the collect
  });
});

describe('a field kept across a change of state is decided against the state at its read', () => {
  it('after suspension of use: denied and audited, through the vault and through a handle', async () => {
    const { vault, subject, guard } = await registered();
    const kept = vault.field(subject, 'name');
    expect(await guard.read(kept, READ)).toBe('山田花子');
    await guard.suspend({ subject, purposes: 'all', actor: 'dpo' });
    await expect(guard.read(kept, READ)).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    await expect(vault.read(subject, 'name', READ)).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    const decisions = (await vault.audit.entries({ subject, action: 'read' })).map((e) => e.reason ?? e.decision);
    expect(decisions).toEqual(['allow', 'USE_SUSPENDED', 'USE_SUSPENDED']);
  });

  it('after erasure: denied and audited', async () => {
    const { vault, subject, guard } = await registered();
    const kept = vault.field(subject, 'email');
    await vault.erase(subject, { actor: 'dpo', reference: 'req-1' });
    await expect(guard.read(kept, READ)).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(vault.readMany([subject], ['email'], READ)).resolves.toMatchObject([{ subject, ok: false, error: { code: 'SUBJECT_ERASED' } }]);
    expect((await vault.audit.entries({ subject, action: 'read' })).map((e) => e.reason)).toEqual(['SUBJECT_ERASED', 'SUBJECT_ERASED']);
  });

  it('after withdrawal of consent: denied and audited', async () => {
    const { vault, subject, guard } = await registered();
    const research = { purpose: 'research', actor: 'staff:9' } as const;
    await guard.grantConsent({ subject, purpose: 'research', actor: 'subject' });
    const kept = vault.field(subject, 'email');
    expect(await guard.read(kept, research)).toBe('hana@example.jp');
    await guard.withdrawConsent({ subject, purpose: 'research', actor: 'subject' });
    await expect(guard.read(kept, research)).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect((await vault.audit.entries({ subject, action: 'read' })).map((e) => e.reason ?? e.decision)).toEqual(['allow', 'CONSENT_REQUIRED']);
  });
});

describe('decryption happens only after an allowed, audited decision', () => {
  beforeEach(() => {
    deciphers.count = 0;
  });
  afterEach(() => {
    deciphers.count = 0;
  });

  it('five denied reads decrypt nothing and unwrap no key; an allowed one does', async () => {
    const ring = countingKeyring(keyring());
    const vault = await createVault({ policy: clinic, adapter: memoryAdapter(), keyring: ring, dataKeyCache: false });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子', email: 'hana@example.jp' } });
    await vault.guard().suspend({ subject, purposes: ['care'], actor: 'dpo' });
    deciphers.count = 0;
    ring.unwraps = 0;
    await expect(vault.read(subject, 'email', READ)).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    await expect(vault.read(subject, 'email', { purpose: 'research', actor: 'staff:7' })).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    await expect(vault.read(subject, 'name', { purpose: 'research' as never, actor: 'staff:7' })).rejects.toMatchObject({ code: 'PURPOSE_NOT_ALLOWED' });
    await expect(vault.read(subject, 'name', { purpose: 'nope' as never, actor: 'staff:7' })).rejects.toMatchObject({ code: 'UNKNOWN_PURPOSE' });
    await expect(vault.guard().read(vault.field(subject, 'name'), READ)).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    expect(deciphers.count).toBe(0);
    expect(ring.unwraps).toBe(0);
    expect((await vault.audit.entries({ subject, decision: 'deny' })).length).toBe(5);
    await vault.guard().grantConsent({ subject, purpose: 'research', actor: 'subject' });
    expect(await vault.read(subject, 'email', { purpose: 'research', actor: 'staff:7' })).toBe('hana@example.jp');
    expect(ring.unwraps).toBe(1);
    expect(deciphers.count).toBeGreaterThanOrEqual(1);
  });

  it('an audit log that fails returns nothing and decrypts nothing (fail closed)', async () => {
    const ring = countingKeyring(keyring());
    const adapter = memoryAdapter();
    const vault = await createVault({ policy: clinic, adapter, keyring: ring, dataKeyCache: false });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子' } });
    const failing = Object.assign(Object.create(null) as object, adapter, {
      writeBatch: () => Promise.reject(new Error('disk full')),
      transaction: adapter.transaction,
      getSubjectStates: adapter.getSubjectStates,
    });
    const broken = await createVault({ policy: clinic, adapter: failing as never, keyring: ring, dataKeyCache: false });
    deciphers.count = 0;
    ring.unwraps = 0;
    await expect(broken.read(subject, 'name', READ)).rejects.toMatchObject({ code: 'AUDIT_WRITE_FAILED' });
    expect(deciphers.count).toBe(0);
    expect(ring.unwraps).toBe(0);
    expect(await vault.read(subject, 'name', READ)).toBe('山田花子');
  });
});

describe('batch reads', () => {
  it('reads 100 subjects: per-subject decisions in input order, each audited, denied subjects decrypted never', async () => {
    const ring = countingKeyring(keyring());
    const memory = memoryAdapter();
    let calls = 0;
    const adapter = { ...memory, getSubjectStates: (q: SubjectStateQuery) => (calls++, memory.getSubjectStates!(q)) };
    const vault = await createVault({ policy: clinic, adapter, keyring: ring, dataKeyCache: false });
    const guard = vault.guard();
    const subjects: string[] = [];
    for (let i = 0; i < 100; i++) {
      const values = i % 10 === 3 ? { name: `n${i}` } : { name: `n${i}`, email: `p${i}@example.jp` };
      subjects.push((await vault.collect({ collectionPoint: 'registration', actor: 'desk', values })).subject);
    }
    for (let i = 0; i < 100; i += 7) await guard.suspend({ subject: subjects[i] as string, purposes: 'all', actor: 'dpo' });
    await vault.erase(subjects[50] as string, { actor: 'dpo', reference: 'r' });
    const asked = [...subjects, 'missing-subject'];
    calls = 0;
    ring.unwraps = 0;
    const page = await vault.readMany(asked, ['name', 'email'], READ);
    expect(calls).toBe(1);
    expect(page.map((r) => r.subject)).toEqual(asked);
    for (const [i, r] of page.entries()) {
      if (i === 100) expect(r).toMatchObject({ ok: false, error: { code: 'SUBJECT_NOT_FOUND' } });
      else if (i === 50) expect(r).toMatchObject({ ok: false, error: { code: 'SUBJECT_ERASED' } });
      else if (i % 7 === 0) expect(r).toMatchObject({ ok: false, error: { code: 'USE_SUSPENDED' } });
      else if (i % 10 === 3)
        expect(r).toEqual({ subject: asked[i], ok: true, values: { name: `n${i}` } }); // no e-mail stored: left out
      else expect(r).toEqual({ subject: asked[i], ok: true, values: { name: `n${i}`, email: `p${i}@example.jp` } });
    }
    const allowed = page.filter((r) => r.ok).length;
    expect(ring.unwraps).toBe(allowed); // one data key per allowed subject, none for the denied
    const reads = await vault.audit.entries({ action: 'read' });
    expect(reads.filter((e) => e.decision === 'allow')).toHaveLength(page.reduce((n, r) => n + (r.ok ? Object.keys(r.values).length : 0), 0));
    expect(reads.filter((e) => e.subject === subjects[7]).map((e) => [e.field, e.reason])).toEqual([
      ['name', 'USE_SUSPENDED'],
      ['email', 'USE_SUSPENDED'],
    ]);
    expect(reads.filter((e) => e.subject === 'missing-subject')).toHaveLength(2);
  });

  it('checks its arguments with named errors', async () => {
    const { vault } = await registered();
    await expect(vault.readMany('s' as never, ['name'], READ)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'subjects' });
    await expect(vault.readMany(['s'], [] as 'name'[], READ)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'fields' });
    await expect(vault.readMany(['s', ''], ['name'], READ)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'subjects[1]' });
    await expect(vault.readMany(['s'], ['nope' as never], READ)).rejects.toMatchObject({ code: 'UNKNOWN_FIELD' });
    await expect(
      vault.readMany(
        Array.from({ length: 1001 }, (_, i) => `s${i}`),
        ['name'],
        READ,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'subjects' });
    expect(await vault.readMany([], ['name'], READ)).toEqual([]);
  });

  it('readAll reads the fields the purpose allows and leaves the others out', async () => {
    const { vault, subject } = await registered();
    expect(await vault.readAll(subject, { purpose: 'payroll', actor: 'hr' })).toEqual({ name: '山田花子' });
    expect(await vault.readAll(subject, READ)).toEqual({ name: '山田花子', email: 'hana@example.jp' });
    await expect(vault.readAll('missing', READ)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
  });
});
