/**
 * `sweepRetention` over `vault.retention`: a subject changed between the sweep's scan and its
 * destruction (a correction) is judged again on what is stored now, so the new value is neither
 * lost nor destroyed; the sweep writes nothing through the adapter; the stored versions still
 * agree with the audit log afterwards. On memory and SQLite (the request suite runs the sweep's
 * other guarantees on every adapter).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVault, sweepRetention, verifyValueVersions, type StorageAdapter, type Vault } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { clinic, keyring } from '../vault/fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-sweep-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['memory', (): StorageAdapter => memoryAdapter()],
  ['sqlite', (): StorageAdapter => sqliteAdapter({ filename: path.join(dir, `s${++n}.db`) })],
] as const)('sweepRetention on %s', (_name, make) => {
  it('judges a subject corrected between scan and destruction again: the correction is kept, the rest destroyed', async () => {
    let now = new Date('2026-01-10T09:00:00.000Z');
    const vault = await createVault({ policy: clinic, adapter: make(), keyring: keyring(), clock: () => new Date(now) });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子', email: 'hana@example.jp' } });
    const other = (await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '佐藤' } })).subject;
    now = new Date('2031-01-31T00:00:00.000Z'); // care: P5Y, so both subjects' values expired on 2031-01-10

    // The sweep's vault, with a correction committed by "someone else" right before the first destruction of `subject`.
    let raced = false;
    const racing: Vault<typeof clinic> = {
      ...vault,
      retention: {
        ...vault.retention,
        destroy: async (s, input) => {
          if (s === subject && !raced) {
            raced = true;
            await vault.correct(subject, 'email', 'new@example.jp', { actor: 'desk', reason: 'the person asked' });
          }
          return vault.retention.destroy(s, input);
        },
      },
    };
    const result = await sweepRetention(racing, { now: new Date('2031-02-01T00:00:00.000Z') });
    expect(raced).toBe(true);
    expect(result.destroyed.map((d) => `${d.subject === subject ? 'subject' : 'other'}:${d.field}`).sort()).toEqual(['other:name', 'subject:name']);
    expect(result.destroyedHistory).toBe(1); // the replaced e-mail, collected in 2026
    expect(result.erased).toEqual([other]);
    expect(await vault.read(subject, 'email', { purpose: 'care', actor: 't' })).toBe('new@example.jp');
    expect(Object.keys(await vault.provenance(subject))).toEqual(['email']);
    // Each destruction audited once, and the versions stored agree with the audit log.
    expect((await vault.audit.entries({ subject, action: 'retention.destroy' })).map((e) => e.field)).toEqual(['name']);
    expect((await verifyValueVersions(vault.adapter)).findings).toEqual([]);
    await vault.close();
  });
});
