import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { seededUniform, type ParamStore } from '../../../nn/index.js';

export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * One-layer LSTM cell (PyTorch's nn.LSTM gate order i, f, g, o; one bias
 * instead of PyTorch's two, which only ever appear summed), init U(+-1/sqrt(H)).
 */
export class LstmCell {
  private readonly wx: tf.Variable;
  private readonly wh: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(store: ParamStore, name: string, readonly inputDim: number, readonly hiddenDim: number) {
    const bound = 1 / Math.sqrt(hiddenDim);
    const u = (shape: number[]) => (seed: number) => seededUniform(shape, -bound, bound, seed);
    this.wx = store.add(`${name}.weight_ih`, u([inputDim, 4 * hiddenDim]));
    this.wh = store.add(`${name}.weight_hh`, u([hiddenDim, 4 * hiddenDim]));
    this.bias = store.add(`${name}.bias`, u([4 * hiddenDim]));
  }

  zeroState(batch: number): LstmState {
    return { h: tf.zeros([batch, this.hiddenDim]), c: tf.zeros([batch, this.hiddenDim]) };
  }

  step(x: tf.Tensor2D, state: LstmState, counter?: FlopsCounter): LstmState {
    counter?.add(this.flops());
    return tf.tidy(() => {
      const z = tf.add(tf.add(tf.matMul(x, this.wx as tf.Tensor2D), tf.matMul(state.h, this.wh as tf.Tensor2D)), this.bias);
      const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
      const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
      const h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D;
      return { h, c };
    });
  }

  /**
   * The two dense multiplies of a step, 2 x 4H x (in + H) (the element-wise
   * gate arithmetic is not counted, like activations). The authors' counter
   * (BlockDrop's, used by DeepPerform) skips the LSTM altogether.
   */
  flops(): number {
    return 2 * 4 * this.hiddenDim * (this.inputDim + this.hiddenDim);
  }
}
