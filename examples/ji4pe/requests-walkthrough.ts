/**
 * Every data-subject request kind of the Ji4pe policy (§12–§14; APPI Art. 33–37), end to end on
 * the embedded default (PGlite in memory). Run it with `npm run demo:requests`.
 *
 * Kinds: correction, addition, deletion (Art. 34); suspension of use, lifting it, erasure
 * (Art. 35), with alternative measures where suspension is refused for cost; disclosure and
 * disclosure of provision records (Art. 33, 33(5)); a refusal with the explanation owed to the
 * person (Art. 36); overdue requests; consent receipts; and the retention sweep that destroys
 * values whose purposes have all expired.
 *
 * A clock the example controls moves time forward, so deadlines and retention can be shown.
 * No personal value is printed.
 */
import {
  authenticatedSubjectVerifier,
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
  const { subject: ken } = await vault.collect({ collectionPoint: 'inquiry', actor: 'web-form', values: { name: 'Ken Ito', email: 'ken@example.jp', inquiry: 'Do you run weekend courses?' } });
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
    explanation: { en: 'The date of birth we hold matches the identity document you showed us.', ja: '当研究所が保有する生年月日は、ご提示いただいた本人確認書類と一致しています。' },
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
  ok(`full disclosure: ${disclosure.values.length} values, ${disclosure.requests.length} requests, ${disclosure.audit.length} audit entries; a ${report.split('\n').length}-line report in Japanese`);

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
  await desk.reject(late.id, { actor: 'dpo:kato', reason: 'identity-not-verified', explanation: { en: 'We could not confirm your identity by telephone.', ja: 'お電話ではご本人であることを確認できませんでした。' } });

  step('Erasure (§13, Art. 35): crypto-shredding, and a second erasure is refused');
  const erasure = await desk.receive({ kind: 'erasure', subject: ken, actor: 'subject', channel: 'web-form' });
  await verify(erasure.id, ken);
  ok(`Ken's erasure: ${trail(await desk.erase(erasure.id, { actor: 'dpo:kato' }))}`);
  const again = await desk.receive({ kind: 'erasure', subject: ken, actor: 'subject', channel: 'web-form' });
  await verify(again.id, ken);
  ok(`a second erasure request → ${await refusedWith(() => desk.erase(again.id, { actor: 'dpo:kato' }))}; his disclosure now reads "erased on ${(await vault.erasure(ken))?.erasedAt.slice(0, 10)}"`);

  step('Retention that executes: every purpose of a value expired → the value is destroyed');
  days(365 * 3 + 30);
  const sweep = await sweepRetention(vault, { now: clock(), actor: 'retention-job' });
  const gone = [...new Set(sweep.destroyed.map((d) => d.field))].join(', ');
  ok(`after 3 years: destroyed ${gone} (every purpose announced for it, contact and easier applications, has expired); name, birth date, address and phone stay for identification and billing (7 years)`);
  ok(`${sweep.expiredProvisionRecords.length} provision records past their 3-year retention removed; ${sweep.erased.length} subjects emptied and erased`);
  const twice = await sweepRetention(vault, { now: clock(), actor: 'retention-job' });
  ok(`running it again destroys ${twice.destroyed.length} more: safe to repeat`);

  const verification = await verifyAuditLog(vault.audit);
  if (!verification.valid) throw new Error('walkthrough: audit chain broken');
  ok(`audit log: ${verification.entries} entries, chain verifies`);
} finally {
  await vault.close();
}
