/**
 * Which `@electric-sql/pglite` the fast statement path accepts: the module's protocol helpers
 * are taken only when every member it uses is there and callable; otherwise the adapter uses
 * `client.query()` (see pglite-statements.test.ts and pglite.test.ts for both paths at work).
 */
import * as pglite from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { loadPGliteProtocol, pgliteProtocolOf } from '../../src/adapters/pglite-statements.js';

const BUILDERS = ['parse', 'bind', 'describe', 'execute', 'close', 'sync'] as const;
const PARSE = ['parseResults', 'parseDescribeStatementResults'] as const;

/** The installed module's members as plain objects, to take apart. */
function moduleLike(): { protocol: { serialize: Record<string, unknown> }; parse: Record<string, unknown>; types: { parsers: Record<number, unknown> } } {
  return {
    protocol: { serialize: { ...pglite.protocol.serialize } },
    parse: { ...pglite.parse },
    types: { parsers: { ...pglite.types.parsers } },
  };
}

describe('PGlite protocol helpers', () => {
  it("are the installed module's own: serializers, result decoders and its bytea parser", async () => {
    const loaded = await loadPGliteProtocol();
    expect(loaded?.serialize).toBe(pglite.protocol.serialize);
    expect(loaded?.parseResults).toBe(pglite.parse.parseResults);
    expect(loaded?.parseDescribeStatementResults).toBe(pglite.parse.parseDescribeStatementResults);
    expect(loaded?.defaultByteaParser).toBe(pglite.types.parsers[17]);
    expect(typeof loaded?.defaultByteaParser).toBe('function');
  });

  it('are taken from a module with every member, and only then', () => {
    expect(pgliteProtocolOf(moduleLike())).toBeDefined();
    for (const builder of BUILDERS) {
      for (const wrong of [undefined, 'text', {}]) {
        const mod = moduleLike();
        mod.protocol.serialize[builder] = wrong;
        expect(pgliteProtocolOf(mod), `serialize.${builder}: ${String(wrong)}`).toBeUndefined();
      }
    }
    for (const name of PARSE) {
      for (const wrong of [undefined, 'text', {}]) {
        const mod = moduleLike();
        mod.parse[name] = wrong;
        expect(pgliteProtocolOf(mod), `parse.${name}: ${String(wrong)}`).toBeUndefined();
      }
    }
    expect(pgliteProtocolOf({ ...moduleLike(), protocol: undefined })).toBeUndefined();
    expect(pgliteProtocolOf({ ...moduleLike(), protocol: {} })).toBeUndefined();
    expect(pgliteProtocolOf({ ...moduleLike(), parse: undefined })).toBeUndefined();
    expect(pgliteProtocolOf({})).toBeUndefined();
    expect(pgliteProtocolOf(null)).toBeUndefined();
    expect(pgliteProtocolOf(undefined)).toBeUndefined();
  });

  it('work without a bytea parser in the module (decoded by the instance then)', () => {
    const none = pgliteProtocolOf({ ...moduleLike(), types: undefined });
    expect(none?.serialize).toBeDefined();
    expect(none?.defaultByteaParser).toBeUndefined();
    expect(pgliteProtocolOf({ ...moduleLike(), types: {} })?.defaultByteaParser).toBeUndefined();
    const own = () => 'bytes';
    expect(pgliteProtocolOf({ ...moduleLike(), types: { parsers: { 17: own } } })?.defaultByteaParser).toBe(own);
  });
});
