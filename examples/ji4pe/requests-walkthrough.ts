/**
 * Every data-subject request kind of the Ji4pe policy (§12–§14; APPI Art. 33–37), end to end on
 * the embedded default (PGlite in memory). Run it with `npm run demo:requests`.
 *
 * Kinds: correction, addition, deletion (Art. 34); suspension of use, lifting it, erasure
 * (Art. 35), with alternative measures where suspension is refused for cost; disclosure and
 * disclosure of provision records (Art. 33, 33(5)); a refusal with the explanation owed to the
 * person (Art. 36); overdue requests; consent receipts; notification of the purposes (Art. 32(2))
 * with its fee (Art. 38); a request by an agent (Art. 37(3)) disclosed by another method than the
 * one asked for (Art. 33(3)); the answer letters (Arts. 34(3), 36); stopping provision to third
 * parties (Art. 35(3)/(5)); GDPR Art. 12(3)'s cap on extensions; a leakage at a contractor taken
 * through the breach workflow (Art. 26, PPC Rules Arts. 7-10, GDPR 33/34); and the retention sweep
 * that destroys values whose purposes have all expired.
 *
 * A clock the example controls moves time forward, so deadlines and retention can be shown.
 * No personal value is printed.
 */
import {
  authenticatedSubjectVerifier,
  createBreachDesk,
  renderDocument,
  renderRequestNotice,
  createLocalKeyring,
  createProvisions,
  createRequestDesk,
  createVault,
  generateKey,
  isPurposeBoundError,
  memorySubjectSecrets,
  renderDisclosure,
  sweepRetention,
  verifyAuditLog,
  type DataSubjectRequest,
} from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { ji4peConsentReceipts } from './consent-receipts.js';
import { ji4pePolicy } from './policy.js';

let now = new Date('2026-04-01T09:00:00.000Z');
const clock = (): Date => new Date(now);
const days = (n: number): void => {
  now = new Date(now.getTime() + n * 86_400_000);
};

const ok = (text: string): void => console.log(`  ✓ ${text}`);
const step = (text: string): void => console.log(`\n${text}`);
const trail = (r: DataSubjectRequest): string => r.transitions.map((t) => t.to).join(' → ');

async function refusedWith(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
  } catch (error) {
    if (isPurposeBoundError(error)) return error.code;
    throw error;
  }
  throw new Error('walkthrough: an operation that must be refused was allowed');
}

const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1', indexKey: generateKey(), subjectSecrets: memorySubjectSecrets() });
const vault = await createVault({ policy: ji4pePolicy, adapter: pgliteAdapter(), keyring, clock });
const guard = vault.guard();
const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier(), dueIn: { default: 'P14D', disclosure: 'P14D' }, clock });
const provisions = createProvisions({ vault, clock });
/** The person is logged in to the institute's site: identity verified by that session (本人確認). */
const verify = (id: string, subject: string) => desk.verifyIdentity(id, { actor: 'web', evidence: { authenticatedSubject: subject } });

