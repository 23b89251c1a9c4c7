import { OnnxModelError } from './errors.js';
import type { PreparedGraph } from './graph.js';
import type { OnnxNode } from './model.js';
import { IMAGE } from './prologue.js';

/**
 * The graph cut into stages at its decisions: the nodes a stage needs that
 * no earlier stage computed, the carried values it reads (float tensors
 * computed from the image: registers) and those it hands on. Integer values
 * (shape arithmetic) and constants are recomputed in every stage that reads
 * them, so only batch-first tensors cross stage boundaries.
 */
export interface Stage {
  name: string;
  nodes: OnnxNode[];
  /** Carried values read, by tensor name (IMAGE for the input batch). */
  inputs: string[];
  /** Carried values written for later stages or decisions. */
  outputs: string[];
  /** Per-input FLOPs of its nodes. */
  flops: number;
}

export class Partitioner {
  private readonly producer = new Map<string, OnnxNode>();
  /** Carried values computed so far. */
  private readonly carried = new Set<string>([IMAGE]);
  readonly stages: Stage[] = [];

  constructor(private readonly g: PreparedGraph) {
    for (const n of g.nodes) for (const o of n.outputs) this.producer.set(o, n);
  }

  /** Whether a value crosses stages (a float tensor depending on the image). */
  isCarried(name: string): boolean {
    const v = this.g.values.get(name);
    return v?.fromImage === true && !v.ints;
  }

  /** Checks that `name` is a value of the graph; `place` names where the suite gave it. */
  requireValue(name: string, place: string): void {
    if (this.g.values.has(name) && name !== IMAGE) return;
    const outputs = this.g.model.graph.outputs.map((o) => o.name).join(', ');
    throw new OnnxModelError(this.g.file, place, `the graph has no tensor named "${name}" (its outputs: ${outputs})`);
  }

  /** A new stage computing `targets` from what earlier stages carried; `targets` become its outputs. */
  add(name: string, targets: string[]): Stage {
    const needed = new Set<OnnxNode>();
    const visit = (value: string) => {
      if (this.carried.has(value) || this.g.initializers.has(value) || value === '') return;
      const node = this.producer.get(value);
      if (!node || needed.has(node)) return;
      needed.add(node);
      node.inputs.forEach(visit);
    };
    targets.forEach(visit);
    const nodes = this.g.nodes.filter((n) => needed.has(n));
    const made = new Set(nodes.flatMap((n) => n.outputs));
    const inputs = [...new Set(nodes.flatMap((n) => n.inputs).filter((i) => this.carried.has(i) && !made.has(i)))];
    const stage: Stage = { name, nodes, inputs, outputs: [...targets], flops: nodes.reduce((s, n) => s + (this.g.flops.get(n) ?? 0), 0) };
    for (const o of made) if (this.isCarried(o)) this.carried.add(o);
    this.stages.push(stage);
    return stage;
  }

  /**
   * Makes every carried value a later stage reads, and each of `decisions`
   * (what branch steps and shortcuts read outside any stage), an output of
   * the stage that computed it (call once all stages are added).
   */
  link(decisions: readonly string[] = []): void {
    const madeBy = new Map<string, Stage>();
    for (const s of this.stages) for (const n of s.nodes) for (const o of n.outputs) madeBy.set(o, s);
    const expose = (name: string, reader?: Stage) => {
      const from = madeBy.get(name);
      if (from && from !== reader && !from.outputs.includes(name)) from.outputs.push(name);
    };
    for (const s of this.stages) for (const i of s.inputs) expose(i, s);
    decisions.forEach((name) => expose(name));
  }

  /** The stage whose nodes compute `name`, if any. */
  stageOf(name: string): Stage | undefined {
    return this.stages.find((s) => s.nodes.some((n) => n.outputs.includes(name)));
  }
}
