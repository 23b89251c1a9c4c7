import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta, Execution, SoftOutput } from '../../contract.js';
import type { FlopsCounter } from '../../flops.js';
import { INPUT_REGISTER, runPlanTfjs, type StagePlan, type Step } from '../../stages/index.js';
import type { ParamStore } from '../../../nn/index.js';
import { RaBlock, RaExit } from './blocks.js';
import type { RaNetConfig } from './config.js';
import { ConvBasic, type RunContext } from './layers.js';
import { segmentFlops } from './plan-flops.js';
import type { RaNetPlan, SegmentPlan } from './plan.js';
import { flattenState, unflattenState, type RaState, type StateLayout } from './state.js';

/**
 * A Resolution Adaptive Network (Yang et al., CVPR 2020) as an early-exit AdNN.
 * Sub-networks run coarsest first, each ending in exits; a finer one fuses the
 * features of the coarser one it follows. The forward order is cut after every
 * exit into segments: segment 0 (stem, first blocks, exit 0) always runs, block
 * i (i >= 1) is segment i with exit i and runs iff every earlier exit's max
 * softmax stayed below tau; the last exit always answers. p_i = 1 - max
 * softmax of exit i-1 (docs/design.md §2).
 */
export class RaNetNetwork implements AdaptiveNetwork {
  readonly meta: AdnnMeta;
  private readonly stem: ConvBasic[];
  private readonly blocks: RaBlock[][];
  private readonly exits: RaExit[];
  private stagePlan?: StagePlan;

  constructor(
    private readonly store: ParamStore,
    readonly plan: RaNetPlan,
    private readonly config: RaNetConfig,
    names: { name: string; arch: string },
  ) {
    this.stem = plan.stem.map((p, i) => new ConvBasic(store, `stem${i}`, p));
    this.blocks = plan.flows.map((blocks, f) => blocks.map((b) => new RaBlock(store, `scale${f}.block${b.index}`, b)));
    this.exits = plan.exits.map((e) => new RaExit(store, `exit${e.index}`, e));
    const costs = segmentFlops(plan);
    let spent = 0;
    this.meta = {
      ...names,
      kind: 'early-exit',
      input: config.input,
      numClasses: config.numClasses,
      baseFlops: costs[0],
      blocks: plan.segments.slice(1).map((seg, i) => ({ name: segmentName(seg), flops: costs[i + 1] })),
      // Leaving at exit i pays segments 0..i.
      exitFlops: costs.map((f) => (spent += f)),
    };
  }

  /** Normalisation and the first layer: the input of every sub-network (RAFirstLayer). */
  private start(x: tf.Tensor4D, ctx: RunContext): RaState {
    const { mean, std } = this.config.normalize;
    let h: tf.Tensor4D = tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std));
    const outs = this.stem.map((conv) => (h = conv.apply(h, ctx)));
    return { inputs: outs.reverse(), previous: [], current: [], flow: -1 };
  }

  /** Normalisation and the first stem layer (conv, BN, ReLU) in inference mode: the contract's firstConv. */
  firstConv(x: tf.Tensor4D, counter?: FlopsCounter): tf.Tensor4D {
    return tf.tidy(() => {
      const { mean, std } = this.config.normalize;
      const h = tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor4D;
      return this.stem[0].apply(h, { training: false, counter });
    });
  }

  /** Runs segment i's blocks and its exit on `state`; returns the next state and the exit's logits. */
  private advance(state: RaState, seg: SegmentPlan, ctx: RunContext): { state: RaState; logits: tf.Tensor2D } {
    let s = state;
    for (const block of seg.blocks) {
      if (block.flow !== s.flow) {
        // A new sub-network starts from its stem output and fuses the previous one's features.
        const inputs = [...s.inputs];
        const x = inputs[block.flow];
        inputs[block.flow] = undefined;
        s = { inputs, previous: s.current, current: [], x, flow: block.flow };
      }
      const low = block.kind === 'fusion' ? s.previous[block.index - 1] : undefined;
      const out = this.blocks[block.flow][block.index - 1].apply(s.x!, low, ctx);
      s = { ...s, current: [...s.current, out.features], x: out.output };
    }
    return { state: s, logits: this.exits[seg.exit.index].apply(s.x!, ctx) };
  }

  /** Logits of every exit, in order; `training` uses batch statistics (trainingLoss only). */
  exitLogits(x: tf.Tensor4D, training = false): tf.Tensor2D[] {
    const ctx = { training };
    let state = this.start(x, ctx);
    return this.plan.segments.map((seg) => {
      const out = this.advance(state, seg, ctx);
      state = out.state;
      return out.logits;
    });
  }

  soft(x: tf.Tensor4D): SoftOutput {
    return tf.tidy(() => {
      const logits = this.exitLogits(x);
      // p of block i is the chance of continuing past exit i-1.
      const p = logits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1)));
      return { logits: logits[logits.length - 1], p: tf.stack(p, 1) as tf.Tensor2D };
    });
  }

  /** The real adaptive execution: the stage plan on tfjs (src/adnn/stages decides who exits). */
  run(x: tf.Tensor4D, tau: number): Execution {
    return runPlanTfjs(this.stages(), x, tau);
  }

  /**
   * Segment i with its exit is one stage; the state between segments (maps
   * at several scales) travels as register 'state', the flat list of its
   * distinct tensors, with the layout each stage found when it last ran.
   * Segment 0 reads the image and starts the sub-networks.
   */
  stages(): StagePlan {
    if (this.stagePlan) return this.stagePlan;
    const segments = this.plan.segments;
    const last = segments.length - 1;
    const layouts: StateLayout[] = [];
    const steps = segments.flatMap((seg, i): Step[] => [
      {
        op: 'call',
        name: i === 0 ? 'segment0' : this.meta.blocks[i - 1].name,
        inputs: [i === 0 ? INPUT_REGISTER : 'state'],
        outputs: i === last ? ['logits'] : ['state', 'logits'],
        ...(i > 0 ? { block: i - 1 } : {}),
        fn: ([input], counter) => {
          const ctx = { training: false, counter };
          const before = i === 0 ? this.start(input[0] as tf.Tensor4D, ctx) : unflattenState(layouts[i - 1], input as tf.Tensor4D[]);
          const out = this.advance(before, seg, ctx);
          if (i === last) return [[out.logits]];
          const flat = flattenState(out.state);
          layouts[i] = flat.layout;
          return [flat.tensors, [out.logits]];
        },
      },
      { op: 'exit', logits: 'logits', always: i === last },
    ]);
    return (this.stagePlan = { steps, blocks: this.meta.blocks.length });
  }

  /** RaNet's training objective (RANet-pytorch main.py): the sum of every exit's cross-entropy. */
  trainingLoss(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
    const losses = this.exitLogits(x, true).map((l) => tf.losses.softmaxCrossEntropy(labels, l));
    return tf.addN(losses) as tf.Scalar;
  }

  trainableVariables(): tf.Variable[] {
    return this.store.trainable();
  }

  namedWeights(): Map<string, tf.Variable> {
    return this.store.named();
  }

  dispose(): void {
    this.store.dispose();
  }
}

function segmentName(seg: SegmentPlan): string {
  const flows = [...new Set(seg.blocks.map((b) => b.flow))];
  const parts = flows.map((f) => {
    const idx = seg.blocks.filter((b) => b.flow === f).map((b) => b.index);
    const range = idx.length > 1 ? `${idx[0]}-${idx[idx.length - 1]}` : `${idx[0]}`;
    return `scale${f}.block${range}`;
  });
  return `${parts.join('+')}+exit${seg.exit.index}`;
}
