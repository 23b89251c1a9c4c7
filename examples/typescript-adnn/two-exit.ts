// A user-defined early-exit AdNN in TypeScript, typed with the contract
// deepperform publishes. Two exits on a 28x28x1 image:
//   exit 0: 4x4 average pooling, then a dense layer 49 -> 10 (every input pays it);
//   block 0: the final classifier, a dense layer 784 -> 10, run only for the
//            inputs exit 0 was not confident about.
// p_0 = 1 - max softmax(exit 0): the input leaves at exit 0 iff its max
// softmax >= tau, i.e. block 0 runs iff p_0 > 1 - tau.
// Weights are seeded random (no training needed; predictions not accurate).
import type * as tf from '@tensorflow/tfjs-core';
import type { AdnnModule } from 'deepperform';

const H = 28;
const W = 28;
const CLASSES = 10;
// FLOPs are 2 x multiply-accumulates (the pooling's additions are left out).
const EXIT0_FLOPS = 2 * (H / 4) * (W / 4) * CLASSES; // 980
const FINAL_FLOPS = 2 * H * W * CLASSES; // 15,680

// tfjs's randomNormal takes a falsy seed as none (Math.random), so seed 0
// would change from run to run; it only calls toString() on the seed, and
// the text '0' is a seed like any other.
function normalSeed(seed: number): number {
  return (seed === 0 ? '0' : seed) as unknown as number;
}

const createAdnn: AdnnModule = ({ tf, options }) => {
  const seed = typeof options.seed === 'number' ? options.seed : 7;
  const w0 = tf.randomNormal([(H / 4) * (W / 4), CLASSES], 0, 0.5, 'float32', normalSeed(seed));
  const w1 = tf.randomNormal([H * W, CLASSES], 0, 0.05, 'float32', normalSeed(seed + 1));
  const exit0 = (x: tf.Tensor4D): tf.Tensor2D => tf.matMul(tf.reshape(tf.avgPool(x, 4, 4, 'valid'), [-1, (H / 4) * (W / 4)]), w0);
  const final = (x: tf.Tensor4D): tf.Tensor2D => tf.matMul(tf.reshape(x, [-1, H * W]), w1);

  return {
    meta: {
      name: 'two-exit',
      arch: 'example/two-exit',
      kind: 'early-exit',
      input: { height: H, width: W, channels: 1, range: [0, 1] },
      numClasses: CLASSES,
      baseFlops: EXIT0_FLOPS,
      blocks: [{ name: 'final classifier', flops: FINAL_FLOPS }],
      // Cumulative: leaving at exit 0, or running to the end.
      exitFlops: [EXIT0_FLOPS, EXIT0_FLOPS + FINAL_FLOPS],
    },

    soft(x) {
      return tf.tidy(() => {
        const confidence = tf.max(tf.softmax(exit0(x)), 1);
        const p = tf.reshape(tf.sub(1, confidence), [-1, 1]) as tf.Tensor2D;
        return { logits: final(x), p };
      });
    },

    run(x, tau) {
      const batch = x.shape[0];
      const [confidence, early] = tf.tidy(() => {
        const probs = tf.softmax(exit0(x));
        return [tf.max(probs, 1), tf.argMax(probs, 1)];
      });
      const conf = confidence.dataSync();
      const predictions = Int32Array.from(early.dataSync());
      tf.dispose([confidence, early]);
      const ran = new Uint8Array(batch);
      const flops = new Float64Array(batch).fill(EXIT0_FLOPS);
      const rows: number[] = [];
      for (let b = 0; b < batch; b++) if (conf[b] < tau) rows.push(b);
      if (rows.length > 0) {
        // Only the inputs that did not leave are computed further.
        const late = tf.tidy(() => tf.argMax(final(tf.gather(x, rows)), 1));
        const classes = late.dataSync();
        late.dispose();
        rows.forEach((b, i) => {
          predictions[b] = classes[i];
          ran[b] = 1;
          flops[b] += FINAL_FLOPS;
        });
      }
      return { predictions, ran, flops };
    },

    dispose() {
      tf.dispose([w0, w1]);
    },
  };
};

export default createAdnn;
