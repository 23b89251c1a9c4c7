import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { FastBatchNorm, Conv2d, Dense, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import { globalAvgPool } from '../resnet/backbone.js';
import { OPEN_BIAS, type GateSession, type Gating, type StagedGating } from '../resnet/skipping.js';
import { LstmCell, type LstmState } from './lstm.js';

/** Sets a fresh gate's output bias so it starts leaning open (OPEN_BIAS). */
function openAtStart(dense: Dense, bias: number[]): Dense {
  tf.tidy(() => dense.bias.assign(tf.tensor1d(bias)));
  return dense;
}

/**
 * SkipNet's recurrent gate (Wang et al. 2018, §3.2; ucbdrive/skipnet
 * ResNetRecurrentGateSP): before each conditional block, the feature map the
 * previous block produced is average-pooled to 1x1 and embedded by a 1x1 conv
 * (one per position; a dense layer on the pooled vector, the same FLOPs), then
 * one LSTM shared by all positions steps, and Linear(hidden, 1) + sigmoid gives p.
 * The LSTM steps at every position, whether the block before it ran or not.
 *
 * FLOPs per gate: 2 x C x embed (the 1x1 conv) + 2 x 4H x (embed + H) (the
 * LSTM, which the authors' counter leaves out) + 2 x H (the projection).
 */
export class RecurrentGating implements Gating {
  private readonly embeds: Dense[];
  private readonly lstm: LstmCell;
  private readonly proj: Dense;
  readonly flops: number;

  /** `inputs`: the feature shape entering each conditional block, in order. */
  constructor(store: ParamStore, inputs: FeatureShape[], embedDim: number, hiddenDim: number) {
    this.embeds = inputs.map(([, , c], j) => new Dense(store, `gate${j}.embed`, c, embedDim));
    this.lstm = new LstmCell(store, 'control.lstm', embedDim, hiddenDim);
    this.proj = new Dense(store, 'control.proj', hiddenDim, 1);
    openAtStart(this.proj, [OPEN_BIAS]);
    this.flops = this.embeds.reduce((s, e) => s + e.flops() + this.lstm.flops() + this.proj.flops(), 0);
  }

  /** Gate at position k: embed the pooled map, step the LSTM, project to p [B]. */
  private gate(k: number, h: tf.Tensor4D, state: LstmState, counter?: FlopsCounter): { p: tf.Tensor1D; h: tf.Tensor2D; c: tf.Tensor2D } {
    return tf.tidy(() => {
      const e = this.embeds[k].apply(globalAvgPool(h), counter);
      const s = this.lstm.step(e, state, counter);
      const p = tf.reshape(tf.sigmoid(this.proj.apply(s.h, counter)), [-1]) as tf.Tensor1D;
      return { p, h: s.h, c: s.c };
    });
  }

  begin(x: tf.Tensor4D): GateSession {
    let position = 0;
    const zero = this.lstm.zeroState(x.shape[0]);
    let state: LstmState = { h: tf.keep(zero.h), c: tf.keep(zero.c) };
    return {
      next: (h: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor1D => {
        const out = this.gate(position++, h, state, counter);
        // The state outlives the caller's tidy; the tape keeps its own copies for the backward pass.
        tf.dispose([state.h, state.c]);
        state = { h: tf.keep(out.h), c: tf.keep(out.c) };
        return out.p;
      },
      dispose: () => tf.dispose([state.h, state.c]),
    };
  }

  /** Gate k reads 'h' and the LSTM state (register 'lstm': h, c; zero before the first gate), writes p and the state. */
  staged(): StagedGating {
    return {
      prelude: [],
      gate: (k) => ({
        p: 'p',
        steps: [
          {
            op: 'call',
            name: `gate${k}`,
            inputs: k === 0 ? ['h'] : ['h', 'lstm'],
            outputs: ['p', 'lstm'],
            fn: ([[h], lstm], counter) => {
              const state = lstm ? { h: lstm[0] as tf.Tensor2D, c: lstm[1] as tf.Tensor2D } : this.lstm.zeroState(h.shape[0]);
              const out = this.gate(k, h as tf.Tensor4D, state, counter);
              return [[out.p], [out.h, out.c]];
            },
          },
        ],
      }),
    };
  }
}

/**
 * SkipNet's feed-forward gate FFGate-II, the one its CIFAR SkipNet-110 uses
 * (ucbdrive/skipnet cifar10_feedforward_110, gate_type 'ffgate2'): conv3x3
 * stride 2 (C -> C, no bias) + BN + ReLU, average pooling to 1x1, a 1x1 conv
 * to 2 logits (a dense layer on the pooled vector) and softmax; p is the
 * probability of "execute". One gate per position, no shared state.
 */
export class FeedForwardGating implements Gating {
  private readonly gates: { conv: Conv2d; bn: FastBatchNorm; linear: Dense; input: FeatureShape }[];
  readonly flops: number;

  constructor(store: ParamStore, inputs: FeatureShape[]) {
    this.gates = inputs.map((input, j) => {
      const c = input[2];
      return {
        conv: new Conv2d(store, `gate${j}.conv1`, { inChannels: c, outChannels: c, kernel: 3, stride: 2, pad: 1, bias: false }),
        bn: new FastBatchNorm(store, `gate${j}.bn1`, c),
        linear: openAtStart(new Dense(store, `gate${j}.linear`, c, 2), [0, OPEN_BIAS]),
        input,
      };
    });
    this.flops = this.gates.reduce((s, g) => s + g.conv.flops(g.input) + g.linear.flops(), 0);
  }

  /** Gate k on the map entering its block: p [B], the probability of "execute". */
  private gate(k: number, h: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor1D {
    const g = this.gates[k];
    return tf.tidy(() => {
      const f = tf.relu(g.bn.apply(g.conv.apply(h, counter), training));
      const probs = tf.softmax(g.linear.apply(globalAvgPool(f), counter));
      return tf.reshape(tf.slice(probs, [0, 1], [-1, 1]), [-1]) as tf.Tensor1D;
    });
  }

  begin(_x: tf.Tensor4D, training: boolean): GateSession {
    let position = 0;
    return {
      next: (h: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor1D => this.gate(position++, h, training, counter),
      dispose: () => undefined,
    };
  }

  staged(): StagedGating {
    return {
      prelude: [],
      gate: (k) => ({
        p: 'p',
        steps: [{ op: 'call', name: `gate${k}`, inputs: ['h'], outputs: ['p'], fn: ([[h]], counter) => [[this.gate(k, h as tf.Tensor4D, false, counter)]] }],
      }),
    };
  }
}
