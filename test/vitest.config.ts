import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time even on two cores (vitest's default there is one): these tests spend
    // much of their time waiting on child processes and database servers. Every file makes its
    // own databases, ports and folders, so they run side by side (CI time: docs/testing.md).
    maxWorkers: 2,
  },
});
