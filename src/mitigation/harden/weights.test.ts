import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { loadAdnn, zooEntry } from '../../adnn/index.js';
import { HardenError } from './errors.js';
import type { HardenedFileMetadata } from './section.js';
import { checkOutDir, writeModelAtomic } from './weights.js';

beforeAll(useCpu);

const input = { height: 28, width: 28, channels: 1, range: [0, 1] as [number, number] };
const entry = zooEntry('sdn-tiny');
const config = entry.defaultConfig(input, 10);

function metadata(accuracy: number): HardenedFileMetadata {
  const m = { meanIFlops: 0.1, maxIFlops: 0.5, seedFlops: 1e6, generatedFlops: 1.1e6, accuracy };
  return {
    arch: 'sdn-tiny',
    config,
    seed: 7,
    hardenedFrom: '/models/original',
    hardening: {
      objective: 'eq12',
      settings: { epochs: 1, trainSeeds: 8, flopsWeight: 1, learningRate: 1e-3, batchSize: 4, seed: 1, target: 'current' },
      tau: 0.5,
      norm: 'linf',
      epsilon: 0.1,
      suite: '/suites/x.perf.yaml',
      generator: { preset: 'tiny', train: {} as HardenedFileMetadata['hardening']['generator']['train'] },
      sourceSha256: 'ab',
      before: m,
      after: { ...m, meanIFlops: 0.05 },
      sameInputs: { meanIFlops: 0.02, maxIFlops: 0.3, seedFlops: 9e5, generatedFlops: 9.2e5 },
      durationSeconds: 3,
    },
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'deepperform-harden-'));

describe('hardened weights on disk', () => {
  it('round trip: loadAdnn rebuilds the same weights and keeps the hardening record', async () => {
    const net = entry.build(config, 7);
    // Weights a fresh build would not have, so the check cannot pass by rebuilding from the seed.
    for (const v of net.namedWeights().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', 3)));
    const out = join(tmp(), 'hardened');
    await writeModelAtomic(out, net, metadata(0.8));
    const loaded = await loadAdnn(out);
    for (const [name, v] of net.namedWeights()) {
      expect(Array.from(loaded.network.namedWeights().get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    }
    const meta = loaded.metadata as HardenedFileMetadata;
    expect(meta.hardenedFrom).toBe('/models/original');
    expect(meta.hardening.after.meanIFlops).toBe(0.05);
    // Replacing an earlier hardened model leaves only the new one, and no temporary folders beside it.
    await writeModelAtomic(out, net, metadata(0.7));
    expect(((await loadAdnn(out)).metadata as HardenedFileMetadata).hardening.before.accuracy).toBe(0.7);
    expect(readdirSync(join(out, '..'))).toEqual(['hardened']);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    net.dispose();
    loaded.network.dispose();
  });

  it('--out: refuses the source folder, a file and a folder holding other files; takes a new, empty or model folder', async () => {
    const root = tmp();
    await expect(checkOutDir(join(root, 'm'), join(root, 'm', '.'))).rejects.toThrow(/is the folder of the model being hardened/);
    writeFileSync(join(root, 'file'), 'x');
    await expect(checkOutDir(join(root, 'file'), '/src')).rejects.toThrow(/is a file/);
    mkdirSync(join(root, 'busy'));
    writeFileSync(join(root, 'busy', 'notes.txt'), 'x');
    writeFileSync(join(root, 'busy', 'model.json'), '{}');
    await expect(checkOutDir(join(root, 'busy'), '/src')).rejects.toThrow(/holds other files \(notes\.txt\)/);
    await expect(checkOutDir(join(root, 'busy'), '/src')).rejects.toBeInstanceOf(HardenError);
    mkdirSync(join(root, 'model'));
    writeFileSync(join(root, 'model', 'model.json'), '{}');
    await expect(checkOutDir(join(root, 'model'), '/src')).resolves.toBeUndefined();
    await expect(checkOutDir(join(root, 'new'), '/src')).resolves.toBeUndefined();
  });
});
