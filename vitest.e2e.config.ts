import { defineConfig } from 'vitest/config';

/** The e2e tier (`npm run test:e2e`): slow tests of the product as shipped. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
