import type { InputSpec } from '../../contract.js';
import { Dense, ParamStore } from '../../../nn/index.js';
import { CifarResNet } from '../resnet/backbone.js';
import { CIFAR_INPUT, checkSkippingConfig, checkStages, inputShape, type SkippingResNetConfig } from '../resnet/config.js';
import { SkippingNetwork, type SkippingObjective } from '../resnet/skipping.js';
import { PolicyGating, type AgentSpec } from './policy.js';

export interface BlockDropConfig extends SkippingResNetConfig {
  agent: AgentSpec;
}

/**
 * The backbone alone for the first 40% of the epochs (BlockDrop starts from a
 * pretrained ResNet), then CE of the gated pass with decisions sampled from the
 * policy (as BlockDrop samples its actions) plus lambda x the expected share of
 * the blocks' FLOPs (README.md).
 */
export const BLOCKDROP_OBJECTIVE: SkippingObjective = { lambda: 0.75, warmupFraction: 0.4, sampleGates: true };

/** BlockDrop on ResNet-110 ("R110_C10": FlatResNet32 [18, 18, 18], agent Policy32 [1, 1, 1], 54 blocks). */
export function blockDrop110Config(input: InputSpec = CIFAR_INPUT, numClasses = 10): BlockDropConfig {
  return {
    input,
    numClasses,
    stages: [18, 18, 18],
    widths: [16, 32, 64],
    // The R110 models of Tushar-N/blockdrop read the raw [0, 1] image (utils.get_transforms).
    normalize: null,
    agent: { stages: [1, 1, 1], widths: [16, 32, 64] },
    objective: BLOCKDROP_OBJECTIVE,
  };
}

/** The same design at [2, 2, 2] blocks of 8/16/32 channels, agent at 4/8/16, 28x28x1 by default. */
export function blockDropTinyConfig(input: InputSpec = { height: 28, width: 28, channels: 1, range: [0, 1] }, numClasses = 10): BlockDropConfig {
  return {
    input,
    numClasses,
    stages: [2, 2, 2],
    widths: [8, 16, 32],
    normalize: null,
    agent: { stages: [1, 1, 1], widths: [4, 8, 16] },
    objective: BLOCKDROP_OBJECTIVE,
  };
}

/**
 * BlockDrop (Wu et al., CVPR 2018): a CIFAR ResNet with parameter-free
 * downsampling shortcuts (FlatResNet32) whose every block is conditional; the
 * policy network decides all of them from the image before the backbone runs.
 */
export function buildBlockDrop(arch: string, config: BlockDropConfig, seed = 0): SkippingNetwork {
  checkSkippingConfig(arch, config);
  checkStages(arch, 'agent', config.agent?.stages, config.agent?.widths);
  const store = new ParamStore(seed);
  const shape = inputShape(config.input);
  const backbone = new CifarResNet(store, '', shape, {
    stages: config.stages,
    widths: config.widths,
    shortcut: 'zero-pad',
    normalize: config.normalize ?? undefined,
  });
  const gating = new PolicyGating(store, shape, config.agent, backbone.units.length);
  const classifier = new Dense(store, 'fc', backbone.featureShape[2], config.numClasses);
  return new SkippingNetwork(
    { store, backbone, gating, classifier, firstConditional: 0, objective: config.objective, seed },
    { name: arch, arch, input: config.input, numClasses: config.numClasses },
  );
}
