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

  it('rawDump is complete: it holds every table the suite wrote (subject, value, history, record and audit bytes)', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'dump check', email: 'dump@example.jp' } });
      await vault.correct(subject, 'text', 'dump check 2', { actor: 'dpo', reason: 'r' });
      await vault.guard().grantConsent({ subject, purpose: 'newsletter', actor: 'subject' });
      const stored = await adapter.transaction(async (tx) => ({
        row: await tx.getSubject(subject),
        values: await tx.getValues(subject),
        history: await tx.listHistory(subject),
        records: await tx.listRecords('consent', { subjectId: subject }),
        audit: await tx.listAudit({ subject }),
      }));
      const dump = toBuffer(await options.rawDump(adapter));
      const holds = (bytes: Uint8Array): boolean => {
        const b = Buffer.from(bytes);
        return [
          b,
          Buffer.from(b.toString('hex'), 'latin1'),
          Buffer.from(b.toString('hex').toUpperCase(), 'latin1'),
          Buffer.from(b.toString('base64').replace(/=+$/, ''), 'latin1'),
        ].some((n) => dump.includes(n));
      };
      const missing: string[] = [];
      if (!holds(stored.row?.wrappedKey ?? new Uint8Array())) missing.push('the subject row (its wrapped key)');
      if (stored.row?.valueState && !dump.includes(Buffer.from(JSON.parse(stored.row.valueState).mac as string, 'latin1'))) missing.push('the subject row (its value state)');
      for (const v of stored.values) if (!holds(v.ciphertext)) missing.push(`the value ${v.field}`);
      for (const h of stored.history) if (h.ciphertext && !holds(h.ciphertext)) missing.push('a history row');
      for (const r of stored.records) if (!dump.includes(Buffer.from(r.id, 'utf8'))) missing.push('a record');
      for (const e of stored.audit) if (!dump.includes(Buffer.from(e.hash, 'latin1'))) missing.push(`audit entry ${e.seq}`);
      expect(stored.values.length + stored.history.length + stored.records.length + stored.audit.length).toBeGreaterThan(5);
      expect(missing).toEqual([]);
    });
  });
}
