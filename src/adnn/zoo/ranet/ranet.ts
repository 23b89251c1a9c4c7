import { ParamStore } from '../../../nn/index.js';
import type { RaNetConfig } from './config.js';
import { RaNetNetwork } from './network.js';
import { planRanet } from './plan.js';

/** Builds a RaNet with seeded weights; `arch` names it in the meta ('ranet', 'ranet-tiny'). */
export function buildRanet(config: RaNetConfig, seed = 0, arch = 'ranet'): RaNetNetwork {
  const plan = planRanet(config);
  return new RaNetNetwork(new ParamStore(seed), plan, config, { name: arch, arch });
}
