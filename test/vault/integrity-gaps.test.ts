/**
 * Regression tests for gaps the security review found:
 * - the purpose restriction of entrusted data (§11) is authenticated with the value, so
 *   stripping it from the stored metadata fails instead of widening the purposes;
 * - text PostgreSQL cannot store (U+0000, lone surrogates) is refused at the API on every adapter.
 */
import { describe, expect, it } from 'vitest';
import {
  authenticatedSubjectVerifier,
  createLocalKeyring,
  createProvisions,
  createRequestDesk,
  createVault,
  generateKey,
  isPurposeBoundError,
  sweepRetention,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const keyring = () => createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isPurposeBoundError(e) ? e.code : `non-SDK error: ${String(e)}`;
  }
}

describe('entrusted data: the purpose restriction is bound to the ciphertext', () => {
  it('is enforced as stored, and stripping or widening it in the metadata is an IntegrityError', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const guard = vault.guard();
    const { subject } = await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'client-import', values: { name: 'Entrusted Person', email: 'entrusted@example.jp' } });
    const email = vault.field(subject, 'email');
    expect(await guard.read(email, { purpose: 'entrustedOperation', actor: 'staff' })).toBe('entrusted@example.jp');
    expect(await code(guard.read(email, { purpose: 'contact', actor: 'staff' }))).toBe('PURPOSE_NOT_ALLOWED');

    for (const edit of [
      (meta: Record<string, unknown>) => {
        delete meta.restrictTo;
      },
      (meta: Record<string, unknown>) => {
        meta.restrictTo = ['entrustedOperation', 'contact'];
      },
      // Not a list of purposes at all: refused as stored data that is not what the vault wrote.
      (meta: Record<string, unknown>) => {
        meta.restrictTo = 'entrustedOperation,contact';
      },
      (meta: Record<string, unknown>) => {
        meta.restrictTo = { 0: 'entrustedOperation', length: 1 };
      },
      (meta: Record<string, unknown>) => {
        meta.restrictTo = null;
      },
      (meta: Record<string, unknown>) => {
        meta.restrictTo = ['entrustedOperation', 7];
      },
    ]) {
      await vault.adapter.transaction(async (tx) => {
        const [row] = await tx.getValues(subject, ['email']);
        if (!row) throw new Error('no row');
        const meta = JSON.parse(row.meta) as Record<string, unknown>;
        edit(meta);
        await tx.putValue({ ...row, meta: JSON.stringify(meta) });
      });
      // Neither the purpose the edit tries to open nor the entrusted one gets the value.
      expect(await code(vault.read(subject, 'email', { purpose: 'contact', actor: 'staff' }))).toBe('INTEGRITY_ERROR');
      expect(await code(vault.read(subject, 'email', { purpose: 'entrustedOperation', actor: 'staff' }))).toBe('INTEGRITY_ERROR');
      expect(await code(vault.readAll(subject, { purpose: 'entrustedOperation', actor: 'staff' }))).toBe('INTEGRITY_ERROR');
    }
    await vault.close();
  });

  it('corrections keep the restriction and stay readable', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const { subject } = await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'client-import', values: { name: 'Entrusted Person', email: 'old@example.jp' } });
    await vault.correct(subject, 'email', 'new@example.jp', { actor: 'staff', reason: 'typo reported by the client' });
    const email = vault.field(subject, 'email');
    expect(await code(vault.guard().read(email, { purpose: 'contact', actor: 'staff' }))).toBe('PURPOSE_NOT_ALLOWED');
    expect(await vault.guard().read(email, { purpose: 'entrustedOperation', actor: 'staff' })).toBe('new@example.jp');
    const [entry] = await vault.history(subject);
    if (!entry) throw new Error('no history');
    expect(await code(vault.historyValue(subject, entry.id, { purpose: 'contact', actor: 'staff' }))).toBe('PURPOSE_NOT_ALLOWED');
    expect(await vault.historyValue(subject, entry.id, { purpose: 'entrustedOperation', actor: 'staff' })).toBe('old@example.jp');
    await vault.close();
  });

  it("an earlier value whose restriction is not a list of purposes is an IntegrityError, never the engine's TypeError", async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const { subject } = await vault.collect({ collectionPoint: 'entrustedSeminar', actor: 'client-import', values: { name: 'Entrusted Person', email: 'old@example.jp' } });
    await vault.correct(subject, 'email', 'new@example.jp', { actor: 'staff', reason: 'typo reported by the client' });
    const [entry] = await vault.history(subject);
    if (!entry) throw new Error('no history');
    for (const restrictTo of ['entrustedOperation', null, { length: 0 }, [3]]) {
      await vault.adapter.transaction(async (tx) => {
        const rows = await tx.listHistory(subject);
        await tx.deleteHistory(subject);
        for (const row of rows) await tx.appendHistory({ ...row, meta: JSON.stringify({ ...JSON.parse(row.meta), restrictTo }) });
      });
      expect(await code(vault.history(subject))).toBe('INTEGRITY_ERROR');
      for (const purpose of ['entrustedOperation', 'contact'] as const)
        expect(await code(vault.historyValue(subject, entry.id, { purpose, actor: 'staff' }))).toBe('INTEGRITY_ERROR');
    }
    await vault.close();
  });
});

