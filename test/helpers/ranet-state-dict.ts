/**
 * The keys and PyTorch shapes a RaNet's import mapping reads, derived from
 * the mapping and our parameter shapes (turned back into PyTorch's layouts),
 * with a num_batches_tracked beside every BN. Not a listing by hand: the
 * keys are checked against the PyTorch reference (test/helpers/ranet_torch.py)
 * where python3-torch is present, and by hand for a few in
 * src/adnn/zoo/ranet/torch-names.test.ts (and torch-parity.e2e.test.ts). Test helper, for files that are
 * valid or broken on purpose.
 */
import type { AdaptiveNetwork } from '../../src/adnn/contract.js';
import type { TorchMapping } from '../../src/adnn/import/index.js';
import type { StateDictShapes } from './sdn-state-dict.js';

export function ranetStateDict(network: AdaptiveNetwork, mapping: TorchMapping): StateDictShapes {
  const ours = network.namedWeights();
  const sd: StateDictShapes = new Map();
  for (const [name, src] of mapping) {
    const shape = ours.get(name)!.shape;
    switch (src.layout.kind) {
      case 'conv': // [kh, kw, in, out] -> [out, in, kh, kw]
        sd.set(src.torch, [shape[3], shape[2], shape[0], shape[1]]);
        break;
      case 'linear': // [in, out] -> [out, in]
        sd.set(src.torch, [shape[1], shape[0]]);
        break;
      default:
        sd.set(src.torch, [...shape]);
    }
    if (src.torch.endsWith('.running_var')) sd.set(src.torch.replace(/running_var$/, 'num_batches_tracked'), []);
  }
  return sd;
}
