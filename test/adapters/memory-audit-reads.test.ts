/**
 * The memory adapter's audit tree reads (`getAuditNodes`, `getAuditEntries`): the stored
 * subtree hashes and entries in the order asked (`undefined` where missing), arguments refused
 * by name, refused once the transaction ended, and nothing of an append left behind by a
 * transaction that rolled back.
 */
import { describe, expect, it } from 'vitest';
import { CompactRange, InvalidArgumentError, StorageError, type AuditEntryInput, type StorageTransaction } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { auditLeafData } from '../../src/audit/audit-entry.js';
import { hashLeaf } from '../../src/audit/merkle.js';
import { failure } from './support/failure.js';

type Tx = Required<StorageTransaction>;
const input = (i: number): AuditEntryInput => ({ at: '2026-12-01T00:00:00.000Z', action: 'read', actor: `staff:${i}`, decision: 'allow' });

describe('memory adapter: audit tree reads', () => {
  it('returns the stored subtree hashes and the entries in the order asked, undefined where missing', async () => {
    const adapter = memoryAdapter();
    await adapter.open();
    const entries = await adapter.transaction((tx) => (tx as Tx).appendAuditMany(Array.from({ length: 6 }, (_, i) => input(i))));
    const nodes = new Map<string, string>();
    const range = new CompactRange();
    for (const e of entries) range.append(hashLeaf(auditLeafData(e)), (level, index, hash) => nodes.set(`${level}/${index}`, hash.toString('hex')));
    const refs = [
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 1, index: 0 },
      { level: 3, index: 0 },
    ];
    await adapter.transaction(async (t) => {
      const tx = t as Tx;
      expect(await tx.getAuditNodes(refs)).toEqual([nodes.get('2/0'), nodes.get('1/2'), nodes.get('1/0'), undefined]);
      expect(nodes.get('2/0')).toMatch(/^[0-9a-f]{64}$/);
      expect(await tx.getAuditNodes([])).toEqual([]);
      expect(await tx.getAuditEntries([6, 1, 7, 3])).toEqual([entries[5], entries[0], undefined, entries[2]]);
      expect(await tx.getAuditEntries([])).toEqual([]);
    });
    await adapter.close();
  });

  it('refuses arguments by name and calls on a transaction that has ended, naming the call', async () => {
    const adapter = memoryAdapter();
    await adapter.open();
    await adapter.transaction((tx) => tx.appendAudit(input(1)));
    let kept: Tx | undefined;
    await adapter.transaction(async (tx) => {
      const t = tx as Tx;
      for (const [call, argument] of [
        [() => t.getAuditNodes('x' as never), 'refs'],
        [() => t.getAuditEntries('x' as never), 'seqs'],
        [() => t.getAuditEntries([1, 1.5]), 'seqs[1]'],
        [() => t.getAuditEntries([-1]), 'seqs[0]'],
      ] as const) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).argument).toBe(argument);
      }
      kept = t;
    });
    for (const [operation, call] of [
      ['getAuditNodes', () => (kept as Tx).getAuditNodes([{ level: 0, index: 0 }])],
      ['getAuditEntries', () => (kept as Tx).getAuditEntries([1])],
    ] as const) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).operation).toBe(operation);
    }
    await adapter.close();
  });

  it('a transaction that rolls back leaves neither its entries nor the subtrees they completed', async () => {
    const adapter = memoryAdapter();
    await adapter.open();
    await adapter.transaction((tx) => tx.appendAudit(input(1)));
    const head = await adapter.transaction((tx) => (tx as Tx).auditTreeHead());
    await failure(
      adapter.transaction(async (tx) => {
        await (tx as Tx).appendAuditMany([input(2), input(3), input(4)]);
        expect(
          await (tx as Tx).getAuditNodes([
            { level: 1, index: 0 },
            { level: 2, index: 0 },
          ]),
        ).not.toContain(undefined);
        throw new Error('the caller gave up');
      }),
    );
    await adapter.transaction(async (t) => {
      const tx = t as Tx;
      expect(
        await tx.getAuditNodes([
          { level: 1, index: 0 },
          { level: 2, index: 0 },
        ]),
      ).toEqual([undefined, undefined]);
      expect(await tx.getAuditEntries([1, 2])).toEqual([(await tx.listAudit())[0], undefined]);
      expect(await tx.auditTreeHead()).toEqual(head);
    });
    await adapter.close();
  });
});
