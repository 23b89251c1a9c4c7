import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { InferenceEngine, type OrtFallbackWarning } from '../engine/ort/index.js';
import type { AdaptiveNetwork } from './contract.js';
import { adaptiveRunner, runBatched, softBatched } from './execute.js';
import { loadDataset } from '../data/index.js';
import { loadAdnn } from './model-io.js';
import { zooEntry } from './zoo/index.js';
import { shiftStatistics } from '../../test/helpers/adnn.js';

beforeAll(useCpu);

function images(net: AdaptiveNetwork, count: number, seed: number): { images: Float32Array; count: number } {
  const { height, width, channels } = net.meta.input;
  const t = tf.randomUniform([count, height, width, channels], 0, 1, 'float32', seed);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return { images: data, count };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// Every family, tiny sizes (fast), plus the MobileNet SDN for depthwise convolutions.
const ARCHS = ['sdn-tiny', 'skipnet-tiny', 'blockdrop-tiny', 'ranet-tiny', 'sdn-mobilenet'];

describe('soft pass on onnxruntime', () => {
  for (const arch of ARCHS) {
    it(`${arch}: logits and activation probabilities agree with tfjs`, () => {
      const entry = zooEntry(arch);
      const net = entry.build(entry.defaultConfig(), 11);
      shiftStatistics(net, 3);
      const { height, width, channels } = net.meta.input;
      const batch = images(net, 6, 5);
      const engine = new InferenceEngine({ choice: 'ort' });
      const compiled = engine.compile(net, 'soft', net.namedWeights().values(), [height, width, channels], (x) => {
        const o = net.soft(x);
        return [o.p, o.logits];
      });
      const [p, logits] = compiled!.run(batch.images, batch.count, 4);
      const x = tf.tensor4d(batch.images, [6, height, width, channels]);
      const ref = net.soft(x);
      const [refP, refLogits] = [ref.p.dataSync(), ref.logits.dataSync()];
      expect(p.length).toBe(6 * net.meta.blocks.length);
      expect(maxAbsDiff(refP, p)).toBeLessThan(1e-4);
      expect(maxAbsDiff(refLogits, logits)).toBeLessThan(1e-4 * Math.max(1, maxAbs(refLogits)));
      tf.dispose([x, ref.p, ref.logits]);
      net.dispose();
    });
  }

  it('softBatched gives the same p on both engines and says nothing when ORT runs', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 2);
    const batch = images(net, 10, 8);
    const warnings: OrtFallbackWarning[] = [];
    const ort = softBatched(net, batch, 4, { engine: new InferenceEngine({ choice: 'auto', warn: (w) => warnings.push(w) }) });
    const tfjs = softBatched(net, batch, 4, { engine: 'tfjs' });
    expect(maxAbsDiff(tfjs, ort)).toBeLessThan(1e-5);
    expect(warnings).toEqual([]);
    net.dispose();
  });

  it('softBatched falls back to tfjs, warning once, when ORT cannot load', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 2);
    const batch = images(net, 3, 8);
    const warnings: OrtFallbackWarning[] = [];
    const engine = new InferenceEngine({
      loader: () => {
        throw new Error('Cannot find module onnxruntime-node');
      },
      warn: (w) => warnings.push(w),
    });
    const a = softBatched(net, batch, 4, { engine });
    const b = softBatched(net, batch, 4, { engine });
    expect(a).toEqual(softBatched(net, batch, 4, { engine: 'tfjs' }));
    expect(b).toEqual(a);
    expect(warnings.map((w) => w.name)).toEqual(['OrtFallbackWarning']);
    net.dispose();
  });
});

describe('runBatched: the real adaptive execution on the product engine', () => {
  for (const arch of ['sdn-tiny', 'skipnet-tiny']) {
    it(`${arch} (trained fixture): stage by stage on onnxruntime by default, the same execution as run() on tfjs, batch by batch`, async () => {
      const { network: net } = await loadAdnn(`fixtures/models/${arch}`);
      const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
      const batch = { images: test.images.slice(0, 10 * 28 * 28), count: 10 };
      const warnings: OrtFallbackWarning[] = [];
      const engine = new InferenceEngine({ choice: 'auto', warn: (w) => warnings.push(w) });
      expect(adaptiveRunner(net, { engine }).engine).toBe('ort');
      // Batches of 4, 4 and 2.
      const ort = runBatched(net, batch, 0.5, 4, { engine });
      const x = tf.tensor4d(batch.images, [10, 28, 28, 1]);
      const whole = net.run(x, 0.5);
      x.dispose();
      expect(Array.from(ort.flops)).toEqual(Array.from(whole.flops));
      expect(Array.from(ort.ran)).toEqual(Array.from(whole.ran));
      expect(Array.from(ort.predictions)).toEqual(Array.from(whole.predictions));
      // The inputs did not all take the same path.
      expect(new Set(ort.flops).size).toBeGreaterThan(1);
      expect(warnings).toEqual([]);
      net.dispose();
    });
  }

  it('falls back to run() on tfjs, warning once, when ORT cannot load; networks without stages always use run()', () => {
    const entry = zooEntry('sdn-tiny');
    const net = entry.build(entry.defaultConfig(), 2);
    const batch = images(net, 5, 8);
    const warnings: OrtFallbackWarning[] = [];
    const engine = new InferenceEngine({
      loader: () => {
        throw new Error('Cannot find module onnxruntime-node');
      },
      warn: (w) => warnings.push(w),
    });
    expect(adaptiveRunner(net, { engine }).engine).toBe('tfjs');
    const a = runBatched(net, batch, 0.3, 2, { engine });
    expect(a).toEqual(runBatched(net, batch, 0.3, 2, { engine: 'tfjs' }));
    expect(warnings.map((w) => w.name)).toEqual(['OrtFallbackWarning']);
    const noStages = Object.assign(Object.create(net) as AdaptiveNetwork, { stages: undefined });
    expect(adaptiveRunner(noStages, { engine: 'ort' }).engine).toBe('tfjs');
    net.dispose();
  });
});
