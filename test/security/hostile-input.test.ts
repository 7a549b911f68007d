/**
 * Hostile input beyond the core: fast-check fuzzing of what a web form or a request handler
 * passes to the vault (`collect` values, lookups, corrections, reads) with arbitrary JSON,
 * prototype-pollution keys, lone surrogates and huge strings. Only named SDK errors may come
 * out, nothing is half-written, `Object.prototype` stays untouched, no input string is echoed
 * in an error, and whatever is accepted comes back exactly.
 *
 * Runs per property: PB_FUZZ_RUNS (default 200; a tenth of that on the SQL adapters).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLocalKeyring, createVault, generateKey, PurposeBoundError, type StorageAdapter, verifyAuditLog } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sec } from './fixtures/policy.js';
import { sqlTargets } from './fixtures/targets.js';

const RUNS = Number(process.env['PB_FUZZ_RUNS'] ?? 200);
const SQL_RUNS = Math.max(10, Math.ceil(RUNS / 10));
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const keyring = createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });
const runs = { total: 0 };
afterAll(() => {
  // eslint-disable-next-line no-console
  console.info(`[hostile-input] ${runs.total} fuzz runs`);
});

let seq = 0;
/** A marker that is never id-shaped, so the SDK must describe it, never repeat it. */
const mark = (): string => `\u2620 HX${(seq++).toString(36)}q`;
const MARKER = /HX[0-9a-z]+q/g;

const protoSnapshot = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort().join(),
  array: Object.getOwnPropertyNames(Array.prototype).sort().join(),
});
const before = protoSnapshot();
afterEach(() => {
  expect(protoSnapshot()).toEqual(before);
  expect(({} as Loose).polluted).toBeUndefined();
  expect(({} as Loose).email).toBeUndefined();
  expect(({} as Loose).city).toBeUndefined();
});

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });
/** Strings that hurt: markers with binary noise, lone surrogates, control and bidi characters, prototype keys, huge ones. */
const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${mark()}${s}`) },
  { weight: 2, arbitrary: loneSurrogates.map((s) => `${mark()}${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', '\u202e', '\r\n', '<script>alert(1)</script>', "' OR 1=1 --") },
  { weight: 1, arbitrary: fc.nat(3).map((n) => `${mark()}${'\u00e9'.repeat(50_000 * (n + 1))}`) },
);
const fieldKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...sec.fieldIds) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty') },
  { weight: 1, arbitrary: nastyString },
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'city', 'zip')), tie('value')), { maxLength: 4 }).map(asJsonObject),
  ),
})).value;

/** Build an object the way `JSON.parse` of a request body does: `__proto__` becomes an own key. */
function asJsonObject(entries: readonly (readonly [string, unknown])[]): unknown {
  return JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);
}

/** Addresses zod's `z.email()` accepts (its pattern is stricter than RFC 5322, on purpose). */
const simpleEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,30}[a-z0-9]$/), fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('jp', 'example', 'co.jp'))
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** Well-formed values for each field, so that accepted input is checked to come back intact. */
const validValues = fc.record(
  {
    email: simpleEmail,
    name: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
    note: fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), loneSurrogates, fc.constant('x'.repeat(100_000))),
    age: fc.integer({ min: 0, max: 150 }),
    address: fc.record({ city: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }), zip: fc.constantFrom('100-0001', '530-0001') }),
    tags: fc.array(fc.string({ maxLength: 50 }), { maxLength: 20 }),
  },
  { requiredKeys: ['email', 'name'] },
);

/** Throws nothing but SDK errors, and no error repeats a marker that was in the input. */
async function settle(op: () => Promise<unknown>, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: PurposeBoundError }> {
  let error: unknown;
  try {
    return { ok: true, value: await op() };
  } catch (e) {
    error = e;
  }
  if (!(error instanceof PurposeBoundError)) throw new Error(`not a PurposeBoundError: ${inspect(error).slice(0, 500)}`);
  const text = `${error.message} ${JSON.stringify(error)} ${inspect(error, { showHidden: true, depth: Infinity })}`;
  const markers = new Set(JSON.stringify(input ?? null).match(MARKER) ?? []);
  for (const m of markers) expect(text, `error ${error.code} echoes input`).not.toContain(m);
  return { ok: false, error };
}

