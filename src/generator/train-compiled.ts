import * as tf from '@tensorflow/tfjs-core';
import { defaultInferenceEngine, type CompiledProgram, type InferenceEngine } from '../engine/ort/index.js';
import { adamUpdate, AdamSchedule, type AdamConfig } from '../nn/index.js';
import type { Generator } from './architecture.js';
import { discriminatorObjective, generatorObjective, type ObjectiveParts, type StepConfig, type StepContext, type StepLosses } from './train-objective.js';

/**
 * The whole Eq. 8 step (D step, then G step, each with its Adam update) as
 * one onnxruntime program: traced from the same objectives the tfjs path
 * minimises (train-step.ts) and tfjs's own backward pass, with G's and D's
 * weights, BN running statistics and Adam moments as state fed and returned
 * each step, the frozen AdNN as constants. A perf loss written in tfjs ops
 * is traced like the rest. The weights stay here between steps and reach G's
 * and D's variables only when something reads them (syncCompiledStep: before
 * a validation, a snapshot, the end of training): writing about a million
 * floats into tfjs every step cost several ms of a ~100 ms step. Weights
 * assigned from outside between steps are read back in, and win over ones
 * not yet written back.
 */

interface Optimized {
  /** The variables one optimiser updates. */
  vars: tf.Variable[];
  /**
   * Adam's moments of all of them as one flat vector each, in the order of
   * `vars` (zeros while tracing): the update is a dozen elementwise nodes
   * instead of a dozen per variable, most of those on a few dozen floats (BN
   * parameters, biases) and each paying onnxruntime's per-node cost.
   */
  moments: { m: tf.Variable; v: tf.Variable };
}

/** tf.train.adam(lr, 0.5, 0.999)'s arithmetic; epsilon is the backend's, as tfjs's default. */
const adamConfig = (): AdamConfig => ({ beta1: 0.5, beta2: 0.999, epsilon: tf.backend().epsilon() });

class CompiledTrainStep {
  /** Every G and D variable the step reads or writes, then the Adam moments. */
  private readonly values: Float32Array[];
  /** The data id each network variable had when this step last read or wrote it. */
  private readonly written: (object | undefined)[];
  /** Network variables whose newest value is in `values` only (not yet written back). */
  private readonly pending: boolean[];
  private schedules = { d: new AdamSchedule(adamConfig()), g: new AdamSchedule(adamConfig()) };

  constructor(
    /** The engine that compiled it (and caches its session). */
    readonly engine: InferenceEngine,
    private readonly program: CompiledProgram,
    private readonly networkVars: tf.Variable[],
    momentSizes: number[],
    readonly signature: string,
  ) {
    this.values = [...networkVars.map((v) => v.dataSync() as Float32Array), ...momentSizes.map((n) => new Float32Array(n))];
    this.written = networkVars.map((v) => v.dataId);
    this.pending = networkVars.map(() => false);
  }

  /** Continues the Adam state of `earlier` (the same variables, other settings), as tfjs's optimisers would. */
  continueFrom(earlier: CompiledTrainStep): void {
    const n = this.networkVars.length;
    const same = earlier.values.length === this.values.length && earlier.networkVars.every((v, i) => v === this.networkVars[i]);
    if (!same) return;
    for (let i = n; i < this.values.length; i++) this.values[i] = earlier.values[i];
    this.schedules = earlier.schedules;
  }

  step(c: StepContext): StepLosses {
    this.networkVars.forEach((v, i) => {
      // Assigned from outside since we last read or wrote it (e.g. restored weights): read it.
      if (v.dataId === this.written[i]) return;
      this.values[i] = v.dataSync() as Float32Array;
      this.written[i] = v.dataId;
      this.pending[i] = false;
    });
    // The learning rate is an input of every step: a schedule changes it without a new program.
    const run = this.program.run([c.x.dataSync() as Float32Array, this.schedules.d.next(c.learningRate), this.schedules.g.next(c.learningRate)], this.values);
    run.state.forEach((next, i) => {
      if (!next) return;
      this.values[i] = next;
      if (i < this.pending.length) this.pending[i] = true;
    });
    const [discriminator, gan, perf, pert, total] = run.outputs.map((o) => o[0]);
    return { gan, perf, pert, total, discriminator };
  }

  /**
   * Writes the weights of the steps since the last sync into G's and D's
   * variables, but not over a variable assigned from outside since then
   * (that assignment came later, and wins as it would after a tfjs step).
   */
  sync(): void {
    tf.tidy(() =>
      this.networkVars.forEach((v, i) => {
        if (!this.pending[i]) return;
        this.pending[i] = false;
        if (v.dataId !== this.written[i]) return;
        v.assign(tf.tensor(this.values[i], v.shape));
        this.written[i] = v.dataId;
      }),
    );
  }
}

const compiled = new WeakMap<Generator, CompiledTrainStep | null>();

/**
 * What the traced step bakes in: a different one needs another program. The
 * whole configuration but the learning rate (an input of every step) counts,
 * so a setting added to it later cannot be baked in stale.
 */
