import type { AdaptiveNetwork, InputSpec } from '../contract.js';
import { buildSdnTiny, SDN_TINY_DEFAULT, type SdnTinyConfig } from './sdn/sdn-tiny.js';

/** A zoo architecture: how to make its config for an input shape, and how to build it. */
export interface ZooEntry {
  arch: string;
  family: 'sdn';
  description: string;
  defaultConfig(input?: InputSpec, numClasses?: number): unknown;
  build(config: unknown, seed: number): AdaptiveNetwork;
}

const sdnTiny: ZooEntry = {
  arch: 'sdn-tiny',
  family: 'sdn',
  description: 'Shallow-Deep Network, 4 segments with 3 internal classifiers (for 28x28 grey images and tests)',
  defaultConfig: (input, numClasses) => ({
    ...SDN_TINY_DEFAULT,
    input: input ?? SDN_TINY_DEFAULT.input,
    numClasses: numClasses ?? SDN_TINY_DEFAULT.numClasses,
  }),
  build: (config, seed) => buildSdnTiny(config as SdnTinyConfig, seed),
};

const ZOO = new Map<string, ZooEntry>([[sdnTiny.arch, sdnTiny]]);

export class UnknownArchError extends Error {
  constructor(readonly arch: string) {
    super(`unknown architecture "${arch}"; known: ${[...ZOO.keys()].join(', ')}`);
    this.name = 'UnknownArchError';
  }
}

export function zooEntry(arch: string): ZooEntry {
  const entry = ZOO.get(arch);
  if (!entry) throw new UnknownArchError(arch);
  return entry;
}

export function zooArchs(): ZooEntry[] {
  return [...ZOO.values()];
}
