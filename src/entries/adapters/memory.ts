/**
 * `purpose-bound/adapters/memory`: the in-memory adapter, for tests and prototypes.
 *
 * @module
 */
export { memoryAdapter, type MemoryAdapter, type MemoryAdapterOptions, type MemorySnapshot } from '../../adapters/memory.js';
