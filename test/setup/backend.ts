/**
 * vitest setupFiles (both tiers): every test file that uses tfjs runs on the
 * product's default backend, wasm, set up here once instead of in each file.
 * This hook runs after the file is imported and before the file's own
 * beforeAll, so a file that needs another backend (cpu) sets it there.
 * Files that never load tfjs (the suite parser, reporters, scripts) skip
 * it and pay nothing for tfjs.
 */
import { beforeAll } from 'vitest';

beforeAll(async () => {
  // tfjs-core keeps its engine on the global object from its first import.
  if (!('_tfengine' in globalThis)) return;
  // A file that tests the choice itself opts out (test/setup/own-backend.ts).
  if ((globalThis as { deepperformOwnBackend?: boolean }).deepperformOwnBackend) return;
  const { initBackend } = await import('../../src/engine/index.js');
  await initBackend({ backend: 'wasm' });
});
