import type { ZooEntry } from '../entry.js';
import { buildSdnTiny, SDN_TINY_DEFAULT, type SdnTinyConfig } from './sdn-tiny.js';

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

/** The SDN family's zoo entries. */
export const entries: ZooEntry[] = [sdnTiny];
