import { runBatched, type AdaptiveNetwork, type ImageBatch } from '../../adnn/index.js';
import { aggregate, increasedFlops } from '../../measure/index.js';
import type { IflopsSummary } from '../../results/index.js';

export type { IflopsSummary } from '../../results/index.js';

export function iflopsOf(network: AdaptiveNetwork, seeds: ImageBatch, generated: ImageBatch, tau: number): IflopsSummary {
  const base = runBatched(network, seeds, tau).flops;
  const adv = runBatched(network, generated, tau).flops;
  const stats = aggregate(increasedFlops(base, adv));
  return { meanIFlops: stats.mean, maxIFlops: stats.max, seedFlops: aggregate(base).mean, generatedFlops: aggregate(adv).mean };
}
