import type { ZooEntry } from '../entry.js';
import { RANET_DEFAULT, RANET_TINY_DEFAULT, withInput, type RaNetConfig } from './config.js';
import { buildRanet } from './ranet.js';
import { ranetTorchMapping } from './torch-names.js';

export { RANET_NORMALIZATION } from './config.js';
export { ranetTorchMapping } from './torch-names.js';

const ranet: ZooEntry = {
  arch: 'ranet',
  family: 'ranet',
  size: 'full',
  description: "Resolution Adaptive Network, DeepPerform's CIFAR config: 4 sub-networks on scales 1-2-3-3, 8 exits (32x32x3, 100 classes)",
  defaultConfig: (input, numClasses) => withInput(RANET_DEFAULT, input, numClasses),
  build: (config, seed) => buildRanet(config as RaNetConfig, seed, 'ranet'),
  // RANet-pytorch's CIFAR model; ranet-tiny (stride-2 first layer, 32-channel exits) has no PyTorch original.
  torchMapping: ranetTorchMapping,
};

const ranetTiny: ZooEntry = {
  arch: 'ranet-tiny',
  family: 'ranet',
  size: 'tiny',
  description: 'Resolution Adaptive Network, 4 sub-networks on scales 1-2-3-3 with one exit each (28x28 grey images, tests)',
  defaultConfig: (input, numClasses) => withInput(RANET_TINY_DEFAULT, input, numClasses),
  build: (config, seed) => buildRanet(config as RaNetConfig, seed, 'ranet-tiny'),
};

/** The RaNet family's zoo entries. */
export const entries: ZooEntry[] = [ranet, ranetTiny];
