import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../scripts/test-temp-folder.mjs'],
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time: every file makes its own databases, ports and folders. A crash seen
    // once this way (a `generate --workers` worker aborted in Node 20's require() of an ES module)
    // is fixed: the workers' entries are CommonJS and faker's locales are import()ed
    // (worker-modules.test.ts, docs/testing.md).
    maxWorkers: 2,
  },
});
