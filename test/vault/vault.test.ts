/**
 * Vault semantics over the memory adapter: collection rules, provenance, entrusted data,
 * special-care consent, history, verification, lookups, erasure, rotation, errors without
 * values, one key unwrap per operation.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, isPersonalField, memorySubjectSecrets, PurposeBoundError, verifyAuditLog, type Keyring, type ValueRow } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { clinic, keyring, setup } from './fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<PurposeBoundError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PurposeBoundError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Serialise an error fully (message, own properties, cause) to search it for values. */
function everything(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}\n${e.cause === undefined ? '' : everything(e.cause)}`;
}

describe('createVault', () => {
  it('checks its options', async () => {
    await expect(createVault({ policy: {} as never, adapter: memoryAdapter(), keyring: keyring() })).rejects.toMatchObject({ argument: 'options.policy' });
    await expect(createVault({ policy: clinic, adapter: {} as never, keyring: keyring() })).rejects.toMatchObject({ argument: 'options.adapter' });
    await expect(createVault({ policy: clinic, adapter: memoryAdapter(), keyring: {} as never })).rejects.toMatchObject({ argument: 'options.keyring' });
  });
});

describe('collect', () => {
  it('stores values with provenance and reads them back as PersonalFields', async () => {
    const at = new Date('2026-03-01T09:00:00.000Z');
    const { vault, guard } = await setup({ clock: () => at });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: '山田花子', email: 'hana@example.jp' }, noticeVersion: '2026-02' });
    const name = vault.field(subject, 'name');
    expect(isPersonalField(name)).toBe(true);
    expect(String(name)).toBe('[personal:name]');
    expect(await guard.read(name, { purpose: 'care', actor: 'dr' })).toBe('山田花子');
    expect(await vault.provenance(subject)).toEqual({
      email: { collectionPoint: 'registration', collectedAt: at.toISOString(), noticeVersion: '2026-02', source: 'subject', verifiedAt: at.toISOString() },
      name: { collectionPoint: 'registration', collectedAt: at.toISOString(), noticeVersion: '2026-02', source: 'subject', verifiedAt: at.toISOString() },
    });
    const entries = await vault.audit.entries({ subject, action: 'collect' });
    expect(entries[0]?.details).toMatchObject({ collectionPoint: 'registration', fields: 'email,name', source: 'subject', noticeVersion: '2026-02' });
    expect(await vault.exists(subject)).toBe(true);
    expect(await vault.exists('nobody')).toBe(false);
  });

  it('validates every value first and writes nothing when one fails; the error names the field, never the value', async () => {
    const { vault, adapter } = await setup();
    const before = adapter.rawContents().length;
    const error = await rejection(vault.collect({ subject: 'p-1', collectionPoint: 'registration', actor: 'web', values: { name: '山田花子', email: 'yamada-at-example' } }));
    expect(error).toMatchObject({ code: 'INVALID_PERSONAL_VALUE', field: 'email' });
    expect(everything(error)).not.toContain('yamada');
    expect(await vault.exists('p-1')).toBe(false);
    expect(adapter.rawContents().length).toBe(before);
  });

  it('refuses fields the policy lacks, fields the point does not collect, and missing required fields', async () => {
    const { vault } = await setup();
    await expect(vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'a', phone: '1' } as never })).rejects.toMatchObject({ code: 'UNKNOWN_FIELD' });
    await expect(vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'a', salary: 5 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'input.values.salary',
    });
    await expect(vault.collect({ collectionPoint: 'registration', actor: 'w', values: { email: 'a@example.jp' } })).rejects.toMatchObject({
      code: 'INVALID_PERSONAL_VALUE',
      field: 'name',
    });
    await expect(vault.collect({ collectionPoint: 'nowhere' as never, actor: 'w', values: { name: 'a' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(vault.collect({ collectionPoint: 'registration', actor: ' ', values: { name: 'a' } })).rejects.toMatchObject({ argument: 'input.actor' });
    await expect(vault.collect({ subject: 'has space', collectionPoint: 'registration', actor: 'w', values: { name: 'a' } })).rejects.toMatchObject({ argument: 'input.subject' });
  });

  it('creates a subject with a given id, adds to it later, and keeps a replaced value in the history', async () => {
    const { vault } = await setup();
    await vault.collect({ subject: 'user-42', collectionPoint: 'registration', actor: 'web', values: { name: 'Hana' } });
    await vault.collect({ subject: 'user-42', collectionPoint: 'registration', actor: 'web', values: { name: 'Hanako', email: 'h@example.jp' } });
    expect(await vault.read('user-42', 'name', { purpose: 'care', actor: 'a' })).toBe('Hanako');
    const [h] = await vault.history('user-42');
    expect(h).toMatchObject({ field: 'name', change: 'correction', actor: 'web' });
    expect(await vault.historyValue('user-42', h?.id ?? '', { purpose: 'care', actor: 'a' })).toBe('Hana');
  });
});

describe('entrusted data (§11)', () => {
  it('values from an entrusted collection point may be used only for the entrusted purposes', async () => {
    const { vault, guard } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'payrollImport', actor: 'import', values: { name: 'Taro', salary: 300000 } });
    expect((await vault.provenance(subject))['name']?.source).toBe('entrusted');
    const name = vault.field(subject, 'name');
    expect(await guard.read(name, { purpose: 'payroll', actor: 'clerk' })).toBe('Taro');
    // `name` is allowed for `care` by the policy, but this copy was entrusted for payroll only.
    await expect(guard.read(name, { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'PURPOSE_NOT_ALLOWED' });
    // The restriction survives a correction.
    await vault.correct(subject, 'name', 'Taro Y.', { actor: 'clerk', reason: 'client sent a correction' });
    await expect(vault.read(subject, 'name', { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'PURPOSE_NOT_ALLOWED' });
  });

  it('readAll leaves out an entrusted value its purpose may not read, like a field that does not allow it', async () => {
    const { vault } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'payrollImport', actor: 'import', values: { name: 'Taro', salary: 300000 } });
    await vault.correct(subject, 'email', 'taro@example.jp', { actor: 'desk', reason: 'added at the clinic' }); // not entrusted
    expect(await vault.readAll(subject, { purpose: 'payroll', actor: 'clerk' })).toEqual({ name: 'Taro', salary: 300000 });
    // `name` allows care in the policy, but this copy was entrusted for payroll only.
    expect(await vault.readAll(subject, { purpose: 'care', actor: 'dr' })).toEqual({ email: 'taro@example.jp' });
  });
});

describe('special-care personal information (APPI Art. 20(2))', () => {
  it('needs a consent in force for the announced purposes; the refusal is audited and nothing is stored', async () => {
    const { vault } = await setup();
    const error = await rejection(vault.collect({ subject: 'pt-1', collectionPoint: 'intake', actor: 'nurse', values: { name: 'Hana', allergies: ['penicillin'] } }));
    expect(error).toMatchObject({ code: 'CONSENT_REQUIRED', field: 'allergies', purpose: 'care', subject: 'pt-1' });
    expect(everything(error)).not.toContain('penicillin');
    expect(await vault.exists('pt-1')).toBe(false);
    const [denied] = await vault.audit.entries({ subject: 'pt-1', decision: 'deny' });
    expect(denied).toMatchObject({ action: 'collect', field: 'allergies', reason: 'CONSENT_REQUIRED' });
  });

  it('accepts a consent given on the form (recorded in the same transaction) or recorded before', async () => {
    const { vault, guard } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'intake', actor: 'nurse', values: { name: 'Hana', allergies: ['penicillin'] }, consent: { method: 'paper' } });
    expect(await vault.read(subject, 'allergies', { purpose: 'care', actor: 'dr' })).toEqual(['penicillin']);
    expect((await vault.consents.list(subject)).map((c) => [c.purpose, c.state, c.method])).toEqual([['care', 'granted', 'paper']]);

    await vault.collect({ subject: 'pt-2', collectionPoint: 'registration', actor: 'desk', values: { name: 'Taro' } });
    await guard.grantConsent({ subject: 'pt-2', purpose: 'care', actor: 'pt-2' });
    await vault.collect({ subject: 'pt-2', collectionPoint: 'intake', actor: 'nurse', values: { name: 'Taro', allergies: [] } });
    await guard.withdrawConsent({ subject: 'pt-2', purpose: 'care', actor: 'pt-2' });
    await expect(vault.collect({ subject: 'pt-2', collectionPoint: 'intake', actor: 'nurse', values: { name: 'Taro', allergies: ['latex'] } })).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
  });
});

describe('corrections, deletions, verification (§6)', () => {
  it('correct and deleteValue keep encrypted history with who, when, why', async () => {
    let now = new Date('2026-01-01T00:00:00.000Z');
    const { vault, adapter } = await setup({ clock: () => now });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana', email: 'old@example.jp' } });
    now = new Date('2026-02-01T00:00:00.000Z');
    await vault.correct(subject, 'email', 'new@example.jp', { actor: 'dpo', reason: 'request by the person', requestId: 'req-7' });
    await vault.deleteValue(subject, 'email', { actor: 'dpo', reason: 'asked to delete' });
    await vault.correct(subject, 'email', 'again@example.jp', { actor: 'dpo', reason: 'added back' });
    const history = await vault.history(subject);
    expect(history.map((h) => [h.field, h.change, h.actor, h.reason, h.requestId])).toEqual([
      ['email', 'correction', 'dpo', 'request by the person', 'req-7'],
      ['email', 'deletion', 'dpo', 'asked to delete', undefined],
      ['email', 'addition', 'dpo', 'added back', undefined],
    ]);
    expect(history[0]?.previous).toMatchObject({ collectionPoint: 'registration', collectedAt: '2026-01-01T00:00:00.000Z' });
    const read = async (id: string) => vault.historyValue(subject, id, { purpose: 'care', actor: 'dpo' });
    expect(await read(history[0]?.id ?? '')).toBe('old@example.jp');
    expect(await read(history[1]?.id ?? '')).toBe('new@example.jp');
    await expect(vault.historyValue(subject, history[2]?.id ?? '', { purpose: 'care', actor: 'dpo' })).rejects.toMatchObject({ code: 'VALUE_NOT_FOUND' });
    expect((await vault.provenance(subject))['email']).toMatchObject({ collectionPoint: 'correction', updatedAt: '2026-02-01T00:00:00.000Z' });
    expect(Buffer.from(adapter.rawContents()).includes(Buffer.from('old@example.jp'))).toBe(false);
    await expect(vault.deleteValue(subject, 'salary', { actor: 'dpo', reason: 'x' })).rejects.toMatchObject({ code: 'VALUE_NOT_FOUND', field: 'salary' });
    await expect(vault.read(subject, 'salary', { purpose: 'payroll', actor: 'dpo' })).rejects.toMatchObject({ code: 'VALUE_NOT_FOUND' });
    await expect(vault.correct(subject, 'email', 'bad', { actor: 'dpo', reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_PERSONAL_VALUE' });
    await expect(vault.correct(subject, 'email', 'a@example.jp', { actor: 'dpo' } as never)).rejects.toMatchObject({ argument: 'change.reason' });
    await expect(vault.correct('nobody', 'email', 'a@example.jp', { actor: 'dpo', reason: 'x' })).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    const actions = (await vault.audit.entries({ subject, decision: 'record' })).map((e) => e.action);
    expect(actions).toEqual(['collect', 'value.correct', 'value.delete', 'value.add']);
  });

  it('verify refreshes verifiedAt; staleValues lists values not verified since a date', async () => {
    let now = new Date('2025-01-01T00:00:00.000Z');
    const { vault } = await setup({ clock: () => now });
    const { subject: a } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'A', email: 'a@example.jp' } });
    now = new Date('2026-01-01T00:00:00.000Z');
    const { subject: b } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'B' } });
    await vault.verify(a, 'name', 'desk');
    const stale = await vault.staleValues(new Date('2025-06-01T00:00:00.000Z'));
    expect(stale).toEqual([{ subject: a, field: 'email', verifiedAt: '2025-01-01T00:00:00.000Z' }]);
    expect((await vault.provenance(a))['name']?.verifiedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(await vault.staleValues(new Date('2020-01-01T00:00:00.000Z'))).toEqual([]);
    expect((await vault.staleValues(new Date('2027-01-01T00:00:00.000Z'))).map((s) => s.subject).sort()).toEqual([a, a, b].sort());
    await expect(vault.staleValues(new Date('nope'))).rejects.toMatchObject({ argument: 'before' });
  });
});

describe('findByLookup', () => {
  it('matches normalised values through the blind index, only on lookup fields', async () => {
    const { vault } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana', email: 'Hana@Example.JP' } });
    await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Other', email: 'other@example.jp' } });
    expect(await vault.findByLookup('email', 'hana@example.jp')).toEqual([subject]);
    expect(await vault.findByLookup('email', 'HANA@EXAMPLE.JP')).toEqual([subject]);
    expect(await vault.findByLookup('email', 'nobody@example.jp')).toEqual([]);
    // The query value passes the field's schema first; the error does not repeat it.
    const error = await rejection(vault.findByLookup('email', 'hana at example'));
    expect(error).toMatchObject({ code: 'INVALID_PERSONAL_VALUE', field: 'email' });
    expect(everything(error)).not.toContain('hana');
    await expect(vault.findByLookup('name', 'Hana')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'field' });
  });
});

describe('erase (crypto-shredding)', () => {
  it('destroys key, values and history; keeps the tombstone; audited; final', async () => {
    const { vault, guard, adapter } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana', email: 'hana@example.jp' } });
    await vault.correct(subject, 'name', 'Hanako', { actor: 'dpo', reason: 'typo' });
    const name = vault.field(subject, 'name');
    const record = await vault.erase(subject, { actor: 'dpo', reference: 'req-12' });
    expect(record).toMatchObject({ subject, actor: 'dpo', reference: 'req-12' });
    expect(await vault.erasure(subject)).toEqual(record);
    expect(await vault.erasures.erasedAt(subject)).toBe(record.erasedAt);
    expect(await vault.exists(subject)).toBe(true);
    expect(await vault.history(subject)).toEqual([]);
    await expect(vault.read(subject, 'name', { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED', erasedAt: record.erasedAt });
    await expect(vault.provenance(subject)).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(guard.read(name, { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(vault.correct(subject, 'name', 'X', { actor: 'dpo', reason: 'x' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(vault.erase(subject, { actor: 'dpo', reference: 'req-13' })).rejects.toMatchObject({ code: 'ALREADY_ERASED' });
    await expect(vault.erase('nobody', { actor: 'dpo', reference: 'r' })).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    expect(await vault.findByLookup('email', 'hana@example.jp')).toEqual([]);
    const [entry] = await vault.audit.entries({ subject, action: 'erase' });
    // The earlier value in the history is unreadable from now on; its row goes with the purge.
    expect(entry).toMatchObject({ reference: 'req-12', details: { values: 2, history: 0, historyPurge: 'deferred' } });
    await adapter.transaction(async (tx) => expect(await tx.listHistory(subject)).toHaveLength(1));
    expect(await vault.purgeErased()).toEqual({ subjects: 1, rows: 1, remaining: 0 });
    await adapter.transaction(async (tx) => expect(await tx.listHistory(subject)).toEqual([]));
    const [purge] = await vault.audit.entries({ subject, action: 'erase.purge' });
    expect(purge).toMatchObject({ details: { history: 1 } });
    expect(await vault.purgeErased()).toEqual({ subjects: 0, rows: 0, remaining: 0 });
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
    await adapter.transaction(async (tx) => expect((await tx.getSubject(subject))?.wrappedKey).toBeNull());
  });

  it("erase with purge: 'now' deletes the history in the erasing transaction", async () => {
    const { vault, adapter } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana', email: 'hana@example.jp' } });
    await vault.correct(subject, 'name', 'Hanako', { actor: 'dpo', reason: 'typo' });
    await vault.erase(subject, { actor: 'dpo', reference: 'req-14', purge: 'now' });
    await adapter.transaction(async (tx) => expect(await tx.listHistory(subject)).toEqual([]));
    const [entry] = await vault.audit.entries({ subject, action: 'erase' });
    expect(entry).toMatchObject({ details: { values: 2, history: 1, historyPurge: 'done' } });
    expect(await vault.purgeErased()).toEqual({ subjects: 0, rows: 0, remaining: 0 });
    await expect(vault.erase(subject, { actor: 'dpo', reference: 'r', purge: 'later' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('two concurrent purges delete each erased history once', async () => {
    const { vault, adapter } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: `P${i}` } });
      await vault.correct(subject, 'name', `Q${i}`, { actor: 'dpo', reason: 'r' });
      await vault.erase(subject, { actor: 'dpo', reference: `r${i}` });
      ids.push(subject);
    }
    const [a, b] = await Promise.all([vault.purgeErased(), vault.purgeErased()]);
    expect((a?.subjects ?? 0) + (b?.subjects ?? 0)).toBe(5);
    expect((a?.rows ?? 0) + (b?.rows ?? 0)).toBe(5);
    for (const id of ids) await adapter.transaction(async (tx) => expect(await tx.listHistory(id)).toEqual([]));
    expect((await vault.audit.entries({ action: 'erase.purge' })).length).toBe(5);
  });

  it('a backup taken before erasure is unreadable once the KEK that wrapped it is rotated out', async () => {
    const k1 = generateKey();
    const k2 = generateKey();
    const index = generateKey();
    const adapter = memoryAdapter();
    const v1 = await createVault({ policy: clinic, adapter, keyring: createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1', indexKey: index }) });
    const { subject } = await v1.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana' } });
    const { subject: keep } = await v1.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Taro' } });
    const backup = adapter.snapshot();
    await v1.erase(subject, { actor: 'dpo', reference: 'req-1' });
    // While kek-1 exists, the backup still decrypts: erasure alone does not reach copies.
    const fromBackup = await createVault({
      policy: clinic,
      adapter: memoryAdapter({ from: backup }),
      keyring: createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1', indexKey: index }),
    });
    expect(await fromBackup.read(subject, 'name', { purpose: 'care', actor: 'dr' })).toBe('Hana');
    // Rotate to kek-2 and retire kek-1: the live data stays readable, the backup does not.
    const both = createLocalKeyring({ keys: { 'kek-1': k1, 'kek-2': k2 }, current: 'kek-2', indexKey: index });
    const rotation = await (await createVault({ policy: clinic, adapter, keyring: both })).rotateKeys({ actor: 'ops' });
    expect(rotation).toEqual({ rewrapped: 1, failed: [] });
    const current = createLocalKeyring({ keys: { 'kek-2': k2 }, current: 'kek-2', indexKey: index });
    const live = await createVault({ policy: clinic, adapter, keyring: current });
    expect(await live.read(keep, 'name', { purpose: 'care', actor: 'dr' })).toBe('Taro');
    const oldCopy = await createVault({ policy: clinic, adapter: memoryAdapter({ from: backup }), keyring: current });
    await expect(oldCopy.read(subject, 'name', { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
  });
});

describe('rotateKeys', () => {
  it('re-wraps every live data key without touching ciphertexts, skips erased subjects, reports unreadable ones', async () => {
    const k1 = generateKey();
    const k2 = generateKey();
    const index = generateKey();
    const adapter = memoryAdapter();
    const ring1 = createLocalKeyring({ keys: { 'kek-1': k1 }, current: 'kek-1', indexKey: index });
    const v1 = await createVault({ policy: clinic, adapter, keyring: ring1 });
    const subjects: string[] = [];
    for (let i = 0; i < 5; i++) subjects.push((await v1.collect({ collectionPoint: 'registration', actor: 'w', values: { name: `N${i}`, email: `n${i}@example.jp` } })).subject);
    await v1.erase(subjects[4] as string, { actor: 'dpo', reference: 'r' });
    const cipherBefore = await adapter.transaction((tx) => tx.getValues(subjects[0] as string));
    // One subject wrapped by a KEK nobody holds any more.
    const stranger = createLocalKeyring({ keys: { 'kek-0': generateKey() }, current: 'kek-0' });
    await createVault({ policy: clinic, adapter, keyring: stranger }).then((v) =>
      v.collect({ subject: 'legacy', collectionPoint: 'registration', actor: 'w', values: { name: 'L' } }),
    );
    const v2 = await createVault({ policy: clinic, adapter, keyring: createLocalKeyring({ keys: { 'kek-1': k1, 'kek-2': k2 }, current: 'kek-2', indexKey: index }) });
    const result = await v2.rotateKeys({ actor: 'ops' });
    expect(result).toEqual({ rewrapped: 4, failed: [{ subject: 'legacy', code: 'KEY_UNAVAILABLE' }] });
    expect(await adapter.transaction((tx) => tx.getValues(subjects[0] as string))).toEqual(cipherBefore);
    const onlyNew = await createVault({ policy: clinic, adapter, keyring: createLocalKeyring({ keys: { 'kek-2': k2 }, current: 'kek-2', indexKey: index }) });
    for (let i = 0; i < 4; i++) expect(await onlyNew.read(subjects[i] as string, 'name', { purpose: 'care', actor: 'a' })).toBe(`N${i}`);
    expect(await onlyNew.findByLookup('email', 'n2@example.jp')).toEqual([subjects[2]]);
    await expect(v1.read(subjects[0] as string, 'name', { purpose: 'care', actor: 'a' })).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
    const [entry] = await v2.audit.entries({ action: 'keys.rotate' });
    expect(entry?.details).toEqual({ keyId: 'kek-2', rewrapped: 4, failed: 1 });
  });
});

describe('efficiency and persistence', () => {
  function countingKeyring(): { ring: Keyring; unwraps: () => number; reset: () => void } {
    const base = keyring();
    let unwraps = 0;
    const ring: Keyring = {
      currentKeyId: base.currentKeyId,
      wrapKey: (...a) => base.wrapKey(...a),
      unwrapKey: (...a) => {
        unwraps++;
        return base.unwrapKey(...a);
      },
      blindIndex: (...a) => base.blindIndex(...a),
    };
    return { ring, unwraps: () => unwraps, reset: () => void (unwraps = 0) };
  }

  it('without the data-key cache, unwraps a subject data key once per operation, not once per value', async () => {
    const k = countingKeyring();
    const { vault } = await setup({ ring: k.ring, dataKeyCache: false });
    const { subject } = await vault.collect({ collectionPoint: 'payrollImport', actor: 'w', values: { name: 'A', salary: 1 } });
    await vault.collect({ subject, collectionPoint: 'registration', actor: 'w', values: { name: 'A', email: 'a@example.jp' } });
    expect(k.unwraps()).toBe(1); // the second collect, once for two values
    k.reset();
    // readAll reads the fields that allow the purpose (salary allows only payroll): one unwrap for both.
    expect(Object.keys(await vault.readAll(subject, { purpose: 'care', actor: 'dr' })).sort()).toEqual(['email', 'name']);
    expect(k.unwraps()).toBe(1);
    await vault.read(subject, 'email', { purpose: 'care', actor: 'dr' });
    expect(k.unwraps()).toBe(2);
    const [row] = await vault.readMany([subject], ['name', 'salary'], { purpose: 'payroll', actor: 'clerk' });
    expect(row?.ok && Object.keys(row.values).sort()).toEqual(['name', 'salary']);
    expect(k.unwraps()).toBe(3);
  });

  it('with the data-key cache (default), reuses a data key until it expires, and only for the same wrapped key', async () => {
    const k = countingKeyring();
    let now = Date.parse('2026-11-24T10:00:00Z');
    const { vault, adapter } = await setup({ ring: k.ring, clock: () => new Date(now), dataKeyCache: { maxAgeMs: 1_000 } });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'A', email: 'a@example.jp' } });
    const read = async () => vault.read(subject, 'email', { purpose: 'care', actor: 'dr' });
    expect(await read()).toBe('a@example.jp');
    expect(await read()).toBe('a@example.jp');
    expect(k.unwraps()).toBe(0); // cached when the subject was created
    now += 1_001;
    expect(await read()).toBe('a@example.jp');
    expect(k.unwraps()).toBe(1); // expired: unwrapped again, then cached
    expect(await read()).toBe('a@example.jp');
    expect(k.unwraps()).toBe(1);
    // The stored wrapped key changed behind the vault's back (a restored row, a tampered key):
    // the cached key is not used; the keyring decides, and refuses the altered key.
    await adapter.transaction(async (tx) => {
      const row = (await tx.getSubject(subject, { forUpdate: true }))!;
      const altered = new Uint8Array(row.wrappedKey!);
      altered[altered.length - 1]! ^= 1;
      await tx.updateSubject({ ...row, wrappedKey: altered, version: row.version + 1 }, row.version);
    });
    await expect(vault.read(subject, 'email', { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ name: expect.stringMatching(/IntegrityError|KeyUnavailableError/) });
    expect(k.unwraps()).toBe(2);
  });

  it('an erasure committed through another vault is seen at once by a vault holding the cached key', async () => {
    const { vault, adapter, ring } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'A', email: 'a@example.jp' } });
    await vault.read(subject, 'email', { purpose: 'care', actor: 'dr' }); // the key is cached in `vault`
    const other = await createVault({ policy: clinic, adapter: adapter.connect(), keyring: ring });
    await other.erase(subject, { actor: 'dpo', reference: 'req-1' });
    await expect(vault.read(subject, 'email', { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await expect(vault.readAll(subject, { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
  });

  it('checks the dataKeyCache option', async () => {
    await expect(setup({ dataKeyCache: { maxEntries: 0 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.dataKeyCache.maxEntries' });
    await expect(setup({ dataKeyCache: { maxAgeMs: -1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.dataKeyCache.maxAgeMs' });
    await expect(setup({ dataKeyCache: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.dataKeyCache' });
  });

  it('guard stores persist: a second vault on the same adapter sees consents, suspensions and one audit chain', async () => {
    const { vault, adapter, ring, guard } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'web', values: { name: 'Hana', email: 'hana@example.jp' } });
    await guard.grantConsent({ subject, purpose: 'research', actor: subject });
    await guard.suspend({ subject, purposes: ['care'], actor: 'dpo' });
    const again = await createVault({ policy: clinic, adapter: adapter.connect(), keyring: ring });
    const email = again.field(subject, 'email');
    expect(await again.guard().read(email, { purpose: 'research', actor: 'lab' })).toBe('hana@example.jp');
    await expect(again.guard().read(email, { purpose: 'care', actor: 'dr' })).rejects.toMatchObject({ code: 'USE_SUSPENDED' });
    const v = await verifyAuditLog(vault.audit);
    expect(v).toMatchObject({ valid: true, entries: 5 });
    expect((await vault.audit.entries()).map((e) => e.action)).toEqual(['collect', 'consent.grant', 'suspension.start', 'read', 'read']);
  });
});

describe('backup-proof keyring (subject secrets) with the vault', () => {
  it('erasure defeats an older copy without any rotation; rotation keeps the other subjects readable', async () => {
    const kek1 = generateKey();
    const kek2 = generateKey();
    const indexKey = generateKey();
    const secrets = memorySubjectSecrets();
    const adapter = memoryAdapter();
    const ring = createLocalKeyring({ keys: { 'kek-1': kek1 }, current: 'kek-1', indexKey, subjectSecrets: secrets });
    const vault = await createVault({ policy: clinic, adapter, keyring: ring });
    const { subject: gone } = await vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'Gone' } });
    const { subject: kept } = await vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'Kept' } });
    const backup = adapter.snapshot();
    const erased = await vault.erase(gone, { actor: 'dpo', reference: 'req-1' });
    expect(erased.subject).toBe(gone);
    expect((await vault.audit.entries({ action: 'erase' }))[0]?.details).toMatchObject({ keyring: 'backup-proof' });
    const old = await createVault({ policy: clinic, adapter: memoryAdapter({ from: backup }), keyring: ring });
    await expect(old.read(gone, 'name', { purpose: 'care', actor: 'a' })).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
    expect(await old.read(kept, 'name', { purpose: 'care', actor: 'a' })).toBe('Kept');
    const rotated = await createVault({
      policy: clinic,
      adapter,
      keyring: createLocalKeyring({ keys: { 'kek-1': kek1, 'kek-2': kek2 }, current: 'kek-2', indexKey, subjectSecrets: secrets }),
    });
    expect(await rotated.rotateKeys({ actor: 'ops' })).toEqual({ rewrapped: 1, failed: [] });
    const after = await createVault({ policy: clinic, adapter, keyring: createLocalKeyring({ keys: { 'kek-2': kek2 }, current: 'kek-2', indexKey, subjectSecrets: secrets }) });
    expect(await after.read(kept, 'name', { purpose: 'care', actor: 'a' })).toBe('Kept');
  });
});

describe('concurrent writers on one subject (vault level)', () => {
  it('concurrent collects creating the same subject id all land: one creates, the others add to it', async () => {
    const { vault } = await setup();
    await Promise.all(['A', 'B', 'C', 'D'].map((name) => vault.collect({ subject: 'same', collectionPoint: 'registration', actor: 'w', values: { name } })));
    const history = await vault.history('same');
    expect(history).toHaveLength(3);
    expect(history.every((h) => h.change === 'correction')).toBe(true);
    expect((await vault.audit.entries({ subject: 'same', action: 'collect' })).length).toBe(4);
  });
});

describe('errors never contain personal values', () => {
  it('across validation, integrity, lookup and guard failures', async () => {
    const secret = 'Zq-Secret-Value-7731';
    const { vault, adapter } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: secret, email: 'zq7731@example.jp' } });
    const errors: unknown[] = [];
    const collectError = async (p: Promise<unknown>) =>
      errors.push(
        await p.then(
          () => new Error('no error'),
          (e: unknown) => e,
        ),
      );
    await collectError(vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: `${secret}`.repeat(20) } }));
    await collectError(vault.correct(subject, 'email', `${secret}@@`, { actor: 'a', reason: 'r' }));
    await collectError(vault.findByLookup('email', secret));
    await collectError(vault.collect({ collectionPoint: 'registration', actor: 'w', values: { name: 'x', [`${secret} at example`]: 1 } as never }));
    await collectError(vault.read(subject, 'name', { purpose: 'research' as never, actor: 'a' }));
    const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['name']));
    const bad = new Uint8Array(row?.ciphertext ?? []);
    bad[5] = (bad[5] as number) ^ 1;
    await adapter.transaction((tx) => tx.putValue({ ...(row as ValueRow), ciphertext: bad }));
    await collectError(vault.read(subject, 'name', { purpose: 'care', actor: 'a' }));
    expect(errors.map((e) => (e as PurposeBoundError).code)).toEqual([
      'INVALID_PERSONAL_VALUE',
      'INVALID_PERSONAL_VALUE',
      'INVALID_PERSONAL_VALUE',
      'UNKNOWN_FIELD',
      'PURPOSE_NOT_ALLOWED',
      'INTEGRITY_ERROR',
    ]);
    for (const e of errors) {
      expect(everything(e)).not.toContain(secret);
      expect(everything(e)).not.toContain('zq7731');
    }
  });
});
