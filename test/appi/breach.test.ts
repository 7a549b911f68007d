/**
 * The leakage (漏えい等) workflow: APPI Art. 26 with PPC Rules Arts. 7-10, GDPR Arts. 33/34.
 * An incident is recorded, its persons derived from the audit log, its reportability and
 * deadlines decided, the Commission's reports and the notices produced, each step audited.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  breachDeadlines,
  BreachInvalidError,
  createBreachDesk,
  createLocalKeyring,
  createProvisions,
  createVault,
  definePolicy,
  endOfJstDay,
  generateKey,
  isPurposeBoundError,
  memorySubjectSecrets,
  renderDocument,
  verifyAuditLog,
  type AnyPolicy,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';

const DISCOVERED = '2026-04-10T02:00:00.000Z'; // 11:00 JST, 10 April

async function setup(policy: AnyPolicy = ji4pePolicy) {
  const keyring = createLocalKeyring({ keys: { k: generateKey() }, current: 'k', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
  let now = new Date('2026-04-01T00:00:00Z');
  const clock = () => new Date(now);
  const vault = await createVault({ policy, adapter: memoryAdapter(), keyring, clock });
  return { vault, clock, set: (iso: string) => void (now = new Date(iso)) };
}

async function ji4peWithPeople() {
  const s = await setup();
  const people: string[] = [];
  for (const [i, name] of ['中村 美香', '伊藤 健', '佐藤 花'].entries()) {
    const { subject } = await s.vault.collect({
      collectionPoint: 'courseApplication',
      actor: 'web-form',
      values: { name, dateOfBirth: '1990-01-0' + (i + 1), address: '京都府京都市' + i, phone: '075-111-222' + i, email: `p${i}@example.jp` },
      consent: { method: 'web-form' },
    });
    people.push(subject);
  }
  const provisions = createProvisions({ vault: s.vault, clock: s.clock });
  // Two of them were sent to the mailing contractor; staff:7 read one e-mail address.
  for (const p of people.slice(0, 2)) await provisions.provide({ vendor: 'mailingService', subject: p, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:3' });
  s.set('2026-04-05T00:00:00Z');
  await s.vault.read(people[2] as string, 'email', { purpose: 'contact', actor: 'staff:7' });
  s.set(DISCOVERED);
  return { ...s, people, breaches: createBreachDesk({ vault: s.vault, clock: s.clock }) };
}

const summary = { en: 'The mailing contractor reported unauthorised access to its server.', ja: '発送の委託先から、同社サーバへの不正アクセスがあった旨の報告を受けました。' };

describe('deadlines (PPC Rules Art. 8; GDPR Art. 33(1))', () => {
  it('final report: end of day 30 in Japan time, the day of awareness being day 1; 60 days for a wrongful purpose', () => {
    expect(endOfJstDay(new Date(DISCOVERED), 1).toISOString()).toBe('2026-04-10T14:59:59.999Z');
    const d = breachDeadlines(new Date(DISCOVERED), { ppc: true, wrongfulPurpose: false, gdprAuthority: true });
    expect(d.ppcFinal).toBe('2026-05-09T14:59:59.999Z');
    expect(d.ppcPreliminaryIndication).toBe('2026-04-14T14:59:59.999Z');
    expect(d.gdprAuthority).toBe('2026-04-13T02:00:00.000Z');
    expect(breachDeadlines(new Date(DISCOVERED), { ppc: true, wrongfulPurpose: true, gdprAuthority: false })).toEqual({
      ppcPreliminaryIndication: '2026-04-14T14:59:59.999Z',
      ppcFinal: '2026-06-08T14:59:59.999Z',
    });
    // Awareness late in the evening JST is still that day: 23:30 JST on 10 April.
    expect(breachDeadlines(new Date('2026-04-10T14:30:00Z'), { ppc: true, wrongfulPurpose: false, gdprAuthority: false }).ppcFinal).toBe('2026-05-09T14:59:59.999Z');
  });
});

describe('createBreachDesk', () => {
  it('derives the persons from the provision entries of the audit log, and decides reportability (Rules Art. 7(iii))', async () => {
    const { breaches, people } = await ji4peWithPeople();
    const incident = await breaches.record({
      kind: 'leakage',
      suspected: true,
      discoveredAt: DISCOVERED,
      fields: ['name', 'address', 'email'],
      scope: { provisions: { vendor: 'mailingService' } },
      summary,
      wrongfulPurpose: true,
      actor: 'dpo',
    });
    expect(incident.affected.map((a) => a.subject).sort()).toEqual(people.slice(0, 2).sort());
    expect(incident.affected[0]?.fields).toEqual(['name', 'address']); // e-mail was never provided to the contractor
    expect(incident.affected[0]?.via).toEqual(['provisions']);
    expect(incident.personCount).toBe(2);
    expect(incident.reportable).toEqual({ ppc: true, grounds: ['wrongful-purpose'], gdprAuthority: false, gdprPersons: false });
    expect(incident.deadlines.ppcFinal).toBe('2026-06-08T14:59:59.999Z');
  });

  it('derives the persons from reads by a compromised account in a window', async () => {
    const { breaches, people } = await ji4peWithPeople();
    const incident = await breaches.record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['email', 'phone'],
      scope: { reads: { actor: 'staff:7', from: '2026-04-04T00:00:00Z', to: '2026-04-06T00:00:00Z' } },
      summary,
      actor: 'dpo',
    });
    expect(incident.affected.map((a) => [a.subject, a.fields])).toEqual([[people[2], ['email']]]);
    expect(incident.affected[0]?.auditSeqs.length).toBe(1);
    // Two people, no special-care data, no wrongful purpose, no financial risk: not reportable.
    expect(incident.reportable.ppc).toBe(false);
    expect(incident.deadlines).toEqual({});
  });

  it('more than 1,000 persons (Art. 7(iv)); encrypted with the keys safe is not reportable (Art. 7(i) proviso)', async () => {
    const { breaches } = await ji4peWithPeople();
    const many = await breaches.record({ kind: 'loss', discoveredAt: DISCOVERED, fields: ['name'], scope: {}, estimatedPersons: 1001, summary, actor: 'dpo' });
    expect(many.reportable.grounds).toEqual(['over-1000']);
    expect(many.personCount).toBe(1001);
    const encrypted = await breaches.record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['name'],
      scope: {},
      estimatedPersons: 5000,
      protectedByEncryption: true,
      wrongfulPurpose: true,
      summary,
      actor: 'dpo',
    });
    expect(encrypted.reportable.ppc).toBe(false);
  });

  it('special care-required data is reportable whatever the number (Art. 7(i))', async () => {
    const policy = definePolicy({
      id: 'clinic',
      version: '1',
      effective: '2026-01-01',
      controller: { name: { en: 'Clinic', ja: 'クリニック' }, contact: { email: 'privacy@clinic.example' } },
      purposes: { care: { title: { en: 'Care', ja: '診療' }, description: { en: 'To treat you.', ja: '診療のため。' }, basis: 'contract', retention: 'P5Y' } },
      fields: { diagnosis: { title: { en: 'Diagnosis', ja: '病名' }, schema: z.string(), category: 'special-care', purposes: ['care'] } },
      collectionPoints: { intake: { title: { en: 'Intake', ja: '問診' }, fields: ['diagnosis'], purposes: ['care'] } },
    });
    const { vault } = await setup(policy);
    const { subject } = await vault.collect({ collectionPoint: 'intake', actor: 'desk', values: { diagnosis: 'x' }, consent: { method: 'paper' } });
    const incident = await createBreachDesk({ vault }).record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['diagnosis'],
      scope: { subjects: [subject] },
      summary,
      actor: 'dpo',
    });
    expect(incident.reportable.grounds).toEqual(['special-care']);
  });

  it('the preliminary report lists the Rules Art. 8(1) items, unknown ones as under investigation; the final needs them all', async () => {
    const { breaches } = await ji4peWithPeople();
    let incident = await breaches.record({
      kind: 'leakage',
      suspected: true,
      discoveredAt: DISCOVERED,
      fields: ['name', 'address'],
      scope: { provisions: { vendor: 'mailingService' } },
      summary,
      wrongfulPurpose: true,
      actor: 'dpo',
    });
    const ja = renderDocument(breaches.ppcReport(incident, 'preliminary', 'ja'));
    expect(ja).toContain('個人データの漏えい等事案の報告（速報）');
    expect(ja).toContain('個人情報保護委員会規則第8条第1項');
    expect(ja).toContain('報告フォーム');
    expect(ja).toContain('住所：〒101-0054 東京都千代田区神田錦町二丁目3番4号');
    expect(ja).toContain('不正の目的をもって行われたおそれがある個人データの漏えい等（同条第3号）');
    expect(ja).toContain('事態：個人データの漏えいのおそれ');
    expect(ja).toContain('発覚日時：2026年4月10日 11時00分（日本時間）');
    expect(ja).toContain('（2）漏えい等が発生し、又は発生したおそれがある個人データの項目\n\n氏名及び住所');
    expect(ja).toContain('2人');
    expect(ja).toContain('調査中（確報において報告します。）');
    expect(ja).toContain('確報の期限：2026年6月8日 23時59分（日本時間）');
    expect(() => breaches.ppcReport(incident, 'final', 'ja')).toThrow(BreachInvalidError);
    await expect(breaches.markReported(incident.id, 'final', { actor: 'dpo' })).rejects.toThrow(/cause/);

    await breaches.markReported(incident.id, 'preliminary', { actor: 'dpo', reference: 'PPC-2026-0001' });
    incident = await breaches.update(
      incident.id,
      {
        cause: { en: 'A vulnerability in the contractor’s server software.', ja: '委託先サーバのソフトウェアの脆弱性。' },
        secondaryDamage: { en: 'None found so far.', ja: '現時点で二次被害は確認されていません。' },
        publicAnnouncement: { en: 'Announced on the website on 12 April 2026.', ja: '2026年4月12日に当ウェブサイトで公表しました。' },
        preventionMeasures: { en: 'The contractor patched the server; the Institute audits it quarterly.', ja: '委託先はサーバを修正し、当研究所は四半期ごとに監査します。' },
      },
      { actor: 'dpo' },
    );
    for (const p of incident.affected) incident = await breaches.markNotified(incident.id, p.subject, { actor: 'dpo', method: 'e-mail' });
    const final = renderDocument(breaches.ppcReport(incident, 'final', 'ja'));
    expect(final).toContain('（確報）');
    expect(final).toContain('本人2人のうち2人に通知済み。');
    expect(final).not.toContain('調査中');
    incident = await breaches.markReported(incident.id, 'final', { actor: 'dpo', reference: 'PPC-2026-0001' });
    expect(incident.reports.map((r) => [r.stage, r.reference])).toEqual([
      ['preliminary', 'PPC-2026-0001'],
      ['final', 'PPC-2026-0001'],
    ]);
    expect(renderDocument(breaches.ppcReport(incident, 'final', 'en'))).toContain('(4) Cause\n\nA vulnerability');
  });

  it('the notice to each person: their own fields, the cause, secondary damage, the contact point (Rules Art. 10)', async () => {
    const { breaches, people } = await ji4peWithPeople();
    const incident = await breaches.record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['name', 'address'],
      scope: { provisions: { vendor: 'mailingService' } },
      summary,
      wrongfulPurpose: true,
      actor: 'dpo',
    });
    const ja = renderDocument(breaches.personNotice(incident, people[0] as string, 'ja'));
    expect(ja).toContain('個人データの漏えい等に関するお知らせ');
    expect(ja).toContain('個人情報の保護に関する法律第26条第2項');
    expect(ja).toContain('対象となるご本人の個人データの項目\n\n氏名及び住所');
    expect(ja).toContain('窓口：個人情報お問い合わせ窓口');
    expect(ja).not.toContain('中村');
    expect(() => breaches.personNotice(incident, people[2] as string, 'ja')).toThrow(BreachInvalidError);
    expect(renderDocument(breaches.personNotice(incident, people[0] as string, 'en'))).toContain('Your personal data concerned\n\nname and address');
  });

  it('tracks what is overdue: preliminary (indication), final, GDPR 72 hours, persons', async () => {
    const { breaches } = await ji4peWithPeople();
    const incident = await breaches.record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['name', 'address'],
      scope: { provisions: { vendor: 'mailingService' } },
      summary,
      wrongfulPurpose: true,
      gdpr: { risk: 'high' },
      actor: 'dpo',
    });
    expect(incident.reportable.gdprAuthority).toBe(true);
    expect(incident.reportable.gdprPersons).toBe(true);
    expect(await breaches.overdue(new Date('2026-04-12T00:00:00Z'))).toEqual([]);
    expect((await breaches.overdue(new Date('2026-04-13T03:00:00Z'))).map((o) => o.duty)).toEqual(['gdpr-authority', 'persons']);
    await breaches.markGdprNotified(incident.id, { actor: 'dpo', reference: 'SA-77' });
    expect((await breaches.overdue(new Date('2026-04-15T00:00:00Z'))).map((o) => o.duty)).toEqual(['ppc-preliminary', 'persons']);
    expect((await breaches.overdue(new Date('2026-06-09T00:00:00Z'))).map((o) => o.duty)).toContain('ppc-final');
    const gdpr = renderDocument(breaches.gdprNotification(incident, 'en'));
    expect(gdpr).toContain('Approximate number of persons: 2');
    expect(gdpr).toContain('(d) Measures taken or proposed');
  });

  it('is kept in the audit log: another desk over the same vault sees it; each person’s audit shows it; the chain verifies', async () => {
    const { vault, breaches, people, clock } = await ji4peWithPeople();
    const incident = await breaches.record({
      kind: 'leakage',
      discoveredAt: DISCOVERED,
      fields: ['name', 'address'],
      scope: { provisions: { vendor: 'mailingService' } },
      summary,
      wrongfulPurpose: true,
      actor: 'dpo',
    });
    await breaches.markNotified(incident.id, people[0] as string, { actor: 'dpo', method: 'post' });
    const again = await createBreachDesk({ vault, clock }).get(incident.id);
    expect(again).toEqual(await breaches.get(incident.id));
    expect(again.notified).toEqual([{ subject: people[0], at: DISCOVERED, method: 'post' }]);
    const theirs = await vault.audit.entries({ subject: people[0] as string });
    expect(theirs.map((e) => e.action)).toEqual(expect.arrayContaining(['breach.affected', 'breach.notify']));
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
    expect((await breaches.list()).map((i) => i.id)).toEqual([incident.id]);
  });

  it('bad input is a BreachInvalidError naming the field, never echoing the text', async () => {
    const { breaches } = await ji4peWithPeople();
    const base = { kind: 'leakage' as const, discoveredAt: DISCOVERED, fields: ['name'], scope: { subjects: ['s1'] }, summary, actor: 'dpo' };
    const codeOf = async (input: unknown) => {
      try {
        await breaches.record(input as never);
      } catch (e) {
        expect(isPurposeBoundError(e)).toBe(true);
        expect((e as Error).message).not.toContain('secret-text');
        return (e as BreachInvalidError).field;
      }
      return 'accepted';
    };
    expect(await codeOf({ ...base, discoveredAt: 'yesterday' })).toBe('input.discoveredAt');
    expect(await codeOf({ ...base, fields: ['secret-text'] })).toBe('input.fields[0]');
    expect(await codeOf({ ...base, summary: { en: 'secret-text' } })).toBe('input.summary.ja');
    expect(await codeOf({ ...base, scope: {} })).toBe('input.scope');
    expect(await codeOf({ ...base, occurredAt: '2026-04-11T00:00:00Z' })).toBe('input.occurredAt');
    expect(await codeOf({ ...base, scope: { provisions: { vendor: 'secret-text' } } })).toBe('input.scope.provisions.vendor');
    await expect(breaches.get('nope')).rejects.toThrow(BreachInvalidError);
  });
});