async function subjectCount(adapter: StorageAdapter): Promise<number> {
  return (await adapter.transaction((tx) => tx.listSubjects())).length;
}

describe('vault.collect and lookups with hostile web-form input (memory adapter)', () => {
  it('arbitrary JSON bodies as values: named errors or a whole subject, never half-written', async () => {
    const adapter = memoryAdapter();
    const vault = await createVault({ policy: sec, adapter, keyring });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fieldKey, hostileValue), { maxLength: 6 }).map(asJsonObject), async (values) => {
        runs.total++;
        const before = await subjectCount(adapter);
        const r = await settle(() => vault.collect({ collectionPoint: 'form', actor: 'web', values: values as Loose }), values);
        expect(await subjectCount(adapter)).toBe(before + (r.ok ? 1 : 0));
        if (!r.ok) expect(['INVALID_ARGUMENT', 'UNKNOWN_FIELD', 'INVALID_PERSONAL_VALUE']).toContain(r.error.code);
      }),
      { numRuns: RUNS },
    );
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
    await vault.close();
  });

  it('accepted values (any Unicode, lone surrogates, 100,000 characters) come back exactly', async () => {
    const vault = await createVault({ policy: sec, adapter: memoryAdapter(), keyring });
    const guard = vault.guard();
    await fc.assert(
      fc.asyncProperty(validValues, async (values) => {
        runs.total++;
        const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'web', values });
        for (const purpose of sec.purposeIds) if (sec.purpose(purpose).basis === 'consent') await guard.grantConsent({ subject, purpose, actor: 'web' });
        // readAll, purpose by purpose: exactly the stored fields that allow it, values intact;
        // together they cover every stored field.
        const seen = new Set<string>();
        for (const purpose of sec.purposeIds) {
          const all: Loose = await vault.readAll(subject, { purpose, actor: 'checker' });
          expect(Object.keys(all).sort()).toEqual(
            Object.keys(values)
              .filter((f) => (sec.allowedPurposes(f as 'email') as readonly string[]).includes(purpose))
              .sort(),
          );
          for (const field of Object.keys(all)) {
            expect(all[field]).toEqual((values as Loose)[field]);
            seen.add(field);
          }
        }
        expect([...seen].sort()).toEqual(Object.keys(values).sort());
        for (const [field, value] of Object.entries(values)) {
          const purpose = sec.allowedPurposes(field as 'email')[0] as string;
          expect(await vault.read(subject, field as 'email', { purpose: purpose as never, actor: 'checker' })).toEqual(value);
        }
      }),
      { numRuns: Math.max(20, Math.ceil(RUNS / 4)) },
    );
    await vault.close();
  });

  it('lookups with arbitrary values: a list of subject ids or a named error, no echo', async () => {
    const vault = await createVault({ policy: sec, adapter: memoryAdapter(), keyring });
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'web', values: { email: 'Hana@Example.jp', name: 'Hana' } });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue, simpleEmail, fc.constantFrom('hana@example.jp', ' HANA@EXAMPLE.JP ', 'ｈａｎａ@example.jp')),
        fc.constantFrom('email', 'name', '__proto__', 'constructor'),
        async (value, field) => {
          runs.total++;
          const r = await settle(() => vault.findByLookup(field as 'email', value), value);
          if (r.ok) {
            expect(field).toBe('email');
            expect(r.value).toEqual(typeof value === 'string' && value.normalize('NFKC').trim().toLowerCase() === 'hana@example.jp' ? [subject] : []);
          } else expect(['INVALID_ARGUMENT', 'UNKNOWN_FIELD', 'INVALID_PERSONAL_VALUE']).toContain(r.error.code);
        },
      ),
      { numRuns: RUNS },
    );
    await vault.close();
  });

  it('reads, corrections and erasures with hostile subject ids, field ids and change inputs', async () => {
    const adapter = memoryAdapter();
    const vault = await createVault({ policy: sec, adapter, keyring });
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'web', values: { email: 'a@example.jp', name: 'A' } });
    const id = fc.oneof(nastyString, fc.constant(subject), fc.constantFrom('__proto__', 'constructor', 'x'.repeat(201)));
    await fc.assert(
      fc.asyncProperty(id, fieldKey, hostileValue, fc.record({ actor: fc.oneof(nastyString, fc.constant('staff:1')), reason: nastyString }), async (s, f, v, change) => {
        runs.total++;
        const input = [s, f, v, change];
        // Read for a purpose the field allows (research, tags' only one, needs a consent nobody gave).
        const purpose = sec.hasField(f) ? (sec.allowedPurposes(f as 'email')[0] as string) : 'contact';
        const r1 = await settle(() => vault.read(s, f as 'email', { purpose: purpose as never, actor: 'checker' }), input);
        if (!r1.ok) expect(['INVALID_ARGUMENT', 'UNKNOWN_FIELD', 'SUBJECT_NOT_FOUND', 'VALUE_NOT_FOUND', 'CONSENT_REQUIRED']).toContain(r1.error.code);
        const r2 = await settle(() => vault.correct(s, f as 'email', v as never, change), input);
        if (!r2.ok) expect(['INVALID_ARGUMENT', 'UNKNOWN_FIELD', 'INVALID_PERSONAL_VALUE', 'SUBJECT_NOT_FOUND']).toContain(r2.error.code);
        const r3 = await settle(() => vault.erase(s === subject ? `${s}-other` : s, change as Loose), input);
        expect(r3.ok).toBe(false);
        if (!r3.ok) expect(['INVALID_ARGUMENT', 'SUBJECT_NOT_FOUND']).toContain(r3.error.code);
      }),
      { numRuns: RUNS },
    );
    // Whatever was accepted kept the chain and the subject whole.
    expect((await verifyAuditLog(vault.audit)).valid).toBe(true);
    expect(Object.keys(await vault.readAll(subject, { purpose: 'contact', actor: 'checker' }))).toEqual(expect.arrayContaining(['email', 'name']));
    await vault.close();
  });
});

