import * as tf from '@tensorflow/tfjs-core';
import type { AdnnMeta } from './contract.js';

/**
 * Eq. 5 in tensor ops: per input, base + sum_i FLOPs_i * 1[block i runs],
 * with the decision rule of `blocksRun` applied to the activation
 * probabilities `p` ([B, K], from `soft(x, tau)`), as a [B] tensor. The AdNN
 * contract makes this what the real execution counts, so a traced attack
 * step can judge its iterates without leaving the program. Each row depends
 * on its own p only, and it uses only ops the onnxruntime lowering writes
 * (comparisons, casts, a matMul with a constant); it has no gradient. p has
 * one column per block (user models are checked for that when they load).
 */
export function executedFlops(meta: AdnnMeta, p: tf.Tensor2D, tau: number): tf.Tensor1D {
  return tf.tidy(() => {
    const k = meta.blocks.length;
    const ran = meta.kind === 'skipping' ? tf.cast(tf.greater(p, tau), 'float32') : earlyExitRan(p, tau, k);
    const blockFlops = tf.tensor2d(
      meta.blocks.map((b) => b.flops),
      [k, 1],
    );
    return tf.add(tf.reshape(tf.matMul(ran, blockFlops), [-1]), meta.baseFlops) as tf.Tensor1D;
  });
}

/**
 * Early-exit models: block i runs iff every confidence 1 - p_j, j <= i, is
 * below tau (blocksRun's cumulative AND). Written as a count: stop_j = 1 when
 * exit j is confident; counts = stop . U with U[j][i] = 1[j <= i] counts the
 * confident exits up to i, and block i runs iff that count is 0.
 */
function earlyExitRan(p: tf.Tensor2D, tau: number, k: number): tf.Tensor2D {
  // NaN in p: the comparison is false, so the exit counts as confident and stops, as in blocksRun.
  const going = tf.cast(tf.less(tf.sub(1, p), tau), 'float32');
  const stop = tf.sub(1, going);
  const upper = tf.tensor2d(
    Array.from({ length: k * k }, (_, n) => (Math.floor(n / k) <= n % k ? 1 : 0)),
    [k, k],
  );
  return tf.cast(tf.less(tf.matMul(stop, upper), 0.5), 'float32') as tf.Tensor2D;
}
