import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, discoverSuites } from './index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'suite-discover-'));
  const files = [
    'suites/b.perf.yaml',
    'suites/a.perf.yml',
    'suites/deep/er/c.perf.yaml',
    'suites/notes.yaml',
    'suites/d.perf.json',
    'suites/node_modules/pkg/x.perf.yaml',
    'suites/dist/y.perf.yaml',
    'other/z.perf.yaml',
    'loose.yaml',
  ];
  for (const f of files) {
    await mkdir(join(root, f, '..'), { recursive: true });
    await writeFile(join(root, f), 'name: x\n');
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverSuites', () => {
  it('finds *.perf.yaml and *.perf.yml under a folder, skipping node_modules and dist, sorted and absolute', async () => {
    expect(await discoverSuites(['suites'], root)).toEqual([
      join(root, 'suites/a.perf.yml'),
      join(root, 'suites/b.perf.yaml'),
      join(root, 'suites/deep/er/c.perf.yaml'),
    ]);
  });

  it('takes a file named directly as is, merges several paths and drops duplicates', async () => {
    const found = await discoverSuites(['other', 'loose.yaml', 'suites/b.perf.yaml', join(root, 'suites')], root);
    expect(found).toEqual([
      join(root, 'loose.yaml'),
      join(root, 'other/z.perf.yaml'),
      join(root, 'suites/a.perf.yml'),
      join(root, 'suites/b.perf.yaml'),
      join(root, 'suites/deep/er/c.perf.yaml'),
    ]);
  });

  it('returns nothing for no paths', async () => {
    expect(await discoverSuites([], root)).toEqual([]);
  });

  it('a path that does not exist is a usage error naming it', async () => {
    const err = await discoverSuites(['suites', 'nope'], root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('no such file or folder: nope');
  });
});
