import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { Generator } from './architecture.js';
import { loadGenerator, saveGenerator } from './io.js';

beforeAll(useCpu);

const input = { height: 16, width: 16, channels: 1, range: [0, 1] as [number, number] };
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-gen-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saved generators keep their perturbation bound', () => {
  it("round-trips 'scale', and reads a file without one as 'project'", async () => {
    const g = new Generator(input, 2, 1, 'scale');
    await saveGenerator(join(dir, 'a'), g, {});
    g.store.dispose();
    const loaded = await loadGenerator(join(dir, 'a'));
    expect(loaded.generator.bound).toBe('scale');
    loaded.generator.store.dispose();

    // A file from before the field existed.
    const file = join(dir, 'a', 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    delete json.metadata.bound;
    await writeFile(file, JSON.stringify(json));
    const old = await loadGenerator(join(dir, 'a'));
    expect(old.generator.bound).toBe('project');
    old.generator.store.dispose();
  });

  it('rejects an unknown bound with the file named', async () => {
    const g = new Generator(input, 2, 1);
    await saveGenerator(join(dir, 'b'), g, {});
    g.store.dispose();
    const file = join(dir, 'b', 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.metadata.bound = 'squash';
    await writeFile(file, JSON.stringify(json));
    await expect(loadGenerator(join(dir, 'b'))).rejects.toThrow(/model\.json.*unknown perturbation bound "squash"/);
  });
});
