/**
 * vitest setupFiles (both tiers), run again before each test file.
 *
 * 1. Every test file that uses tfjs runs on the product's default backend,
 *    wasm, set up here once instead of in each file. The beforeAll hook runs
 *    after the file is imported and before the file's own beforeAll, so a
 *    file that needs another backend (cpu) sets it there. Files that never
 *    load tfjs (the suite parser, reporters, scripts) skip it and pay nothing
 *    for tfjs.
 * 2. Test files share a fork (`isolate: false` in vitest.config.ts), so what
 *    one file changes process-wide is undone after it: tfjs's environment
 *    flags (test/helpers/tf.ts sets IS_TEST, which makes tfjs check every
 *    kernel for leaked tensors, and the wasm kernels keep scratch tensors),
 *    process.env, the working directory, process.exitCode and the opt-out of
 *    own-backend.ts.
 */
import { afterAll, beforeAll } from 'vitest';

interface TfEnvironment {
  getFlags(): Record<string, unknown>;
  setFlags(flags: Record<string, unknown>): void;
}

type TestGlobals = typeof globalThis & { _tfengine?: { ENV: TfEnvironment }; deepperformOwnBackend?: boolean };

const globals = globalThis as TestGlobals;
// Taken when this file runs, before the test file is imported.
const flagsBefore = { ...(globals._tfengine?.ENV.getFlags() ?? {}) };
const envBefore = { ...process.env };
const cwdBefore = process.cwd();

beforeAll(async () => {
  // tfjs-core keeps its engine on the global object from its first import.
  if (globals._tfengine === undefined) return;
  // A file that tests the choice itself opts out (test/setup/own-backend.ts).
  if (globals.deepperformOwnBackend) return;
  const { initBackend } = await import('../../src/engine/index.js');
  await initBackend({ backend: 'wasm' });
});

afterAll(() => {
  globals._tfengine?.ENV.setFlags(flagsBefore);
  delete globals.deepperformOwnBackend;
  for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
  Object.assign(process.env, envBefore);
  if (process.cwd() !== cwdBefore) process.chdir(cwdBefore);
  process.exitCode = undefined;
});
