/**
 * Hostile input against the core: fast-check fuzzing of definePolicy, wrap, the guard's
 * calls and verifyAuditLog with arbitrary JSON-ish values, huge strings, prototype-pollution
 * keys and lone surrogates. Only named SDK errors may come out, Object.prototype must stay
 * untouched, and no input string may be echoed in any error (inputs carry distinctive markers
 * that are not id-shaped, so the SDK must describe them rather than repeat them).
 *
 * Runs per property: PB_FUZZ_RUNS (default 200).
 */
import util from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuard, createMemoryAuditLog, definePolicy, PolicyDefinitionError, PurposeBoundError, verifyAuditLog } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { cloneSpec, shop, shopSpec } from '../fixtures/shop-policy.js';

const RUNS = Number(process.env.PB_FUZZ_RUNS ?? 200);
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let seq = 0;
/** A marker that is never id-shaped (starts with a non-letter, holds a space): `☠ MK12x`. */
const mark = (): string => `\u2620 MK${(seq++).toString(36)}x`;
const MARKER = /MK[0-9a-z]+x/g;

const protoSnapshot = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort().join(),
  array: Object.getOwnPropertyNames(Array.prototype).sort().join(),
  fn: Object.getOwnPropertyNames(Function.prototype).sort().join(),
});
const before = protoSnapshot();
afterEach(() => {
  expect(protoSnapshot()).toEqual(before);
  expect(({} as Loose).polluted).toBeUndefined();
  expect(({} as Loose).title).toBeUndefined();
  expect(({} as Loose).purposes).toBeUndefined();
});

