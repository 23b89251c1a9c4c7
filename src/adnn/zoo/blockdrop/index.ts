import type { ZooEntry } from '../entry.js';
import { blockDrop110Config, blockDropTinyConfig, buildBlockDrop, type BlockDropConfig } from './blockdrop.js';
import { blockDropTorchMapping } from './torch-names.js';

export { BLOCKDROP_NORMALIZATION, BLOCKDROP_PREFIX, blockDropTorchMapping } from './torch-names.js';

function entry(arch: string, size: ZooEntry['size'], description: string, config: ZooEntry['defaultConfig']): ZooEntry {
  return {
    arch,
    family: 'blockdrop',
    size,
    description,
    defaultConfig: config,
    build: (c, seed) => buildBlockDrop(arch, c as BlockDropConfig, seed),
    // Only the full configuration has a PyTorch original to import from.
    ...(size === 'full' ? { torchMapping: blockDropTorchMapping } : {}),
  };
}

/** The BlockDrop family's zoo entries. */
export const entries: ZooEntry[] = [
  entry('blockdrop-110', 'full', 'BlockDrop on ResNet-110 (54 blocks, ResNet-8 policy network), CIFAR 32x32x3', blockDrop110Config),
  entry('blockdrop-tiny', 'tiny', 'BlockDrop, [2,2,2] blocks of 8/16/32 channels, tiny policy network (28x28 grey images, tests)', blockDropTinyConfig),
];
