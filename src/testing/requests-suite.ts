/**
 * The data-subject request suite, for vitest: the request workflow (APPI Art. 33–37), provision
 * records (Art. 29), the retention sweep and consent receipts, run through any
 * `StorageAdapter`. The project runs it on memory, PGlite, SQLite and PostgreSQL; run it on your
 * own adapter the same way.
 *
 * The suite may share a database with other suites: it creates its own subjects, filters by
 * them, and its policy's field ids (`dsr*`) appear nowhere else, so its retention sweeps never
 * judge other suites' values.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../audit/verify-audit-log.js';
import { isConsentPurpose } from '../policy/consent-purposes.js';
import { toIso27560Records, validateIso27560Record } from '../consent-receipts/iso-27560.js';
import { toKantaraReceipt, validateKantaraReceipt } from '../consent-receipts/kantara.js';
import { createLocalKeyring, generateKey } from '../crypto/local-keyring.js';
import { memorySubjectSecrets } from '../crypto/subject-secrets.js';
import { isPurposeBoundError, type PurposeBoundErrorCode } from '../errors.js';
import { createProvisions } from '../provision/provisions.js';
import { renderDisclosure } from '../requests/disclosure-report.js';
import type { IdentityVerifier } from '../requests/identity-verifier.js';
import { createRequestDesk } from '../requests/request-desk.js';
import { sweepRetention } from '../retention/sweep-retention.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { createVault } from '../vault/create-vault.js';
import type { Vault } from '../vault/types.js';
import { requestsPolicy } from './requests-policy.js';

/**
 * Options of {@link runRequestsSuite}.
 *
 * @example
 * ```ts
 * runRequestsSuite({ name: 'my-adapter', createAdapter: async () => myAdapter() } satisfies RequestsSuiteOptions);
 * ```
 */
export interface RequestsSuiteOptions {
  /** Shown in the test names, e.g. `sqlite`. */
  readonly name: string;
  /** A new adapter, not yet opened (it may share a database with others). */
  readonly createAdapter: () => Promise<StorageAdapter>;
}

type Pol = typeof requestsPolicy;

/** Evidence of the suite's verifier: a one-time code that must be `ok`. */
interface Code {
  readonly code: string;
}

const codeVerifier: IdentityVerifier<Code> = {
  method: 'one-time-code',
  verify: ({ evidence }) => (evidence.code === 'ok' ? { verified: true, reference: 'otp-1' } : { verified: false, reason: 'code-mismatch' }),
};

const DAY = 86_400_000;

async function expectCode(promise: Promise<unknown>, code: PurposeBoundErrorCode): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(isPurposeBoundError(error, code), `expected ${code}, got ${(error as Error)?.name}: ${(error as Error)?.message}`).toBe(true);
    return error;
  }
  throw new Error(`expected ${code}, but it resolved`);
}

/**
 * Register the request suite's tests (call it inside a vitest test file).
 *
 * @param options - the adapter factory and a name
 * @example
 * ```ts
 * import { runRequestsSuite } from 'purpose-bound/testing';
 * import { memoryAdapter } from 'purpose-bound/adapters/memory';
 * runRequestsSuite({ name: 'memory', createAdapter: async () => memoryAdapter() });
 * ```
 */
