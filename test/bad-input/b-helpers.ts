/**
 * The smallest suite the part-B bad-input tests start from: a tiny generator
 * trained one step, no baselines, no latency, energy or sensitivity, so a
 * test spends its time on the one thing it breaks.
 */
export interface MinimalSuite {
  name: string;
  /** The `model:` value, flow or block YAML (a block is indented by two). */
  model: string;
  /** The `data:` value, likewise. */
  data: string;
  assertions?: string[];
}

export function minimalSuiteText({ name, model, data, assertions = ['block coverage >= 0'] }: MinimalSuite): string {
  return `name: ${name}
model:${model.startsWith('\n') ? model : ` ${model}`}
data:${data.startsWith('\n') ? data : ` ${data}`}
norm: linf
epsilon: 0.1
generator: { preset: tiny, train: { steps: 1, batchSize: 4, width: 2 } }
baselines: []
measure: { latency: false, energy: false, sensitivity: [] }
assertions: ${JSON.stringify(assertions)}
`;
}
