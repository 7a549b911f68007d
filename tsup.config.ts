import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'adapters/memory': 'src/entries/adapters/memory.ts',
      'adapters/pglite': 'src/entries/adapters/pglite.ts',
      'adapters/sqlite': 'src/entries/adapters/sqlite.ts',
      'adapters/postgres': 'src/entries/adapters/postgres.ts',
      notices: 'src/entries/notices.ts',
      requests: 'src/entries/requests.ts',
      testing: 'src/entries/testing.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: true,
    // Source maps map stack traces to src/ lines; the sources themselves are not shipped
    // (they were 64% of the tarball), so a map names a file and line, not its text.
    sourcemap: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
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
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