const { targets, close } = sqlTargets('pb_sec_hostile');
afterAll(close);

describe.each(targets)('hostile free text stored through the $name adapter', (target) => {
  it('actors and reasons with lone surrogates, control characters and SQL: stored, returned intact, chain verifies', async () => {
    const { adapter } = await target.create();
    const vault = await createVault({ policy: sec, adapter, keyring });
    const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'web', values: { email: 'a@example.jp', name: 'A' } });
    const text = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 150 }).filter((s) => /\S/.test(s)),
      loneSurrogates.map((s) => `x${s}`),
      fc.constantFrom("'); DROP TABLE pb_values; --", '\u0000nul', '\\"\\u0000', '$1 $2 ?'),
    );
    const expected: { actor: string; reason: string }[] = [];
    await fc.assert(
      fc.asyncProperty(text, text, fc.string({ unit: 'binary', maxLength: 300 }), async (actor, reason, note) => {
        runs.total++;
        const r = await settle(() => vault.correct(subject, 'note', note, { actor, reason }), [actor, reason, note]);
        if (!r.ok) {
          // Text PostgreSQL cannot store (U+0000, lone surrogates) is refused at the API on every
          // adapter, like any other bad argument; nothing is written (the history check below).
          expect(r.error.code).toBe('INVALID_ARGUMENT');
          return;
        }
        expected.push({ actor, reason });
        expect(await vault.read(subject, 'note', { purpose: 'contact', actor: 'checker' })).toBe(note);
      }),
      { numRuns: SQL_RUNS },
    );
    const history = (await vault.history(subject)).filter((h) => h.field === 'note');
    expect(history.map((h) => ({ actor: h.actor, reason: h.reason }))).toEqual(expected);
    const verification = await verifyAuditLog(vault.audit);
    expect(verification.valid).toBe(true);
    await vault.close();
  });
});
