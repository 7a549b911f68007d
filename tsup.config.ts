import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'adapters/memory': 'src/entries/adapters/memory.ts',
      'adapters/pglite': 'src/entries/adapters/pglite.ts',
      'adapters/sqlite': 'src/entries/adapters/sqlite.ts',
      'adapters/postgres': 'src/entries/adapters/postgres.ts',
      testing: 'src/entries/testing.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
    external: ['vitest'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
