import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InferenceEngine } from '../engine/ort/index.js';
import { activationGradient } from './gradient.js';
import { zooEntry } from './zoo/index.js';

/**
 * The compiled activation gradient of every tiny zoo family (random weights,
 * 28x28x1, batch 4) against tf.grad on tfjs: the soft passes' gates,
 * straight-through decisions (SkipNet, BlockDrop), exit pooling (SDN) and
 * multi-scale resizing (RaNet) all go through the backward lowerings.
 */

const spec = { height: 28, width: 28, channels: 1, range: [0, 1] as [number, number] };

describe('activationGradient', () => {
  for (const name of ['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny']) {
    it(`${name}: onnxruntime gives tf.grad's gradient`, () => {
      const entry = zooEntry(name);
      const network = entry.build(entry.defaultConfig(spec, 10), 1);
      const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
      const ort = activationGradient(network, x, { engine: new InferenceEngine({ gradients: 'ort', threads: 1 }) });
      const tfjs = activationGradient(network, x, { engine: new InferenceEngine({ gradients: 'tfjs' }) });
      expect([ort.engine, tfjs.engine]).toEqual(['ort', 'tfjs']);
      const [a, b] = [ort.grad.dataSync(), tfjs.grad.dataSync()];
      let scale = 0;
      for (const v of b) scale = Math.max(scale, Math.abs(v));
      expect(scale).toBeGreaterThan(0);
      b.forEach((v, i) => expect(Math.abs(a[i] - v)).toBeLessThan(1e-5 * scale));
      tf.dispose([x, ort.grad, tfjs.grad]);
      network.dispose();
    });
  }
});
