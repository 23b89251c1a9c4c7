import type { InputSpec } from '../../contract.js';
import { Dense, ParamStore } from '../../../nn/index.js';
import { CifarResNet } from '../resnet/backbone.js';
import {
  CIFAR_INPUT,
  CIFAR_NORMALIZATION,
  checkSkippingConfig,
  defaultNormalization,
  inputShape,
  ResNetConfigError,
  type SkippingResNetConfig,
} from '../resnet/config.js';
import { SkippingNetwork, type SkippingObjective } from '../resnet/skipping.js';
import { FeedForwardGating, RecurrentGating } from './gates.js';

export type SkipNetGate = { kind: 'recurrent'; embedDim: number; hiddenDim: number } | { kind: 'feedforward' };

export interface SkipNetConfig extends SkippingResNetConfig {
  gate: SkipNetGate;
}

/**
 * CE of the gated pass with straight-through gates at 0.5 (SkipNet's supervised
 * pre-training gates) plus, in place of its RL stage, a per-input target for
 * every gate: run for the harder half of each batch (by CE), skip for the
 * easier half, BCE weighted 2; no FLOPs-share penalty (lambda 0: with one, the
 * gates closed for every input alike). Batches are randomly shifted (2 pixels
 * of padding) and mirrored, as the original's loader does, so the training CE
 * keeps ranking difficulty instead of memorised noise (README.md, "Training scheme").
 */
export const SKIPNET_OBJECTIVE: SkippingObjective = {
  lambda: 0,
  warmupFraction: 0,
  sampleGates: false,
  difficulty: { share: 0.5, weight: 2 },
  augment: { pad: 2, flip: true },
};

/** The original's CIFAR loader pads 4 pixels before its 32x32 random crop. */
const CIFAR_OBJECTIVE: SkippingObjective = { ...SKIPNET_OBJECTIVE, augment: { pad: 4, flip: true } };

const RESNET_110 = { stages: [18, 18, 18], widths: [16, 32, 64] };
const TINY = { stages: [2, 2, 2], widths: [8, 16, 32] };

function defaults(
  shape: { stages: number[]; widths: number[] },
  gate: SkipNetGate,
  input: InputSpec,
  numClasses: number,
  objective: SkippingObjective,
): SkipNetConfig {
  return {
    input,
    numClasses,
    ...shape,
    normalize: defaultNormalization(input.channels, CIFAR_NORMALIZATION),
    gate,
    objective,
  };
}

/** SkipNet-110 with the recurrent gate (embedding = hidden = 10), CIFAR-10 by default. */
export function skipNet110Config(input: InputSpec = CIFAR_INPUT, numClasses = 10): SkipNetConfig {
  return defaults(RESNET_110, { kind: 'recurrent', embedDim: 10, hiddenDim: 10 }, input, numClasses, CIFAR_OBJECTIVE);
}

/** SkipNet-110 with the feed-forward gate FFGate-II. */
export function skipNet110FfConfig(input: InputSpec = CIFAR_INPUT, numClasses = 10): SkipNetConfig {
  return defaults(RESNET_110, { kind: 'feedforward' }, input, numClasses, CIFAR_OBJECTIVE);
}

/** The same design at [2, 2, 2] blocks of 8/16/32 channels, 28x28x1 by default. */
export function skipNetTinyConfig(input: InputSpec = { height: 28, width: 28, channels: 1, range: [0, 1] }, numClasses = 10): SkipNetConfig {
  return defaults(TINY, { kind: 'recurrent', embedDim: 10, hiddenDim: 10 }, input, numClasses, SKIPNET_OBJECTIVE);
}

/**
 * SkipNet (Wang et al., ECCV 2018) on the CIFAR ResNet of ucbdrive/skipnet:
 * conv1x1 + BN projection shortcuts where a block changes size, a gate before
 * every block but the first (which always runs), final AvgPool + Linear.
 */
export function buildSkipNet(arch: string, config: SkipNetConfig, seed = 0): SkippingNetwork {
  checkSkippingConfig(arch, config);
  const gate = config.gate;
  if (!gate || (gate.kind !== 'recurrent' && gate.kind !== 'feedforward')) {
    throw new ResNetConfigError(arch, 'gate.kind must be "recurrent" or "feedforward"');
  }
  if (gate.kind === 'recurrent' && !(Number.isInteger(gate.embedDim) && gate.embedDim > 0 && Number.isInteger(gate.hiddenDim) && gate.hiddenDim > 0)) {
    throw new ResNetConfigError(arch, 'gate.embedDim and gate.hiddenDim must be positive integers');
  }
  const store = new ParamStore(seed);
  const backbone = new CifarResNet(store, '', inputShape(config.input), {
    stages: config.stages,
    widths: config.widths,
    shortcut: 'conv',
    normalize: config.normalize ?? undefined,
  });
  const firstConditional = 1;
  const gateInputs = backbone.units.slice(firstConditional).map((u) => u.inputShape);
  const gating =
    gate.kind === 'recurrent' ? new RecurrentGating(store, gateInputs, gate.embedDim, gate.hiddenDim) : new FeedForwardGating(store, gateInputs);
  const classifier = new Dense(store, 'fc', backbone.featureShape[2], config.numClasses);
  return new SkippingNetwork(
    { store, backbone, gating, classifier, firstConditional, objective: config.objective, seed },
    { name: arch, arch, input: config.input, numClasses: config.numClasses },
  );
}
