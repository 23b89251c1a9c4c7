import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta, Execution, SoftOutput } from '../contract.js';
import { DEFAULT_TAU, straightThrough } from '../zoo/resnet/index.js';
import { runPlanTfjs, type StagePlan } from '../stages/index.js';
import { OnnxModelError } from './errors.js';
import type { PreparedGraph } from './graph.js';
import { evaluate } from './interpreter.js';
import type { OnnxPlan, OnnxStructure } from './plan.js';
import { IMAGE } from './prologue.js';
import { valueOfTensor, type Value } from './value.js';

/** One onnxruntime session of the staged execution, as model-info shows it. */
export interface StageSummary {
  name: string;
  nodes: number;
  /** Carried tensors it reads ('image' for the input batch). */
  reads: string[];
  writes: string[];
  flops: number;
}

/**
 * An AdNN read from an ONNX graph. The soft pass and exit logits run the
 * interpreter on tfjs (differentiable); run() executes the stage plan, and
 * the forward-only paths run the same plan's stages as onnxruntime sessions
 * cut from the graph (src/adnn/stages/ort.ts).
 */
export class OnnxNetwork implements AdaptiveNetwork {
  readonly meta: AdnnMeta;

  constructor(
    private readonly g: PreparedGraph,
    private readonly structure: OnnxStructure,
    private readonly staged: OnnxPlan,
    /** Initializers as tensors, shared by every pass; freed by dispose(). */
    private readonly constants: Map<string, Value>,
    name: string,
  ) {
    this.meta = { name, arch: 'onnx', kind: structure.kind, input: g.input, numClasses: staged.numClasses, ...staged.cost };
  }

  /** The graph's values for a batch, every node evaluated (inside the caller's tidy). */
  private forward(x: tf.Tensor4D): Map<string, Value> {
    const values = new Map(this.constants);
    values.set(IMAGE, x);
    evaluate(this.g.nodes, values);
    return values;
  }

  exitLogits(x: tf.Tensor4D): tf.Tensor2D[] {
    if (this.structure.kind !== 'early-exit') throw new RangeError('exitLogits() belongs to early-exit models');
    const exits = this.structure.exits;
    return tf.tidy(() => {
      const values = this.forward(x);
      return exits.map((e) => values.get(e) as tf.Tensor2D);
    });
  }

  soft(x: tf.Tensor4D, tau: number = DEFAULT_TAU): SoftOutput {
    if (this.structure.kind === 'early-exit') {
      return tf.tidy(() => {
        const logits = this.exitLogits(x);
        // p of block i: the chance of going on past exit i-1 (src/adnn/flops.ts).
        const p = logits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1)));
        return { logits: logits[logits.length - 1], p: tf.stack(p, 1) as tf.Tensor2D };
      });
    }
    return tf.tidy(() => {
      const { logits, p } = this.gatedPass(x, tau);
      return { logits, p };
    });
  }

  /**
   * Skipping models: the stages in plan order; after each block its output
   * is 1[p > tau] * block + (1 - 1[p > tau]) * input (straight-through in p),
   * so later gates read what the real execution at tau gives them.
   */
  private gatedPass(x: tf.Tensor4D, tau: number): SoftOutput {
    const s = this.structure as Extract<OnnxStructure, { kind: 'skipping' }>;
    const values = new Map(this.constants);
    values.set(IMAGE, x);
    const ps: tf.Tensor1D[] = [];
    let k = 0;
    for (const stage of this.staged.stages) {
      evaluate(stage.nodes, values);
      const block = s.blocks[k];
      if (!block || !stage.outputs.includes(block.output)) continue;
      const input = values.get(block.input) as tf.Tensor;
      const p = tf.reshape(values.get(block.gate) as tf.Tensor, [-1]) as tf.Tensor1D;
      const open = tf.reshape(straightThrough(p, tau), [-1, ...input.shape.slice(1).map(() => 1)]);
      values.set(block.output, tf.add(tf.mul(open, values.get(block.output) as tf.Tensor), tf.mul(tf.sub(1, open), input)));
      ps.push(p);
      k++;
    }
    return { logits: values.get(s.logits ?? this.g.model.graph.outputs[0].name) as tf.Tensor2D, p: tf.stack(ps, 1) as tf.Tensor2D };
  }

  run(x: tf.Tensor4D, tau: number): Execution {
    return runPlanTfjs(this.staged.plan, x, tau);
  }

  stages(): StagePlan {
    return this.staged.plan;
  }

  /** The stages the graph was cut into, in plan order, for model-info. */
  stageSummary(): StageSummary[] {
    return this.staged.stages.map((s) => ({
      name: s.name,
      nodes: s.nodes.length,
      reads: s.inputs.map((i) => (i === IMAGE ? 'image' : i)),
      writes: [...s.outputs],
      flops: s.flops,
    }));
  }

  /** The model file's operator set. */
  get opset(): number {
    return this.g.model.opset;
  }

  trainingLoss(): tf.Scalar {
    throw new OnnxModelError(this.g.file, 'retraining', 'an ONNX model has no training graph, so deepperform cannot retrain it; retrain it in PyTorch and export it again');
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  namedWeights(): Map<string, tf.Variable> {
    return new Map();
  }

  dispose(): void {
    for (const v of this.constants.values()) if (v instanceof tf.Tensor) v.dispose();
  }
}

export function constantsOf(g: PreparedGraph): Map<string, Value> {
  return new Map([...g.initializers].map(([name, t]) => [name, valueOfTensor(t)]));
}
