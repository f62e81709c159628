import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time (vitest's default on two cores). Two at a time took CI from 32 to 23
    // minutes, but one such run crashed a piscina worker of `generate --workers` in Node 20's
    // require(esm) ("FATAL ERROR: v8::Module::IsGraphAsync … must be used on an instantiated
    // module", seed-bad-input.test.ts); back to one until that is understood (docs/testing.md).
  },
});
