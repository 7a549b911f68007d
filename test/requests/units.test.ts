import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { applyTransition, canTransition, dueDatePlan, isOverdue, REQUEST_STATES, renderDisclosure, valueRetention, type DataSubjectRequest, type Disclosure } from 'purpose-bound';
import { requestsPolicy } from 'purpose-bound/testing';

const base: DataSubjectRequest = {
  id: 'r1',
  kind: 'disclosure',
  subject: 's1',
  state: 'received',
  receivedAt: '2026-01-01T00:00:00.000Z',
  dueAt: '2026-01-15T00:00:00.000Z',
  transitions: [{ from: null, to: 'received', at: '2026-01-01T00:00:00.000Z', actor: 'a' }],
  identityAttempts: [],
};

describe('request state machine', () => {
  it('allows exactly the documented moves', () => {
    const allowed = REQUEST_STATES.flatMap((from) => REQUEST_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`));
    expect(allowed).toEqual([
      'received>identity-verified',
      'received>rejected',
      'identity-verified>in-progress',
      'identity-verified>rejected',
      'in-progress>completed',
      'in-progress>rejected',
    ]);
  });
  it('names skipping verification IDENTITY_NOT_VERIFIED, other bad moves REQUEST_STATE, and never mutates', () => {
    expect(() => applyTransition(base, 'completed', { actor: 'a', at: 'x' })).toThrow(expect.objectContaining({ code: 'IDENTITY_NOT_VERIFIED' }));
    expect(() => applyTransition(base, 'in-progress', { actor: 'a', at: 'x' })).toThrow(expect.objectContaining({ code: 'IDENTITY_NOT_VERIFIED' }));
    const done = { ...base, state: 'completed' as const };
    expect(() => applyTransition(done, 'rejected', { actor: 'a', at: 'x' })).toThrow(expect.objectContaining({ code: 'REQUEST_STATE' }));
    const next = applyTransition(base, 'identity-verified', { actor: 'desk', at: '2026-01-02T00:00:00.000Z' });
    expect(next.transitions.at(-1)).toEqual({ from: 'received', to: 'identity-verified', at: '2026-01-02T00:00:00.000Z', actor: 'desk' });
    expect(base.state).toBe('received');
  });
});

describe('due dates', () => {
  it('defaults to 14 days, takes per-kind durations, and rejects free text', () => {
    const at = new Date('2026-01-31T00:00:00.000Z');
    expect(dueDatePlan().dueAt('disclosure', at)).toBe('2026-02-14T00:00:00.000Z');
    expect(dueDatePlan({ default: 'P1M', erasure: 'P3D' }).dueAt('disclosure', at)).toBe('2026-02-28T00:00:00.000Z');
    expect(dueDatePlan({ default: 'P1M', erasure: 'P3D' }).dueAt('erasure', at)).toBe('2026-02-03T00:00:00.000Z');
    expect(() => dueDatePlan({ bogus: 'P1D' } as never)).toThrow(/unknown request kind/);
    expect(() => dueDatePlan('two weeks')).toThrow(/ISO 8601/);
  });
  it('counts only open requests as overdue', () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    expect(isOverdue(base, now)).toBe(true);
    expect(isOverdue({ ...base, state: 'completed' }, now)).toBe(false);
    expect(isOverdue(base, new Date('2026-01-10T00:00:00.000Z'))).toBe(false);
  });
});

describe('retention schedule', () => {
  const prov = { collectionPoint: 'inquiry', collectedAt: '2026-01-10T00:00:00.000Z' };
  it('uses the purposes announced at the collection point, from the last change', () => {
    expect(valueRetention(requestsPolicy, 'dsrName', prov)?.until).toBe('2027-01-10T00:00:00.000Z');
    expect(valueRetention(requestsPolicy, 'dsrName', { ...prov, collectionPoint: 'signup' })?.until).toBe('2029-01-10T00:00:00.000Z');
    expect(valueRetention(requestsPolicy, 'dsrName', prov, { purposesFrom: 'field' })?.until).toBe('2029-01-10T00:00:00.000Z');
    expect(valueRetention(requestsPolicy, 'dsrName', { ...prov, updatedAt: '2026-06-01T00:00:00.000Z' })?.until).toBe('2027-06-01T00:00:00.000Z');
    expect(valueRetention(requestsPolicy, 'dsrName', prov, { restrictTo: ['support'] })?.purposes.map((p) => p.purpose)).toEqual(['support']);
    expect(valueRetention(requestsPolicy, 'gone', prov)).toBeUndefined();
  });
});

describe('disclosure report', () => {
  const d: Disclosure = {
    format: 'purpose-bound/disclosure',
    formatVersion: 1,
    scope: 'full',
    request: { id: 'r-1', kind: 'disclosure', receivedAt: '2026-01-01T00:00:00.000Z', identityMethod: 'otp' },
    generatedAt: '2026-01-02T00:00:00.000Z',
    controller: { name: { en: 'Shop & <Co>', ja: 'ショップ' }, contact: {} },
    policy: { id: 'p', version: '1' },
    subject: 's1',
    erased: null,
    values: [
      {
        field: 'note',
        title: { en: 'Note "quoted"', ja: 'メモ' },
        category: 'other',
        value: '<img src=x onerror=alert(1)> & \u202Eevil',
        purposes: [{ id: 'p', title: { en: 'P', ja: 'P' }, description: { en: 'd', ja: 'd' }, basis: 'contract', retention: 'P1Y', until: '2027-01-01T00:00:00.000Z' }],
        provenance: { collectionPoint: 'form', collectedAt: '2026-01-01T00:00:00.000Z', noticeVersion: '1', source: 'subject', verifiedAt: '2026-01-01T00:00:00.000Z' },
        retainedUntil: '2027-01-01T00:00:00.000Z',
        history: [],
      },
      {
        field: 'profile',
        title: { en: 'Profile', ja: 'プロフィール' },
        category: 'other',
        value: { city: 'Kyoto', floor: 3 },
        purposes: [],
        provenance: { collectionPoint: 'form', collectedAt: '2026-01-01T00:00:00.000Z', noticeVersion: '1', source: 'subject', verifiedAt: '2026-01-01T00:00:00.000Z' },
        retainedUntil: '2026-01-01T00:00:00.000Z',
        history: [],
      },
    ],
    formerFields: [],
    consents: [],
    suspensions: [],
    provisions: [],
    requests: [],
    audit: [],
  };
  it('escapes values and policy text in HTML, strips bidi overrides, and passes html-validate', async () => {
    const html = renderDisclosure(d, { lang: 'en', format: 'html', page: true });
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; evil');
    expect(html).not.toMatch(/<img|\u202E/);
    expect(html).toContain('Shop &amp; &lt;Co&gt;');
    expect(html).toContain('{&quot;city&quot;:&quot;Kyoto&quot;,&quot;floor&quot;:3}');
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off' } }).validateString(html);
    expect(report.valid, JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => m.message)))).toBe(true);
  });
  it('writes Markdown and text in both languages, and refuses unknown options', () => {
    expect(renderDisclosure(d, { lang: 'ja', format: 'markdown' })).toContain('# 保有個人データの開示');
    expect(renderDisclosure(d, { lang: 'en' })).toContain('Disclosure of your personal data');
    expect(() => renderDisclosure(d, { lang: 'fr' as never })).toThrow(/lang/);
    expect(() => renderDisclosure(d, { lang: 'en', format: 'pdf' as never })).toThrow(/format/);
    expect(() => renderDisclosure(d, { lang: 'en', page: true })).toThrow(/html/);
  });
});
