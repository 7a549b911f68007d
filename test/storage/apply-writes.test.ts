/**
 * The steps of a write batch (`writeSteps`) and their application through a transaction
 * (`applyWrites`): the shape of every write checked before any is applied, consecutive audit
 * entries appended together, everything else in order.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEntryInput, StorageTransaction, StorageWrite } from '../../src/index.js';
import { applyWrites, writeSteps } from '../../src/storage/apply-writes.js';

const entry = (actor: string): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor, decision: 'allow' });
const record = (id: string) => ({ kind: 'k', id, subjectId: null, createdAt: '2026-12-01T00:00:00.000Z', doc: '{}' });
const subject = (id: string) => ({ id, keyId: 'k', wrappedKey: new Uint8Array(1), createdAt: 'c', erasedAt: null, erasureRef: null, version: 1 });
const value = (subjectId: string) => ({ subjectId, field: 'email', ciphertext: new Uint8Array(1), lookup: null, meta: '{}', updatedAt: 'u', version: 1 });
const history = (id: string) => ({ id, subjectId: 's', field: 'email', ciphertext: null, meta: '{}', changedAt: 'c' });

/** A transaction that records each call, with or without `appendAuditMany`. */
function recordingTx(withMany: boolean): { tx: StorageTransaction; calls: string[] } {
  const calls: string[] = [];
  let seq = 0;
  const appended = (input: AuditEntryInput) => ({ ...input, seq: ++seq, prevHash: '', hash: '' }) as AuditEntry;
  const tx = {
    insertSubject: async (row: { id: string }) => void calls.push(`insertSubject ${row.id}`),
    putValue: async (row: { subjectId: string }) => void calls.push(`putValue ${row.subjectId}`),
    appendHistory: async (row: { id: string }) => void calls.push(`appendHistory ${row.id}`),
    putRecord: async (row: { id: string }) => void calls.push(`putRecord ${row.id}`),
    appendAudit: async (input: AuditEntryInput) => (calls.push(`appendAudit ${input.actor}`), appended(input)),
    ...(withMany && { appendAuditMany: async (inputs: AuditEntryInput[]) => (calls.push(`appendAuditMany ${inputs.map((i) => i.actor).join(',')}`), inputs.map(appended)) }),
  } as unknown as StorageTransaction;
  return { tx, calls };
}

const mixed: StorageWrite[] = [
  { op: 'appendAudit', entry: entry('a') },
  { op: 'insertSubject', row: subject('s') },
  { op: 'appendAudit', entry: entry('b') },
  { op: 'appendAudit', entry: entry('c') },
  { op: 'putValue', row: value('s') },
  { op: 'appendHistory', row: history('h') },
  { op: 'putRecord', row: record('r') },
  { op: 'appendAudit', entry: entry('d') },
];

describe('writeSteps', () => {
  it('keeps the order, and gathers consecutive audit entries into one step', () => {
    expect(writeSteps(mixed).map((s) => (s.op === 'appendAudits' ? `audits ${s.entries.map((e) => e.actor).join(',')}` : s.op))).toEqual([
      'audits a',
      'insertSubject',
      'audits b,c',
      'putValue',
      'appendHistory',
      'putRecord',
      'audits d',
    ]);
    expect(writeSteps([])).toEqual([]);
  });

  it('refuses a malformed batch, naming the first malformed write', () => {
    const refused = (writes: unknown) => {
      try {
        writeSteps(writes as StorageWrite[]);
        return undefined;
      } catch (error) {
        return (error as { code?: string; argument?: string }).code === 'INVALID_ARGUMENT' ? (error as { argument: string }).argument : 'other';
      }
    };
    expect(refused('writes')).toBe('writes');
    expect(refused([...mixed, null])).toBe('writes[8]');
    expect(refused([...mixed, 'putValue'])).toBe('writes[8]');
    expect(refused([{ op: 'dropTable' }, null])).toBe('writes[0].op');
    expect(refused([...mixed, { op: 'appendAudit' }])).toBe('writes[8].entry');
    expect(refused([{ op: 'appendAudit', entry: 'read' }])).toBe('writes[0].entry');
    expect(refused([{ op: 'appendAudit', entry: null }])).toBe('writes[0].entry');
  });
});

describe('applyWrites', () => {
  it('applies every write in order; consecutive entries through appendAuditMany, a lone one through appendAudit', async () => {
    const { tx, calls } = recordingTx(true);
    const appended = await applyWrites(tx, mixed);
    expect(calls).toEqual(['appendAudit a', 'insertSubject s', 'appendAuditMany b,c', 'putValue s', 'appendHistory h', 'putRecord r', 'appendAudit d']);
    expect(appended.map((e) => [e.actor, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
  });

  it('appends one by one where the transaction has no appendAuditMany', async () => {
    const { tx, calls } = recordingTx(false);
    await applyWrites(tx, mixed);
    expect(calls.filter((c) => c.startsWith('append'))).toEqual(['appendAudit a', 'appendAudit b', 'appendAudit c', 'appendHistory h', 'appendAudit d']);
  });

  it('applies nothing of a batch with a malformed write anywhere in it', async () => {
    const { tx, calls } = recordingTx(true);
    await expect(applyWrites(tx, [...mixed, { op: 'truncate' } as never])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'writes[8].op' });
    expect(calls).toEqual([]);
  });
});
