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

/** tfjs ops that draw random numbers from a seed (tfjs-core's ops/rand_util.js samplers). */
const RANDOM_OPS = /\b(randomNormal|truncatedNormal|randomStandardNormal|randomGamma|randomUniform|randomUniformInt|multinomial|dropout)\b/;

/**
 * tfjs's normal sampler draws from Math.random when its seed is 0 (falsy), so
 * src calls tfjs's random ops in one module only, src/nn/random.ts, which
 * passes every seed the way each sampler reads it.
 */
function randomOpsOutsideTheWrapper(): string[] {
  const wrapper = join(root, 'src/nn/random.ts');
  return sources(join(root, 'src'))
    .filter((file) => file !== wrapper)
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
        // Comments may name the ops.
        .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && RANDOM_OPS.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
}

describe('seeded random ops', () => {
  it('src calls tfjs random ops only through src/nn/random.ts (seed 0 would be Math.random there)', () => {
    expect(randomOpsOutsideTheWrapper()).toEqual([]);
  });
});
