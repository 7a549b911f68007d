/**
 * Hostile data-subject request payloads (issue 8): what a public request form passes to the
 * request desk, fuzzed with fast-check. Arbitrary JSON bodies for `receive`, forged identity
 * evidence, hostile corrections and rejection texts: only named SDK errors, nothing stored when
 * an input is refused, nothing disclosed or changed before identity is verified,
 * `Object.prototype` untouched, no input echoed in an error. Stored values holding markup come
 * out inert in the HTML and Markdown disclosure reports.
 *
 * Runs per property: PB_FUZZ_RUNS (default 200).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { marked } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, PurposeBoundError, verifyAuditLog } from 'purpose-bound';
// The request desk is not exported from the package root yet: import it from its modules.
import { authenticatedSubjectVerifier } from '../../src/requests/identity-verifier.js';
import { createRequestDesk } from '../../src/requests/request-desk.js';
import { renderDisclosure } from '../../src/requests/disclosure-report.js';
import { REQUEST_KINDS } from '../../src/requests/request.js';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { assertInert, vocabulary } from './fixtures/inert-html.js';
import { sec } from './fixtures/policy.js';

const RUNS = Number(process.env['PB_FUZZ_RUNS'] ?? 200);
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let seq = 0;
const mark = (): string => `\u2620 RQ${(seq++).toString(36)}z`;
const MARKER = /RQ[0-9a-z]+z/g;

const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join();
const before = protoSnapshot();
afterEach(() => {
  expect(protoSnapshot()).toBe(before);
  expect(({} as Loose).kind).toBeUndefined();
  expect(({} as Loose).authenticatedSubject).toBeUndefined();
});

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 });
const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${mark()}${s}`) },
  { weight: 1, arbitrary: loneSurrogates.map((s) => `${mark()}${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', '<script>alert(1)</script>', "'; DROP TABLE pb_records; --") },
  { weight: 1, arbitrary: fc.nat(2).map((n) => `${mark()}${'x'.repeat(30_000 * (n + 1))}`) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'en', 'ja')), tie('value')), { maxLength: 3 }).map(asJsonObject),
  ),
})).value;

function asJsonObject(entries: readonly (readonly [string, unknown])[]): unknown {
  return JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);
}

async function settle(op: () => Promise<unknown>, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: PurposeBoundError }> {
  let error: unknown;
  try {
    return { ok: true, value: await op() };
  } catch (e) {
    error = e;
  }
  if (!(error instanceof PurposeBoundError)) throw new Error(`not a PurposeBoundError: ${inspect(error).slice(0, 500)}`);
  const text = `${error.message} ${JSON.stringify(error)} ${inspect(error, { showHidden: true, depth: Infinity })}`;
  for (const m of new Set(JSON.stringify(input ?? null).match(MARKER) ?? [])) expect(text, `error ${error.code} echoes input`).not.toContain(m);
  return { ok: false, error };
}

async function setup() {
  const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });
  const vault = await createVault({ policy: sec, adapter: memoryAdapter(), keyring });
  const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
  const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'web', values: { email: 'hana@example.jp', name: 'Hana', note: 'original note' } });
  return { vault, desk, subject };
}

describe('request desk with hostile payloads (memory adapter)', () => {
  it('receive: arbitrary JSON bodies give a stored request or a named error, never a partial one', async () => {
    const { vault, desk, subject } = await setup();
    const body = fc
      .record(
        {
          kind: fc.oneof(fc.constantFrom(...REQUEST_KINDS), nastyString),
          subject: fc.oneof(fc.constant(subject), nastyString),
          actor: fc.oneof(fc.constant('subject'), nastyString),
          channel: fc.oneof(fc.constant('web-form'), nastyString, hostileValue),
          reference: fc.oneof(nastyString, hostileValue),
          fields: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...sec.fieldIds), nastyString), { maxLength: 4 }), hostileValue),
          purposes: fc.oneof(fc.constant('all'), fc.array(fc.oneof(fc.constantFrom(...sec.purposeIds), nastyString), { maxLength: 3 }), hostileValue),
          suspensionIds: fc.oneof(fc.array(nastyString, { maxLength: 2 }), hostileValue),
        },
        { requiredKeys: ['kind', 'subject', 'actor'] },
      )
      .chain((r) => fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor'), hostileValue), { maxLength: 2 }).map((extra) => ({ ...r, extra })))
      .map(({ extra, ...r }) => asJsonObject([...Object.entries(r), ...extra]));
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const count = (await desk.list()).length;
        const r = await settle(() => desk.receive(input as Loose), input);
        expect((await desk.list()).length).toBe(count + (r.ok ? 1 : 0));
        if (!r.ok) expect(['INVALID_ARGUMENT', 'UNKNOWN_FIELD', 'UNKNOWN_PURPOSE', 'SUBJECT_NOT_FOUND', 'SUBJECT_ERASED']).toContain(r.error.code);
        else expect((r.value as { state: string }).state).toBe('received');
      }),
      { numRuns: RUNS },
    );
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
  });

  it('forged identity evidence never unlocks a disclosure or a correction', async () => {
    const { vault, desk, subject } = await setup();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue, fc.record({ authenticatedSubject: fc.oneof(nastyString, fc.constant(`${subject}x`), fc.constant(subject.toUpperCase())) })),
        fc.constantFrom('disclosure', 'correction'),
        hostileValue,
        async (evidence, kind, value) => {
          const request = await desk.receive({ kind, subject, actor: 'subject', ...(kind === 'correction' && { fields: ['note'] }) } as Loose);
          const v = await settle(() => desk.verifyIdentity(request.id, { actor: 'web', evidence } as Loose), evidence);
          if (v.ok) expect((evidence as { authenticatedSubject?: unknown }).authenticatedSubject).toBe(subject);
          else expect(['IDENTITY_NOT_VERIFIED', 'INVALID_ARGUMENT']).toContain(v.error.code);
          // Nothing is disclosed or changed before identity is verified.
          const answer =
            kind === 'disclosure' ? () => desk.disclose(request.id, { actor: 'dpo' }) : () => desk.correct(request.id, { actor: 'dpo', values: { note: value } } as Loose);
          const a = await settle(answer, value);
          expect(a.ok).toBe(false);
          // (The desk validates a correction's values before its state: a refused value may be
          // reported as such, but nothing is ever applied.)
          if (!a.ok) expect(['IDENTITY_NOT_VERIFIED', 'REQUEST_STATE', 'INVALID_ARGUMENT', 'INVALID_PERSONAL_VALUE']).toContain(a.error.code);
          expect(await vault.read(subject, 'note', { purpose: 'contact', actor: 'checker' })).toBe('original note');
        },
      ),
      { numRuns: Math.max(20, Math.ceil(RUNS / 2)) },
    );
  });

  it('verified corrections with hostile values: applied whole or refused with nothing changed', async () => {
    const { vault, desk, subject } = await setup();
    let current: unknown = 'original note';
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, fc.string({ unit: 'binary', maxLength: 500 })), fc.oneof(fc.constant(undefined), nastyString), async (note, reason) => {
        const request = await desk.receive({ kind: 'correction', subject, actor: 'subject', fields: ['note'] });
        await desk.verifyIdentity(request.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
        const input = { actor: 'dpo', values: { note }, ...(reason !== undefined && { reason }) };
        const r = await settle(() => desk.correct(request.id, input as Loose), input);
        if (r.ok) current = note;
        else expect(['INVALID_PERSONAL_VALUE', 'INVALID_ARGUMENT']).toContain(r.error.code);
        expect(await vault.read(subject, 'note', { purpose: 'contact', actor: 'checker' })).toEqual(current);
      }),
      { numRuns: Math.max(20, Math.ceil(RUNS / 2)) },
    );
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
  });

  it('rejections with hostile explanations: stored as given or refused, never echoed', async () => {
    const { desk, subject } = await setup();
    await fc.assert(
      fc.asyncProperty(hostileValue, fc.oneof(fc.constant('business-interference'), nastyString), async (explanation, reason) => {
        const request = await desk.receive({ kind: 'disclosure', subject, actor: 'subject' });
        const input = { actor: 'dpo', reason, explanation };
        const r = await settle(() => desk.reject(request.id, input as Loose), input);
        const stored = await desk.get(request.id);
        if (r.ok) expect(stored.state).toBe('rejected');
        else {
          expect(r.error.code).toBe('INVALID_ARGUMENT');
          expect(stored.state).toBe('received');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('stored values holding markup come out inert in the disclosure reports', async () => {
    const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });
    const vault = await createVault({ policy: sec, adapter: memoryAdapter(), keyring });
    const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
    const { subject: benign } = await vault.collect({
      collectionPoint: 'form',
      actor: 'web',
      values: { email: 'a@example.jp', name: 'A', note: 'n', address: { city: 'Tokyo', zip: '100-0001' } },
    });
    const disclose = async (subject: string) => {
      const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject' });
      await desk.verifyIdentity(r.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
      return desk.disclose(r.id, { actor: 'dpo' });
    };
    const base = await disclose(benign);
    const html = vocabulary(['en', 'ja'].map((lang) => renderDisclosure(base, { lang: lang as 'en', format: 'html', page: true })).join(''));
    html.tags.add('a');
    html.attrs.add('href');
    const md = {
      tags: new Set(['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'br', 'hr', 'code', 'pre', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td']),
      attrs: new Set(['href', 'start', 'align', 'class']),
    };
    const markup = fc.constantFrom(
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"><svg onload=alert(1)>',
      '[x](javascript:alert(1))',
      '\n# heading\n<div>x</div>',
      '\u001b[2J\u0007',
    );
    await fc.assert(
      fc.asyncProperty(markup, markup, fc.string({ unit: 'binary', maxLength: 40 }), async (a, b, noise) => {
        const { subject } = await vault.collect({
          collectionPoint: 'form',
          actor: 'web',
          values: { email: 'b@example.jp', name: `${a}${noise}`, note: `${b}${noise}${a}`, address: { city: b, zip: '100-0001' }, tags: [a, b] },
        });
        const d = await disclose(subject);
        for (const lang of ['en', 'ja'] as const) {
          assertInert(renderDisclosure(d, { lang, format: 'html', page: true }), html, `${lang} html`);
          assertInert(marked.parse(renderDisclosure(d, { lang, format: 'markdown' }), { async: false }), md, `${lang} markdown`);
          expect(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/.test(renderDisclosure(d, { lang, format: 'text' })), `${lang} text: terminal controls`).toBe(false);
        }
      }),
      { numRuns: Math.max(10, Math.ceil(RUNS / 10)) },
    );
  });
});