export function runRequestsSuite(options: RequestsSuiteOptions): void {
  /** One world per test: its own vault (over a new adapter), clock and desk. */
  async function world(start = '2026-01-10T09:00:00.000Z') {
    let now = new Date(start);
    const clock = (): Date => new Date(now);
    const adapter = await options.createAdapter();
    const keyring = createLocalKeyring({ keys: { k1: generateKey() }, current: 'k1', subjectSecrets: memorySubjectSecrets() });
    const vault: Vault<Pol> = await createVault({ policy: requestsPolicy, adapter, keyring, clock });
    const desk = createRequestDesk({ vault, verifier: codeVerifier, clock });
    const provisions = createProvisions({ vault, clock });
    const signup = async (values?: Partial<Record<'dsrName' | 'dsrEmail' | 'dsrAddress' | 'dsrBirthDate', string>>) =>
      (
        await vault.collect({
          collectionPoint: 'signup',
          actor: 'web',
          values: { dsrName: '山田花子', dsrEmail: 'hana@example.jp', dsrAddress: '東京都千代田区1-1', dsrBirthDate: '1990-04-01', ...values },
        })
      ).subject;
    const advance = (ms: number): void => {
      now = new Date(now.getTime() + ms);
    };
    const setNow = (iso: string): void => {
      now = new Date(iso);
    };
    const verified = async (kind: Parameters<typeof desk.receive>[0]['kind'], subject: string, extra: Record<string, unknown> = {}) => {
      const r = await desk.receive({ kind, subject, actor: 'desk:1', ...extra } as never);
      return desk.verifyIdentity(r.id, { actor: 'desk:1', evidence: { code: 'ok' } });
    };
    return { vault, desk, provisions, signup, advance, setNow, verified, clock, close: () => vault.close() };
  }

  describe(`data-subject requests on ${options.name}`, () => {
    it('receives a request of every kind, due in 14 days by default, audited without values', async () => {
      const w = await world();
      const s = await w.signup();
      const r = await w.desk.receive({ kind: 'disclosure', subject: s, actor: 'subject', channel: 'web-form', reference: 'T-1' });
      expect(r.state).toBe('received');
      expect(r.transitions).toEqual([{ from: null, to: 'received', at: r.receivedAt, actor: 'subject' }]);
      expect(Date.parse(r.dueAt) - Date.parse(r.receivedAt)).toBe(14 * DAY);
      for (const kind of ['provision-records', 'suspension', 'erasure', 'lift-suspension'] as const) {
        expect((await w.desk.receive({ kind, subject: s, actor: 'desk:1' })).kind).toBe(kind);
      }
      for (const kind of ['correction', 'addition', 'deletion'] as const) {
        expect((await w.desk.receive({ kind, subject: s, actor: 'desk:1', fields: ['dsrEmail'] })).fields).toEqual(['dsrEmail']);
      }
      expect(await w.desk.get(r.id)).toEqual(r);
      expect((await w.desk.list({ subject: s })).length).toBe(8);
      const audit = await w.vault.audit.entries({ subject: s, action: 'request.receive' });
      expect(audit.length).toBe(8);
      expect(JSON.stringify(audit)).not.toMatch(/hana@example\.jp|山田花子|東京都/);
      await w.close();
    });

    it('refuses bad input with named errors: unknown subject, unknown field, missing fields, unknown request', async () => {
      const w = await world();
      const s = await w.signup();
      await expectCode(w.desk.receive({ kind: 'disclosure', subject: 'nobody-here', actor: 'desk:1' }), 'SUBJECT_NOT_FOUND');
      await expectCode(w.desk.receive({ kind: 'correction', subject: s, actor: 'desk:1', fields: ['nope' as never] }), 'UNKNOWN_FIELD');
      await expectCode(w.desk.receive({ kind: 'correction', subject: s, actor: 'desk:1' }), 'INVALID_ARGUMENT');
      await expectCode(w.desk.receive({ kind: 'bogus' as never, subject: s, actor: 'desk:1' }), 'INVALID_ARGUMENT');
      await expectCode(w.desk.get('no-such-request'), 'REQUEST_NOT_FOUND');
      expect(await w.desk.list({ subject: s })).toEqual([]);
      await w.close();
    });

    it('discloses and changes nothing before identity verification (Art. 37); a failed check is recorded', async () => {
      const w = await world();
      const s = await w.signup();
      const d = await w.desk.receive({ kind: 'disclosure', subject: s, actor: 'subject' });
      await expectCode(w.desk.disclose(d.id, { actor: 'dpo' }), 'IDENTITY_NOT_VERIFIED');
      const c = await w.desk.receive({ kind: 'correction', subject: s, actor: 'subject', fields: ['dsrEmail'] });
      await expectCode(w.desk.correct(c.id, { actor: 'dpo', values: { dsrEmail: 'new@example.jp' } }), 'IDENTITY_NOT_VERIFIED');
      // An invalid value tells an unverified requester nothing either: identity is checked first.
      await expectCode(w.desk.correct(c.id, { actor: 'dpo', values: { dsrEmail: 'not an e-mail address' } }), 'IDENTITY_NOT_VERIFIED');
      const e = await w.desk.receive({ kind: 'erasure', subject: s, actor: 'subject' });
      await expectCode(w.desk.erase(e.id, { actor: 'dpo' }), 'IDENTITY_NOT_VERIFIED');
      await expectCode(w.desk.start(e.id, { actor: 'dpo' }), 'IDENTITY_NOT_VERIFIED');
      // Nothing was disclosed, changed or erased.
      expect(await w.vault.audit.entries({ subject: s, action: 'disclose' })).toEqual([]);
      expect(await w.vault.erasure(s)).toBeUndefined();
      expect(await w.vault.read(s, 'dsrEmail', { purpose: 'service', actor: 't' })).toBe('hana@example.jp');
      for (const id of [d.id, c.id, e.id]) expect((await w.desk.get(id)).state).toBe('received');

      const err = (await expectCode(w.desk.verifyIdentity(d.id, { actor: 'desk:1', evidence: { code: 'wrong' } }), 'IDENTITY_NOT_VERIFIED')) as { reason?: string };
      expect(err.reason).toBe('code-mismatch');
      const after = await w.desk.get(d.id);
      expect(after.state).toBe('received');
      expect(after.identityAttempts).toEqual([{ at: expect.any(String), method: 'one-time-code', reason: 'code-mismatch' }]);
      const denied = await w.vault.audit.entries({ subject: s, action: 'request.verify' });
      expect(denied.map((x) => [x.decision, x.reason])).toEqual([['deny', 'IDENTITY_NOT_VERIFIED']]);
      const ok = await w.desk.verifyIdentity(d.id, { actor: 'desk:1', evidence: { code: 'ok' } });
      expect(ok.state).toBe('identity-verified');
      expect(ok.identity).toEqual({ method: 'one-time-code', at: expect.any(String), actor: 'desk:1', reference: 'otp-1' });
      await expectCode(w.desk.verifyIdentity(d.id, { actor: 'desk:1', evidence: { code: 'ok' } }), 'REQUEST_STATE');
      await w.close();
    });

    it('moves only in order; rejection carries the reason and explanation (Art. 36); terminal states stay', async () => {
      const w = await world();
      const s = await w.signup();
      const r = await w.verified('disclosure', s);
      const started = await w.desk.start(r.id, { actor: 'dpo' });
      expect(started.transitions.map((t) => t.to)).toEqual(['received', 'identity-verified', 'in-progress']);
      const rejected = await w.desk.reject(r.id, {
        actor: 'dpo',
        reason: 'harm-to-person-or-others',
        explanation: { en: 'Disclosure would reveal another person’s data.', ja: '第三者の情報が含まれるため開示できません。' },
      });
      expect(rejected.state).toBe('rejected');
      expect(rejected.rejection?.reason).toBe('harm-to-person-or-others');
      expect(rejected.rejection?.explanation.ja).toContain('第三者');
      await expectCode(w.desk.start(r.id, { actor: 'dpo' }), 'REQUEST_STATE');
      await expectCode(w.desk.disclose(r.id, { actor: 'dpo' }), 'REQUEST_STATE');
      await expectCode(w.desk.reject(r.id, { actor: 'dpo', reason: 'other', explanation: { en: 'x' } }), 'REQUEST_STATE');
      const kinds = await w.verified('erasure', s);
      await expectCode(w.desk.disclose(kinds.id, { actor: 'dpo' }), 'REQUEST_KIND'); // an erasure request cannot be disclosed: RequestKindError
      expect((await w.desk.get(kinds.id)).state).toBe('identity-verified');
      const moves = await w.vault.audit.entries({ subject: s, action: 'request.reject' });
      expect(moves.length).toBe(1);
      expect(moves[0]?.reason).toBe('harm-to-person-or-others');
      await w.close();
    });

    it('lists overdue requests with configurable due dates and extensions', async () => {
      const w = await world();
      const s = await w.signup();
      const desk = createRequestDesk({ vault: w.vault, verifier: codeVerifier, clock: w.clock, dueIn: { default: 'P14D', erasure: 'P3D' } });
      const e = await desk.receive({ kind: 'erasure', subject: s, actor: 'desk:1' });
      const d = await desk.receive({ kind: 'disclosure', subject: s, actor: 'desk:1' });
      expect(Date.parse(e.dueAt) - Date.parse(e.receivedAt)).toBe(3 * DAY);
      const mine = async (now: Date) => (await desk.overdue({ now })).filter((r) => r.subject === s).map((r) => r.id);
      expect(await mine(new Date(Date.parse(e.receivedAt) + 2 * DAY))).toEqual([]);
      expect(await mine(new Date(Date.parse(e.receivedAt) + 4 * DAY))).toEqual([e.id]);
      expect(await mine(new Date(Date.parse(e.receivedAt) + 15 * DAY))).toEqual([e.id, d.id]);
      await desk.extendDue(e.id, { actor: 'dpo', until: new Date(Date.parse(e.receivedAt) + 30 * DAY), reason: { en: 'Archive search', ja: '書庫の調査のため' } });
      expect(await mine(new Date(Date.parse(e.receivedAt) + 15 * DAY))).toEqual([d.id]);
      await desk.reject(d.id, { actor: 'dpo', reason: 'withdrawn', explanation: { en: 'Withdrawn by the person.' } });
      expect(await mine(new Date(Date.parse(e.receivedAt) + 15 * DAY))).toEqual([]);
      expect(() => createRequestDesk({ vault: w.vault, verifier: codeVerifier, dueIn: '14 days' })).toThrow(/ISO 8601/);
      await w.close();
    });

    it('discloses everything held: values, purposes, provenance, consents, suspensions, provisions, audit; en/ja text and HTML', async () => {
      const w = await world();
      const s = await w.signup({ dsrName: '<script>alert(1)</script>' });
      await w.vault.guard().grantConsent({ subject: s, purpose: 'newsletter', actor: 'subject', method: 'web-form' });
      await w.vault.guard().suspend({ subject: s, purposes: ['newsletter'], actor: 'dpo' });
      await w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrName', 'dsrAddress'], purpose: 'shipping', actor: 'staff:7' });
      await w.vault.correct(s, 'dsrEmail', 'hanako@example.jp', { actor: 'staff:7', reason: 'typo' });
      const r = await w.verified('disclosure', s);
      const d = await w.desk.disclose(r.id, { actor: 'dpo' });
      expect(d.subject).toBe(s);
      expect(d.erased).toBeNull();
      const byField = Object.fromEntries(d.values.map((v) => [v.field, v]));
      expect(Object.keys(byField).sort()).toEqual(['dsrAddress', 'dsrBirthDate', 'dsrEmail', 'dsrName']);
      expect(byField['dsrEmail']?.value).toBe('hanako@example.jp');
      expect(byField['dsrEmail']?.history.map((h) => h.change)).toEqual(['correction']);
      expect(byField['dsrAddress']?.purposes.map((p) => p.id).sort()).toEqual(['service', 'shipping']);
      expect(byField['dsrAddress']?.provenance.collectionPoint).toBe('signup');
      expect(byField['dsrAddress']?.retainedUntil).toBe(new Date(Date.parse(byField['dsrAddress']?.provenance.collectedAt ?? '') + 0).toISOString().replace(/^2026/, '2029'));
      expect(d.consents.map((c) => [c.purpose, c.state])).toEqual([['newsletter', 'granted']]);
      expect(d.suspensions.length).toBe(1);
      expect(d.provisions.map((p) => [p.vendor, p.basis])).toEqual([['mailer', 'entrustment']]);
      expect(d.audit.some((e) => e.action === 'provide')).toBe(true);
      expect(d.requests.some((x) => x.id === r.id)).toBe(true);
      const done = await w.desk.get(r.id);
      expect(done.state).toBe('completed');
      expect(done.outcome?.disclosed).toEqual({ values: 4, provisionRecords: 1, auditEntries: d.audit.length, erased: false });
      const disclosed = await w.vault.audit.entries({ subject: s, action: 'disclose' });
      expect(disclosed.map((e) => e.field).sort()).toEqual(['dsrAddress', 'dsrBirthDate', 'dsrEmail', 'dsrName']);
      expect(JSON.stringify(await w.vault.audit.entries({ subject: s }))).not.toMatch(/hanako@|東京都|<script>/);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);

      const en = renderDisclosure(d, { lang: 'en' });
      expect(en).toContain('hanako@example.jp');
      expect(en).toContain('Shipping contractor');
      const ja = renderDisclosure(d, { lang: 'ja' });
      expect(ja).toContain('保有個人データの開示');
      expect(ja).toContain('東京都千代田区1-1');
      const html = renderDisclosure(d, { lang: 'ja', format: 'html', page: true });
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
      expect(html).toContain('<html lang="ja">');
      await expectCode(w.desk.disclose(r.id, { actor: 'dpo' }), 'REQUEST_STATE');
      await w.close();
    });

    it('answers a provision-records request (Art. 33(5)) with the records only', async () => {
      const w = await world();
      const s = await w.signup();
      await w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrAddress'], purpose: 'shipping', actor: 'staff:7' });
      const r = await w.verified('provision-records', s);
      const d = await w.desk.disclose(r.id, { actor: 'dpo' });
      expect(d.scope).toBe('provision-records');
      expect(d.values).toEqual([]);
      expect(d.provisions.length).toBe(1);
      expect(d.audit.every((e) => e.action === 'provide')).toBe(true);
      expect(renderDisclosure(d, { lang: 'ja' })).toContain('第三者提供記録の開示');
      await w.close();
    });

    it('corrects and adds through the schema with history; a failing value changes nothing and keeps the state', async () => {
      const w = await world();
      const s = await w.signup({ dsrBirthDate: undefined as never });
      const r = await w.verified('correction', s, { fields: ['dsrEmail', 'dsrAddress'] });
      const err = (await expectCode(w.desk.correct(r.id, { actor: 'dpo', values: { dsrEmail: 'new@example.jp', dsrAddress: '' } }), 'INVALID_PERSONAL_VALUE')) as Error;
      expect(err.message).not.toContain('new@example.jp');
      expect((await w.desk.get(r.id)).state).toBe('identity-verified');
      expect(await w.vault.history(s)).toEqual([]);
      expect(await w.vault.read(s, 'dsrEmail', { purpose: 'service', actor: 't' })).toBe('hana@example.jp');
      await expectCode(w.desk.correct(r.id, { actor: 'dpo', values: { dsrNote: 'x' } }), 'INVALID_ARGUMENT');
      const done = await w.desk.correct(r.id, { actor: 'dpo', values: { dsrEmail: 'new@example.jp' } });
      expect(done.state).toBe('completed');
      expect(done.outcome?.changed).toEqual([{ field: 'dsrEmail', change: 'correction' }]);
      expect(await w.vault.read(s, 'dsrEmail', { purpose: 'service', actor: 't' })).toBe('new@example.jp');
      const h = await w.vault.history(s);
      expect(h.map((x) => [x.field, x.change, x.requestId])).toEqual([['dsrEmail', 'correction', r.id]]);
      const add = await w.verified('addition', s, { fields: ['dsrBirthDate'] });
      expect((await w.desk.correct(add.id, { actor: 'dpo', values: { dsrBirthDate: '1990-04-01' } })).outcome?.changed).toEqual([{ field: 'dsrBirthDate', change: 'addition' }]);
      expect(await verifyAuditLog(w.vault.audit)).toMatchObject({ valid: true });
      await w.close();
    });

    it('deletes the requested fields, keeping a history entry', async () => {
      const w = await world();
      const s = await w.signup();
      const r = await w.verified('deletion', s, { fields: ['dsrBirthDate'] });
      const done = await w.desk.deleteValues(r.id, { actor: 'dpo' });
      expect(done.outcome?.changed).toEqual([{ field: 'dsrBirthDate', change: 'deletion' }]);
      await expectCode(w.vault.read(s, 'dsrBirthDate', { purpose: 'insurance', actor: 't' }), 'VALUE_NOT_FOUND');
      expect((await w.vault.history(s)).map((h) => [h.change, h.requestId])).toEqual([['deletion', r.id]]);
      await w.close();
    });

    it('suspends use through the guard, lifts it on request, and records alternative measures (§13)', async () => {
      const w = await world();
      const s = await w.signup();
      const guard = w.vault.guard();
      const r = await w.verified('suspension', s, { purposes: ['service'] });
      const done = await w.desk.suspend(r.id, { actor: 'dpo' });
      expect(done.outcome?.suspensionId).toEqual(expect.any(String));
      const email = w.vault.field(s, 'dsrEmail');
      await expectCode(guard.read(email, { purpose: 'service', actor: 't' }), 'USE_SUSPENDED');
      await expectCode(w.vault.read(s, 'dsrAddress', { purpose: 'shipping', actor: 't' }), 'USE_SUSPENDED');
      expect(await guard.read(email, { purpose: 'support', actor: 't' })).toBe('hana@example.jp');
      await expectCode(w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrAddress'], purpose: 'shipping', actor: 'staff:7' }), 'USE_SUSPENDED');
      const lift = await w.verified('lift-suspension', s);
      expect((await w.desk.liftSuspension(lift.id, { actor: 'dpo' })).outcome?.liftedSuspensionIds).toEqual([done.outcome?.suspensionId]);
      expect(await guard.read(email, { purpose: 'service', actor: 't' })).toBe('hana@example.jp');
      const costly = await w.verified('suspension', s);
      const alt = await w.desk.recordAlternativeMeasures(costly.id, {
        actor: 'dpo',
        description: { en: 'Your data is excluded from all mailings.', ja: 'すべての発送対象から除外しました。' },
        reason: { en: 'Suspension would stop the ongoing contract.', ja: '契約の履行が困難となるため。' },
      });
      expect(alt.state).toBe('completed');
      expect(alt.outcome?.alternativeMeasures?.description.ja).toContain('除外');
      expect(await guard.read(email, { purpose: 'service', actor: 't' })).toBe('hana@example.jp');
      await w.close();
    });

    it('erases by crypto-shredding with a tombstone naming the request; a second erasure is ALREADY_ERASED; disclosure says when', async () => {
      const w = await world();
      const s = await w.signup();
      const email = w.vault.field(s, 'dsrEmail');
      const r = await w.verified('erasure', s);
      const done = await w.desk.erase(r.id, { actor: 'dpo' });
      expect(done.state).toBe('completed');
      expect(await w.vault.erasure(s)).toMatchObject({ reference: r.id, erasedAt: done.outcome?.erasedAt });
      await expectCode(w.vault.read(s, 'dsrEmail', { purpose: 'service', actor: 't' }), 'SUBJECT_ERASED');
      await expectCode(w.vault.guard().read(email, { purpose: 'service', actor: 't' }), 'SUBJECT_ERASED');
      const again = await w.verified('erasure', s);
      await expectCode(w.desk.erase(again.id, { actor: 'dpo' }), 'ALREADY_ERASED');
      expect((await w.desk.get(again.id)).state).toBe('identity-verified');
      const c = await w.verified('correction', s, { fields: ['dsrEmail'] });
      await expectCode(w.desk.correct(c.id, { actor: 'dpo', values: { dsrEmail: 'x@example.jp' } }), 'SUBJECT_ERASED');
      expect((await w.desk.get(c.id)).state).toBe('identity-verified');
      const d = await w.desk.disclose((await w.verified('disclosure', s)).id, { actor: 'dpo' });
      expect(d.erased?.erasedAt).toBe(done.outcome?.erasedAt);
      expect(d.values).toEqual([]);
      expect(renderDisclosure(d, { lang: 'en' })).toMatch(/erased on \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(renderDisclosure(d, { lang: 'ja' })).toMatch(/\d{4}年\d{1,2}月\d{1,2}日に消去しました/);
      await w.close();
    });

    it('provides to vendors only through the registry and the guard, writing Art. 29 records with their retention', async () => {
      const w = await world();
      const s = await w.signup();
      const mailed = await w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrName', 'dsrAddress'], purpose: 'shipping', actor: 'staff:7' });
      expect(mailed.values).toEqual({ dsrName: '山田花子', dsrAddress: '東京都千代田区1-1' });
      expect(mailed.record).toMatchObject({ vendor: 'mailer', basis: 'entrustment', fields: ['dsrName', 'dsrAddress'], recipient: { role: 'contractor', contract: 'CT-001' } });
      // PPC Rules Art. 21: provided on 10 January 2026 (JST, day 1), kept to the end of 9 January 2029 JST.
      expect(Date.parse(mailed.record.keepUntil)).toBe(Date.parse('2029-01-09T14:59:59.999Z'));
      const notAllowed = (await expectCode(
        w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrBirthDate'], purpose: 'shipping', actor: 'staff:7' }),
        'VENDOR_NOT_ALLOWED',
      )) as { rule: string };
      expect(notAllowed.rule).toBe('field');
      await expectCode(w.provisions.provide({ vendor: 'mailer', subject: s, fields: ['dsrName'], purpose: 'insurance', actor: 'staff:7' }), 'VENDOR_NOT_ALLOWED');
      await expectCode(w.provisions.provide({ vendor: 'nobody', subject: s, fields: ['dsrName'], purpose: 'insurance', actor: 'staff:7' }), 'VENDOR_NOT_ALLOWED');
      await expectCode(w.provisions.provide({ vendor: 'insurer', subject: s, fields: ['dsrName', 'dsrBirthDate'], purpose: 'insurance', actor: 'staff:7' }), 'CONSENT_REQUIRED');
      const denials = (await w.vault.audit.entries({ subject: s, action: 'provide', decision: 'deny' })).map((e) => e.reason);
      expect(denials).toEqual(['VENDOR_NOT_ALLOWED', 'VENDOR_NOT_ALLOWED', 'VENDOR_NOT_ALLOWED', 'CONSENT_REQUIRED']);
      await w.vault.guard().grantConsent({ subject: s, purpose: 'insurance', actor: 'subject' });
      const insured = await w.provisions.provide({
        vendor: 'insurer',
        subject: s,
        fields: ['dsrName', 'dsrBirthDate'],
        purpose: 'insurance',
        actor: 'staff:7',
        retention: 'supply-to-person',
      });
      expect(insured.record.basis).toBe('consent');
      expect(insured.record.consentIds?.length).toBe(1);
      expect(Date.parse(insured.record.keepUntil)).toBe(Date.parse('2027-01-09T14:59:59.999Z'));
      const legal = await w.provisions.provide({
        vendor: 'insurer',
        subject: s,
        fields: ['dsrName'],
        purpose: 'insurance',
        actor: 'dpo',
        basis: { exception: 'law', reference: 'Court order 2026-17' },
      });
      expect(legal.record).toMatchObject({ basis: 'exception:law', reference: 'Court order 2026-17' });
      expect((await w.provisions.records(s)).map((r) => r.id)).toEqual([mailed.record.id, insured.record.id, legal.record.id]);
      const allowed = await w.vault.audit.entries({ subject: s, action: 'provide', decision: 'allow' });
      expect(allowed.map((e) => e.details?.['record'])).toEqual([mailed.record.id, insured.record.id, legal.record.id]);
      expect(JSON.stringify(await w.vault.audit.entries({ subject: s }))).not.toMatch(/山田|東京都|1990-04-01/);
      await w.close();
    });

    it('sweeps retention: destroys expired values and history, erases emptied subjects, holds open requests, is idempotent and concurrency-safe', async () => {
      const w = await world('2026-01-10T09:00:00.000Z');
      const long = await w.signup(); // signup: service, insurance: P3Y
      const short = (await w.vault.collect({ collectionPoint: 'inquiry', actor: 'web', values: { dsrName: '佐藤', dsrEmail: 'sato@example.jp', dsrNote: '質問です' } })).subject; // P1Y
      const mixed = await w.signup();
      await w.vault.collect({ subject: mixed, collectionPoint: 'inquiry', actor: 'web', values: { dsrName: '鈴木', dsrEmail: 'suzuki@example.jp', dsrNote: '問い合わせ' } });
      const heldSubject = (await w.vault.collect({ collectionPoint: 'inquiry', actor: 'web', values: { dsrName: '田中', dsrEmail: 'tanaka@example.jp', dsrNote: 'メモ' } }))
        .subject;
      await w.provisions.provide({ vendor: 'mailer', subject: long, fields: ['dsrAddress'], purpose: 'shipping', actor: 'staff:7', retention: 'supply-to-person' });
      w.setNow('2027-02-01T00:00:00.000Z');
      await w.desk.receive({ kind: 'disclosure', subject: heldSubject, actor: 'subject' });

      const early = await sweepRetention(w.vault, { now: new Date('2026-06-01T00:00:00.000Z') });
      expect(early.destroyed.filter((d) => [long, short, mixed, heldSubject].includes(d.subject))).toEqual([]);

      const now = new Date('2027-02-01T00:00:00.000Z');
      const [a, b] = await Promise.all([sweepRetention(w.vault, { now }), sweepRetention(w.vault, { now })]);
      const mine = (r: typeof a) =>
        r.destroyed
          .filter((d) => [long, short, mixed, heldSubject].includes(d.subject))
          .map((d) => `${d.subject === short ? 'short' : d.subject === mixed ? 'mixed' : 'other'}:${d.field}`);
      const all = [...mine(a), ...mine(b)].sort();
      expect(all).toEqual(['mixed:dsrEmail', 'mixed:dsrName', 'mixed:dsrNote', 'short:dsrEmail', 'short:dsrName', 'short:dsrNote']);
      expect([...a.erased, ...b.erased].filter((x) => x === short)).toEqual([short]);
      expect([...a.held, ...b.held]).toContain(heldSubject);
      expect([...a.expiredProvisionRecords, ...b.expiredProvisionRecords].length).toBeGreaterThanOrEqual(1);
      // Each value destroyed and audited once.
      const destroyedAudit = (await w.vault.audit.entries({ action: 'retention.destroy' })).filter((e) => e.subject === short || e.subject === mixed);
      expect(destroyedAudit.length).toBe(6);
      await expectCode(w.vault.read(short, 'dsrName', { purpose: 'service', actor: 't' }), 'SUBJECT_ERASED');
      expect((await w.vault.erasure(short))?.reference).toMatch(/^retention:/);
      // The mixed subject keeps its signup address and its earlier (signup) name and e-mail in the history.
      expect(Object.keys(await w.vault.provenance(mixed)).sort()).toEqual(['dsrAddress', 'dsrBirthDate']);
      expect((await w.vault.history(mixed)).length).toBe(2);
      expect(await w.vault.read(long, 'dsrName', { purpose: 'service', actor: 't' })).toBe('山田花子');
      expect(Object.keys(await w.vault.provenance(heldSubject)).length).toBe(3);
      expect(await w.provisions.records(long)).toEqual([]);
      // Repeating changes nothing.
      const again = await sweepRetention(w.vault, { now });
      expect(mine(again)).toEqual([]);
      // Past every retention: the signup subjects' history expires too, then they are erased.
      const late = await sweepRetention(w.vault, { now: new Date('2029-03-01T00:00:00.000Z') });
      expect(late.erased).toEqual(expect.arrayContaining([long, mixed]));
      await expectCode(w.vault.read(mixed, 'dsrAddress', { purpose: 'shipping', actor: 't' }), 'SUBJECT_ERASED');
      expect(await verifyAuditLog(w.vault.audit)).toMatchObject({ valid: true });
      await w.close();
    });

    it('exports consents as ISO/IEC TS 27560 (DPV) records and Kantara v1.1 receipts, with the notice version seen', async () => {
      const w = await world();
      const s = await w.signup();
      const guard = w.vault.guard();
      await guard.grantConsent({ subject: s, purpose: 'newsletter', actor: 'subject', noticeVersion: '2', method: 'web-form' });
      w.advance(DAY);
      await guard.withdrawConsent({ subject: s, purpose: 'newsletter', actor: 'subject', noticeVersion: '3', method: 'account-settings' });
      await guard.grantConsent({ subject: s, purpose: 'insurance', actor: 'subject', noticeVersion: '3', method: 'web-form' });
      const consents = await w.vault.consents.list(s);
      const address = { streetAddress: '1-1 Chiyoda', addressCountry: 'JP' };
      // 'insurance' rests on a contract: a consent record or receipt for it would overstate what was agreed.
      expect(() => toIso27560Records(requestsPolicy, consents, { controller: { address } })).toThrow(
        expect.objectContaining({ code: 'CONSENT_NOT_THE_BASIS', purpose: 'insurance' }),
      );
      const consentBased = consents.filter((c) => isConsentPurpose(requestsPolicy, c.purpose));
      expect(() => toIso27560Records(requestsPolicy, consentBased)).toThrow(/address/);
      const records = toIso27560Records(requestsPolicy, consentBased, { controller: { address } });
      expect(records.length).toBe(1);
      for (const r of records) expect(validateIso27560Record(r)).toEqual([]);
      const news = records[0];
      expect(news?.['dpv:hasProcess'][0]?.['dpv:hasLegalBasis']).toContain('dpv:Consent');
      const statuses = news?.['dpv:hasConsentStatus'] ?? [];
      expect(
        statuses.map((x) => [
          x['@type'][0],
          x['dpv:hasNotice'].endsWith(':2') ? '2' : x['dpv:hasNotice'].endsWith(':3') ? '3' : '?',
          x['dpv:isIndicatedBy'] === news?.['dpv:hasDataSubject'],
        ]),
      ).toEqual([
        ['dpv:ConsentWithdrawn', '3', true],
        ['dpv:ConsentGiven', '2', true],
      ]);
      expect(news?.['dpv:hasNotice'].map((n) => n['dct:hasVersion'])).toEqual(['2', '3']);
      const broken = JSON.parse(JSON.stringify(records[0])) as Record<string, unknown>;
      delete broken['dpv:hasDataSubject'];
      expect(validateIso27560Record(broken)).toEqual([expect.stringContaining('pii principal id')]);

      await guard.grantConsent({ subject: s, purpose: 'newsletter', actor: 'subject', noticeVersion: '3', method: 'web-form' });
      const grants = (await w.vault.consents.list(s)).filter((c) => c.state === 'granted' && c.purpose === 'newsletter');
      expect(() => toKantaraReceipt(requestsPolicy, grants)).toThrow(/phone, address/);
      const receipt = toKantaraReceipt(requestsPolicy, grants, { controller: { phone: '+81-3-0000-0000', address } });
      expect(validateKantaraReceipt(receipt)).toEqual([]);
      expect(receipt.piiPrincipalId).toBe(s);
      expect(receipt.services[0]?.purposes.map((p) => p.consentType)).toEqual(['EXPLICIT']); // one entry, the latest grant
      expect(receipt.services[0]?.purposes[0]?.termination).toContain('Notice version seen: 3');
      expect(receipt.consentReceiptID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(validateKantaraReceipt({ ...receipt, consentTimestamp: 'now' })).toEqual(['consentTimestamp: required integer (seconds since the epoch)']);
      expect(() =>
        toKantaraReceipt(
          requestsPolicy,
          consents.filter((c) => c.state === 'granted' && c.purpose === 'insurance'),
          { controller: { phone: '+81-3-0000-0000', address } },
        ),
      ).toThrow(expect.objectContaining({ code: 'CONSENT_NOT_THE_BASIS' }));
      expect(() => toKantaraReceipt(requestsPolicy, consents)).toThrow(/grants/);
      await w.close();
    });
  });
}
