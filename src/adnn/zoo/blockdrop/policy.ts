import * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../flops.js';
import { Dense, type FeatureShape, type ParamStore } from '../../../nn/index.js';
import { CifarResNet } from '../resnet/backbone.js';
import { OPEN_BIAS, type GateSession, type Gating, type StagedGating } from '../resnet/skipping.js';

export interface AgentSpec {
  /** Basic blocks per stage: [1, 1, 1] in BlockDrop (a ResNet-8). */
  stages: number[];
  widths: number[];
}

/**
 * BlockDrop's policy network (Wu et al., CVPR 2018; Tushar-N/blockdrop
 * Policy32): a CIFAR ResNet with one basic block per stage and parameter-free
 * downsampling shortcuts reads the input image itself (at full resolution for
 * CIFAR; only the ImageNet agent halves it), then Linear(C, K) + sigmoid gives
 * the K block probabilities at once, and Linear(C, 1) the value head.
 *
 * The value head is evaluated in every pass as in the original's forward, so
 * its 2 x C FLOPs are part of the agent's cost (the reference 24,484,736 for
 * CIFAR includes them); nothing here trains or reads it, just as the released
 * training (a self-critical baseline) never reads it.
 */
export class PolicyGating implements Gating {
  private readonly features: CifarResNet;
  private readonly logit: Dense;
  private readonly value: Dense;
  readonly flops: number;

  constructor(store: ParamStore, input: FeatureShape, spec: AgentSpec, blocks: number) {
    this.features = new CifarResNet(store, 'agent.', input, { ...spec, shortcut: 'zero-pad' });
    const c = this.features.featureShape[2];
    this.logit = new Dense(store, 'agent.logit', c, blocks);
    // Blocks start leaning on (p ~ 0.62), as BlockDrop's curriculum starts from the full network (README.md).
    tf.tidy(() => this.logit.bias.assign(tf.fill([blocks], OPEN_BIAS)));
    this.value = new Dense(store, 'agent.vnet', c, 1);
    const units = this.features.units.reduce((s, u) => s + u.residualFlops + u.shortcutFlops, 0);
    this.flops = this.features.stemFlops + units + this.logit.flops() + this.value.flops();
  }

  /** p [B, K] for every block, from the image alone. */
  probabilities(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): tf.Tensor2D {
    return tf.tidy(() => {
      const f = this.features.features(x, training, counter);
      this.value.apply(f, counter);
      return tf.sigmoid(this.logit.apply(f, counter));
    });
  }

  begin(x: tf.Tensor4D, training: boolean, counter?: FlopsCounter): GateSession {
    const p = tf.keep(this.probabilities(x, training, counter));
    let position = 0;
    return {
      next: (): tf.Tensor1D => {
        const k = position++;
        return tf.tidy(() => tf.reshape(tf.slice(p, [0, k], [-1, 1]), [-1]) as tf.Tensor1D);
      },
      dispose: () => p.dispose(),
    };
  }

  /** The policy reads the image before the stem (register 'policy', [B, K]); unit k's p is its column k. */
  staged(): StagedGating {
    return {
      prelude: [{ op: 'call', name: 'policy', inputs: ['x'], outputs: ['policy'], fn: ([[x]], counter) => [[this.probabilities(x as tf.Tensor4D, false, counter)]] }],
      gate: (k) => ({ steps: [], p: 'policy', column: k }),
    };
  }
}
