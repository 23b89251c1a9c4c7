import type { AdaptiveNetwork } from '../../contract.js';
import type { ZooEntry } from '../entry.js';
import { fullDefaults, type SdnFullConfig } from './config.js';
import { buildSdnMobilenet } from './sdn-mobilenet.js';
import { buildSdnResnet56 } from './sdn-resnet56.js';
import { buildSdnTiny, SDN_TINY_DEFAULT, type SdnTinyConfig } from './sdn-tiny.js';
import { buildSdnVgg16 } from './sdn-vgg16.js';
import { sdnTorchMapping } from './torch-names.js';

const sdnTiny: ZooEntry = {
  arch: 'sdn-tiny',
  family: 'sdn',
  size: 'tiny',
  description: 'Shallow-Deep Network, 4 segments with 3 internal classifiers (28x28 grey images, tests)',
  defaultConfig: (input, numClasses) => ({
    ...SDN_TINY_DEFAULT,
    input: input ?? SDN_TINY_DEFAULT.input,
    numClasses: numClasses ?? SDN_TINY_DEFAULT.numClasses,
  }),
  build: (config, seed) => buildSdnTiny(config as SdnTinyConfig, seed),
};

/** A full SDN of Kaya et al. (ICML 2019): 32x32x3 and 100 classes by default. */
function full(arch: string, description: string, build: (c: SdnFullConfig, seed: number) => AdaptiveNetwork): ZooEntry {
  return {
    arch,
    family: 'sdn',
    size: 'full',
    description,
    defaultConfig: (input, numClasses) => fullDefaults(input, numClasses),
    build: (config, seed) => build(config as SdnFullConfig, seed),
    torchMapping: (network) => sdnTorchMapping(network, arch),
  };
}

/** The SDN family's zoo entries. */
export const entries: ZooEntry[] = [
  sdnTiny,
  full('sdn-resnet56', 'Shallow-Deep Network on ResNet-56: 6 internal classifiers + final (7 exits)', buildSdnResnet56),
  full('sdn-vgg16', 'Shallow-Deep Network on VGG-16-BN: 6 internal classifiers + final (7 exits)', buildSdnVgg16),
  full('sdn-mobilenet', 'Shallow-Deep Network on MobileNet: 5 internal classifiers + final (6 exits)', buildSdnMobilenet),
];
