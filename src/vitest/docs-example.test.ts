import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/vitest.md shows the repository's example test; the copy must stay
 * the file it names, or readers copy code that no longer runs.
 */
const ROOT = join(import.meta.dirname, '..', '..');

describe('docs/vitest.md', () => {
  it("shows examples/vitest/sdn-tiny.perf.test.ts as it is, from its first import", () => {
    const file = readFileSync(join(ROOT, 'examples', 'vitest', 'sdn-tiny.perf.test.ts'), 'utf8');
    const doc = readFileSync(join(ROOT, 'docs', 'vitest.md'), 'utf8');
    const body = file.slice(file.indexOf("import { join } from 'node:path';"));
    const start = doc.indexOf("```ts\nimport { join } from 'node:path';");
    expect(start, 'the example block in docs/vitest.md').toBeGreaterThanOrEqual(0);
    const block = doc.slice(start + '```ts\n'.length, doc.indexOf('```', start + 6));
    expect(block).toBe(body);
  });
});
