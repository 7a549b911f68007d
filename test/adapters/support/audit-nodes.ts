/** The stored Merkle subtrees of an SQL adapter (`tx.getAuditNodes`), checked against hashes computed here. */
import { expect } from 'vitest';
import { hashChildren, type StorageAdapter } from 'purpose-bound';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

/** Append four entries, then read the completed subtrees, a missing one, and refuse malformed references. */
export async function checkAuditNodes(adapter: StorageAdapter): Promise<void> {
  const entries = [];
  for (let i = 0; i < 4; i++) entries.push(await adapter.transaction((tx) => tx.appendAudit({ at: '2026-12-01T00:00:00.000Z', action: `a${i}`, actor: 'x', decision: 'record' })));
  const [e0, e1, e2, e3] = entries.map((e) => hex(e.hash)) as [Buffer, Buffer, Buffer, Buffer];
  const left = hashChildren(e0, e1);
  const right = hashChildren(e2, e3);
  const nodes = await adapter.transaction((tx) =>
    (tx.getAuditNodes as NonNullable<typeof tx.getAuditNodes>).call(tx, [
      { level: 1, index: 0 },
      { level: 1, index: 1 },
      { level: 2, index: 0 },
      { level: 3, index: 0 },
    ]),
  );
  expect(nodes).toEqual([left.toString('hex'), right.toString('hex'), hashChildren(left, right).toString('hex'), undefined]);
  for (const [refs, argument] of [
    ['x', 'refs'],
    [[{ level: 1, index: 0 }, null], 'refs[1]'],
    [[{ level: 1.5, index: 0 }], 'refs[0]'],
    [[{ level: 1, index: '0' }], 'refs[0]'],
  ] as const) {
    await expect(adapter.transaction((tx) => (tx.getAuditNodes as NonNullable<typeof tx.getAuditNodes>).call(tx, refs as never))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument,
    });
  }
  // A leaked transaction object is refused there too.
  let leaked: Parameters<Parameters<StorageAdapter['transaction']>[0]>[0] | undefined;
  await adapter.transaction(async (tx) => {
    leaked = tx;
  });
  const ended = leaked as NonNullable<typeof leaked>;
  await expect((ended.getAuditNodes as NonNullable<typeof ended.getAuditNodes>).call(ended, [{ level: 1, index: 0 }])).rejects.toMatchObject({
    code: 'STORAGE_ERROR',
    operation: 'getAuditNodes',
  });
}
