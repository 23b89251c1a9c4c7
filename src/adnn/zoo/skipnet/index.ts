import type { ZooEntry } from '../entry.js';
import { buildSkipNet, skipNet110Config, skipNet110FfConfig, skipNetTinyConfig, type SkipNetConfig } from './skipnet.js';
import { skipNetTorchMapping } from './torch-names.js';

export { SKIPNET_NORMALIZATION, skipNetTorchMapping } from './torch-names.js';

function entry(arch: string, size: ZooEntry['size'], description: string, config: ZooEntry['defaultConfig']): ZooEntry {
  return {
    arch,
    family: 'skipnet',
    size,
    description,
    defaultConfig: config,
    build: (c, seed) => buildSkipNet(arch, c as SkipNetConfig, seed),
    // Only the full configurations have a PyTorch original to import from.
    ...(size === 'full' ? { torchMapping: skipNetTorchMapping } : {}),
  };
}

/** The SkipNet family's zoo entries. */
export const entries: ZooEntry[] = [
  entry('skipnet-110', 'full', 'SkipNet-110 (ResNet-110, recurrent LSTM gate), CIFAR 32x32x3', skipNet110Config),
  entry('skipnet-110-ff', 'full', 'SkipNet-110 with the feed-forward gate FFGate-II, CIFAR 32x32x3', skipNet110FfConfig),
  entry('skipnet-tiny', 'tiny', 'SkipNet, [2,2,2] blocks of 8/16/32 channels, recurrent gate (28x28 grey images, tests)', skipNetTinyConfig),
];
