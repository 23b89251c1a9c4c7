import * as tf from '@tensorflow/tfjs-core';
import type { AdnnMeta, Block } from '../contract.js';
import { INPUT_REGISTER, type CallStep, type StagePlan, type Step } from '../stages/index.js';
import { OnnxModelError } from './errors.js';
import type { PreparedGraph } from './graph.js';
import { evaluate } from './interpreter.js';
import { Partitioner, type Stage } from './partition.js';
import { IMAGE } from './prologue.js';
import { stageGraph } from './subgraph.js';
import type { Value } from './value.js';

/** One gated block of a skipping model, by tensor names (the manifest). */
export interface GatedBlock {
  name?: string;
  input: string;
  output: string;
  gate: string;
}

export type OnnxStructure = { kind: 'early-exit'; exits: string[] } | { kind: 'skipping'; blocks: GatedBlock[]; logits?: string };

/** The staged model: the plan both engines execute and the cost it implies. */
export interface OnnxPlan {
  plan: StagePlan;
  stages: Stage[];
  cost: Pick<AdnnMeta, 'baseFlops' | 'blocks' | 'exitFlops'>;
  numClasses: number;
}

export const register = (name: string): string => (name === IMAGE ? INPUT_REGISTER : `v:${name}`);

export function buildPlan(g: PreparedGraph, s: OnnxStructure, constants: Map<string, Value>): OnnxPlan {
  return s.kind === 'early-exit' ? earlyExit(g, s.exits, constants) : skipping(g, s.blocks, s.logits ?? g.model.graph.outputs[0]?.name ?? '', constants);
}

/** A value's shape as messages show it, the batch by name. */
function shown(g: PreparedGraph, name: string): string {
  return `[${['batch', ...g.values.get(name)!.shape.slice(1)].join(', ')}]`;
}

function classesOf(g: PreparedGraph, name: string, place: string): number {
  const v = g.values.get(name)!;
  if (v.ints || v.shape.length !== 2) throw new OnnxModelError(g.file, place, `"${name}" must be logits of shape [batch, classes], it is ${shown(g, name)}`);
  return v.shape[1];
}

function earlyExit(g: PreparedGraph, exits: string[], constants: Map<string, Value>): OnnxPlan {
  if (exits.length < 2) throw new OnnxModelError(g.file, 'exits', `an early-exit model needs at least two exits (the last is the final classifier), got ${exits.length}`);
  const part = new Partitioner(g);
  exits.forEach((e, i) => part.requireValue(e, `exits[${i}]`));
  const classes = exits.map((e, i) => classesOf(g, e, `exits[${i}]`));
  const position = exits.map((e) => g.nodes.findIndex((n) => n.outputs.includes(e)));
  position.forEach((at, i) => {
    if (i > 0 && at <= position[i - 1]) throw new OnnxModelError(g.file, `exits[${i}]`, `"${exits[i]}" is computed before "${exits[i - 1]}"; list the exits in the order the graph computes them`);
  });
  if (classes.some((c) => c !== classes[0])) throw new OnnxModelError(g.file, 'exits', `the exits give different numbers of classes: ${classes.join(', ')}`);
  const stages = exits.map((e, i) => {
    const stage = part.add(i === 0 ? 'stage0' : `stage${i}`, [e]);
    if (stage.nodes.length === 0) throw new OnnxModelError(g.file, `exits[${i}]`, `"${e}" is already computed on the way to an earlier exit; list the exits in the order the graph computes them`);
    return stage;
  });
  part.link();
  const steps = stages.flatMap((stage, i): Step[] => [
    callStep(g, stage, constants, i > 0 ? i - 1 : undefined),
    { op: 'exit', logits: register(exits[i]), always: i === exits.length - 1 },
  ]);
  let spent = 0;
  const blocks: Block[] = stages.slice(1).map((st, i) => ({ name: `${st.name} (to ${exits[i + 1]})`, flops: st.flops }));
  return {
    plan: { steps, blocks: blocks.length },
    stages,
    cost: { baseFlops: stages[0].flops, blocks, exitFlops: stages.map((st) => (spent += st.flops)) },
    numClasses: classes[0],
  };
}

