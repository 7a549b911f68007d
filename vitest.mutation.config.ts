/**
 * The vitest configuration Stryker runs (`npm run mutation`): the project's configuration with
 * only the test files of the code being mutated (`PB_MUTATION_TESTS`, comma-separated), set by
 * scripts/mutation.ts. No type-check pass: Stryker needs test results, fast.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const include = (process.env['PB_MUTATION_TESTS'] ?? '').split(',').filter((f) => f !== '');
if (include.length === 0) throw new Error('vitest.mutation.config.ts: set PB_MUTATION_TESTS to the test files to run (scripts/mutation.ts does)');

// Replaced, not merged: mergeConfig would append `include` to the project's own list.
export default defineConfig({ ...base, test: { ...base.test, include, typecheck: { enabled: false } } });
