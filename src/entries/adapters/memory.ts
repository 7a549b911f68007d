/**
 * `purpose-bound/adapters/memory`: the in-memory adapter, for tests and prototypes.
 *
 * @module purpose-bound/adapters/memory
 */
export { memoryAdapter, type MemoryAdapter, type MemoryAdapterOptions, type MemorySnapshot } from '../../adapters/memory.js';