function signatureOf(c: StepContext): string {
  const { attack, x } = c;
  // The loop's config also holds the starting learning rate and budgets: none is baked in.
  const { learningRate: _perStep, steps: _s, epochs: _e, minutes: _m, ...config } = c.config as StepConfig & Record<string, unknown>;
  const range = c.network.meta.input.range;
  return JSON.stringify([attack, c.tau, range, config, c.blockFlops, x.shape, c.g.bound]);
}

/**
 * Runs shorter than this stay on tfjs: tracing the step and loading its
 * session cost about as much as a few dozen small steps (docs/perf-gradients.md).
 */
export const MIN_COMPILED_STEPS = 25;

/** The compiled step for this context, built on first use; undefined when the step runs on tfjs. */
export function compiledTrainStep(c: StepContext): CompiledTrainStep | undefined {
  if (c.stepsAllowed < MIN_COMPILED_STEPS) return undefined;
  const signature = signatureOf(c);
  const known = compiled.get(c.g);
  if (known !== undefined && (known === null || known.signature === signature)) return known ?? undefined;
  // Settings changed mid-run (e.g. a tau curriculum): a new program that
  // continues the Adam moments, and the old session goes. It starts from
  // the variables (and a failed build leaves them to tfjs): write back first.
  known?.sync();
  if (known) known.engine.releaseProgram(c.g, programKey(known.signature));
  const made = build(c, signature);
  if (made && known) made.continueFrom(known);
  compiled.set(c.g, made ?? null);
  return made;
}

/**
 * Puts the weights of G's compiled steps into G's and D's variables. Call it
 * before reading them, and before assigning them a tensor that may share a
 * variable's data id (a tf.clone of it): the step tells an assignment from
 * outside by a new data id.
 */
export function syncCompiledStep(g: Generator): void {
  compiled.get(g)?.sync();
}

/** Writes back and frees G's compiled step (its session and state) once training is over; a later step compiles again. */
export function releaseCompiledStep(g: Generator): void {
  const known = compiled.get(g);
  known?.sync();
  if (known) known.engine.releaseProgram(g, programKey(known.signature));
  compiled.delete(g);
}

const programKey = (signature: string) => `Eq. 8 step ${signature}`;

function build(c: StepContext, signature: string): CompiledTrainStep | undefined {
  const optimized = (vars: tf.Variable[]): Optimized => {
    const size = vars.reduce((n, v) => n + v.size, 0);
    return { vars, moments: { m: tf.variable(tf.zeros([size]), false), v: tf.variable(tf.zeros([size]), false) } };
  };
  const d = optimized(c.config.gan ? c.d.store.trainable() : []);
  const g = optimized(c.g.store.trainable());
  const networkVars = [...c.g.store.named().values(), ...(c.config.gan ? c.d.store.named().values() : [])];
  const momentVars = [d, g].flatMap((o) => [o.moments.m, o.moments.v]);
  try {
    const engine = defaultInferenceEngine();
    const program = engine.program(c.g, programKey(signature), c.network.namedWeights().values(), () => ({
      inputs: [c.x, tf.zeros([3]), tf.zeros([3])],
      state: [...networkVars, ...momentVars],
      fn: (x, dScalars, gScalars) => tracedStep({ ...c, x: x as tf.Tensor4D }, d, g, dScalars as tf.Tensor1D, gScalars as tf.Tensor1D),
      name: 'eq8-step',
    }));
    return program && new CompiledTrainStep(engine, program, networkVars, momentVars.map((v) => v.size), signature);
  } finally {
    tf.dispose(momentVars);
  }
}

/** The step as the program's trace sees it: losses out, every update an assignment. */
function tracedStep(c: StepContext, d: Optimized, g: Optimized, dScalars: tf.Tensor1D, gScalars: tf.Tensor1D): tf.Tensor[] {
  let dLoss: tf.Tensor = tf.scalar(0);
  if (c.config.gan) {
    const objective = discriminatorObjective(c);
    const { value, grads } = tf.variableGrads(objective.loss, d.vars);
    applyAdam(d, grads, dScalars);
    dLoss = value;
  }
  const parts: ObjectiveParts = {};
  const { value, grads } = tf.variableGrads(generatorObjective(c, parts), g.vars);
  applyAdam(g, grads, gScalars);
  return [dLoss, parts.gan!, parts.perf!, parts.pert!, value];
}

/**
 * Adam on all of an optimiser's variables at once, laid end to end: the same
 * elementwise arithmetic per weight as a per-variable update, so the same
 * numbers. A variable without a gradient (tfjs's optimisers skip it) gets a
 * zero one: its moments stay zero, and Adam moves it by 0 / (0 + eps) = 0.
 */
function applyAdam(o: Optimized, grads: tf.NamedTensorMap, scalars: tf.Tensor1D): void {
  if (o.vars.length === 0) return;
  const flat = (ts: tf.Tensor[]) => tf.concat(ts.map((t) => tf.reshape(t, [-1])));
  const grad = flat(o.vars.map((w) => grads[w.name] ?? tf.zerosLike(w)));
  const next = adamUpdate(flat(o.vars), grad, o.moments, scalars, adamConfig());
  o.moments.m.assign(next.m);
  o.moments.v.assign(next.v);
  const parts = tf.split(next.value, o.vars.map((w) => w.size));
  o.vars.forEach((w, i) => w.assign(tf.reshape(parts[i], w.shape)));
}
