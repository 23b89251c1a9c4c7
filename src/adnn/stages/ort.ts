import type * as tf from '@tensorflow/tfjs-core';
import type { CompiledForward, ForwardCompiler, InferenceEngine, OrtTensorData } from '../../engine/ort/index.js';
import type { AdaptiveNetwork } from '../contract.js';
import { FlopsCounter } from '../flops.js';
import { executePlan, type ExecuteOptions, type StageBackend, type StagedExecution } from './execute.js';
import { INPUT_REGISTER, StagePlanError, validatePlan, type CallStep, type StagePlan } from './plan.js';

/** One stage as an ORT session, with what its tfjs code counted while it was traced. */
interface CompiledStage {
  forward: CompiledForward;
  /** FLOPs per input: layers count for the shapes they receive, so the trace's count is every run's. */
  flops: number;
  /** Tensors per output register, to cut the session's flat output list back into bundles. */
  outputSizes: number[];
}

/** Splits a flat list into consecutive groups of the given sizes. */
function regroup<T>(flat: readonly T[], sizes: readonly number[]): T[][] {
  let at = 0;
  return sizes.map((n) => flat.slice(at, (at += n)));
}

/**
 * A network's stage plan compiled to onnxruntime: one session per call step
 * (stage, gate, block body, shortcut, head), each exported by tracing the
 * family's own stage function. The decisions between them are the executor's,
 * shared with the tfjs run().
 */
export class OrtStagedNetwork {
  /** The executor's view of the sessions (public for measurements that wrap it). */
  readonly backend: StageBackend<OrtTensorData>;

  constructor(
    readonly plan: StagePlan,
    readonly inputShape: readonly number[],
    private readonly stages: Map<CallStep, CompiledStage>,
  ) {
    this.backend = ortBackend(stages);
  }

  /** FLOPs per input of each call step, by name (what the executor adds). */
  stageFlops(): Map<string, number> {
    return new Map([...this.stages].map(([step, s]) => [step.name, s.flops]));
  }

  /** The real adaptive execution of `count` images laid out back to back (NHWC float32). */
  run(images: Float32Array, count: number, tau: number, opts?: ExecuteOptions): StagedExecution {
    const input: OrtTensorData = { data: images, dims: [count, ...this.inputShape] };
    return executePlan(this.plan, this.backend, input, count, tau, opts);
  }

  dispose(): void {
    for (const s of this.stages.values()) s.forward.dispose();
  }
}

function rowSize(v: OrtTensorData): number {
  return v.dims.slice(1).reduce((a, b) => a * b, 1);
}

function ortBackend(stages: Map<CallStep, CompiledStage>): StageBackend<OrtTensorData> {
  return {
    call(step, inputs) {
      const s = stages.get(step);
      if (!s) throw new StagePlanError(`step ${step.name} was not compiled`);
      return { outputs: regroup(s.forward.runTensors(inputs.flat()), s.outputSizes), flops: s.flops };
    },
    read(v) {
      return { data: v.data, width: v.dims.length > 1 ? v.dims[1] : 1 };
    },
    take(v, rows) {
      const size = rowSize(v);
      const out = new Float32Array(rows.length * size);
      rows.forEach((r, i) => out.set(v.data.subarray(r * size, (r + 1) * size), i * size));
      return { data: out, dims: [rows.length, ...v.dims.slice(1)] };
    },
    merge(parts, total) {
      const size = rowSize(parts[0].value);
      const out = new Float32Array(total * size);
      for (const { value, rows } of parts) rows.forEach((r, i) => out.set(value.data.subarray(i * size, (i + 1) * size), r * size));
      return { data: out, dims: [total, ...parts[0].value.dims.slice(1)] };
    },
    // Plain arrays: the garbage collector frees them.
    release() {},
  };
}

/**
 * Exports every call step of `plan`, in plan order so each knows the shapes
 * of the registers it reads. A stage function is traced once, at the trace
 * batch; a FlopsCounter passed to it records its per-input FLOPs.
 */
function compileStages(compile: ForwardCompiler, network: AdaptiveNetwork, plan: StagePlan): OrtStagedNetwork {
  validatePlan(plan);
  const { height, width, channels } = network.meta.input;
  const shapes = new Map<string, (readonly number[])[]>([[INPUT_REGISTER, [[height, width, channels]]]]);
  const stages = new Map<CallStep, CompiledStage>();
  const one = (step: CallStep): (readonly number[])[][] => {
    const bundles = step.inputs.map((r) => shapes.get(r)!);
    const inputSizes = bundles.map((b) => b.length);
    if (step.onnx) {
      const forward = compile.load(step.onnx, bundles.flat());
      stages.set(step, { forward, flops: step.onnx.flops, outputSizes: step.outputs.map(() => 1) });
      return step.onnx.outputShapes.map((s) => [s]);
    }
    const counter = new FlopsCounter();
    let outputSizes: number[] = [];
    const forward = compile(
      bundles.flat(),
      (...xs: tf.Tensor[]) => {
        const out = step.fn(regroup(xs, inputSizes), counter);
        outputSizes = out.map((b) => b.length);
        return out.flat();
      },
      `${network.meta.name}: ${step.name}`,
    );
    stages.set(step, { forward, flops: counter.value, outputSizes });
    return regroup(forward.outputShapes, outputSizes);
  };
  const store = (names: readonly string[], out: (readonly number[])[][]) => names.forEach((r, i) => shapes.set(r, out[i]));
  for (const step of plan.steps) {
    if (step.op === 'call') store(step.outputs, one(step));
    if (step.op === 'branch') {
      // Both bodies read the registers as they were before the branch.
      const run = one(step.run);
      const skip = step.skip ? one(step.skip) : step.run.outputs.map((r) => shapes.get(r)!);
      // Rows of both are merged into one tensor per register.
      if (JSON.stringify(skip) !== JSON.stringify(run)) {
        throw new StagePlanError(`branch ${step.run.name}: the block gives ${JSON.stringify(run)} per input, the shortcut ${JSON.stringify(skip)}`);
      }
      store(step.run.outputs, run);
    }
  }
  return new OrtStagedNetwork(plan, [height, width, channels], stages);
}

/**
 * The network's staged execution on onnxruntime, or undefined when it runs on
 * tfjs: it exposes no stages, ORT is not wanted or cannot load, or a stage
 * cannot be exported ('auto' warns once). Cached in the engine while the
 * weights are unchanged.
 */
export function compileStagedOrt(engine: InferenceEngine, network: AdaptiveNetwork, opts: StagedOrtOptions = {}): OrtStagedNetwork | undefined {
  const plan = network.stages?.();
  if (!plan) return undefined;
  const key = `adaptive execution of ${network.meta.name}${opts.threads ? ` (${opts.threads} intra-op threads)` : ''}`;
  return engine.build(network, key, network.namedWeights().values(), (compile) => compileStages(compile, network, plan), { threads: opts.threads });
}

export interface StagedOrtOptions {
  /**
   * Intra-op threads of the stage sessions; default the engine's. One suits
   * batch-1 execution (latency): a stage of a single input is too small for
   * ORT's thread pool to pay for its synchronisation (docs/engine.md).
   */
  threads?: number;
}
