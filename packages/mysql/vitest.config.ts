import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../scripts/test-temp-folder.mjs'],
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The server tests create and drop databases on one MariaDB and check that no
    // throwaway database is left behind: run the files one after another.
    fileParallelism: false,
  },
});
