import { runBatched, type AdaptiveNetwork, type ImageBatch } from '../../adnn/index.js';
import { aggregate, increasedFlops } from '../../measure/index.js';

/** I-FLOPs (Eq. 9) of generated inputs against their seeds, both run by the real adaptive execution. */
export interface IflopsSummary {
  /** Fractions: 0.5 means 50 % more FLOPs than the seed. */
  meanIFlops: number;
  maxIFlops: number;
  /**
   * Mean FLOPs of the seeds and of the generated inputs: I-FLOPs is relative
   * to the seeds, so a model that got cheaper on its seeds can show a higher
   * I-FLOPs with generated inputs that cost less than before.
   */
  seedFlops: number;
  generatedFlops: number;
}

export function iflopsOf(network: AdaptiveNetwork, seeds: ImageBatch, generated: ImageBatch, tau: number): IflopsSummary {
  const base = runBatched(network, seeds, tau).flops;
  const adv = runBatched(network, generated, tau).flops;
  const stats = aggregate(increasedFlops(base, adv));
  return { meanIFlops: stats.mean, maxIFlops: stats.max, seedFlops: aggregate(base).mean, generatedFlops: aggregate(adv).mean };
}
