/**
 * The conformance suite against the in-memory adapter.
 *
 * @module
 */
import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';
import { runAdapterConformance } from 'purpose-bound/testing';
import type { StorageAdapter, StorageTransaction } from 'purpose-bound';
import { describe, expect, it } from 'vitest';

const asMemory = (adapter: StorageAdapter): MemoryAdapter => adapter as MemoryAdapter;

runAdapterConformance({
  name: 'memory',
  createAdapter: async () => memoryAdapter(),
  rawDump: async (adapter) => asMemory(adapter).rawContents(),
  concurrent: async (adapter) => asMemory(adapter).connect(),
  reopen: async (adapter) => asMemory(adapter).connect(),
});

describe('memory adapter specifics', () => {
  it('snapshot() is a deep copy; memoryAdapter({ from }) restores it; later writes to either do not reach the other', async () => {
    const a = memoryAdapter({ name: 'snap-a' });
    await a.open();
    const key = new Uint8Array([1, 2, 3]);
    await a.transaction(async (tx) => {
      await tx.insertSubject({ id: 's1', keyId: 'k', wrappedKey: key, createdAt: 't', erasedAt: null, erasureRef: null, version: 1 });
      await tx.putValue({ subjectId: 's1', field: 'f', ciphertext: new Uint8Array([4]), lookup: 'd1', meta: '{}', updatedAt: 't', version: 1 });
      await tx.appendHistory({ id: 'h1', subjectId: 's1', field: 'f', ciphertext: new Uint8Array([5]), meta: '{}', changedAt: 't' });
      await tx.appendHistory({ id: 'h2', subjectId: 's1', field: 'f', ciphertext: null, meta: '{}', changedAt: 't' });
      await tx.putRecord({ kind: 'k', id: 'r1', subjectId: 's1', createdAt: 't', doc: '{}' });
      await tx.appendAudit({ at: 't', action: 'a', actor: 'x', decision: 'record' });
    });
    const snap = a.snapshot();
    expect(Object.isFrozen(snap)).toBe(true);
    await a.transaction(async (tx) => {
      await tx.updateSubject({ id: 's1', keyId: 'k2', wrappedKey: null, createdAt: 't', erasedAt: 't2', erasureRef: 'r', version: 2 }, 1);
      await tx.deleteValues('s1');
      await tx.deleteHistory('s1');
      await tx.deleteRecord('k', 'r1');
      await tx.appendAudit({ at: 't', action: 'b', actor: 'x', decision: 'record' });
    });
    const b = memoryAdapter({ from: snap, name: 'snap-b' });
    await b.open();
    const restored = await b.transaction(async (tx) => ({
      subject: await tx.getSubject('s1'),
      values: await tx.getValues('s1'),
      lookup: await tx.findByLookup('f', 'd1'),
      history: await tx.listHistory('s1'),
      record: await tx.getRecord('k', 'r1'),
      audit: await tx.listAudit(),
    }));
    expect(restored.subject).toMatchObject({ keyId: 'k', version: 1, wrappedKey: key });
    expect(restored.values.map((v) => Array.from(v.ciphertext))).toEqual([[4]]);
    expect(restored.lookup).toEqual(['s1']);
    expect(restored.history.map((h) => h.ciphertext && Array.from(h.ciphertext))).toEqual([[5], null]);
    expect(restored.record).toMatchObject({ id: 'r1' });
    expect(restored.audit.map((e) => e.action)).toEqual(['a']);
    // The restored store is independent of the snapshot: a second restore is unchanged by b's writes.
    await b.transaction((tx) => tx.deleteValues('s1'));
    const c = memoryAdapter({ from: snap });
    await c.open();
    expect(await c.transaction((tx) => tx.getValues('s1'))).toHaveLength(1);
    expect(await c.transaction((tx) => tx.findByLookup('f', 'd1'))).toEqual(['s1']);
    expect(await a.transaction((tx) => tx.getSubject('s1'))).toMatchObject({ version: 2, wrappedKey: null });
    expect(a.location).toBe('memory:snap-a');
    expect(await a.schemaVersion()).toBe(await b.schemaVersion());
  });

  it('refuses bad options by name', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as { argument?: string }).argument;
      }
    };
    expect(code(() => memoryAdapter(null as never))).toBe('options');
    expect(code(() => memoryAdapter({ name: 'has space' }))).toBe('options.name');
    expect(code(() => memoryAdapter({ name: 'x'.repeat(65) }))).toBe('options.name');
    expect(code(() => memoryAdapter({ name: 7 as never }))).toBe('options.name');
    expect(code(() => memoryAdapter({ from: {} as never }))).toBe('options.from');
    expect(code(() => memoryAdapter({ from: { store: { subjects: {} } } as never }))).toBe('options.from');
    expect(code(() => memoryAdapter({ from: null as never }))).toBe('options.from');
    expect(memoryAdapter({ name: 'ok.name:1-x' }).location).toBe('memory:ok.name:1-x');
  });

  it('is not persistent and has no concurrent writers; a closed adapter refuses everything', async () => {
    const a = memoryAdapter();
    expect(a.capabilities).toEqual({ persistent: false, concurrentWriters: false });
    await expect(a.schemaVersion()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', location: 'memory:default' });
    await expect(a.transaction(async () => 1)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await a.open();
    const second = a.connect();
    await second.open();
    await a.transaction((tx) => tx.insertSubject({ id: 'c1', keyId: 'k', wrappedKey: null, createdAt: 't', erasedAt: null, erasureRef: null, version: 1 }));
    expect(await second.transaction((tx) => tx.getSubject('c1'))).toMatchObject({ id: 'c1' });
    await a.close();
    await expect(a.transaction(async () => 1)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await second.transaction(async () => 2)).toBe(2);
  });

  it('honours readOnly (refuses every write and forUpdate, naming the operation) and appendAudit refuses a non-object', async () => {
    const a = memoryAdapter();
    await a.open();
    for (const [operation, write] of [
      ['insertSubject', (tx) => tx.insertSubject({ id: 'r1', keyId: 'k', wrappedKey: null, createdAt: 't', erasedAt: null, erasureRef: null, version: 1 })],
      ['getSubject', (tx) => tx.getSubject('r1', { forUpdate: true })],
      ['putRecord', (tx) => tx.putRecord({ kind: 'k', id: 'i', subjectId: null, createdAt: 't', doc: '{}' })],
      ['deleteHistory', (tx) => tx.deleteHistory('r1')],
    ] as const satisfies readonly (readonly [string, (tx: Parameters<Parameters<StorageAdapter['transaction']>[0]>[0]) => Promise<unknown>])[]) {
      await expect(a.transaction(write as (tx: StorageTransaction) => Promise<unknown>, { readOnly: true })).rejects.toMatchObject({ code: 'STORAGE_ERROR', operation });
    }
    expect(await a.transaction((tx) => tx.getSubject('r1'))).toBeUndefined();
    await expect(a.transaction((tx) => tx.appendAudit(null as never))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'input' });
    await expect(a.transaction((tx) => tx.appendAudit('entry' as never))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'input' });
  });

  it('a transaction queued behind another when the adapter closes is refused, not run', async () => {
    const a = memoryAdapter();
    await a.open();
    let release: () => void = () => undefined;
    const first = a.transaction(() => new Promise<void>((r) => (release = r)));
    let ran = false;
    const second = a.transaction(async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    await a.close();
    release();
    await first;
    await expect(second).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(ran).toBe(false);
  });
});
