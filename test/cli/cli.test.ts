/**
 * The `purpose-bound` CLI end to end: every command run as a child process on the ji4pe policy
 * and on small fixture modules, exit codes, and no personal value in any output.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type AuditEntry } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { cli, ROOT } from './helpers.js';

const JI4PE = 'examples/ji4pe/policy.ts';
const SECRET_EMAIL = 'hana.secret@example.jp';
const SECRET_DOB = '1987-06-05';

let dir: string;
let entries: readonly AuditEntry[];
const jsonl = (list: readonly unknown[]) => `${list.map((e) => JSON.stringify(e)).join('\n')}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-cli-'));
  // A real audit log: allowed reads, a denial, consent, suspension, an outside-purpose read.
  const guard = createGuard({ policy: ji4pePolicy });
  const email = ji4pePolicy.wrap('email', SECRET_EMAIL, { subject: 'subject-1' });
  const dob = ji4pePolicy.wrap('dateOfBirth', SECRET_DOB, { subject: 'subject-1' });
  await guard.read(email, { purpose: 'contact', actor: 'staff:1' });
  await guard.read(dob, { purpose: 'identification', actor: 'staff:2' });
  await guard.read(dob, { purpose: 'contact' as never, actor: 'staff:3' }).catch(() => undefined);
  await guard.grantConsent({ subject: 'subject-1', purpose: 'applicationPrefill', actor: 'subject' });
  await guard.read(email, { purpose: 'applicationPrefill', actor: 'web' });
  await guard.suspend({ subject: 'subject-1', purposes: ['contact'], actor: 'dpo' });
  await guard.read(email, { purpose: 'courseMaterials', actor: 'staff:1' }).catch(() => undefined);
  await guard.readOutsidePurpose(email, { purpose: 'legalCompliance', actor: 'dpo', basis: { exception: 'law', reference: 'court order 2026-7' } });
  entries = await guard.audit.entries();
  expect(entries.length).toBe(8);
  await writeFile(join(dir, 'audit.jsonl'), jsonl(entries));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectNoPersonalValue(...outputs: string[]): void {
  for (const out of outputs) {
    expect(out).not.toContain(SECRET_EMAIL);
    expect(out).not.toContain(SECRET_DOB);
  }
}

describe('summary', () => {
  it('prints purposes with parents, basis and retention, fields, collection points, vendors and exceptions', async () => {
    const r = await cli(['summary', JI4PE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Policy ji4pe  version 2020-09  effective 2020-09-01');
    expect(r.stdout).toContain('Purposes (11)');
    // §3.7 incidental purpose shown under its parent, with its basis and retention.
    expect(r.stdout).toMatch(/\n {2}contact {2}Informing and contacting users\n.*\n {4}courseMaterials {2}Sending course materials/);
    expect(r.stdout).toContain('contract (GDPR Art. 6(1)(b)), retention P3Y, parent contact');
    expect(r.stdout).toContain('consent (GDPR Art. 6(1)(a)), retention P2Y');
    expect(r.stdout).toMatch(/legalCompliance.*\n.*\n\s+outside the announced purposes/);
    expect(r.stdout).toContain('dateOfBirth  Date of birth  [quasi-identifier]');
    expect(r.stdout).toContain('allowed for: identification, eventInsurance, applicationPrefill; incl. through parents: receipts');
    expect(r.stdout).toContain('Fields: name, email, phone (optional), inquiry');
    expect(r.stdout).toContain('entrustedSeminar  Seminar run on behalf of a client organisation  (source: entrusted)');
    expect(r.stdout).toContain('mailingService  Printing and mailing contractor  [contractor, JP, contract JI4PE-OUT-2020-03]');
    expect(r.stdout).toContain('eventInsurer  Event insurance underwriter  [third-party, JP]');
    expect(r.stdout).toContain('law (APPI Art. 18(3)(i))');
    expect(r.stdout).toContain('life-body-property (APPI Art. 18(3)(ii))');
    expect(r.stdout).not.toContain('public-health-children');
  });

  it('--format json gives the same facts as data; --lang ja uses the Japanese titles', async () => {
    const r = await cli(['summary', JI4PE, '--format', 'json', '--lang', 'ja']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      purposes: { id: string; parent?: string; basis: string; retention: string; title: string }[];
      fields: { id: string; category: string; allowedPurposes: string[] }[];
      vendors: { id: string; role: string }[];
      exceptions: { id: string }[];
    };
    expect(s.purposes.map((p) => p.id)).toEqual(ji4pePolicy.purposeIds);
    expect(s.purposes.find((p) => p.id === 'receipts')).toMatchObject({ parent: 'identification', basis: 'contract', retention: 'P7Y', title: '領収書の発行' });
    expect(s.fields.find((f) => f.id === 'email')?.allowedPurposes.sort()).toEqual([...ji4pePolicy.allowedPurposes('email')].sort());
    expect(s.vendors.map((v) => [v.id, v.role])).toEqual([
      ['eventInsurer', 'third-party'],
      ['mailingService', 'contractor'],
      ['paymentProcessor', 'contractor'],
    ]);
    expect(s.exceptions.map((e) => e.id)).toEqual(['law', 'life-body-property']);
  });

  it('loads a JavaScript module whose default export is a plain spec', async () => {
    const r = await cli(['summary', 'test/cli/fixtures/spec-default.mjs', '--lang', 'ja']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ポリシー club');
    expect(r.stdout).toContain('health  健康に関する情報  [special-care]');
    expect(r.stdout).toContain('reminders  お知らせ');
  });

  it('names the problem and exits 3 for modules without one usable policy', async () => {
    const several = await cli(['summary', 'test/cli/fixtures/two-policies.mjs']);
    expect(several.code).toBe(3);
    expect(several.stderr).toContain('error INVALID_ARGUMENT: <policy-module> exports several policies (first, second); pick one with --export <name>');
    const picked = await cli(['summary', 'test/cli/fixtures/two-policies.mjs', '--export', 'second']);
    expect(picked.code).toBe(0);
    expect(picked.stdout).toContain('Policy club2');

    const invalid = await cli(['summary', 'test/cli/fixtures/invalid-policy.mjs']);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('error POLICY_INVALID');
    expect(invalid.stderr).toContain('fields.email.purposes[0]: unknown purpose "newsletter"');

    const missing = await cli(['summary', 'no/such/policy.ts']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no/such/policy.ts does not exist');
    expect(missing.stdout).toBe('');
  });
});

describe('verify-audit', () => {
  it('exits 0 and prints the count and head for an intact log', async () => {
    const r = await cli(['verify-audit', join(dir, 'audit.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('audit log valid: 8 entries');
    expect(r.stdout).toContain(`head ${entries[7]?.hash}`);
    expectNoPersonalValue(r.stdout, r.stderr);
  });

  it('exits 1 and names the first broken link of an edited entry', async () => {
    const edited = entries.map((e, i) => (i === 3 ? { ...e, purpose: 'abusePrevention' } : e));
    await writeFile(join(dir, 'edited.jsonl'), jsonl(edited));
    const r = await cli(['verify-audit', join(dir, 'edited.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first broken link: entry 4, seq 4, line 4: hash-mismatch');
    expect(r.stdout).toContain(`3 entries before it verify; last good hash ${entries[2]?.hash}`);
  });

  it('detects a deleted entry, reads standard input, and reports a truncated tail against --expected-head', async () => {
    const deleted = entries.filter((_, i) => i !== 5);
    const gap = await cli(['verify-audit', '-'], { stdin: jsonl(deleted) });
    expect(gap.code).toBe(1);
    expect(gap.stdout).toContain('entry 6, seq 7, line 6: sequence-gap');

    const head = entries[7]?.hash as string;
    const truncated = entries.slice(0, 6);
    await writeFile(join(dir, 'truncated.json'), JSON.stringify(truncated));
    const plain = await cli(['verify-audit', join(dir, 'truncated.json')]);
    expect(plain.code).toBe(0); // a shorter chain is still a chain: only an anchor shows the loss
    const anchored = await cli(['verify-audit', join(dir, 'truncated.json'), '--expected-head', head, '--format', 'json']);
    expect(anchored.code).toBe(1);
    expect(JSON.parse(anchored.stdout)).toMatchObject({ valid: false, reason: 'head-mismatch', entries: 6 });
  });

  it('reports a corrupted line by its number without repeating its content', async () => {
    const lines = jsonl(entries).split('\n');
    lines[4] = `{"seq":5, "note": "${SECRET_EMAIL} ${SECRET_DOB}"`; // broken JSON holding a value
    const r = await cli(['verify-audit', '-'], { stdin: lines.join('\n') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('first broken link: entry 5, line 5: not-json');
    expectNoPersonalValue(r.stdout, r.stderr);
  });

  it('exits 3 for a missing file and 2 for a malformed --expected-head', async () => {
    const missing = await cli(['verify-audit', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/error INVALID_ARGUMENT: <audit-file> must be a readable file .* \(ENOENT\)/);
    const bad = await cli(['verify-audit', join(dir, 'audit.jsonl'), '--expected-head', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expected-head must be a SHA-256 hash');
  });
});

describe('usage', () => {
  it('help, --version, unknown commands and options', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    for (const c of ['summary', 'diff', 'notices', 'verify-audit', 'Exit codes']) expect(help.stdout).toContain(c);

    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });

    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: purpose-bound <command>');

    const unknown = await cli(['sumary', JI4PE]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error INVALID_ARGUMENT: <command> must be one of summary, diff, notices, dpv, verify-audit');

    const option = await cli(['summary', JI4PE, '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--colour'");

    const lang = await cli(['summary', JI4PE, '--lang', 'fr']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang must be one of en, ja');

    const args = await cli(['diff', JI4PE]);
    expect(args.code).toBe(2);
    expect(args.stderr).toContain('diff takes <old-policy> <new-policy>; got 1 argument(s)');
  });
});
