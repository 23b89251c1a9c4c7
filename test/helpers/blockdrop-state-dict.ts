/**
 * The keys and PyTorch shapes of a BlockDrop checkpoint (Tushar-N/blockdrop
 * models/resnet.py: FlatResNet32 and Policy32, as utils.get_model builds them
 * for "R110_C10"), flattened into one file as `agent.<key>` and
 * `resnet.<key>`, listed by hand. Test helper.
 */
import type { StateDictShapes } from './sdn-state-dict.js';

export interface BlockDropListing {
  classes?: number;
  layers?: [number, number, number];
  agentLayers?: [number, number, number];
  /** Name the backbone's blocks `layer{s}.{b}` (the pretrained CIFAR ResNets) instead of `blocks.{s-1}.{b}`. */
  pretrainedNames?: boolean;
}

function batchNorm(sd: StateDictShapes, key: string, channels: number): void {
  for (const t of ['weight', 'bias', 'running_mean', 'running_var']) sd.set(`${key}.${t}`, [channels]);
  sd.set(`${key}.num_batches_tracked`, []);
}

/** FlatResNet32: conv1, bn1, blocks.{s}.{b} (base.BasicBlock), and fc when its class count is given. DownsampleB has no parameters. */
function flatResNet32(sd: StateDictShapes, prefix: string, layers: number[], blockName: (s: number, b: number) => string, fc?: number): void {
  sd.set(`${prefix}conv1.weight`, [16, 3, 3, 3]);
  batchNorm(sd, `${prefix}bn1`, 16);
  let inplanes = 16;
  [16, 32, 64].forEach((planes, s) => {
    for (let b = 0; b < layers[s]; b++) {
      const key = `${prefix}${blockName(s, b)}`;
      sd.set(`${key}.conv1.weight`, [planes, inplanes, 3, 3]);
      batchNorm(sd, `${key}.bn1`, planes);
      sd.set(`${key}.conv2.weight`, [planes, planes, 3, 3]);
      batchNorm(sd, `${key}.bn2`, planes);
      inplanes = planes;
    }
  });
  if (fc !== undefined) {
    sd.set(`${prefix}fc.weight`, [fc, 64]);
    sd.set(`${prefix}fc.bias`, [fc]);
  }
}

export function blockDropStateDict({ classes = 10, layers = [18, 18, 18], agentLayers = [1, 1, 1], pretrainedNames = false }: BlockDropListing = {}): StateDictShapes {
  const sd: StateDictShapes = new Map();
  const blocks = layers.reduce((a, b) => a + b, 0);
  const backboneBlock = pretrainedNames ? (s: number, b: number) => `layer${s + 1}.${b}` : (s: number, b: number) => `blocks.${s}.${b}`;
  flatResNet32(sd, 'resnet.', layers, backboneBlock, classes);
  // Policy32: the features' fc is replaced by an empty nn.Sequential.
  flatResNet32(sd, 'agent.features.', agentLayers, (s, b) => `blocks.${s}.${b}`);
  sd.set('agent.logit.weight', [blocks, 64]);
  sd.set('agent.logit.bias', [blocks]);
  sd.set('agent.vnet.weight', [1, 64]);
  sd.set('agent.vnet.bias', [1]);
  return sd;
}
