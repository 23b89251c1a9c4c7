import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining, EPS, instanceNormClosedForm } from './norm-grad.js';
import type { ParamStore } from './params.js';
import { seededNormal } from './random.js';

export { EPS };

/** Instance normalisation without affine parameters (per image, per channel), with a closed-form gradient. */
export function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  return instanceNormClosedForm(x, EPS);
}

/**
 * Batch normalisation with running statistics: batch statistics while
 * training, the running ones at inference (so an AdNN under test is
 * deterministic). Training mode differentiates in closed form
 * (batchNormTraining); inference mode is tf.batchNorm, whose gradient
 * src/engine registers.
 */
export class BatchNorm {
  protected readonly gamma: tf.Variable;
  protected readonly beta: tf.Variable;
  protected readonly runningMean: tf.Variable;
  protected readonly runningVar: tf.Variable;

  constructor(store: ParamStore, name: string, channels: number, private readonly momentum = 0.1) {
    this.gamma = store.add(`${name}.weight`, (seed) => seededNormal([channels], 1, 0.02, seed));
    this.beta = store.add(`${name}.bias`, () => tf.zeros([channels]));
    this.runningMean = store.add(`${name}.running_mean`, () => tf.zeros([channels]), false);
    this.runningVar = store.add(`${name}.running_var`, () => tf.ones([channels]), false);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      return tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, EPS) as tf.Tensor4D;
    }
    const onMoments = (mean: tf.Tensor1D, variance: tf.Tensor1D) => this.updateRunning(mean, variance);
    return batchNormTraining(x, this.beta as tf.Tensor1D, this.gamma as tf.Tensor1D, EPS, onMoments);
  }

  protected updateRunning(mean: tf.Tensor, variance: tf.Tensor): void {
    const m = this.momentum;
    // The running statistics do not feed the loss, so no gradient reaches them.
    tf.tidy(() => {
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, m)));
    });
  }
}
