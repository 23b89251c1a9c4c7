import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../adnn/index.js';

/**
 * A one-weight skipping AdNN for hand-computed tests: inputs side x side x 1
 * in [0, 1], one block with p = sigmoid(w * (mean(x) - 0.5)), w = 10. The
 * real execution runs the block iff p > tau (at tau 0.5: iff mean(x) > 0.5),
 * costing 1 FLOP for the always-run part plus 1 for the block. Maximising p
 * inside a ball means raising every pixel as far as the ball and the range allow.
 */
export function oneGateModel(side = 1): AdaptiveNetwork {
  const p = (x: tf.Tensor4D) => tf.tidy(() => tf.sigmoid(tf.mul(10, tf.sub(tf.mean(tf.reshape(x, [x.shape[0], -1]), 1, true), 0.5))) as tf.Tensor2D);
  const unused = () => {
    throw new Error('not used');
  };
  return {
    meta: {
      name: 'one-gate',
      arch: 'one-gate',
      kind: 'skipping',
      input: { height: side, width: side, channels: 1, range: [0, 1] },
      numClasses: 2,
      baseFlops: 1,
      blocks: [{ name: 'b', flops: 1 }],
    },
    soft: (x) => tf.tidy(() => ({ logits: tf.zeros([x.shape[0], 2]) as tf.Tensor2D, p: p(x) })),
    run: (x, tau) => {
      const probs = p(x);
      const values = probs.dataSync();
      probs.dispose();
      const ran = Uint8Array.from(values, (v) => (v > tau ? 1 : 0));
      return { predictions: new Int32Array(x.shape[0]), ran, flops: Float64Array.from(ran, (r) => 1 + r) };
    },
    trainingLoss: unused,
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}
