/**
 * `vault.records`: the features' records through the vault, with their audit entries, under the
 * subject's lock; the vault's own kinds cannot be written through it.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { setup } from './fixtures.js';

describe('vault.records', () => {
  it('writes a record and its audit entry together, or neither', async () => {
    const { vault } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子' } });
    const at = new Date().toISOString();
    await vault.records.transaction(subject, async (tx) => {
      await tx.putRecord({ kind: 'notice-sent', id: 'n1', subjectId: subject, createdAt: at, doc: '{"notice":"n1"}' });
      await tx.appendAudit({ at, action: 'notice.sent', actor: 'mailer', subject, decision: 'record' });
    });
    await expect(
      vault.records.transaction(subject, async (tx) => {
        await tx.putRecord({ kind: 'notice-sent', id: 'n2', subjectId: subject, createdAt: at, doc: '{}' });
        await tx.appendAudit({ at, action: 'notice.sent', actor: 'mailer', subject, decision: 'record' });
        throw new Error('mail server down');
      }),
    ).rejects.toThrow('mail server down');
    expect((await vault.records.list('notice-sent', { subject })).map((r) => r.id)).toEqual(['n1']);
    expect(await vault.records.get('notice-sent', 'n2')).toBeUndefined();
    expect(await vault.audit.entries({ action: 'notice.sent' })).toHaveLength(1);
  });

  it("refuses to write the vault's own kinds (a consent, a suspension or an erasure cannot be forged through it)", async () => {
    const { vault } = await setup();
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子' } });
    for (const kind of ['consent', 'suspension', 'erasure', 'erasure-purge']) {
      await expect(
        vault.records.transaction(subject, (tx) => tx.putRecord({ kind, id: 'x', subjectId: subject, createdAt: new Date().toISOString(), doc: '{}' })),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'row.kind' });
      await expect(vault.records.transaction(subject, (tx) => tx.deleteRecord(kind, 'x'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'kind' });
    }
    // reading them is fine
    await vault.guard().suspend({ subject, purposes: 'all', actor: 'dpo' });
    expect(await vault.records.list('suspension', { subject })).toHaveLength(1);
  });

  it('locks an existing subject and refuses an unknown one', async () => {
    const { vault } = await setup();
    await expect(vault.records.transaction('nobody', async () => 1)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    await expect(vault.records.transaction('', async () => 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'subject' });
    expect(await vault.records.transaction(undefined, async () => 2)).toBe(2);
  });
});
