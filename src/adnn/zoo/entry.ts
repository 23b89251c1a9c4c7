import type { AdaptiveNetwork, InputSpec } from '../contract.js';
import type { TorchMapping } from '../import/index.js';

export type ZooFamily = 'sdn' | 'skipnet' | 'blockdrop' | 'ranet';

/**
 * A zoo architecture: how to make its configuration for an input shape and
 * class count, and how to build it. Each family folder exports its entries.
 */
export interface ZooEntry {
  /** CLI / suite name, e.g. "sdn-resnet56", "skipnet-tiny". */
  arch: string;
  family: ZooFamily;
  /** 'full' is faithful to the original for 32x32x3; 'tiny' is for tests and the embedded default. */
  size: 'full' | 'tiny';
  description: string;
  /** The configuration for an input shape (default: the arch's own, e.g. 32x32x3) and class count. */
  defaultConfig(input?: InputSpec, numClasses?: number): unknown;
  /** Builds the network with freshly initialised, seeded weights. */
  build(config: unknown, seed: number): AdaptiveNetwork;
  /**
   * Where each of the built network's parameters comes from in the original
   * PyTorch code's state_dict (`deepperform import-weights`); absent when the
   * architecture has no PyTorch original to import from.
   */
  torchMapping?(network: AdaptiveNetwork): TorchMapping;
}