console.log('purpose-bound: every data-subject request of the Ji4pe policy, on PGlite in memory');
try {
  const { subject: mika } = await vault.collect({
    collectionPoint: 'eventApplication',
    actor: 'web-form',
    values: { name: '中村 美香', dateOfBirth: '1992-07-07', address: '京都府京都市中京区1-1', phone: '075-111-2222', email: 'mika@example.jp' },
    consent: { method: 'web-form' },
  });
  const { subject: ken } = await vault.collect({
    collectionPoint: 'inquiry',
    actor: 'web-form',
    values: { name: 'Ken Ito', email: 'ken@example.jp', inquiry: 'Do you run weekend courses?' },
  });
  ok(`Mika applied for an event (${mika}); Ken sent an inquiry (${ken})`);

  step('Correction, addition, deletion (§12, APPI Art. 34)');
  const correction = await desk.receive({ kind: 'correction', subject: mika, actor: 'subject', channel: 'web-form', fields: ['address'] });
  await verify(correction.id, mika);
  const corrected = await desk.correct(correction.id, { actor: 'staff:sato', values: { address: '京都府京都市左京区2-2' } });
  ok(`correction of the address: ${trail(corrected)}; the old value is kept encrypted in the history`);
  const addition = await desk.receive({ kind: 'addition', subject: ken, actor: 'subject', channel: 'e-mail', fields: ['phone'] });
  await verify(addition.id, ken);
  ok(`addition of a phone number: ${trail(await desk.correct(addition.id, { actor: 'staff:sato', values: { phone: '090-1234-5678' } }))}`);
  const deletion = await desk.receive({ kind: 'deletion', subject: ken, actor: 'subject', channel: 'e-mail', fields: ['phone'] });
  await verify(deletion.id, ken);
  ok(`deletion of that phone number: ${trail(await desk.deleteValues(deletion.id, { actor: 'staff:sato' }))}`);
  ok(`Mika's history: ${(await vault.history(mika)).map((h) => `${h.change} of ${h.field} by ${h.actor}`).join('; ')}`);

  step('A correction refused, with the explanation owed to the person (APPI Art. 36)');
  const disputed = await desk.receive({ kind: 'correction', subject: mika, actor: 'subject', channel: 'web-form', fields: ['dateOfBirth'] });
  await verify(disputed.id, mika);
  const rejected = await desk.reject(disputed.id, {
    actor: 'dpo:kato',
    reason: 'content-accurate',
    explanation: {
      en: 'The date of birth we hold matches the identity document you showed us.',
      ja: '当研究所が保有する生年月日は、ご提示いただいた本人確認書類と一致しています。',
    },
  });
  ok(`${trail(rejected)} (reason ${rejected.rejection?.reason}); the explanation is kept on the request in English and Japanese`);

  step('Suspension of use, refused for cost with alternative measures, then granted and lifted (§13, Art. 35)');
  const costly = await desk.receive({ kind: 'suspension', subject: mika, actor: 'subject', channel: 'letter', purposes: ['courseMaterials'] });
  await verify(costly.id, mika);
  const measured = await desk.recordAlternativeMeasures(costly.id, {
    actor: 'dpo:kato',
    description: { en: 'Materials already printed will be sent without your name on the cover.', ja: '印刷済みの教材は、表紙にお名前を記載せずにお送りします。' },
    reason: { en: 'The materials for this term were printed before your request.', ja: '今期の教材はご請求の前に印刷済みのためです。' },
  });
  ok(`suspension for course materials: ${trail(measured)} with alternative measures recorded (代わるべき措置)`);
  const suspension = await desk.receive({ kind: 'suspension', subject: mika, actor: 'subject', channel: 'web-form', purposes: ['contact'] });
  await verify(suspension.id, mika);
  await desk.suspend(suspension.id, { actor: 'dpo:kato' });
  const contactRead = { purpose: 'contact', actor: 'staff:sato' } as const;
  ok(`use for 'contact' suspended: reading her e-mail to contact her → ${await refusedWith(() => vault.read(mika, 'email', contactRead))}`);
  const lift = await desk.receive({ kind: 'lift-suspension', subject: mika, actor: 'subject', channel: 'web-form' });
  await verify(lift.id, mika);
  await desk.liftSuspension(lift.id, { actor: 'dpo:kato' });
  await vault.read(mika, 'email', contactRead);
  ok('she asks to lift it: the suspension is lifted and contacting her is allowed again');

  step('Provision records and disclosure (§10, §14; APPI Art. 29, 33, 33(5))');
  await guard.grantConsent({ subject: mika, purpose: 'eventInsurance', actor: 'subject', method: 'web-form' });
  await provisions.provide({ vendor: 'eventInsurer', subject: mika, fields: ['name', 'dateOfBirth'], purpose: 'eventInsurance', actor: 'staff:ito' });
  await provisions.provide({ vendor: 'mailingService', subject: mika, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:ito' });
  ok('her data went to the event insurer (third party, with consent) and to the mailing contractor (entrustment)');
  const records = await desk.receive({ kind: 'provision-records', subject: mika, actor: 'subject', channel: 'web-form' });
  await verify(records.id, mika);
  const provisionDisclosure = await desk.disclose(records.id, { actor: 'dpo:kato' });
  ok(`disclosure of provision records: ${provisionDisclosure.provisions.map((p) => `${p.recipient.name.en} (${p.basis}, ${p.fields.join('+')})`).join('; ')}`);
  const full = await desk.receive({ kind: 'disclosure', subject: mika, actor: 'subject', channel: 'web-form' });
  await verify(full.id, mika);
  const disclosure = await desk.disclose(full.id, { actor: 'dpo:kato' });
  const report = renderDisclosure(disclosure, { lang: 'ja', format: 'text' });
  ok(
    `full disclosure: ${disclosure.values.length} values, ${disclosure.requests.length} requests, ${disclosure.audit.length} audit entries; a ${report.split('\n').length}-line report in Japanese`,
  );

  step('Consent receipts (ISO/IEC TS 27560 with W3C DPV, and Kantara Consent Receipt v1.1)');
  const consents = await vault.consents.list(mika);
  // Only consent-based purposes: the application form's contract purposes and the insurer's
  // Art. 27(1) provision consent are not consents to a purpose (issue 13).
  const { records: iso, kantara } = ji4peConsentReceipts(consents);
  ok(
    `${iso.length} ISO/IEC TS 27560 record(s) (${iso.map((r) => (r['dpv:hasProcess'][0]?.['dpv:hasPurpose'] as { 'dct:identifier': string } | undefined)?.['dct:identifier']).join(', ')}) and ${kantara.length} Kantara receipts (English, Japanese) covering ${kantara[0]?.services[0]?.purposes.length ?? 0} purpose(s), each with the notice version she saw`,
  );

  step('Deadlines (default 14 days)');
  const late = await desk.receive({ kind: 'disclosure', subject: ken, actor: 'staff:reception', channel: 'telephone' });
  days(15);
  const overdue = await desk.overdue();
  ok(`15 days later, ${overdue.length} request is overdue: ${overdue.map((r) => `${r.id} (${r.kind}, due ${r.dueAt.slice(0, 10)})`).join(', ')}`);
  await desk.reject(late.id, {
    actor: 'dpo:kato',
    reason: 'identity-not-verified',
    explanation: { en: 'We could not confirm your identity by telephone.', ja: 'お電話ではご本人であることを確認できませんでした。' },
  });

  step('Notification of the purposes, fees, agents, the disclosure method (APPI Art. 32(2), 33, 37(3), 38)');
  const purposesRequest = await desk.receive({ kind: 'purposes-notification', subject: mika, actor: 'staff:reception', channel: 'post' });
  await verify(purposesRequest.id, mika);
  const unpaid = await refusedWith(() => desk.notifyPurposes(purposesRequest.id, { actor: 'dpo:kato' }));
  await desk.recordFeePaid(purposesRequest.id, { actor: 'staff:reception', method: 'postal-money-order' });
  const notified = await desk.notifyPurposes(purposesRequest.id, { actor: 'dpo:kato' });
  const purposesLetter = renderRequestNotice(ji4pePolicy, notified, { lang: 'ja' });
  ok(
    `purposes notification by post: fee ¥${purposesRequest.fee?.amountJpy} unpaid → ${unpaid}; paid → ${trail(notified)}, ${notified.outcome?.purposesNotified?.length} purposes in a ${purposesLetter.split('\n').length}-line letter (利用目的の通知)`,
  );
  const byAgent = await desk.receive({
    kind: 'disclosure',
    subject: mika,
    actor: 'staff:reception',
    channel: 'web-form',
    agent: { kind: 'appointed' },
    disclosureMethod: 'electronic',
  });
  await verify(byAgent.id, mika);
  const beforeAgent = await refusedWith(() => desk.disclose(byAgent.id, { actor: 'dpo:kato' }));
  await desk.confirmAgent(byAgent.id, { actor: 'staff:reception', document: 'power-of-attorney' });
  await desk.disclose(byAgent.id, {
    actor: 'dpo:kato',
    method: 'paper',
    methodReason: { en: 'The attachments are too large to send electronically.', ja: '添付資料の容量が大きく、電磁的記録による提供が困難なためです。' },
  });
  const methodNotice = renderRequestNotice(ji4pePolicy, await desk.get(byAgent.id), { lang: 'ja' });
  ok(
    `a disclosure asked for by an agent: before the power of attorney is checked → ${beforeAgent}; then disclosed on paper instead of electronically, with the reason told (${methodNotice.includes('法第33条第3項') ? 'Art. 33(3) notice' : 'no notice'})`,
  );
  const refusalLetter = renderRequestNotice(ji4pePolicy, rejected, { lang: 'ja' });
  ok(`the refusal of the disputed correction as a letter with reasons (Art. 36): ${refusalLetter.includes('理由の説明') ? 'ご請求に応じない旨の通知及び理由の説明' : 'missing'}`);
  const correctionLetter = renderRequestNotice(ji4pePolicy, corrected, { lang: 'ja' });
  ok(`the correction of her address as a letter with its content (Art. 34(3)): ${correctionLetter.includes('住所：訂正') ? '住所：訂正' : 'missing'}`);

  step('Stopping provision to third parties (APPI Art. 35(3), (5))');
  const stop = await desk.receive({ kind: 'stop-provision', subject: mika, actor: 'subject', channel: 'web-form', ground: 'rights-harmed' });
  await verify(stop.id, mika);
  await desk.stopProvision(stop.id, { actor: 'dpo:kato' });
  const stopped = await refusedWith(() => provisions.provide({ vendor: 'eventInsurer', subject: mika, fields: ['name'], purpose: 'eventInsurance', actor: 'staff:ito' }));
  ok(`stop-provision (ground rights-harmed, Art. 35(5)): the event insurer → ${stopped}; the mailing contractor (entrustment) is not a third party and still receives`);

  step('GDPR Art. 12(3): an extension of at most two further months');
  const slow = await desk.receive({ kind: 'correction', subject: mika, actor: 'subject', channel: 'web-form', fields: ['phone'] });
  const tooLong = await refusedWith(() =>
    desk.extendDue(slow.id, { actor: 'dpo:kato', until: new Date(clock().getTime() + 120 * 86_400_000), reason: { en: 'Archive search.', ja: '書庫の調査のため。' } }),
  );
  await desk.extendDue(slow.id, { actor: 'dpo:kato', until: new Date(clock().getTime() + 60 * 86_400_000), reason: { en: 'Archive search.', ja: '書庫の調査のため。' } });
  ok(`extending by 4 months → ${tooLong}; by 2 months → allowed`);
  await desk.reject(slow.id, { actor: 'dpo:kato', reason: 'withdrawn', explanation: { en: 'You withdrew the request.', ja: 'ご請求を取り下げられました。' } });

  step('A leakage at the mailing contractor (APPI Art. 26, PPC Rules Arts. 7-10; GDPR Arts. 33-34)');
  const breaches = createBreachDesk({ vault, clock });
  let incident = await breaches.record({
    kind: 'leakage',
    suspected: true,
    discoveredAt: clock().toISOString(),
    fields: ['name', 'address'],
    scope: { provisions: { vendor: 'mailingService' } },
    summary: {
      en: 'The printing and mailing contractor reported unauthorised access to its server holding mailing lists.',
      ja: '印刷及び発送の委託先から、発送リストを保管する同社サーバへの不正アクセスがあった旨の報告を受けました。',
    },
    wrongfulPurpose: true,
    gdpr: { risk: 'risk' },
    actor: 'dpo:kato',
  });
  ok(
    `incident ${incident.id}: ${incident.personCount} person(s) derived from the audit log's provisions to the contractor; reportable (${incident.reportable.grounds.join(', ')}); final report due ${incident.deadlines.ppcFinal?.slice(0, 10)} (60 days), GDPR authority by ${incident.deadlines.gdprAuthority?.slice(0, 16)}`,
  );
  const preliminary = renderDocument(breaches.ppcReport(incident, 'preliminary', 'ja'));
  await breaches.markReported(incident.id, 'preliminary', { actor: 'dpo:kato', reference: 'PPC-EXAMPLE-0001' });
  const notices = incident.affected.map((a) => renderDocument(breaches.personNotice(incident, a.subject, 'ja')));
  for (const a of incident.affected) incident = await breaches.markNotified(incident.id, a.subject, { actor: 'dpo:kato', method: 'post' });
  const finalRefused = await refusedWith(async () => breaches.ppcReport(incident, 'final', 'ja'));
  incident = await breaches.update(
    incident.id,
    {
      cause: { en: 'An unpatched vulnerability in the contractor’s file server.', ja: '委託先のファイルサーバにおける未修正の脆弱性。' },
      secondaryDamage: { en: 'None found so far.', ja: '現時点で二次被害は確認されていません。' },
      publicAnnouncement: { en: 'Announced on the website.', ja: '当ウェブサイトで公表しました。' },
      preventionMeasures: {
        en: 'The contractor patched its servers; the Institute now audits it every quarter.',
        ja: '委託先はサーバを修正し、当研究所は四半期ごとに委託先を監査します。',
      },
    },
    { actor: 'dpo:kato' },
  );
  await breaches.markReported(incident.id, 'final', { actor: 'dpo:kato', reference: 'PPC-EXAMPLE-0001' });
  await breaches.markGdprNotified(incident.id, { actor: 'dpo:kato' });
  ok(
    `preliminary report (速報): ${preliminary.split('\n').length} lines in Japanese; ${notices.length} notice(s) to the person sent by post; final report before the items are known → ${finalRefused}; completed and reported (確報); overdue now: ${(await breaches.overdue(clock())).length}`,
  );

  step('Erasure (§13, Art. 35): crypto-shredding, and a second erasure is refused');
  const erasure = await desk.receive({ kind: 'erasure', subject: ken, actor: 'subject', channel: 'web-form' });
  await verify(erasure.id, ken);
  ok(`Ken's erasure: ${trail(await desk.erase(erasure.id, { actor: 'dpo:kato' }))}`);
  const again = await desk.receive({ kind: 'erasure', subject: ken, actor: 'subject', channel: 'web-form' });
  await verify(again.id, ken);
  ok(
    `a second erasure request → ${await refusedWith(() => desk.erase(again.id, { actor: 'dpo:kato' }))}; his disclosure now reads "erased on ${(await vault.erasure(ken))?.erasedAt.slice(0, 10)}"`,
  );

  step('Retention that executes: every purpose of a value expired → the value is destroyed');
  days(365 * 3 + 30);
  const sweep = await sweepRetention(vault, { now: clock(), actor: 'retention-job' });
  const gone = [...new Set(sweep.destroyed.map((d) => d.field))].join(', ');
  ok(
    `after 3 years: destroyed ${gone} (every purpose announced for it, contact and easier applications, has expired); name, birth date, address and phone stay for identification and billing (7 years)`,
  );
  ok(`${sweep.expiredProvisionRecords.length} provision records past their 3-year retention removed; ${sweep.erased.length} subjects emptied and erased`);
  const twice = await sweepRetention(vault, { now: clock(), actor: 'retention-job' });
  ok(`running it again destroys ${twice.destroyed.length} more: safe to repeat`);

  const verification = await verifyAuditLog(vault.audit);
  if (!verification.valid) throw new Error('walkthrough: audit chain broken');
  ok(`audit log: ${verification.entries} entries, chain verifies`);
} finally {
  await vault.close();
}
