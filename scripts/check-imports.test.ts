import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedDirs, checkImports, findCycles, importGraph, importSpecifiers, layerViolations, tableProblems } from './check-imports.mjs';
import { layers } from './layers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A throwaway folder with the given files (path -> text). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-imports-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the repository', () => {
  it('has no import cycle, type-only imports included, and keeps to its layers (docs/design.md §7)', () => {
    const { files, cycles, violations } = checkImports(root, checkedDirs, layers);
    expect(files).toBeGreaterThan(400);
    expect(cycles.map((c) => c.join(' -> '))).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('docs/design.md §7 lists the same folders, in the same order', () => {
    const design = readFileSync(join(root, 'docs/design.md'), 'utf8');
    const section = design.slice(design.indexOf('## 7. Layers'));
    const documented = [...section.matchAll(/^\| `([a-z]+)\/` \|/gm)].map((m) => `src/${m[1]}`);
    expect(documented).toEqual(Object.keys(layers).filter((folder) => folder.startsWith('src/')));
  });
});

describe('importSpecifiers', () => {
  it('reads every form of relative import and ignores packages', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from '../b.js';",
      "export * from './c.js';",
      "export type { D } from './d.js';",
      "const e = await import('./e.js');",
      "type F = import('./f.js').F;",
      "import g = require('./g.js');",
      "import * as tf from '@tensorflow/tfjs-core';",
      "import { join } from 'node:path';",
    ].join('\n');
    expect(importSpecifiers('x.ts', text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
  });
});

describe('cycles', () => {
  it('finds two files that import each other with type-only imports', () => {
    const dir = project({
      'src/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'src/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
      'src/c.ts': "import type { A } from './a.js';\nexport type C = A;\n",
    });
    const { cycles } = checkImports(dir, ['src'], { src: { mayImport: [] } });
    expect(cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/a.ts']]);
  });

  it('finds a cycle through a folder index, a re-export and an import() type, and a file importing itself', () => {
    const dir = project({
      'src/x/index.ts': "export * from './one.js';\n",
      'src/x/one.ts': "export type One = import('../y.js').Y;\n",
      'src/y.ts': "export { type One as Y } from './x/index.js';\n",
      'src/self.ts': "export const s = 1;\nexport type S = typeof import('./self.js').s;\n",
    });
    const cycles = findCycles(importGraph(dir, ['src']));
    expect(cycles).toEqual([['src/self.ts', 'src/self.ts'], ['src/x/index.ts', 'src/x/one.ts', 'src/y.ts', 'src/x/index.ts']]);
  });

  it('finds none in a chain', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', []]]);
    expect(findCycles(graph)).toEqual([]);
  });
});

describe('layers', () => {
  const table = {
    'src/results': { mayImport: [] },
    'src/runner': { mayImport: ['src/results'] },
    'src/reporters': { mayImport: ['src/results'] },
  };

  it('names an import into a layer the importer may not import; tests are exempt', () => {
    const dir = project({
      'src/results/index.ts': "export interface RunResult { ok: boolean }\n",
      'src/runner/run.ts': "import type { RunResult } from '../results/index.js';\nexport const r: RunResult = { ok: true };\n",
      'src/reporters/json.ts': "import { r } from '../runner/run.js';\nexport const j = JSON.stringify(r);\n",
      'src/reporters/json.test.ts': "import { r } from '../runner/run.js';\n",
    });
    expect(layerViolations(importGraph(dir, ['src']), table)).toEqual([
      'src/reporters/json.ts imports src/runner/run.ts: src/reporters may import only src/results',
    ]);
  });

  it('names a file outside every layer, and a bottom layer that imports', () => {
    const dir = project({
      'src/results/index.ts': "import '../runner/run.js';\n",
      'src/runner/run.ts': '',
      'src/stray.ts': '',
    });
    expect(layerViolations(importGraph(dir, ['src']), table)).toEqual([
      'src/results/index.ts imports src/runner/run.ts: src/results may import nothing of the product',
      'src/stray.ts is in no layer of scripts/layers.mjs',
    ]);
  });

  it('refuses a table whose layer names one listed after it', () => {
    expect(tableProblems({ a: { mayImport: ['b'] }, b: { mayImport: ['a', 'c'] } })).toEqual([
      'a may import b, which is listed after it',
      'b may import c, which is no layer',
    ]);
    expect(tableProblems(layers)).toEqual([]);
  });
});
