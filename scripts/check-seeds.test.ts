import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * tfjs's random ops draw from Math.random when their seed is 0 (falsy), so
 * every seeded call goes through tfSeed (src/util/random.ts). An initialiser
 * `(seed) => tf.random...` gets its seed from ParamStore.add, which applies it.
 */
function unguardedRandomCalls(): string[] {
  return sources(join(root, 'src')).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
      .filter(({ line }) => /\btf\.(random\w*|truncatedNormal)\(/.test(line))
      .filter(({ line }) => !line.includes('tfSeed(') && !/\(seed(: number)?\) =>/.test(line))
      .map(({ at }) => at),
  );
}

describe('seeded random ops', () => {
  it("every tfjs random op in src gets its seed through tfSeed (seed 0 would be Math.random's)", () => {
    expect(unguardedRandomCalls()).toEqual([]);
  });
});
