import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { runRequestsSuite } from 'purpose-bound/testing';

runRequestsSuite({ name: 'memory', createAdapter: async () => memoryAdapter() });
