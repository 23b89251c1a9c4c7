import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Conv2d, type ParamStore } from '../../../nn/index.js';
import type { BottleneckPlan, ConvBasicPlan } from './plan.js';

/** Training mode (batch statistics) or inference (running statistics), and where FLOPs go. */
export interface RunContext {
  training: boolean;
  counter?: FlopsCounter;
}

const EPS = 1e-5;

type TrainOp = (x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor4D;

/**
 * Batch normalisation followed by ReLU (every BN in RaNet is). Same values and
 * parameter names as nn's BatchNorm; batch statistics while training, running
 * ones otherwise. The training pass has a hand-written gradient: autodiff of
 * moments + FusedBatchNorm runs dozens of small kernels per layer (tiling each
 * per-channel factor to the full map), which made a training step of RaNet's
 * ~90 layers about twice as slow on wasm.
 */
export class BatchNormRelu {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly runningMean: tf.Variable;
  private readonly runningVar: tf.Variable;
  private readonly trainOp: TrainOp;

  constructor(store: ParamStore, name: string, channels: number, private readonly momentum = 0.1) {
    // The original initialises gamma to 1 and beta to 0.
    this.gamma = store.add(`${name}.weight`, () => tf.ones([channels]));
    this.beta = store.add(`${name}.bias`, () => tf.zeros([channels]));
    this.runningMean = store.add(`${name}.running_mean`, () => tf.zeros([channels]), false);
    this.runningVar = store.add(`${name}.running_var`, () => tf.ones([channels]), false);
    this.trainOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, gamma, beta, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      const { xhat } = normalise(x);
      const y = tf.relu(tf.add(tf.mul(xhat, gamma), beta)) as tf.Tensor4D;
      // Only inputs and outputs may be saved (a kernel keeps no intermediates); backward recomputes xhat.
      save([x, y]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => bnReluGrad(dy, saved, gamma) };
    }) as TrainOp;
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (training) {
      // The running update stays outside the custom op (a kernel must not create
      // tensors it does not return) and off the loss's path, so backprop skips it.
      this.updateRunning(x);
      return this.trainOp(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D);
    }
    const a = tf.mul(this.gamma, tf.rsqrt(tf.add(this.runningVar, EPS)));
    const b = tf.sub(this.beta, tf.mul(this.runningMean, a));
    return tf.relu(tf.add(tf.mul(x, a), b)) as tf.Tensor4D;
  }

  private updateRunning(x: tf.Tensor4D): void {
    const m = this.momentum;
    tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, m)));
    });
  }
}

/** Batch statistics over N, H, W: xhat = (x - mean) / sqrt(var + eps) and inv = 1 / sqrt(var + eps). */
function normalise(x: tf.Tensor): { xhat: tf.Tensor; inv: tf.Tensor } {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const inv = tf.rsqrt(tf.add(variance, EPS));
  return { xhat: tf.mul(tf.sub(x, mean), inv), inv };
}

/**
 * Gradient of relu(gamma * xhat + beta) with batch statistics, over the N = B*H*W
 * positions: g = dy * 1[y > 0]; dbeta = sum g; dgamma = sum g * xhat;
 * dx = gamma * inv / N * (N * g - dbeta - xhat * dgamma).
 */
function bnReluGrad(dy: tf.Tensor, [x, y]: tf.Tensor[], gamma: tf.Tensor1D): tf.Tensor[] {
  const n = x.size / x.shape[3]!;
  const { xhat, inv } = normalise(x);
  const g = tf.mul(dy, tf.step(y));
  const dbeta = tf.sum(g, [0, 1, 2]);
  const dgamma = tf.sum(tf.mul(g, xhat), [0, 1, 2]);
  const scale = tf.div(tf.mul(gamma, inv), n);
  const dx = tf.mul(scale, tf.sub(tf.sub(tf.mul(g, n), dbeta), tf.mul(xhat, dgamma)));
  return [dx, dgamma, dbeta];
}

/** conv (no bias) + BN + ReLU, the original's ConvBasic; 3x3 convs pad 1 like PyTorch's padding=1. */
export class ConvBasic {
  private readonly conv: Conv2d;
  private readonly bn: BatchNormRelu;

  constructor(store: ParamStore, name: string, p: ConvBasicPlan) {
    const k = p.kernel;
    this.conv = new Conv2d(store, `${name}.conv`, {
      inChannels: p.inChannels,
      outChannels: p.outChannels,
      kernel: k,
      stride: p.stride,
      pad: k === 3 ? 1 : 'valid',
      bias: false,
      // The original's init: N(0, sqrt(2 / (k * k * out))).
      init: { std: Math.sqrt(2 / (k * k * p.outChannels)) },
    });
    this.bn = new BatchNormRelu(store, `${name}.bn`, p.outChannels);
  }

  apply(x: tf.Tensor4D, ctx: RunContext): tf.Tensor4D {
    return this.bn.apply(this.conv.apply(x, ctx.counter), ctx.training);
  }
}

/** 1x1 squeeze then 3x3 conv, each ConvBasic (the original's ConvBN with bnAfter). */
export class Bottleneck {
  private readonly squeeze: ConvBasic;
  private readonly conv: ConvBasic;

  constructor(store: ParamStore, name: string, p: BottleneckPlan) {
    this.squeeze = new ConvBasic(store, `${name}.squeeze`, p.squeeze);
    this.conv = new ConvBasic(store, `${name}.conv`, p.conv);
  }

  apply(x: tf.Tensor4D, ctx: RunContext): tf.Tensor4D {
    return this.conv.apply(this.squeeze.apply(x, ctx), ctx);
  }
}

/**
 * Bilinear resize with aligned corners (the original's F.interpolate(...,
 * 'bilinear', align_corners=True)); a same-size resize is the identity and is skipped.
 */
export function resizeTo(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  if (x.shape[1] === height && x.shape[2] === width) return x;
  return tf.image.resizeBilinear(x, [height, width], true);
}
