/**
 * Hostile input benchmark: how fast `definePolicy` rejects a policy carrying a huge string
 * (2.5 MB planted as the controller's e-mail address, or as a purpose id), and defines a policy
 * with a 5,000-purpose parent chain, against defining the ji4pe policy as it is and against one
 * raw pass over the same huge string (`String.prototype.includes`, the floor of any check that
 * reads it all), in the same run. A string whose first character is already wrong is rejected
 * without being read to the end (the patterns are anchored); a well-formed one is refused for
 * its length (an address holds at most 254 characters, RFC 5321). The unit tests assert the shape of this work (it grows linearly
 * with the input, `test/security/hostile-core.test.ts`), never its speed.
 *
 * @module
 */
import { definePolicy, PolicyDefinitionError } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import type { BenchCase, BenchContext } from '../run.js';

type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const huge = `\u2620 ${'x'.repeat(2_000_000)}@${'a'.repeat(500_000)}.jp`;
/** Well-formed but for its size: no early character stops the checks, they read it to the end. */
const hugeWellFormed = `${'x'.repeat(2_000_000)}@${'a'.repeat(500_000)}.jp`;
const spec = ji4pePolicy.spec as Loose;

function rejected(planted: Loose): () => void {
  return () => {
    try {
      definePolicy(planted);
    } catch (error) {
      if (error instanceof PolicyDefinitionError) return;
      throw error;
    }
    throw new Error('a huge input was accepted');
  };
}

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

export async function run(ctx: BenchContext): Promise<BenchCase[]> {
  const hugeEmail = { ...spec, controller: { ...spec.controller, contact: { ...spec.controller.contact, email: huge } } };
  const hugeWellFormedEmail = { ...spec, controller: { ...spec.controller, contact: { ...spec.controller.contact, email: hugeWellFormed } } };
  const hugeId = { ...spec, purposes: { ...spec.purposes, [huge]: Object.values(spec.purposes)[0] } };
  const purposes: Record<string, Loose> = { ...spec.purposes };
  const first = Object.values(spec.purposes)[0] as Loose;
  for (let i = 0; i < 5000; i++) purposes[`p${i}`] = { ...first, parent: i === 0 ? undefined : `p${i - 1}` };
  delete purposes['p0'].parent;
  const chain = { ...spec, purposes };
  if (definePolicy(chain).lineage('p4999').length !== 5000) throw new Error('the chain was not defined');

  const r = await ctx.measure({
    'huge e-mail rejected': { fn: rejected(hugeEmail) },
    'huge purpose id rejected': { fn: rejected(hugeId) },
    // Refused for its length (RFC 5321: 254 characters).
    'huge well-formed e-mail rejected': { fn: rejected(hugeWellFormedEmail) },
    '5,000-purpose chain defined': { fn: () => (sink += definePolicy(chain).purposeIds.length) },
    'ji4pe policy defined': { fn: () => (sink += definePolicy(spec).purposeIds.length) },
    'one pass over the huge string': { fn: () => (sink += huge.includes('\u0000') ? 1 : 0) },
  });
  if (sink < 0) throw new Error('unreachable');
  const defined = r['ji4pe policy defined'] as number;
  const pass = r['one pass over the huge string'] as number;
  const figure = (name: string, peers: readonly [string, number][]): BenchCase => ({
    name: `definePolicy: ${name}`,
    unit: 'ops/s',
    value: r[name] as number,
    comparisons: peers.map(([peer, value]) => ctx.compare(r[name] as number, peer, value)),
  });
  return [
    figure('huge e-mail rejected', [
      ['ji4pe policy defined', defined],
      ['one pass over the huge string', pass],
    ]),
    figure('huge purpose id rejected', [
      ['ji4pe policy defined', defined],
      ['one pass over the huge string', pass],
    ]),
    figure('huge well-formed e-mail rejected', [
      ['ji4pe policy defined', defined],
      ['one pass over the huge string', pass],
    ]),
    figure('5,000-purpose chain defined', [['ji4pe policy defined', defined]]),
  ];
}
