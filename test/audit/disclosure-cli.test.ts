/**
 * A disclosure carries inclusion proofs of the subject's audit entries against a checkpoint
 * signed when it was made; `purpose-bound verify-disclosure` checks them offline with the log's
 * verifier key; `purpose-bound verify-audit --checkpoint --key` checks an exported log against a
 * kept checkpoint (legitimate growth passes, truncation and edits fail).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCheckpointer,
  createLocalKeyring,
  createRequestDesk,
  createVault,
  generateKey,
  generateNoteKeys,
  memorySubjectSecrets,
  type AuditEntry,
  type IdentityVerifier,
} from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { requestsPolicy } from '../../src/testing/requests-policy.js';
import { verifyDisclosureAudit } from '../../src/audit/disclosure-proof.js';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-disclosure-proof-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const origin = 'audit.test.example/disclosures';
const keys = generateNoteKeys(origin);
const verifier: IdentityVerifier<{ code: string }> = {
  method: 'one-time-code',
  verify: ({ evidence }) => (evidence.code === 'ok' ? { verified: true, reference: 'otp' } : { verified: false, reason: 'no' }),
};

async function world() {
  const adapter = memoryAdapter();
  const keyring = createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1', subjectSecrets: memorySubjectSecrets() });
  const vault = await createVault({ policy: requestsPolicy, adapter, keyring });
  const checkpoints = createCheckpointer({ adapter, origin, signer: keys.signerKey, everyMs: 0 });
  const desk = createRequestDesk({ vault, verifier, checkpoints });
  const collect = async (name: string) =>
    (await vault.collect({ collectionPoint: 'signup', actor: 'web', values: { dsrName: name, dsrEmail: `${name}@example.jp`, dsrAddress: 'Kyoto', dsrBirthDate: '1990-04-01' } }))
      .subject;
  return { adapter, vault, desk, collect, checkpoints };
}

describe('disclosures with audit proofs', () => {
  it('prove every audit entry about the subject against a signed checkpoint; the CLI checks them offline', async () => {
    const w = await world();
    const other = await w.collect('other');
    const s = await w.collect('hana');
    await w.vault.guard().grantConsent({ subject: s, purpose: 'newsletter', actor: 'subject', method: 'web-form' });
    await w.collect('third');
    await w.vault.guard().grantConsent({ subject: other, purpose: 'newsletter', actor: 'subject', method: 'web-form' });
    const r = await w.desk.receive({ kind: 'disclosure', subject: s, actor: 'desk:1' });
    await w.desk.verifyIdentity(r.id, { actor: 'desk:1', evidence: { code: 'ok' } });
    const d = await w.desk.disclose(r.id, { actor: 'dpo' });
    expect(d.audit.length).toBeGreaterThanOrEqual(3);
    expect(d.auditProof?.entries.map((e) => e.seq)).toEqual(d.audit.map((e) => e.seq));
    expect(verifyDisclosureAudit(d, { verifierKey: keys.verifierKey })).toMatchObject({ valid: true, proven: d.audit.length });

    const file = path.join(dir, 'disclosure.json');
    writeFileSync(file, JSON.stringify(d));
    const ok = await cli(['verify-disclosure', file, '--key', keys.verifierKey]);
    expect(ok.stdout).toMatch(new RegExp(`disclosure audit proofs valid: ${d.audit.length} entries are in the signed log`));
    expect(ok.code).toBe(0);

    // An entry shown differently from what the log holds is not proven.
    const edited = { ...d, audit: d.audit.map((e: AuditEntry, i: number) => (i === 1 ? { ...e, actor: 'someone-else' } : e)) };
    writeFileSync(file, JSON.stringify(edited));
    const bad = await cli(['verify-disclosure', file, '--key', keys.verifierKey, '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, failures: [{ seq: d.audit[1]?.seq }] });

    // The key in the file is not trusted: another log's key fails, and --key is required.
    writeFileSync(file, JSON.stringify(d));
    const wrongKey = await cli(['verify-disclosure', file, '--key', generateNoteKeys(origin).verifierKey]);
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/CHECKPOINT_INVALID/);
    expect((await cli(['verify-disclosure', file])).code).toBe(2);
  });
});

describe('verify-audit with a checkpoint', () => {
  it('passes an exported log that grew after the checkpoint and fails a truncated or edited one', async () => {
    const w = await world();
    for (let i = 0; i < 4; i++) await w.collect(`p${i}`);
    const kept = await w.checkpoints.checkpoint();
    for (let i = 4; i < 7; i++) await w.collect(`p${i}`);
    const entries = (await w.vault.audit.entries()) as AuditEntry[];
    const cp = path.join(dir, 'kept.checkpoint');
    const keyFile = path.join(dir, 'log.pub');
    writeFileSync(cp, kept.note);
    writeFileSync(keyFile, `${keys.verifierKey}\n`);
    const write = (name: string, list: readonly AuditEntry[]) => {
      const f = path.join(dir, name);
      writeFileSync(f, list.map((e) => JSON.stringify(e)).join('\n'));
      return f;
    };
    const grown = await cli(['verify-audit', write('grown.jsonl', entries), '--checkpoint', cp, '--key', keys.verifierKey]);
    expect(grown.stdout).toMatch(new RegExp(`consistent with the signed checkpoint of ${kept.size} entries`));
    expect(grown.code).toBe(0);
    const cut = await cli(['verify-audit', write('cut.jsonl', entries.slice(0, kept.size - 1)), '--checkpoint', cp, '--key-file', keyFile]);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/truncated/);
    const forged = entries.map((e) => (e.seq === 2 ? { ...e, actor: 'x' } : e));
    const edited = await cli(['verify-audit', write('edited.jsonl', forged), '--checkpoint', cp, '--key', keys.verifierKey, '--format', 'json']);
    expect(JSON.parse(edited.stdout)).toMatchObject({ valid: false, seq: 2, reason: 'hash-mismatch', line: 2 });
    expect((await cli(['verify-audit', write('again.jsonl', entries), '--checkpoint', cp])).code).toBe(2); // no key
  });
});
