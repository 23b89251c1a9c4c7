import { runBatched, type AdaptiveNetwork, type EngineOptions, type ImageBatch } from '../adnn/index.js';
import type { Aggregates } from '../results/index.js';
import { aggregate } from './aggregate.js';
import { MeasurementError } from './errors.js';
import { increasedFlops, successNumber } from './metrics.js';

/** The paper's Table 7 thresholds. */
export const SENSITIVITY_TAUS: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7];

export interface ThresholdPoint {
  tau: number;
  /** I-FLOPs (Eq. 9) of the generated inputs over their seeds, both run at this tau. */
  iflops: Aggregates;
  /** Eq. 10 over the number of seeds. */
  successRate: number;
}

/**
 * Threshold sensitivity (paper Table 7): the same seeds and generated inputs
 * re-run with the real adaptive execution at each tau. The inputs are not
 * regenerated per tau; this shows how the inputs made for one threshold fare
 * when the deployed threshold differs. Runs on the product's inference engine
 * (runBatched: onnxruntime stage by stage when it can; the FLOPs are the same
 * on either engine).
 */
export function thresholdSensitivity(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  generated: ImageBatch,
  taus: readonly number[] = SENSITIVITY_TAUS,
  opts: EngineOptions = {},
): ThresholdPoint[] {
  if (seeds.count !== generated.count) {
    throw new MeasurementError(`threshold sensitivity: ${seeds.count} seeds but ${generated.count} generated inputs; they must pair up one to one`);
  }
  return taus.map((tau) => {
    const seedFlops = runBatched(network, seeds, tau, 128, opts).flops;
    const genFlops = runBatched(network, generated, tau, 128, opts).flops;
    return {
      tau,
      iflops: aggregate(increasedFlops(seedFlops, genFlops)),
      successRate: seeds.count ? successNumber(seedFlops, genFlops) / seeds.count : NaN,
    };
  });
}
