import type { Execution } from '../contract.js';
import { INPUT_REGISTER, reads, StagePlanError, validatePlan, writes, type BranchStep, type CallStep, type ExitStep, type StagePlan } from './plan.js';

/**
 * What the executor needs from an engine: tensors of type V (tf.Tensor on
 * tfjs, flat float arrays on onnxruntime), each with the batch first.
 */
export interface StageBackend<V> {
  /** Runs a call step on whole bundles; returns its output bundles and its FLOPs per input. */
  call(step: CallStep, inputs: V[][], count: boolean): { outputs: V[][]; flops: number };
  /** Values of a [B] or [B, n] float tensor, row-major, and n. */
  read(v: V): { data: Float32Array; width: number };
  /** Rows `rows` of v, in that order. */
  take(v: V, rows: readonly number[]): V;
  /** The rows of several parts put back at their positions in a batch of `total`. */
  merge(parts: readonly { value: V; rows: readonly number[] }[], total: number): V;
  /** Frees what is in `dead` and not in `alive` (tfjs disposes; arrays are left to the GC). */
  release(dead: Iterable<V>, alive: Iterable<V>): void;
}

export interface ExecuteOptions {
  /** Count FLOPs and blocks run (default true); off only to measure what counting costs. */
  instrument?: boolean;
  /** Also return the logits of the exit each input took (to compare engines). */
  keepLogits?: boolean;
}

/** What the executor returns: the contract's Execution, plus the logits when asked for. */
export interface StagedExecution extends Execution {
  /** Row-major [B, classes]: the logits of the exit each input left at (ExecuteOptions.keepLogits). */
  logits?: Float32Array;
}

/**
 * The decision rules of the real execution (docs/design.md §2), in one place for
 * every engine. An input leaves at an exit when its max softmax >= tau.
 */
export function exitConfident(confidence: number, tau: number): boolean {
  return confidence >= tau;
}

/** A conditional block runs when its activation probability p > tau. */
export function blockRuns(p: number, tau: number): boolean {
  return p > tau;
}

