import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The e2e tier has its own config (vitest.e2e.config.ts, `npm run test:e2e`):
    // test/e2e/, and beside the code *.e2e.test.ts (PyTorch parity, timing, Chromium).
    exclude: [...configDefaults.exclude, 'test/e2e/**', '**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends are process-global; one fork per file keeps them isolated.
    pool: 'forks',
    // One fork per logical CPU. Vitest's default leaves one CPU out (cpus - 1),
    // which on a 2-core CI machine runs the files one at a time: 395 s against
    // 267 s with two forks, measured from a fresh clone on quiet cores.
    maxWorkers: '100%',
    // The default backend (wasm) for every file that uses tfjs; see the file.
    setupFiles: ['test/setup/backend.ts'],
  },
});
