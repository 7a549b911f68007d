/**
 * `purpose-bound dpv <policy-module>` (issue 13): the policy as a DPV record of processing,
 * as JSON-LD that a JSON-LD processor expands without fetching anything.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { toDpvRecordOfProcessing } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import { cli } from './helpers.js';

const refuse = async (url: string): Promise<never> => {
  throw new Error(`no fetch allowed: ${url}`);
};

describe('purpose-bound dpv', () => {
  it('prints the record of processing of the ji4pe policy, the same as the library export', async () => {
    const r = await cli(['dpv', 'examples/ji4pe/policy.ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toEqual(JSON.parse(JSON.stringify(toDpvRecordOfProcessing(ji4pePolicy))));
    const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, { format: 'application/n-quads', safe: true, documentLoader: refuse as never } as never)) as unknown as string;
    expect(nquads).toContain('<https://w3id.org/dpv#hasPurpose>');
    expect(nquads).toContain('<https://w3id.org/dpv/pd#EmailAddress>');
  });

  it('--rights appi lists only APPI rights; --out writes a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pb-dpv-'));
    try {
      const r = await cli(['dpv', 'examples/ji4pe/policy.ts', '--rights', 'appi', '--out', join(dir, 'ropa.jsonld')]);
      expect(r.code).toBe(0);
      const text = await readFile(join(dir, 'ropa.jsonld'), 'utf8');
      expect(text).toContain('legal-jp:law-APPI');
      expect(text).not.toContain('eu-gdpr:A15');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad option with a usage error', async () => {
    const r = await cli(['dpv', 'examples/ji4pe/policy.ts', '--jurisdiction', 'Japan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jurisdiction/);
  });
});