/** Strings that hurt: markers, lone surrogates, control characters, RTL marks, prototype keys, huge ones. */
const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${mark()}${s}`) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 5 }).map((s) => `${mark()}${s}\ud800`) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', '\u202e', '\n\r') },
  { weight: 1, arbitrary: fc.nat(3).map((n) => `${mark()}${'A'.repeat(10_000 * (n + 1))}`) },
);
const protoKeys = fc.constantFrom('__proto__', 'constructor', 'prototype');
const key = fc.oneof({ weight: 3, arbitrary: nastyString }, { weight: 1, arbitrary: protoKeys });

/** JSON-ish values with hostile keys and strings; `__proto__` arrives as an own key, as JSON.parse makes it. */
const hostile: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  }),
})).value;

/** Everything an error shows: message, stack, cause chain, own properties (inspect), JSON. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = error, i = 0; cur !== undefined && i < 10; i++) {
    if (!(cur instanceof Error)) break;
    parts.push(cur.message, cur.stack ?? '', util.inspect(cur, { depth: Infinity, showHidden: true }), JSON.stringify(cur));
    cur = cur.cause;
  }
  return parts.join('\n');
}

function markersIn(value: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 20) return out;
  if (typeof value === 'string') for (const m of value.match(MARKER) ?? []) out.add(m);
  else if (value && typeof value === 'object') {
    for (const k of Reflect.ownKeys(value)) {
      if (typeof k === 'string') markersIn(k, out, depth + 1);
      markersIn((value as Record<PropertyKey, unknown>)[k], out, depth + 1);
    }
  }
  return out;
}

let errorsSeen = 0;
/** Only named SDK errors, and none repeating a marker of the input. */
function expectNamed(error: unknown, input: unknown): void {
  errorsSeen++;
  expect(error, `not a PurposeBoundError: ${String(error)}`).toBeInstanceOf(PurposeBoundError);
  expect((error as PurposeBoundError).code).toMatch(/^[A-Z_]+$/);
  const text = errorText(error);
  for (const m of markersIn(input)) expect(text.includes(m), `error echoed ${m}: ${text.slice(0, 400)}`).toBe(false);
}

function expectSync(fn: () => unknown, input: unknown): unknown {
  try {
    return fn();
  } catch (error) {
    expectNamed(error, input);
    return undefined;
  }
}

async function expectAsync(fn: () => Promise<unknown>, input: unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    expectNamed(error, input);
    return undefined;
  }
}

/** Set `value` at a random path of a deep clone of a valid spec. */
function plant(spec: unknown, path: readonly string[], value: unknown): unknown {
  const root = cloneSpec(spec) as Record<string, unknown>;
  let cur: Record<string, unknown> = root;
  for (const [i, seg] of path.entries()) {
    if (i === path.length - 1) Object.defineProperty(cur, seg, { value, enumerable: true, writable: true, configurable: true });
    else {
      const next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
      if (typeof next !== 'object' || next === null) Object.defineProperty(cur, seg, { value: {}, enumerable: true, writable: true, configurable: true });
      cur = cur[seg] as Record<string, unknown>;
    }
  }
  return root;
}

const specPaths = fc.constantFrom<readonly string[]>(
  ['id'],
  ['version'],
  ['effective'],
  ['languages'],
  ['title'],
  ['controller', 'name'],
  ['controller', 'contact', 'email'],
  ['controller', 'contact'],
  ['purposes'],
  ['purposes', 'contact'],
  ['purposes', 'contact', 'title'],
  ['purposes', 'contact', 'retention'],
  ['purposes', 'contact', 'parent'],
  ['purposes', 'contact', 'basis'],
  ['purposes', 'receipts', 'parent'],
  ['fields'],
  ['fields', 'email', 'purposes'],
  ['fields', 'email', 'schema'],
  ['fields', 'email', 'category'],
  ['fields', 'email'],
  ['collectionPoints', 'signup', 'fields'],
  ['collectionPoints', 'signup', 'purposes'],
  ['vendors', 'printer', 'contract'],
  ['vendors', 'printer', 'fields'],
  ['vendors'],
  ['exceptions'],
  ['prose'],
  ['provisionRecordRetention'],
);

describe('definePolicy under hostile input', () => {
  it('arbitrary JSON-ish specs: PolicyDefinitionError or a policy, nothing else, no echo', () => {
    fc.assert(
      fc.property(hostile, (spec) => {
        const r = expectSync(() => definePolicy(spec as never), spec);
        expect(r).toBeUndefined(); // random structures are never valid policies
      }),
      { numRuns: RUNS },
    );
  });

  it('a valid spec with one hostile value or key planted anywhere', () => {
    fc.assert(
      fc.property(specPaths, fc.option(key, { nil: undefined }), hostile, (path, extraKey, value) => {
        const spec = plant(shopSpec, extraKey === undefined ? path : [...path, extraKey], value);
        let thrown: unknown;
        try {
          definePolicy(spec as never);
        } catch (error) {
          thrown = error;
        }
        if (thrown !== undefined) {
          expectNamed(thrown, spec);
          expect(thrown).toBeInstanceOf(PolicyDefinitionError);
          for (const issue of (thrown as PolicyDefinitionError).issues) expect(issue.path.length).toBeLessThan(400);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('prototype-pollution payloads as JSON.parse delivers them', () => {
    const payloads = [
      '{"__proto__": {"polluted": "yes"}}',
      '{"purposes": {"__proto__": {"polluted": "yes"}}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"fields": {"constructor": {"prototype": {"polluted": "yes"}}}}',
    ];
    for (const p of payloads) {
      const spec = { ...(cloneSpec(shopSpec) as object), ...JSON.parse(p) } as Record<string, unknown>;
      const merged = JSON.parse(p) as Record<string, unknown>;
      for (const [k, v] of Object.entries(merged)) {
        if (k === 'purposes' || k === 'fields') Object.assign(spec[k] as object, v);
      }
      expect(() => definePolicy(spec as never)).toThrow(PolicyDefinitionError);
      const nested = cloneSpec(shopSpec) as Loose;
      nested.fields.email.title = JSON.parse('{"en": "E", "ja": "E", "__proto__": {"polluted": "yes"}}');
      expect(() => definePolicy(nested)).toThrow(PolicyDefinitionError);
    }
  });

  /**
   * The elementary work `definePolicy` does: Map and Set look-ups, regular-expression calls and
   * the characters those calls are handed, counted through wrappers around the prototypes for
   * the duration of one synchronous call. Speed is measured in the bench
   * (`bench/cases/hostile-input.ts`); here the SHAPE of the work is asserted: how it grows with
   * the input.
   */
  function work(fn: () => unknown): { lookups: number; regexCalls: number; regexChars: number } {
    const counts = { lookups: 0, regexCalls: 0, regexChars: 0 };
    const originals = { mapGet: Map.prototype.get, mapHas: Map.prototype.has, setHas: Set.prototype.has, test: RegExp.prototype.test, exec: RegExp.prototype.exec };
    Map.prototype.get = function (this: Map<unknown, unknown>, k: unknown) {
      counts.lookups++;
      return originals.mapGet.call(this, k);
    };
    Map.prototype.has = function (this: Map<unknown, unknown>, k: unknown) {
      counts.lookups++;
      return originals.mapHas.call(this, k);
    };
    Set.prototype.has = function (this: Set<unknown>, k: unknown) {
      counts.lookups++;
      return originals.setHas.call(this, k);
    };
    RegExp.prototype.test = function (this: RegExp, s: string) {
      counts.regexCalls++;
      counts.regexChars += String(s).length;
      return originals.test.call(this, s);
    };
    RegExp.prototype.exec = function (this: RegExp, s: string) {
      counts.regexCalls++;
      counts.regexChars += String(s).length;
      return originals.exec.call(this, s);
    };
    try {
      expectSync(fn, undefined);
    } finally {
      Map.prototype.get = originals.mapGet;
      Map.prototype.has = originals.mapHas;
      Set.prototype.has = originals.setHas;
      RegExp.prototype.test = originals.test;
      RegExp.prototype.exec = originals.exec;
    }
    return counts;
  }

  it('huge inputs are rejected without echo, in a number of passes that does not grow with their size', () => {
    for (const path of [
      ['id'],
      ['version'],
      ['controller', 'contact', 'email'],
      ['purposes', 'contact', 'retention'],
      ['fields', 'email', 'purposes'],
      ['controller', 'contact', 'url'],
    ] as const) {
      const marker = mark(); // the same at both sizes: only the size differs
      const hugeOf = (n: number) => `${marker}${'x'.repeat(n)}@${'a'.repeat(n / 4)}.jp`;
      const specOf = (n: number) => plant(shopSpec, path, path[1] === 'email' && path.length === 3 && path[0] === 'fields' ? [hugeOf(n)] : hugeOf(n));
      const small = specOf(500_000);
      const large = specOf(2_000_000);
      expect(() => definePolicy(large as never)).toThrow(PolicyDefinitionError);
      expectSync(() => definePolicy(large as never), large);
      const a = work(() => definePolicy(small as never));
      const b = work(() => definePolicy(large as never));
      // Four times the input: the same look-ups and, give or take a few (the digits of a
      // length in a message), the same regular-expression calls: no step repeats per character
      // (that would add millions); and at most four times the characters scanned.
      expect(b.lookups, path.join('.')).toBe(a.lookups);
      expect(Math.abs(b.regexCalls - a.regexCalls), path.join('.')).toBeLessThanOrEqual(8);
      expect(b.regexChars, path.join('.')).toBeLessThanOrEqual(4 * a.regexChars + 1000);
    }
  });

  it('a 5,000-purpose parent chain is defined with work linear in its length (no quadratic walk, no deep recursion)', () => {
    const chain = (n: number) => {
      const spec = cloneSpec(shopSpec) as Loose;
      for (let i = 0; i < n; i++) spec.purposes[`p${i}`] = { ...spec.purposes.contact, parent: i === 0 ? undefined : `p${i - 1}` };
      delete spec.purposes.p0.parent;
      return spec;
    };
    const long = chain(5000);
    const policy = expectSync(() => definePolicy(long), long) as { lineage(p: string): readonly string[] } | undefined;
    expect(policy?.lineage('p4999')).toHaveLength(5000);
    const a = work(() => definePolicy(chain(1250)));
    const b = work(() => definePolicy(chain(5000)));
    // Four times the purposes: about four times the work (a walk per purpose up its chain would be sixteen).
    expect(b.lookups / a.lookups).toBeLessThan(4.5);
    expect(b.regexCalls / a.regexCalls).toBeLessThan(4.5);
  });
});

describe('wrap under hostile input', () => {
  const fieldIds = [...shop.fieldIds] as string[];
  it('arbitrary field ids, values and options: named errors only, no echo', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...fieldIds), nastyString, hostile),
        hostile,
        fc.oneof(
          hostile,
          fc.record(
            { subject: fc.oneof(fc.constant('s1'), nastyString, hostile), restrictTo: fc.oneof(hostile, fc.array(fc.oneof(fc.constantFrom(...shop.purposeIds), nastyString))) },
            { requiredKeys: [] },
          ),
        ),
        (field, value, options) => {
          const r = expectSync(() => shop.wrap(field as never, value as never, options as never), [field, value, options]);
          if (r !== undefined) expect(String(r)).toBe(`[personal:${field as string}]`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('values that break each ji4pe schema never appear in the error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(ji4pePolicy.fieldIds as readonly string[])), hostile, (field, value) => {
        expectSync(() => ji4pePolicy.wrap(field as never, value as never, { subject: 's1' }), value);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('guard calls under hostile input', () => {
  const guard = createGuard({ policy: shop, audit: createMemoryAuditLog() });
  const email = shop.wrap('email', 'hana@example.jp', { subject: 's1' });
  const basis = fc.oneof(
    fc.constant('consent'),
    hostile,
    fc.record(
      { exception: fc.oneof(fc.constantFrom('law', 'life-body-property', 'public-health-children'), nastyString), reference: fc.oneof(nastyString, hostile) },
      { requiredKeys: [] },
    ),
  );
  const options = fc.oneof(
    hostile,
    fc.record(
      { purpose: fc.oneof(fc.constantFrom(...shop.purposeIds), nastyString, hostile), actor: fc.oneof(fc.constant('staff:1'), nastyString, hostile), basis },
      { requiredKeys: [] },
    ),
  );
  const fieldArg = fc.oneof({ weight: 3, arbitrary: fc.constant(email as unknown) }, { weight: 1, arbitrary: hostile });

  it('read and readOutsidePurpose: named errors only, no echo', async () => {
    await fc.assert(
      fc.asyncProperty(fieldArg, options, async (field, opts) => {
        await expectAsync(() => guard.read(field as never, opts as never), opts);
        await expectAsync(() => guard.readOutsidePurpose(field as never, opts as never), opts);
      }),
      { numRuns: RUNS },
    );
    expect((await verifyAuditLog(guard.audit)).valid).toBe(true);
  });

  it('consent, suspension and record inputs: named errors only, no echo; the chain stays valid', async () => {
    const input = fc.oneof(
      hostile,
      fc.record(
        {
          subject: fc.oneof(fc.constant('s1'), nastyString),
          purpose: fc.oneof(fc.constantFrom(...shop.purposeIds), nastyString),
          purposes: fc.oneof(fc.constant('all'), fc.array(fc.oneof(fc.constantFrom(...shop.purposeIds), nastyString)), hostile),
          actor: fc.oneof(fc.constant('dpo'), nastyString),
          id: fc.oneof(nastyString, hostile),
          action: fc.oneof(fc.constant('provide'), nastyString, hostile),
          decision: fc.oneof(fc.constantFrom('allow', 'deny', 'record'), hostile),
          at: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), hostile),
          expiresAt: fc.oneof(fc.constant('2027-01-01T00:00:00Z'), hostile),
          details: hostile,
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        await expectAsync(() => guard.grantConsent(i as never), i);
        await expectAsync(() => guard.withdrawConsent(i as never), i);
        await expectAsync(() => guard.suspend(i as never), i);
        await expectAsync(() => guard.liftSuspension(i as never), i);
        await expectAsync(() => guard.record(i as never), i);
      }),
      { numRuns: RUNS },
    );
    expect((await verifyAuditLog(guard.audit)).valid).toBe(true);
  });

  it('createGuard and verifyAuditLog with arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (x) => {
        expectSync(() => createGuard(x as never), x);
        expectSync(() => createGuard({ policy: x } as never), x);
        const r = await expectAsync(() => verifyAuditLog(x as never), x);
        if (r !== undefined && Array.isArray(x) && x.length > 0) expect((r as { valid: boolean }).valid).toBe(false);
        const r2 = await expectAsync(() => verifyAuditLog([x] as never), x);
        expect(r2).toMatchObject({ valid: false });
      }),
      { numRuns: RUNS },
    );
  });

  it('reports the number of runs', () => {
    expect(errorsSeen).toBeGreaterThan(RUNS);
    process.stdout.write(`hostile core: ${RUNS} runs per property x 7 properties, ${errorsSeen} named errors checked, 0 echoes, 0 foreign errors\n`);
  });
});
