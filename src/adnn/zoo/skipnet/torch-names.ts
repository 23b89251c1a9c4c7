import type { AdaptiveNetwork } from '../../contract.js';
import type { TorchMapping } from '../../import/index.js';
import type { Normalization } from '../resnet/backbone.js';
import { CIFAR_NORMALIZATION } from '../resnet/config.js';
import { addBasicBlock, addBatchNorm, addConv, addDense, addUnused, requireCifarInput, residualUnits } from '../resnet/torch-names.js';

/**
 * Our parameter names -> the state_dict keys of ucbdrive/skipnet
 * `cifar/models.py`: ResNetRecurrentGateSP (`cifar10_rnn_gate_110`; the RL
 * stage's ResNetRecurrentGateRL has the same names) and ResNetFeedForwardSP
 * with FFGate-II (`cifar10_feedforward_110`; ResNetFeedForwardRL likewise).
 * Each unit i of group g is three attributes: `group{g}_ds{i}` (the
 * projection shortcut, an nn.Sequential [1x1 conv, BN], or None),
 * `group{g}_layer{i}` (the BasicBlock, which holds the same shortcut again as
 * `downsample`) and `group{g}_gate{i}` (the gate reading the unit's output).
 * README.md ("Importing PyTorch weights") lists the names and layouts.
 */
export function skipNetTorchMapping(network: AdaptiveNetwork): TorchMapping {
  requireCifarInput(network, 'SkipNet (ucbdrive/skipnet cifar/models.py)');
  const ours = network.namedWeights();
  const units = residualUnits(ours.keys());
  const m: TorchMapping = new Map();
  addConv(m, 'conv1', 'conv1');
  addBatchNorm(m, 'bn1', 'bn1');
  for (const [g, i] of units) {
    const [unit, layer] = [`stage${g}.block${i}`, `group${g}_layer${i}`];
    addBasicBlock(m, unit, layer);
    if (ours.has(`${unit}.downsample.conv.weight`)) {
      // One module under two names: state_dict() writes it twice, a de-duplicating save once.
      addConv(m, `${unit}.downsample.conv`, `group${g}_ds${i}.0`, `${layer}.downsample.0`);
      addBatchNorm(m, `${unit}.downsample.bn`, `group${g}_ds${i}.1`, `${layer}.downsample.1`);
    }
  }
  const recurrent = ours.has('control.lstm.weight_ih');
  // Our gate j reads the output of unit j, as the original's gate after that unit does.
  units.forEach(([g, i], j) => {
    const gate = `group${g}_gate${i}`;
    if (j === units.length - 1) addUnused(m, lastGateKeys(gate, recurrent), 'the gate after the last block: its decision is discarded');
    else if (recurrent) addDense(m, `gate${j}.embed`, `${gate}.1`, 'conv1x1');
    else {
      addConv(m, `gate${j}.conv1`, `${gate}.conv1`);
      addBatchNorm(m, `gate${j}.bn1`, `${gate}.bn1`);
      addDense(m, `gate${j}.linear`, `${gate}.linear_layer`, 'conv1x1');
    }
  });
  if (recurrent) addLstm(m);
  addDense(m, 'fc', 'fc');
  return m;
}

/** RNNGate `control`: nn.LSTM `rnn` (gate order i, f, g, o, as ours) and Linear `proj`. */
function addLstm(m: TorchMapping): void {
  m.set('control.lstm.weight_ih', { torch: 'control.rnn.weight_ih_l0', layout: { kind: 'linear' } });
  m.set('control.lstm.weight_hh', { torch: 'control.rnn.weight_hh_l0', layout: { kind: 'linear' } });
  // Ours keeps one bias: PyTorch's two only ever appear summed.
  m.set('control.lstm.bias', { torch: 'control.rnn.bias_ih_l0', plus: ['control.rnn.bias_hh_l0'], layout: { kind: 'same' } });
  addDense(m, 'control.proj', 'control.proj');
}

function lastGateKeys(gate: string, recurrent: boolean): string[] {
  if (recurrent) return [`${gate}.1.weight`, `${gate}.1.bias`];
  const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((t) => `${gate}.bn1.${t}`);
  return [`${gate}.conv1.weight`, ...bn, `${gate}.linear_layer.weight`, `${gate}.linear_layer.bias`];
}

/**
 * The normalisation of ucbdrive/skipnet `cifar/data.py`'s test loaders, by the
 * dataset the weights were trained on: CIFAR-10 and CIFAR-100 share one set of
 * statistics; SVHN's test loader uses its own (its train and extra loaders use
 * others still; the test set's are what an evaluated checkpoint saw).
 */
export const SKIPNET_NORMALIZATION: Record<'cifar10' | 'cifar100' | 'svhn', Normalization> = {
  cifar10: CIFAR_NORMALIZATION,
  cifar100: CIFAR_NORMALIZATION,
  svhn: { mean: [0.4524, 0.4525, 0.469], std: [0.2194, 0.2266, 0.2285] },
};
