import * as tf from '@tensorflow/tfjs-core';

/**
 * Difficulty targets for the gates (SkippingObjective.difficulty): each gate
 * learns to run its block for the inputs the network finds hard and to skip it
 * for the easy ones, as SkipNet's RL reward (a skip pays only when the
 * prediction stays right) would have it, but with a supervised, per-input target.
 */
export interface DifficultyTarget {
  /** Share of each batch labelled hard (run): the inputs with the highest cross-entropy. */
  share: number;
  /** Weight of the gates' BCE towards those labels in the loss. */
  weight: number;
}

/** Forward value f(x), no gradient to x: labels computed from tensors they must not train. */
function held<T extends tf.Tensor>(x: tf.Tensor, f: (x: tf.Tensor) => T): T {
  const g = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: f(args[0] as tf.Tensor),
    gradFunc: () => tf.zerosLike(args[0] as tf.Tensor),
  }));
  return g(x) as T;
}

/**
 * 1 for the round(share x B) inputs of the batch (at least 1) with the highest
 * cross-entropy (ties at the cut all count as hard), 0 for the others; no gradient.
 */
export function hardLabels(logits: tf.Tensor2D, labels: tf.Tensor2D, share: number): tf.Tensor1D {
  const batch = logits.shape[0];
  const k = Math.max(1, Math.min(batch, Math.round(share * batch)));
  return held(logits, (l) =>
    tf.tidy(() => {
      const ce = tf.losses.softmaxCrossEntropy(labels, l, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
      const kth = tf.min(tf.topk(ce, k).values);
      return tf.cast(tf.greaterEqual(ce, kth), 'float32') as tf.Tensor1D;
    }),
  );
}

/**
 * Mean over inputs b and blocks i of BCE(p_bi, y_b), y = hardLabels of the
 * gated pass's own logits: gradient reaches p only. p is clipped to
 * [1e-6, 1 - 1e-6] so a saturated gate gives a finite loss.
 */
export function difficultyLoss(p: tf.Tensor2D, logits: tf.Tensor2D, labels: tf.Tensor2D, target: DifficultyTarget): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.reshape(hardLabels(logits, labels, target.share), [-1, 1]);
    const q = tf.clipByValue(p, 1e-6, 1 - 1e-6);
    const bce = tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))));
    return tf.mean(bce) as tf.Scalar;
  });
}
