import * as tf from '@tensorflow/tfjs-core';
import { FlopsCounter } from '../flops.js';
import { executePlan, type ExecuteOptions, type StageBackend, type StagedExecution } from './execute.js';
import type { StagePlan } from './plan.js';

/** The plan's stages run as the family's tfjs code; FLOPs come from the layers' own counting. */
export const tfjsStageBackend: StageBackend<tf.Tensor> = {
  call(step, inputs, count) {
    const counter = count ? new FlopsCounter() : undefined;
    const outputs = tf.tidy(() => step.fn(inputs, counter));
    return { outputs, flops: counter?.value ?? 0 };
  },
  read(v) {
    return { data: v.dataSync() as Float32Array, width: v.rank > 1 ? v.shape[1]! : 1 };
  },
  take(v, rows) {
    return tf.tidy(() => tf.gather(v, tf.tensor1d(rows as number[], 'int32')));
  },
  merge(parts, total) {
    return tf.tidy(() => {
      const order = parts.flatMap((p) => p.rows);
      const inverse = new Int32Array(total);
      order.forEach((row, pos) => (inverse[row] = pos));
      return tf.gather(tf.concat(parts.map((p) => p.value)), tf.tensor1d(inverse, 'int32'));
    });
  },
  release(dead, alive) {
    const keep = new Set(alive);
    for (const t of dead) if (!keep.has(t)) t.dispose();
  },
};

/** The real adaptive execution of a staged network on tfjs: what its run(x, tau) is. */
export function runPlanTfjs(plan: StagePlan, x: tf.Tensor4D, tau: number, opts?: ExecuteOptions): StagedExecution {
  // The executor frees its input; a clone shares x's data without taking x.
  return executePlan(plan, tfjsStageBackend, tf.clone(x) as tf.Tensor, x.shape[0], tau, opts);
}
