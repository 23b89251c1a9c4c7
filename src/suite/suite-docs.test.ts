import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// The generator script is the one place the documentation's generated parts come from.
import { docsPath, generateSuiteDocs } from '../../scripts/gen-suite-docs.mjs';
import { METRICS } from '../results/index.js';
import { suiteSchema } from './schema.js';

describe('docs/suite-format.md', () => {
  it('matches what the schema, the metrics and the messages generate (run `npx vite-node scripts/gen-suite-docs.mjs`)', async () => {
    const committed = await readFile(docsPath, 'utf8');
    const fresh = (await generateSuiteDocs()) as string;
    expect(committed).toBe(fresh);
  });

  it('documents every top-level key and every metric', async () => {
    const text = await readFile(docsPath, 'utf8');
    for (const key of Object.keys(suiteSchema.properties as object)) expect(text).toContain(`| \`${key}\``);
    for (const m of METRICS) expect(text).toContain(`| \`${m.name}\` |`);
  });
});
