/**
 * Where worker threads cannot be started (a sandbox, a runtime without them), verification
 * hashes every leaf on the calling thread and gives the same result.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:worker_threads', () => ({
  Worker: class {
    constructor() {
      throw new Error('worker threads are not available here');
    }
  },
}));

const { chainAuditEntry, verifyAuditLog } = await import('purpose-bound');
type AuditEntry = ReturnType<typeof chainAuditEntry>;

describe('verification without worker threads', () => {
  it('falls back to the calling thread: the same root, and tampering still found', async () => {
    const log: AuditEntry[] = [];
    for (let i = 0; i < 40_000; i++)
      log.push(chainAuditEntry({ at: '2026-12-01T10:00:00.000Z', action: 'read', actor: `staff:${i % 7}`, subject: `s${i % 50}`, decision: 'allow' }, log.at(-1)));
    const alone = await verifyAuditLog(log, { threads: 0 });
    expect(alone).toMatchObject({ valid: true, entries: 40_000 });
    expect(await verifyAuditLog(log, { threads: 2 })).toEqual(alone);
    const edited = log.map((e, i) => (i === 39_000 ? { ...e, actor: 'mallory' } : e));
    expect(await verifyAuditLog(edited, { threads: 2 })).toMatchObject({ valid: false, index: 39_000, reason: 'hash-mismatch' });
  });
});
