/**
 * Conformance part `plaintext`.
 *
 * @module
 */
import { expect, it } from 'vitest';
import { distinctiveValues, searchTerms, toBuffer, type SuiteContext } from './support.js';

/** Registers the tests of the `plaintext` part (called inside its `describe` block). */
export function plaintextPart(ctx: SuiteContext): void {
  const { options, withAdapter, vaultOn } = ctx;
  it('the raw database holds no plaintext personal value (values, history, lookups, audit)', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const values = distinctiveValues();
      const corrected = distinctiveValues();
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values });
      // Corrections keep the old value in the history: that copy must be encrypted too.
      await vault.correct(subject, 'text', corrected.text, { actor: 'dpo', reason: 'request' });
      await vault.correct(subject, 'profile', corrected.profile, { actor: 'dpo', reason: 'request' });
      await vault.deleteValue(subject, 'tags', { actor: 'dpo', reason: 'request' });
      await vault.read(subject, 'email', { purpose: 'service', actor: 'c' });
      const dump = toBuffer(await options.rawDump(adapter));
      // The dump must be real: it holds the (non-personal) subject id we just wrote.
      expect(dump.includes(Buffer.from(subject, 'utf8')) || dump.includes(Buffer.from(subject, 'utf16le'))).toBe(true);
      const leaks: string[] = [];
      for (const term of [...searchTerms(values), corrected.text, corrected.profile.city, corrected.profile.street]) {
        const utf8 = Buffer.from(term, 'utf8');
        for (const needle of [utf8, Buffer.from(term, 'utf16le'), Buffer.from(utf8.toString('hex'), 'latin1'), Buffer.from(utf8.toString('base64').replace(/=+$/, ''), 'latin1')]) {
          if (dump.includes(needle)) leaks.push(`a value of ${term.length} characters`);
        }
      }
      expect(leaks).toEqual([]);
    });
  });
}
