import { defineConfig } from 'vitest/config';

/** The e2e tier (`npm run test:e2e`): slow tests of the product as shipped. */
// An install and a real run each take 1-2 minutes on 2 quiet cores and up to
// 7 on 2 cores loaded 6x (measured): the limits leave room for that.
export default defineConfig({
  test: {
    // The product as shipped (test/e2e/), and the slow checks that sit beside
    // the code they check (*.e2e.test.ts): PyTorch parity, timing, Chromium.
    include: ['test/e2e/**/*.test.ts', '{src,test,examples,scripts}/**/*.e2e.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // The default backend (wasm) for every file that uses tfjs; see the file.
    setupFiles: ['test/setup/backend.ts'],
  },
});
