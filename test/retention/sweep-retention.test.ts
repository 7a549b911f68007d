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
import { createVault, SubjectHeldError, sweepRetention, verifyValueVersions, type StorageAdapter, type Vault } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { sqliteAdapter } from 'purpose-bound/adapters/sqlite';
import { clinic, keyring } from '../vault/fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pb-sweep-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The adapters these tests run on (the request suite runs the sweep on every adapter). */
const stores = [
  ['memory', (): StorageAdapter => memoryAdapter()],
  ['sqlite', (): StorageAdapter => sqliteAdapter({ filename: path.join(dir, `s${++n}.db`) })],
] as const;

describe.each(stores)('sweepRetention on %s', (_name, make) => {
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

describe.each(stores)('a request opened between destruction and erasure, on %s', (_name, make) => {
  it('holds the erasure: the expired values are destroyed, the subject stays until a later sweep after the request closes', async () => {
    let now = new Date('2026-01-10T09:00:00.000Z');
    const vault = await createVault({ policy: clinic, adapter: make(), keyring: keyring(), clock: () => new Date(now) });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '佐藤' } });
    now = new Date('2031-01-31T00:00:00.000Z'); // care: P5Y, the name expired on 2031-01-10
    const openRequest = { kind: 'request-open', id: 'req-1', subjectId: subject, createdAt: now.toISOString(), doc: '{"id":"req-1"}' };
    // The sweep's vault, with a request opened by "someone else" right after the destruction.
    const racing: Vault<typeof clinic> = {
      ...vault,
      retention: {
        ...vault.retention,
        destroy: async (s, input) => {
          const r = await vault.retention.destroy(s, input);
          await vault.records.transaction(s, (tx) => tx.putRecord(openRequest));
          return r;
        },
      },
    };
    const first = await sweepRetention(racing, { now: new Date('2031-02-01T00:00:00.000Z') });
    expect(first.destroyed.map((d) => d.field)).toEqual(['name']);
    expect(first.erased).toEqual([]);
    expect(first.held).toEqual([subject]);
    expect(await vault.erasure(subject)).toBeUndefined();
    expect(await vault.audit.entries({ subject, action: 'erase' })).toEqual([]);

    const whileOpen = await sweepRetention(vault, { now: new Date('2031-02-02T00:00:00.000Z') });
    expect(whileOpen.held).toEqual([subject]);
    expect(whileOpen.erased).toEqual([]);

    await vault.records.transaction(subject, (tx) => tx.deleteRecord('request-open', 'req-1'));
    const after = await sweepRetention(vault, { now: new Date('2031-02-03T00:00:00.000Z') });
    expect(after.erased).toEqual([subject]);
    expect((await vault.erasure(subject))?.reference).toBe(`retention:${after.sweepId}`);
    await vault.close();
  });
});

describe('vault.erase unlessHeldBy', () => {
  it('erases nothing while a record of a holding kind exists for the subject, and names the kinds', async () => {
    const vault = await createVault({ policy: clinic, adapter: memoryAdapter(), keyring: keyring() });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '佐藤' } });
    await vault.records.transaction(subject, (tx) => tx.putRecord({ kind: 'request-open', id: 'req-9', subjectId: subject, createdAt: new Date().toISOString(), doc: '{}' }));
    const err = await vault.erase(subject, { actor: 'dpo', reference: 'r-1', unlessHeldBy: ['request-open', 'request-open'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubjectHeldError);
    expect(err).toMatchObject({ code: 'SUBJECT_HELD', subject, heldBy: ['request-open'] });
    expect(await vault.read(subject, 'name', { purpose: 'care', actor: 't' })).toBe('佐藤');
    expect(await vault.erasure(subject)).toBeUndefined();
    // A kind nobody holds does not stop it; malformed kinds are refused by name.
    for (const [bad, argument] of [
      [[], 'input.unlessHeldBy'],
      ['request-open', 'input.unlessHeldBy'],
      [['ok', ''], 'input.unlessHeldBy[1]'],
    ] as const) {
      await expect(vault.erase(subject, { actor: 'dpo', reference: 'r-2', unlessHeldBy: bad as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    }
    expect((await vault.erase(subject, { actor: 'dpo', reference: 'r-3', unlessHeldBy: ['legal-hold'] })).reference).toBe('r-3');
    await vault.close();
  });
});
