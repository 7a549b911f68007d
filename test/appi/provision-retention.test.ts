/**
 * Provision records kept as the PPC Rules count them (Art. 21): periods run from the Japanese
 * calendar day of the provision as day 1; records made in the contract with the person
 * (`supply-to-person`, 1 year) or collectively for repeated provision (`collective`) are kept
 * from the LAST provision to the same recipient, so an early record is not removed while the
 * relationship goes on.
 */
import { describe, expect, it } from 'vitest';
import { createLocalKeyring, createProvisions, createVault, definePolicy, generateKey, memorySubjectSecrets, provisionRecordKeepUntil, effectiveKeepUntil } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

describe('provision record retention (PPC Rules Art. 21)', () => {
  it('counts from the JST day of the provision as day 1 to the end of the day before the anniversary', () => {
    // 23:30 JST on 10 January 2026 is still 10 January in Japan.
    expect(provisionRecordKeepUntil(ji4pePolicy, new Date('2026-01-10T14:30:00Z'), 'standard')).toBe('2029-01-09T14:59:59.999Z');
    // 00:30 JST on 11 January (15:30 UTC the day before) is 11 January.
    expect(provisionRecordKeepUntil(ji4pePolicy, new Date('2026-01-10T15:30:00Z'), 'supply-to-person')).toBe('2027-01-10T14:59:59.999Z');
    const twoYears = definePolicy({ ...ji4pePolicy.spec, provisionRecordRetention: 'P2Y' });
    expect(provisionRecordKeepUntil(twoYears, new Date('2026-01-10T00:00:00Z'), 'collective')).toBe('2028-01-09T14:59:59.999Z');
  });

  it('supply-to-person and collective records are kept from the last provision to the same recipient', async () => {
    let now = new Date('2026-01-10T00:00:00Z');
    const clock = () => new Date(now);
    const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
    const vault = await createVault({ policy: ji4pePolicy, adapter: memoryAdapter(), keyring, clock });
    const { subject } = await vault.collect({
      collectionPoint: 'courseApplication',
      actor: 'web',
      values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市', phone: '075-111-2222', email: 'mika@example.jp' },
      consent: { method: 'web-form' },
    });
    const provisions = createProvisions({ vault, clock });
    const first = await provisions.provide({
      vendor: 'mailingService',
      subject,
      fields: ['name', 'address'],
      purpose: 'courseMaterials',
      actor: 'staff',
      retention: 'supply-to-person',
    });
    const standard = await provisions.provide({ vendor: 'mailingService', subject, fields: ['name'], purpose: 'courseMaterials', actor: 'staff' });
    now = new Date('2026-09-01T00:00:00Z');
    const second = await provisions.provide({
      vendor: 'mailingService',
      subject,
      fields: ['name', 'address'],
      purpose: 'courseMaterials',
      actor: 'staff',
      retention: 'supply-to-person',
    });
    const until = effectiveKeepUntil(await provisions.records(subject));
    expect(until.get(first.record.id)).toBe(second.record.keepUntil);
    expect(until.get(standard.record.id)).toBe(standard.record.keepUntil);
    // A year after the first provision: the first record stays (the relationship went on).
    const mid = await provisions.expire({ now: new Date('2027-02-01T00:00:00Z'), actor: 'sweep' });
    expect(mid.expired).toEqual([]);
    const end = await provisions.expire({ now: new Date('2027-09-01T00:00:00Z'), actor: 'sweep' });
    expect([...end.expired].sort()).toEqual([first.record.id, second.record.id].sort());
    expect((await provisions.records(subject)).map((r) => r.id)).toEqual([standard.record.id]);
  });
});