function skipping(g: PreparedGraph, gated: GatedBlock[], logits: string, constants: Map<string, Value>): OnnxPlan {
  if (gated.length === 0) throw new OnnxModelError(g.file, 'blocks', 'a skipping model needs at least one gated block');
  const part = new Partitioner(g);
  part.requireValue(logits, 'logits');
  const numClasses = classesOf(g, logits, 'logits');
  const units = gated.map((b, k) => {
    for (const key of ['input', 'output', 'gate'] as const) {
      part.requireValue(b[key], `blocks[${k}].${key}`);
      if (!part.isCarried(b[key])) throw new OnnxModelError(g.file, `blocks[${k}].${key}`, `"${b[key]}" must be a float tensor computed from the input`);
    }
    if (shown(g, b.input) !== shown(g, b.output)) throw new OnnxModelError(g.file, `blocks[${k}]`, `input "${b.input}" is ${shown(g, b.input)} but output "${b.output}" is ${shown(g, b.output)}: a closed gate passes the input on as the output, so they must match`);
    const gateSize = g.values.get(b.gate)!.shape.slice(1).reduce((a, c) => a * c, 1);
    if (gateSize !== 1) throw new OnnxModelError(g.file, `blocks[${k}].gate`, `"${b.gate}" must hold one probability per input ([batch] or [batch, 1]), it is ${shown(g, b.gate)}`);
    const pre = part.add(`gates${k}`, [b.input, b.gate]);
    const body = part.add(b.name ?? `block${k}`, [b.output]);
    if (body.nodes.length === 0) throw new OnnxModelError(g.file, `blocks[${k}].output`, `"${b.output}" is computed before the block's input and gate; name the tensor the block itself computes`);
    const skip = { name: `skip${k}`, nodes: [], inputs: [b.input], outputs: [b.output], flops: 0 };
    return { pre, body, skip };
  });
  const head = part.add('head', [logits]);
  // A gate or block input computed by an earlier stage (its own gates stage then has no nodes).
  part.link(gated.flatMap((b) => [b.input, b.gate]));
  units.forEach(({ body }, k) => {
    const leaked = body.outputs.filter((o) => o !== gated[k].output);
    if (leaked.length > 0) throw new OnnxModelError(g.file, `blocks[${k}]`, `"${leaked[0]}", computed inside the block, is read after it; a skipped block would not compute it (move the block's output past it)`);
  });
  const steps: Step[] = units.flatMap(({ pre, body, skip }, k): Step[] => [
    ...(pre.nodes.length > 0 ? [callStep(g, pre, constants)] : []),
    { op: 'branch', p: register(gated[k].gate), column: 0, block: k, run: callStep(g, body, constants, k), skip: callStep(g, skip, constants) },
  ]);
  steps.push(callStep(g, head, constants), { op: 'exit', logits: register(logits), always: true });
  const baseFlops = units.reduce((s, u) => s + u.pre.flops, head.flops);
  return {
    plan: { steps, blocks: gated.length },
    stages: [...units.flatMap((u) => [u.pre, u.body]), head],
    cost: { baseFlops, blocks: units.map((u) => ({ name: u.body.name, flops: u.body.flops })) },
    numClasses,
  };
}

/** The stage as a plan step: the interpreter on tfjs, its cut-out graph on onnxruntime. */
function callStep(g: PreparedGraph, stage: Stage, constants: Map<string, Value>, block?: number): CallStep {
  return {
    op: 'call',
    name: stage.name,
    inputs: stage.inputs.map(register),
    outputs: stage.outputs.map(register),
    ...(block !== undefined ? { block } : {}),
    onnx: stageGraph(g, stage),
    fn: (inputs, counter) => {
      const values = new Map(constants);
      stage.inputs.forEach((name, i) => values.set(name, inputs[i][0]));
      evaluate(stage.nodes, values);
      counter?.add(stage.flops);
      // A shortcut stage hands its input on: a copy, so the executor may free either.
      return stage.outputs.map((name) => [stage.nodes.length === 0 ? tf.clone(values.get(stage.inputs[0]) as tf.Tensor) : (values.get(name) as tf.Tensor)]);
    },
  };
}
