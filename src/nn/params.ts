import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../util/errors.js';

/**
 * Named, seeded weights. Every network (AdNN, generator, discriminator) keeps
 * its variables here so they can be saved, loaded and handed to an optimizer.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly frozen = new Set<string>();
  private nextSeed: number;

  constructor(seed: number) {
    this.nextSeed = seed;
  }

  /** Creates a variable; `init` receives a fresh seed for its random initialiser (seededNormal, seededUniform). */
  add(name: string, init: (seed: number) => tf.Tensor, trainable = true): tf.Variable {
    if (this.vars.has(name)) throw new Error(`duplicate parameter name ${name}`);
    const t = init(this.nextSeed++);
    const v = tf.variable(t, trainable, `${name}_${uniqueSuffix()}`);
    t.dispose();
    this.vars.set(name, v);
    if (!trainable) this.frozen.add(name);
    return v;
  }

  trainable(): tf.Variable[] {
    return [...this.vars.entries()].filter(([n]) => !this.frozen.has(n)).map(([, v]) => v);
  }

  named(): Map<string, tf.Variable> {
    return this.vars;
  }

  /** Replaces every value from `weights`; names and shapes must match exactly. */
  assign(weights: Map<string, tf.Tensor>): void {
    assignNamed(this.vars, weights);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

export class WeightsMismatchError extends UserError {
  constructor(
    readonly missing: string[],
    readonly unexpected: string[],
    readonly misShaped: string[],
  ) {
    const parts = [
      missing.length ? `missing: ${missing.join(', ')}` : '',
      unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '',
      misShaped.length ? `wrong shape: ${misShaped.join(', ')}` : '',
    ].filter(Boolean);
    super(`weights do not fit the model; ${parts.join('; ')}`);
    this.name = 'WeightsMismatchError';
  }
}

/** Assigns `weights` to `vars` by name; any missing, unexpected or mis-shaped tensor is an error. */
export function assignNamed(vars: Map<string, tf.Variable>, weights: Map<string, tf.Tensor>): void {
  const missing = [...vars.keys()].filter((n) => !weights.has(n));
  const unexpected = [...weights.keys()].filter((n) => !vars.has(n));
  const misShaped = [...weights.entries()]
    .filter(([n, t]) => vars.has(n) && !sameShape(vars.get(n)!.shape, t.shape))
    .map(([n, t]) => `${n} (expected [${vars.get(n)!.shape}], got [${t.shape}])`);
  if (missing.length || unexpected.length || misShaped.length) {
    throw new WeightsMismatchError(missing, unexpected, misShaped);
  }
  for (const [n, t] of weights) vars.get(n)!.assign(t);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// tfjs variable names are global; a counter keeps two models of one arch apart.
let counter = 0;
function uniqueSuffix(): number {
  return counter++;
}
