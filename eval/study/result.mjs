/**
 * One study run's result file, from the product's suite result: the
 * generator's I-FLOPs on the evaluation seeds (mean, p50, full-depth rate),
 * its training record (steps, time, the validation curve) and the conditions.
 */
import { BASE, EVALUATION, PROTOCOL, trainSettings } from './plan.mjs';

export const STUDY_FORMAT = 'deepperform-generator-study';
export const STUDY_VERSION = 1;

/** FLOPs of the most expensive path: every block run (skipping), the last exit reached (early exit). */
export function totalFlops(model) {
  return model.blocks.reduce((s, b) => s + b.flops, model.baseFlops);
}

/** Share of inputs whose counted FLOPs reach the model's most expensive path. */
export function fullDepthRate(flops, total) {
  if (!flops.length) return NaN;
  // FLOPs are sums of integer layer counts: equality up to rounding.
  return flops.filter((f) => f >= total - 0.5).length / flops.length;
}

const round = (v, d = 6) => (Number.isFinite(v) ? Number(v.toFixed(d)) : v);

export function studyResult(run, raw, extra) {
  const method = raw.methods?.find((m) => m.method === 'deepperform');
  if (raw.status === 'error' || !method || !raw.seeds) throw new Error(`study run ${run.id} failed: ${raw.error?.message ?? 'no deepperform result'}`);
  const total = totalFlops(raw.model);
  const t = raw.training;
  return {
    format: STUDY_FORMAT,
    version: STUDY_VERSION,
    id: run.id,
    model: run.model,
    norm: run.norm,
    epsilon: run.epsilon,
    threshold: EVALUATION.threshold,
    config: run.config,
    trainingSeed: run.trainingSeed,
    budget: run.budget,
    protocol: PROTOCOL,
    settings: { preset: BASE.preset, train: trainSettings(run, extra.validateEvery) },
    evaluation: {
      split: EVALUATION.split,
      suiteSeed: EVALUATION.suiteSeed,
      seeds: method.iflops.length,
      meanIflops: round(method.iflopsStats.mean),
      p50Iflops: round(method.iflopsStats.p50),
      maxIflops: round(method.iflopsStats.max),
      fullDepthRate: fullDepthRate(method.flops, total),
      successRate: method.successRate,
      accuracy: method.accuracy,
      seedAccuracy: raw.seeds.accuracy,
      seedMeanFlops: raw.seeds.flopsStats.mean,
      seedFullDepthRate: fullDepthRate(raw.seeds.flops, total),
      totalFlops: total,
      perturbationLinf: round(method.perturbationLinf.mean),
      perturbationL2: round(method.perturbationL2.mean),
      iflops: method.iflops.map((v) => round(v)),
      seedFlops: raw.seeds.flops,
    },
    training: {
      steps: t.steps,
      epochs: t.epochs,
      seconds: round(t.durationMs / 1000, 1),
      bestValidationIflops: round(t.bestValidationIflops),
      finalLosses: t.finalLosses,
      curve: extra.curve.map((c) => ({ ...c, seconds: c.seconds === null ? null : round(c.seconds, 1), validationIflops: round(c.validationIflops) })),
    },
    conditions: {
      wallSeconds: round(extra.wallSeconds, 1),
      cpuSeconds: round(extra.cpuSeconds, 1),
      othersCpus: extra.othersCpus === null ? null : round(extra.othersCpus, 2),
      toolVersion: extra.toolVersion,
      commit: extra.commit,
      machine: extra.machine,
      finishedAt: new Date().toISOString(),
    },
  };
}
