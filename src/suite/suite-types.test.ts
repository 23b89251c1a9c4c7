import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// The generator script is plain JS so it runs without a build; it is the one place the options live.
import { generateSuiteTypes, typesPath } from '../../scripts/gen-suite-types.mjs';

describe('suite.types.ts', () => {
  it('matches what the schema generates (run `node scripts/gen-suite-types.mjs` after editing the schema)', async () => {
    const committed = await readFile(typesPath, 'utf8');
    const fresh = (await generateSuiteTypes()) as string;
    expect(committed).toBe(fresh);
  });
});
