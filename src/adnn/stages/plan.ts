import type * as tf from '@tensorflow/tfjs-core';
import type { FlopsCounter } from '../../nn/flops.js';

/**
 * The real adaptive execution of a network, cut where its decisions are
 * taken: a list of steps over named registers. Each register holds a bundle
 * of tensors whose first dimension is the batch (SDN: one feature map;
 * RaNet: the maps at every scale later blocks still read; SkipNet: the map
 * and the LSTM state). The plan is written once per family from its own tfjs
 * code; one executor (execute.ts) applies the skip / exit rule between the
 * steps, on tfjs tensors or on onnxruntime sessions exported from the same
 * stage functions, so both engines take the same decisions and count the
 * same FLOPs.
 */

/**
 * A pure, per-input stage of the network: no reads of tensor values (it may
 * be traced into an ONNX graph), rows independent of each other. `inputs` are
 * the bundles of the step's input registers in order; it returns the bundles
 * of its output registers in order. Layers add their per-input FLOPs to
 * `counter` as they run (absent when not counting).
 */
export type StageFn = (inputs: tf.Tensor[][], counter?: FlopsCounter) => tf.Tensor[][];

/** Runs a stage function on the rows that reach it. */
export interface CallStep {
  op: 'call';
  /** Unique within the plan (names the ONNX graph and error messages). */
  name: string;
  inputs: string[];
  outputs: string[];
  fn: StageFn;
  /**
   * The conditional block this stage is part of: the rows that run it have
   * ran[block] = 1 (early-exit segments; a branch's body takes the branch's).
   */
  block?: number;
  /**
   * The stage as a ready ONNX graph (an imported model's stage, src/adnn/onnx):
   * onnxruntime loads it instead of tracing `fn`, which stays the tfjs
   * version of the same computation. Its inputs and outputs are the step's
   * registers in order, one tensor each.
   */
  onnx?: StageGraph;
}

export interface StageGraph {
  /** Serialised ModelProto. */
  bytes: Uint8Array;
  inputNames: string[];
  outputNames: string[];
  /** Per-input shape of each output, batch left out. */
  outputShapes: number[][];
  /** Per-input FLOPs of the stage. */
  flops: number;
}

/**
 * Early exit: the rows whose exit is confident (max softmax of the logits
 * >= tau), or every row when `always`, take the exit's argmax as their
 * prediction and leave the batch; the others go on.
 */
export interface ExitStep {
  op: 'exit';
  /** Register holding the exit's logits, [B, classes]. */
  logits: string;
  always: boolean;
}

/**
 * Conditional skipping: the rows whose activation probability p > tau run
 * `run` (and count its FLOPs and block), the others `skip` (the shortcut), or
 * keep their registers as they are when there is no `skip` (identity
 * shortcut). Both write the same registers; rows are merged back in order.
 */
export interface BranchStep {
  op: 'branch';
  /** Register holding p: [B] or [B, n] with `column` choosing the column. */
  p: string;
  column?: number;
  block: number;
  run: CallStep;
  skip?: CallStep;
}

export type Step = CallStep | ExitStep | BranchStep;

/** The input image batch enters the plan in this register, [B, H, W, C]. */
export const INPUT_REGISTER = 'x';

export interface StagePlan {
  steps: Step[];
  /** Number of conditional blocks (the network's meta.blocks.length). */
  blocks: number;
}

/** The plan does not fit the executor's rules (a bug in a family's or a user's plan). */
export class StagePlanError extends Error {
  override readonly name = 'StagePlanError';
}

/** The call steps of a plan in execution order, branch bodies included. */
export function callSteps(plan: StagePlan): CallStep[] {
  return plan.steps.flatMap((s) => (s.op === 'call' ? [s] : s.op === 'branch' ? (s.skip ? [s.run, s.skip] : [s.run]) : []));
}

/** Registers each step reads, in plan order. */
export function reads(step: Step): string[] {
  if (step.op === 'call') return step.inputs;
  if (step.op === 'exit') return [step.logits];
  return [step.p, ...step.run.inputs, ...(step.skip?.inputs ?? []), ...(step.skip ? [] : step.run.outputs)];
}

/** Registers each step writes. */
export function writes(step: Step): string[] {
  if (step.op === 'call') return step.outputs;
  if (step.op === 'exit') return [];
  return step.run.outputs;
}

/**
 * Checks what the executor relies on: every register is written before it
 * is read, branch bodies write the same registers, and the plan ends with an
 * exit every input takes.
 */
export function validatePlan(plan: StagePlan): void {
  const known = new Set([INPUT_REGISTER]);
  const names = new Set<string>();
  plan.steps.forEach((step, i) => {
    for (const r of reads(step)) if (!known.has(r)) throw new StagePlanError(`step ${i} (${describe(step)}) reads register '${r}' before anything writes it`);
    if (step.op === 'branch' && step.skip && step.skip.outputs.join() !== step.run.outputs.join()) {
      throw new StagePlanError(`branch ${step.run.name}: run writes [${step.run.outputs}] but skip writes [${step.skip.outputs}]`);
    }
    for (const r of writes(step)) known.add(r);
  });
  for (const step of callSteps(plan)) {
    if (names.has(step.name)) throw new StagePlanError(`two steps are named '${step.name}'`);
    names.add(step.name);
  }
  for (const step of plan.steps) {
    const block = step.op === 'branch' ? step.block : step.op === 'call' ? step.block : undefined;
    if (block !== undefined && !(Number.isInteger(block) && block >= 0 && block < plan.blocks)) {
      throw new StagePlanError(`block ${block} is outside the plan's ${plan.blocks} blocks`);
    }
  }
  const last = plan.steps[plan.steps.length - 1];
  if (last?.op !== 'exit' || !last.always) throw new StagePlanError('a plan must end with an exit that every input takes (always: true)');
}

function describe(step: Step): string {
  return step.op === 'call' ? step.name : step.op === 'branch' ? `branch ${step.run.name}` : `exit on ${step.logits}`;
}
