import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { patternImages } from '../../test/helpers/adnn.js';
import { tempDir } from '../../test/helpers/cli.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { trainAdnn } from './train.js';
import { buildSdnTiny, SDN_TINY_DEFAULT } from './zoo/sdn/sdn-tiny.js';

const config = { ...SDN_TINY_DEFAULT, widths: [2, 4, 4] as [number, number, number] };
const data = patternImages(48);
const opts = { epochs: 2, batchSize: 16, learningRate: 1e-3, seed: 5 };

function weightsOf(net: ReturnType<typeof buildSdnTiny>): Map<string, Float32Array> {
  return new Map([...net.namedWeights()].map(([n, v]) => [n, v.dataSync() as Float32Array]));
}

describe('train-model checkpoints', () => {
  it('1 epoch + resume gives the same weights as 2 epochs straight (optimizer state included)', async () => {
    const straight = buildSdnTiny(config, 1);
    await trainAdnn(straight, data, opts);

    const dir = tempDir();
    const first = buildSdnTiny(config, 1);
    await trainAdnn(first, data, {
      ...opts,
      epochs: 1,
      onEpochEnd: (epoch, optimizer) =>
        saveCheckpoint(dir, first, optimizer, { arch: 'sdn-tiny', epochsDone: epoch + 1, options: { ...opts, dataset: 'x' } }),
    });
    const resumed = buildSdnTiny(config, 99); // different init: every value must come from the checkpoint
    const { metadata, optimizer } = await loadCheckpoint(dir, resumed, opts.learningRate);
    expect(metadata.epochsDone).toBe(1);
    await trainAdnn(resumed, data, { ...opts, startEpoch: 1, optimizer });

    const a = weightsOf(straight);
    const b = weightsOf(resumed);
    for (const [name, values] of a) expect(Array.from(b.get(name)!)).toEqual(Array.from(values));
    tf.dispose([straight, first, resumed].flatMap((n) => [...n.namedWeights().values()]));
  });

  it('resuming without a checkpoint is a clear error naming the file', async () => {
    const net = buildSdnTiny(config, 1);
    await expect(loadCheckpoint(tempDir(), net, 1e-3)).rejects.toThrow(/checkpoint\/model\.json: does not exist/);
  });
});
