import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that need a process of their own: they cannot follow other files in
 * a shared fork. Each becomes a project of one file, and vitest starts fresh
 * forks for every project (it recycles the workers between projects).
 */
const OWN_PROCESS = [
  // Checks that initBackend chooses a backend in a process where none was chosen.
  'src/engine/backend.test.ts',
  // Runs the built package (deepperform/vitest resolves to dist/): a second copy of the
  // engine would wrap the wasm kernels a second time in a process that loaded src/.
  'examples/vitest/sdn-tiny.perf.test.ts',
];

const INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'];
// The e2e tier has its own config (vitest.e2e.config.ts, `npm run test:e2e`):
// test/e2e/, and beside the code *.e2e.test.ts (PyTorch parity, timing, Chromium).
const EXCLUDE = [...configDefaults.exclude, 'test/e2e/**', '**/*.e2e.test.ts'];

// include and exclude are set per project: a project's lists would be appended to the root's.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share a fork, one after another: tfjs, its wasm backend and
    // onnxruntime load once per fork, not once per file (about half of
    // every file's time when each had its own). What a file changes
    // process-wide is undone after it by test/setup/backend.ts.
    isolate: false,
    // One fork per logical CPU. Vitest's default leaves one CPU out (cpus - 1),
    // which on a 2-core CI machine runs the files one at a time: 395 s against
    // 267 s with two forks, measured from a fresh clone on quiet cores.
    maxWorkers: '100%',
    // The default backend (wasm) for every file that uses tfjs; see the file.
    setupFiles: ['test/setup/backend.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: INCLUDE, exclude: [...EXCLUDE, ...OWN_PROCESS] } },
      ...OWN_PROCESS.map((file) => ({ extends: true, test: { name: `own process: ${file}`, include: [file] } })),
    ],
  },
});
