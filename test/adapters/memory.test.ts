/**
 * The conformance suite against the in-memory adapter.
 *
 * @module
 */
import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';
import { runAdapterConformance } from 'purpose-bound/testing';
import type { StorageAdapter } from 'purpose-bound';

const asMemory = (adapter: StorageAdapter): MemoryAdapter => adapter as MemoryAdapter;

runAdapterConformance({
  name: 'memory',
  createAdapter: async () => memoryAdapter(),
  rawDump: async (adapter) => asMemory(adapter).rawContents(),
  concurrent: async (adapter) => asMemory(adapter).connect(),
  reopen: async (adapter) => asMemory(adapter).connect(),
});
