import type { AdaptiveNetwork } from '../../contract.js';
import type { TorchMapping } from '../../import/index.js';
import { addBasicBlock, addBatchNorm, addConv, addDense, addUnused, requireCifarInput, residualUnits } from '../resnet/torch-names.js';

/**
 * The prefixes of one .safetensors file holding both of BlockDrop's networks.
 * The original saves them as one checkpoint `{'agent': agent.state_dict(),
 * 'resnet': rnet.state_dict()}` (finetune.py); the file flattens it with '.'
 * between the checkpoint key and the state_dict key.
 */
export const BLOCKDROP_PREFIX = { agent: 'agent.', resnet: 'resnet.' } as const;

/**
 * Our parameter names -> the keys of that file, after Tushar-N/blockdrop
 * `models/resnet.py`: the backbone is FlatResNet32 (`conv1`, `bn1`,
 * `blocks.{stage}.{block}` = base.BasicBlock, `fc`; the DownsampleB shortcuts
 * have no parameters); the agent is Policy32, a FlatResNet32 under `features`
 * whose `fc` is emptied, then `logit` (one output per block) and the value
 * head `vnet`. README.md ("Importing PyTorch weights") lists them.
 */
export function blockDropTorchMapping(network: AdaptiveNetwork): TorchMapping {
  requireCifarInput(network, 'BlockDrop (Tushar-N/blockdrop models/resnet.py, FlatResNet32 and Policy32)');
  const names = [...network.namedWeights().keys()];
  const { agent, resnet } = BLOCKDROP_PREFIX;
  const m: TorchMapping = new Map();
  addConv(m, 'conv1', `${resnet}conv1`);
  addBatchNorm(m, 'bn1', `${resnet}bn1`);
  for (const [s, b] of residualUnits(names)) {
    // `layer{s}.{b}`: the pretrained CIFAR ResNets BlockDrop starts from, before utils.load_weights_to_flatresnet renames them.
    addBasicBlock(m, `stage${s}.block${b}`, `${resnet}blocks.${s - 1}.${b}`, `${resnet}layer${s}.${b}`);
  }
  addDense(m, 'fc', `${resnet}fc`);
  const features = `${agent}features.`;
  addConv(m, 'agent.conv1', `${features}conv1`);
  addBatchNorm(m, 'agent.bn1', `${features}bn1`);
  for (const [s, b] of residualUnits(names, 'agent.')) addBasicBlock(m, `agent.stage${s}.block${b}`, `${features}blocks.${s - 1}.${b}`);
  addDense(m, 'agent.logit', `${agent}logit`);
  addDense(m, 'agent.vnet', `${agent}vnet`);
  // Policy32.load_state_dict drops these itself ("support legacy models").
  addUnused(m, [`${features}fc.weight`, `${features}fc.bias`], "an older agent's classifier, which Policy32 removes");
  return m;
}

/**
 * BlockDrop's normalisation by training set (utils.get_transforms): the
 * ResNet-110 models of both CIFAR-10 and CIFAR-100 read the raw [0, 1] image
 * (only the ResNet-32 CIFAR-10 model, not importable here, normalises).
 */
export const BLOCKDROP_NORMALIZATION: Record<'cifar10' | 'cifar100', null> = { cifar10: null, cifar100: null };
