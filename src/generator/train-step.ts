import type * as tf from '@tensorflow/tfjs-core';
import { compiledTrainStep } from './train-compiled.js';
import { discriminatorObjective, generatorObjective, type ObjectiveParts, type StepContext, type StepLosses } from './train-objective.js';

export { releaseCompiledStep, syncCompiledStep } from './train-compiled.js';
export type { StepContext, StepLosses } from './train-objective.js';

/**
 * One Eq. 8 step: D learns seeds vs generated inputs (G fixed), then G
 * minimises L_GAN + alpha L_perf + beta L_pert, Adam on each. As one
 * onnxruntime program when it loads (train-compiled.ts: the objectives of
 * train-objective.ts, traced), else on tfjs's optimisers.
 */
export function trainStep(c: StepContext): StepLosses {
  return compiledTrainStep(c)?.step(c) ?? tfjsStep(c);
}

function tfjsStep(c: StepContext): StepLosses {
  let dLoss = 0;
  if (c.config.gan) {
    const objective = discriminatorObjective(c);
    dLoss = readScalar(c.dOpt.minimize(objective.loss, true, c.d.store.trainable()));
    objective.dispose();
  }
  const parts: ObjectiveParts = {};
  const cost = c.gOpt.minimize(generatorObjective(c, parts), true, c.g.store.trainable());
  const read = (t?: tf.Scalar) => (t ? readScalar(t) : 0);
  return { gan: read(parts.gan), perf: read(parts.perf), pert: read(parts.pert), total: readScalar(cost), discriminator: dLoss };
}

function readScalar(t: tf.Scalar | null): number {
  if (!t) return NaN;
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}
