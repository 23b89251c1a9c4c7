import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs's Adam with a settable learning rate: Adam reads its rate at every
 * update, so a new rate applies from the next step on, with the moment
 * estimates kept (as torch's schedulers do).
 */
export class ScheduledAdam extends tf.AdamOptimizer {
  get rate(): number {
    return this.learningRate;
  }

  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}
