import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT, tempDir } from '../../test/helpers/cli.js';
import { spawnAsync } from '../../test/helpers/spawn.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Compiles files of the repository with its own settings, as a user's project would see the package. */
async function typecheck(files: string[]): Promise<{ code: number | null; output: string }> {
  const dir = tempDir();
  const config = join(dir, 'tsconfig.json');
  const compilerOptions = { noEmit: true, rootDir: ROOT, typeRoots: [join(ROOT, 'node_modules/@types')] };
  writeFileSync(config, JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions, include: files, exclude: [] }));
  const r = await spawnAsync(process.execPath, [tsc, '-p', config], { timeoutMs: 120_000 });
  return { code: r.status, output: r.stdout + r.stderr };
}

// Needs the built declarations (npm test builds first): the package resolves to dist/ through `exports`.
test('the matchers are typed on expect() and misuse does not compile', async () => {
  const usage = join(ROOT, 'examples/vitest/typed-usage.ts');
  const example = join(ROOT, 'examples/vitest/sdn-tiny.perf.test.ts');
  const { code, output } = await typecheck([usage, example]);
  expect(output).toBe('');
  expect(code).toBe(0);
});