/** Max softmax and argmax of one row of logits (the first maximum wins, like tf.argMax). */
export function softmaxTop(logits: ArrayLike<number>, offset: number, classes: number): { confidence: number; label: number } {
  let label = 0;
  let max = logits[offset];
  for (let c = 1; c < classes; c++) {
    if (logits[offset + c] > max) {
      max = logits[offset + c];
      label = c;
    }
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(logits[offset + c] - max);
  return { confidence: 1 / sum, label };
}

/**
 * Executes `plan` on a batch of `count` inputs at threshold tau: skipped
 * blocks are not computed and inputs that exited leave the batch. `input` is
 * the batch in the input register; the executor owns it (releases it).
 */
export function executePlan<V>(plan: StagePlan, backend: StageBackend<V>, input: V, count: number, tau: number, opts: ExecuteOptions = {}): StagedExecution {
  return new Run(plan, analyse(plan), backend, count, tau, opts).execute(input);
}

/** neededAfter[i]: the registers read after step i before anything overwrites them (live registers). */
interface Analysis {
  neededAfter: Set<string>[];
}

// Per plan, once: latency runs a plan input by input, and a plan's steps do not change.
const analyses = new WeakMap<StagePlan, Analysis>();

function analyse(plan: StagePlan): Analysis {
  let a = analyses.get(plan);
  if (!a) {
    validatePlan(plan);
    const neededAfter: Set<string>[] = [];
    let live = new Set<string>();
    for (let i = plan.steps.length - 1; i >= 0; i--) {
      neededAfter[i] = live;
      const written = new Set(writes(plan.steps[i]));
      live = new Set([...reads(plan.steps[i]), ...[...live].filter((r) => !written.has(r))]);
    }
    analyses.set(plan, (a = { neededAfter }));
  }
  return a;
}

class Run<V> {
  private readonly regs = new Map<string, V[]>();
  /** Original index of each row of the current batch. */
  private active: number[];
  private readonly result: StagedExecution;
  private readonly blocks: number;
  private readonly instrument: boolean;
  private readonly keepLogits: boolean;
  private readonly neededAfter: Set<string>[];

  constructor(
    private readonly plan: StagePlan,
    analysis: Analysis,
    private readonly backend: StageBackend<V>,
    count: number,
    private readonly tau: number,
    opts: ExecuteOptions,
  ) {
    this.instrument = opts.instrument ?? true;
    this.keepLogits = opts.keepLogits ?? false;
    this.active = Array.from({ length: count }, (_, i) => i);
    this.blocks = plan.blocks;
    this.result = { predictions: new Int32Array(count), ran: new Uint8Array(count * this.blocks), flops: new Float64Array(count) };
    this.neededAfter = analysis.neededAfter;
  }

  execute(input: V): StagedExecution {
    this.regs.set(INPUT_REGISTER, [input]);
    const garbage: V[] = [];
    try {
      this.plan.steps.forEach((step, i) => {
        if (this.active.length === 0) return;
        if (step.op === 'call') this.call(step, garbage);
        else if (step.op === 'exit') this.exit(step, this.neededAfter[i], garbage);
        else this.branch(step, garbage);
        for (const [name, bundle] of this.regs) {
          if (this.neededAfter[i].has(name)) continue;
          garbage.push(...bundle);
          this.regs.delete(name);
        }
        this.backend.release(garbage.splice(0), [...this.regs.values()].flat());
      });
    } finally {
      this.backend.release([...garbage, ...[...this.regs.values()].flat()], []);
      this.regs.clear();
    }
    if (this.active.length > 0) throw new StagePlanError(`${this.active.length} inputs reached the end of the plan without an exit`);
    return this.result;
  }

  private bundle(name: string): V[] {
    const b = this.regs.get(name);
    if (!b) throw new StagePlanError(`register '${name}' is empty`);
    return b;
  }

  /** Writes outputs, sending what they replace to the garbage. */
  private assign(names: readonly string[], bundles: V[][], garbage: V[]): void {
    if (bundles.length !== names.length) throw new StagePlanError(`a stage returned ${bundles.length} bundles for registers [${names}]`);
    names.forEach((name, i) => {
      const old = this.regs.get(name);
      if (old) garbage.push(...old);
      this.regs.set(name, bundles[i]);
    });
  }

  /** Rows that ran a step pay its FLOPs, and mark its block. */
  private account(rows: readonly number[], flops: number, block: number | undefined): void {
    if (!this.instrument) return;
    for (const row of rows) {
      const b = this.active[row];
      this.result.flops[b] += flops;
      if (block !== undefined) this.result.ran[b * this.blocks + block] = 1;
    }
  }

  private call(step: CallStep, garbage: V[], block = step.block): void {
    const { outputs, flops } = this.backend.call(step, step.inputs.map((r) => this.bundle(r)), this.instrument);
    this.account(this.active.map((_, row) => row), flops, block);
    this.assign(step.outputs, outputs, garbage);
  }

  private exit(step: ExitStep, needed: Set<string>, garbage: V[]): void {
    const { data, width } = this.backend.read(this.bundle(step.logits)[0]);
    const stay: number[] = [];
    this.active.forEach((b, row) => {
      const top = softmaxTop(data, row * width, width);
      if (step.always || exitConfident(top.confidence, this.tau)) this.leave(b, top.label, data.subarray(row * width, (row + 1) * width));
      else stay.push(row);
    });
    if (stay.length > 0 && stay.length < this.active.length) {
      // Only the inputs that go on are computed further: the real saving.
      const taken = this.taker(stay);
      for (const [name, bundle] of this.regs) {
        if (!needed.has(name)) continue;
        garbage.push(...bundle);
        this.regs.set(name, bundle.map(taken));
      }
    }
    this.active = stay.map((row) => this.active[row]);
  }

  /** Input b answers with `label`; `logits` kept when asked for. */
  private leave(b: number, label: number, logits: Float32Array): void {
    this.result.predictions[b] = label;
    if (!this.keepLogits) return;
    this.result.logits ??= new Float32Array(this.result.predictions.length * logits.length);
    this.result.logits.set(logits, b * logits.length);
  }

  private branch(step: BranchStep, garbage: V[]): void {
    const { data, width } = this.backend.read(this.bundle(step.p)[0]);
    const column = step.column ?? 0;
    const runRows: number[] = [];
    const skipRows: number[] = [];
    this.active.forEach((_, row) => (blockRuns(data[row * width + column], this.tau) ? runRows : skipRows).push(row));
    if (skipRows.length === 0) {
      this.call(step.run, garbage, step.block);
      return;
    }
    if (runRows.length === 0) {
      if (step.skip) this.call(step.skip, garbage, undefined);
      return;
    }
    const ran = this.callOn(step.run, runRows, step.block, garbage);
    const skipped = step.skip ? this.callOn(step.skip, skipRows, undefined, garbage) : step.run.outputs.map((r) => this.bundle(r).map(this.taker(skipRows)));
    const merged = ran.map((bundle, i) =>
      bundle.map((v, j) => this.backend.merge([{ value: v, rows: runRows }, { value: skipped[i][j], rows: skipRows }], this.active.length)),
    );
    for (const b of [...ran, ...skipped]) garbage.push(...b);
    this.assign(step.run.outputs, merged, garbage);
  }

  /** A call step on some rows only: their inputs are gathered first. */
  private callOn(step: CallStep, rows: number[], block: number | undefined, garbage: V[]): V[][] {
    const taken = this.taker(rows);
    const inputs = step.inputs.map((r) => this.bundle(r).map(taken));
    const { outputs, flops } = this.backend.call(step, inputs, this.instrument);
    this.account(rows, flops, block);
    garbage.push(...inputs.flat());
    return outputs;
  }

  /** Gathers rows, once per distinct tensor (bundles may share one). */
  private taker(rows: readonly number[]): (v: V) => V {
    const done = new Map<V, V>();
    return (v) => {
      let out = done.get(v);
      if (out === undefined) done.set(v, (out = this.backend.take(v, rows)));
      return out;
    };
  }
}
