/**
 * The Ji4pe institute's privacy policy, enforced end to end on the embedded default: PGlite in
 * memory, no server. Run it with `npm run demo`.
 *
 * Three people apply for a course or an event; staff reads for allowed purposes succeed and a
 * read for a purpose the policy does not allow is refused; event insurance data goes to the
 * insurer with an APPI Art. 29 provision record; one person suspends use, one asks for
 * disclosure, one is erased; the audit log verifies; the notices are written.
 *
 * Every read is one call, `vault.read(subject, field, { purpose, actor })`: decided against the
 * person's stored state, audited, and only then decrypted. Nothing here prints a personal value:
 * field handles show as `[personal:<field>]`, reads report only that they succeeded. The last
 * step proves it by searching the audit log for every value.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  verifyAuditLog,
} from 'purpose-bound';
import { pgliteAdapter } from 'purpose-bound/adapters/pglite';
import { writeNotices } from './notices.js';
import { ji4pePolicy } from './policy.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const shown = (path: string): string => relative(process.cwd(), path) || '.';

const ok = (text: string): void => console.log(`  ✓ ${text}`);
const refused = (text: string): void => console.log(`  ✗ ${text}`);
const step = (text: string): void => console.log(`\n${text}`);

/** Run an operation that must be refused; print the refusal's code. */
async function expectRefusal(what: string, operation: () => Promise<unknown>): Promise<void> {
  try {
    await operation();
  } catch (error) {
    if (isPurposeBoundError(error)) {
      refused(`${what} → ${error.code}`);
      return;
    }
    throw error;
  }
  throw new Error(`demo: "${what}" was expected to be refused, and was allowed`);
}

const people = {
  hana: { name: '山田 花子', dateOfBirth: '1990-04-12', address: '東京都千代田区1-2-3', phone: '03-1234-5678', email: 'hana.yamada@example.jp' },
  taro: { name: '佐藤 太郎', dateOfBirth: '1985-11-30', address: '大阪府大阪市北区4-5-6', phone: '06-2345-6789', email: 'taro.sato@example.jp' },
  yuki: { name: 'Yuki Tanaka', dateOfBirth: '2001-02-03', address: '7-8-9 Naka-ku, Yokohama', phone: '045-345-6789', email: 'yuki.tanaka@example.jp' },
} as const;

console.log('purpose-bound demo: the Ji4pe privacy policy (2020-09), enforced on PGlite in memory');

// Keys: a real service loads them with localKeyringFromEnv() or localKeyringFromFile(). The
// per-subject erasure secrets make erasure reach database backups too (docs/adapters.md).
const keyring = createLocalKeyring({
  keys: { 'kek-1': generateKey() },
  current: 'kek-1',
  indexKey: generateKey(),
  subjectSecrets: memorySubjectSecrets(),
});
const vault = await createVault({ policy: ji4pePolicy, adapter: pgliteAdapter(), keyring });
const guard = vault.guard();
const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
const provisions = createProvisions({ vault });

