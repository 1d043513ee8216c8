import { defineConfig } from 'vitest/config';

// Integration tests open real SQLite files (or PostgreSQL schemas); two workers fit this 2-core machine.
export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'shared/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
