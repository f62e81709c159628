import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../scripts/test-temp-folder.mjs'],
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
