import { fullDefaults, type SdnFullConfig } from '../../src/adnn/zoo/sdn/config.js';
import { buildSdnMobilenet } from '../../src/adnn/zoo/sdn/sdn-mobilenet.js';
import { buildSdnResnet56 } from '../../src/adnn/zoo/sdn/sdn-resnet56.js';
import { buildSdnVgg16 } from '../../src/adnn/zoo/sdn/sdn-vgg16.js';
import { mobilenetStateDict, resnet56StateDict, vgg16StateDict } from './sdn-state-dict.js';

/** Each full SDN architecture: its builder and the hand-listed PyTorch state_dict it must map to. */
export const SDN_ARCHS = {
  'sdn-resnet56': { build: buildSdnResnet56, listing: resnet56StateDict },
  'sdn-vgg16': { build: buildSdnVgg16, listing: vgg16StateDict },
  'sdn-mobilenet': { build: buildSdnMobilenet, listing: mobilenetStateDict },
} as const;
export type SdnArch = keyof typeof SDN_ARCHS;

/** A full SDN configuration with `classes` classes, narrowed by `widthMultiplier` (1 = the original). */
export function sdnConfig(classes: number, widthMultiplier: number, normalize: SdnFullConfig['normalize'] = null): SdnFullConfig {
  return { ...fullDefaults(undefined, classes), widthMultiplier, normalize };
}