describe('text every adapter can store', () => {
  const bad = ['staff\u0000x', 'staff\uDC00\uDC00', '\uD800'];
  it('the guard and the vault refuse NUL and lone surrogates with INVALID_ARGUMENT', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const guard = vault.guard();
    const { subject } = await vault.collect({
      collectionPoint: 'inquiry',
      actor: 'web',
      values: { name: 'Asker', email: 'asker@example.jp', inquiry: 'When is the next course?' },
    });
    const email = vault.field(subject, 'email');
    for (const text of bad) {
      expect(await code(guard.read(email, { purpose: 'inquiryResponse', actor: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(guard.readOutsidePurpose(email, { purpose: 'legalCompliance', actor: 'dpo', basis: { exception: 'law', reference: text } }))).toBe('INVALID_ARGUMENT');
      expect(await code(guard.suspend({ subject, purposes: 'all', actor: 'dpo', reason: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(guard.grantConsent({ subject, purpose: 'applicationPrefill', actor: 'subject', method: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(vault.collect({ collectionPoint: 'inquiry', actor: text, values: { name: 'A', email: 'a@example.jp', inquiry: 'q' } }))).toBe('INVALID_ARGUMENT');
      expect(await code(vault.erase(subject, { actor: 'dpo', reference: text }))).toBe('INVALID_ARGUMENT');
    }
    // Nothing was half-applied: the subject is intact and unsuspended.
    expect(await guard.read(email, { purpose: 'inquiryResponse', actor: 'staff' })).toBe('asker@example.jp');
    await vault.close();
  });

  it('the vault reads refuse them too, as a rejected promise (never a synchronous throw)', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const { subject } = await vault.collect({
      collectionPoint: 'inquiry',
      actor: 'web',
      values: { name: 'Asker', email: 'asker@example.jp', inquiry: 'When is the next course?' },
    });
    // `code` gets the promise: a read that threw synchronously would fail the test here.
    for (const text of bad) {
      expect(await code(vault.read(subject, 'email', { purpose: 'inquiryResponse', actor: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(vault.readOutsidePurpose(subject, 'email', { purpose: 'legalCompliance', actor: 'dpo', basis: { exception: 'law', reference: text } }))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(await code(vault.readMany([subject], ['email'], { purpose: 'inquiryResponse', actor: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(vault.readAll(subject, { purpose: 'inquiryResponse', actor: text }))).toBe('INVALID_ARGUMENT');
    }
    expect(await vault.read(subject, 'email', { purpose: 'inquiryResponse', actor: 'staff' })).toBe('asker@example.jp');
    await vault.close();
  });

  it('the request desk, provide() and the retention sweep apply the same rule', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const provisions = createProvisions({ vault });
    const { subject } = await vault.collect({
      collectionPoint: 'eventApplication',
      actor: 'web',
      values: { name: 'Asker', dateOfBirth: '1990-01-01', address: 'Tokyo', phone: '03-1111-2222', email: 'asker@example.jp' },
    });
    for (const text of bad) {
      expect(await code(desk.receive({ kind: 'disclosure', subject, actor: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: text }))).toBe('INVALID_ARGUMENT');
      expect(await code(provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: text }))).toBe('INVALID_ARGUMENT');
      expect(
        await code(
          provisions.provide({ vendor: 'eventInsurer', subject, fields: ['name'], purpose: 'eventInsurance', actor: 'staff', basis: { exception: 'law', reference: text } }),
        ),
      ).toBe('INVALID_ARGUMENT');
      expect(await code(sweepRetention(vault, { now: new Date(), actor: text }))).toBe('INVALID_ARGUMENT');
    }
    const r = await desk.receive({ kind: 'correction', subject, actor: 'subject', fields: ['address'] });
    await desk.verifyIdentity(r.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
    expect(await code(desk.reject(r.id, { actor: 'dpo', reason: 'content-accurate', explanation: { en: bad[0] as string } }))).toBe('INVALID_ARGUMENT');
    expect((await desk.list({ subject })).length).toBe(1); // nothing else was recorded
    await vault.close();
  });
});

describe('correctMany: several fields in one transaction', () => {
  it('validates all first and changes all or none', async () => {
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring: keyring() });
    const { subject } = await vault.collect({ collectionPoint: 'inquiry', actor: 'web', values: { name: 'Asker', email: 'asker@example.jp', inquiry: 'q' } });
    const read = async (f: 'name' | 'email') => vault.read(subject, f, { purpose: 'inquiryResponse', actor: 't' });
    expect(await code(vault.correctMany(subject, { name: 'New Name', email: 'not an address' }, { actor: 'staff', reason: 'request' }))).toBe('INVALID_PERSONAL_VALUE');
    expect(await read('name')).toBe('Asker');
    const auditBefore = (await vault.audit.entries()).length;
    await vault.correctMany(subject, { name: 'New Name', email: 'new@example.jp' }, { actor: 'staff', reason: 'request' });
    expect([await read('name'), await read('email')]).toEqual(['New Name', 'new@example.jp']);
    expect((await vault.history(subject)).map((h) => h.field).sort()).toEqual(['email', 'name']);
    expect((await vault.audit.entries()).slice(auditBefore).filter((e) => e.action === 'value.correct').length).toBe(2);
    await vault.close();
  });
});