try {
  step('Notices (generated from the same policy the guard enforces)');
  const files = await writeNotices(out);
  ok(`wrote ${files.length} notices in Japanese and English, as text, Markdown and HTML, to ${shown(out)}/`);

  step('1. Three people apply (§2): values validated, encrypted per person, provenance recorded');
  const hana = (await vault.collect({ collectionPoint: 'courseApplication', actor: 'web-form', values: people.hana, consent: { method: 'web-form' } })).subject;
  ok(`Hana applies for a course → subject ${hana}, with consent to easier applications (the one consent-based purpose announced there)`);
  const taro = (await vault.collect({ collectionPoint: 'eventApplication', actor: 'web-form', values: people.taro })).subject;
  ok(`Taro applies for an event → subject ${taro}`);
  const yuki = (await vault.collect({ collectionPoint: 'eventApplication', actor: 'web-form', values: people.yuki })).subject;
  ok(`Yuki applies for an event → subject ${yuki}`);
  // A handle on a stored field, to hand to code that reads it later: it holds no value.
  const hanaEmail = vault.field(hana, 'email');
  ok(`what logs and JSON see of a stored field: ${hanaEmail}  ${JSON.stringify({ email: hanaEmail })}`);

  step('2. Reads for allowed purposes (§3) succeed and are audited');
  const email = await vault.read(hana, 'email', { purpose: 'contact', actor: 'staff:tanaka' });
  ok(`staff:tanaka reads Hana's e-mail to contact her (a value of ${email.length} characters)`);
  await vault.read(hana, 'email', { purpose: 'courseMaterials', actor: 'staff:tanaka' });
  ok('…and to send course materials: a purpose incidental to contact (§3.7, a child purpose)');
  await vault.read(hana, 'dateOfBirth', { purpose: 'identification', actor: 'staff:suzuki' });
  ok("staff:suzuki reads Hana's date of birth to identify her for billing");

  step('3. A read for a purpose the policy does not allow is refused (§3, APPI Art. 18)');
  await expectRefusal("staff:tanaka reads Taro's date of birth for 'contact'", () =>
    // @ts-expect-error date of birth is not allowed for contact: a compile error, and refused at run time
    vault.read(taro, 'dateOfBirth', { purpose: 'contact', actor: 'staff:tanaka' }),
  );
  await expectRefusal("staff:tanaka pre-fills Taro's form without his consent ('applicationPrefill' needs consent)", async () =>
    vault.read(taro, 'email', { purpose: 'applicationPrefill', actor: 'staff:tanaka' }),
  );

  step('4. Event insurance: provision to a third party (§10), with an Art. 29 record');
  await expectRefusal("staff:ito sends Taro's name and date of birth to the insurer without consent", () =>
    provisions.provide({ vendor: 'eventInsurer', subject: taro, fields: ['name', 'dateOfBirth'], purpose: 'eventInsurance', actor: 'staff:ito' }),
  );
  await guard.grantConsent({ subject: taro, purpose: 'eventInsurance', actor: 'subject', method: 'web-form' });
  ok('Taro consents to the provision to the insurer');
  const { record, values } = await provisions.provide({ vendor: 'eventInsurer', subject: taro, fields: ['name', 'dateOfBirth'], purpose: 'eventInsurance', actor: 'staff:ito' });
  ok(
    `provided ${Object.keys(values).join(' and ')} to ${record.recipient.name.en} → provision record ${record.id}, basis ${record.basis}, kept until ${record.keepUntil.slice(0, 10)}`,
  );

  step('5. Yuki asks to stop the use of her data (§13, APPI Art. 35)');
  const suspension = await desk.receive({ kind: 'suspension', subject: yuki, actor: 'subject', channel: 'web-form' });
  await desk.verifyIdentity(suspension.id, { actor: 'web', evidence: { authenticatedSubject: yuki } });
  await desk.suspend(suspension.id, { actor: 'dpo:kato' });
  ok(`request ${suspension.id}: received → identity verified → completed: use suspended for all purposes`);
  await expectRefusal("staff:tanaka reads Yuki's e-mail to contact her", () => vault.read(yuki, 'email', { purpose: 'contact', actor: 'staff:tanaka' }));
  await vault.readOutsidePurpose(yuki, 'email', { purpose: 'legalCompliance', actor: 'dpo:kato', basis: { exception: 'law', reference: 'Court inquiry 2026-118' } });
  ok('the DPO reads it under a legal exception (law, APPI Art. 18(3)(i)), with a reference, audited');

  step('6. Taro asks for disclosure of everything held about him (§14, APPI Art. 33)');
  const disclosureRequest = await desk.receive({ kind: 'disclosure', subject: taro, actor: 'subject', channel: 'web-form' });
  await expectRefusal('disclosing before his identity is verified', () => desk.disclose(disclosureRequest.id, { actor: 'dpo:kato' }));
  await desk.verifyIdentity(disclosureRequest.id, { actor: 'web', evidence: { authenticatedSubject: taro } });
  const disclosure = await desk.disclose(disclosureRequest.id, { actor: 'dpo:kato' });
  mkdirSync(out, { recursive: true });
  const report = join(out, 'disclosure-taro.ja.html');
  writeFileSync(report, renderDisclosure(disclosure, { lang: 'ja', format: 'html', page: true }));
  ok(
    `disclosed ${disclosure.values.length} values with purposes and provenance, ${disclosure.consents.length} consent record(s), ` +
      `${disclosure.provisions.length} provision record(s), ${disclosure.audit.length} audit entries → ${shown(report)}`,
  );

  step('7. Hana asks for erasure (§13): crypto-shredding');
  const erasure = await desk.receive({ kind: 'erasure', subject: hana, actor: 'subject', channel: 'web-form' });
  await desk.verifyIdentity(erasure.id, { actor: 'web', evidence: { authenticatedSubject: hana } });
  await desk.erase(erasure.id, { actor: 'dpo:kato' });
  ok(`request ${erasure.id} completed: Hana's data key and erasure secret destroyed; the tombstone stays`);
  await expectRefusal("reading Hana's e-mail afterwards", () => vault.read(hana, 'email', { purpose: 'contact', actor: 'staff:tanaka' }));
  await expectRefusal('reading it through the handle taken before the erasure', () => guard.read(hanaEmail, { purpose: 'contact', actor: 'staff:tanaka' }));

  step('8. The audit log (§7, §15): every decision, hash-chained, no values');
  const entries = await vault.audit.entries();
  const verification = await verifyAuditLog(vault.audit);
  if (!verification.valid) throw new Error(`demo: the audit chain is broken at entry ${verification.seq}`);
  ok(`${verification.entries} entries; the hash chain verifies (head ${verification.head.slice(0, 16)}…)`);
  const denials = entries.filter((e) => e.decision === 'deny').length;
  ok(`${entries.filter((e) => e.decision === 'allow').length} allowed and ${denials} denied decisions, each with actor, purpose and basis`);
  const log = JSON.stringify(entries);
  const leaked = Object.values(people)
    .flatMap((p) => Object.values(p))
    .filter((v) => log.includes(v));
  if (leaked.length > 0) throw new Error(`demo: ${leaked.length} personal value(s) found in the audit log`);
  ok('searched the whole log for every personal value of the three people: none found');
} finally {
  await vault.close();
}
console.log('\nDone. Read the notices and the disclosure report in examples/ji4pe/out/.');
