/**
 * The state_dict keys and PyTorch shapes of ucbdrive/skipnet's CIFAR models
 * (cifar/models.py: ResNetRecurrentGateSP as `cifar10_rnn_gate_110`,
 * ResNetFeedForwardSP with FFGate-II as `cifar10_feedforward_110`), listed by
 * hand from their module structure. Test helper: an independent listing to
 * check the import mapping against, and to write files without PyTorch.
 */
import { fillStateDict, type StateDictShapes } from './sdn-state-dict.js';
import { encodeSafetensors } from './safetensors-writer.js';

export interface SkipNetListing {
  gate: 'recurrent' | 'feedforward';
  classes?: number;
  /** Basic blocks per group (the original's `layers`). */
  layers?: [number, number, number];
  embed?: number;
  hidden?: number;
}

function batchNorm(sd: StateDictShapes, key: string, channels: number): void {
  for (const t of ['weight', 'bias', 'running_mean', 'running_var']) sd.set(`${key}.${t}`, [channels]);
  sd.set(`${key}.num_batches_tracked`, []);
}

export function skipNetStateDict({ gate, classes = 10, layers = [18, 18, 18], embed = 10, hidden = 10 }: SkipNetListing): StateDictShapes {
  const sd: StateDictShapes = new Map();
  sd.set('conv1.weight', [16, 3, 3, 3]);
  batchNorm(sd, 'bn1', 16);
  let inplanes = 16;
  [16, 32, 64].forEach((planes, g0) => {
    const g = g0 + 1;
    for (let i = 0; i < layers[g0]; i++) {
      const stride = g > 1 && i === 0 ? 2 : 1;
      const layer = `group${g}_layer${i}`;
      if (stride !== 1 || inplanes !== planes) {
        // The same nn.Sequential is both `group{g}_ds{i}` and the block's `downsample`.
        for (const ds of [`group${g}_ds${i}`, `${layer}.downsample`]) {
          sd.set(`${ds}.0.weight`, [planes, inplanes, 1, 1]);
          batchNorm(sd, `${ds}.1`, planes);
        }
      }
      sd.set(`${layer}.conv1.weight`, [planes, inplanes, 3, 3]);
      batchNorm(sd, `${layer}.bn1`, planes);
      sd.set(`${layer}.conv2.weight`, [planes, planes, 3, 3]);
      batchNorm(sd, `${layer}.bn2`, planes);
      const gateKey = `group${g}_gate${i}`;
      if (gate === 'recurrent') {
        // nn.Sequential(AvgPool2d, Conv2d(planes, embed, 1)): the conv is child 1.
        sd.set(`${gateKey}.1.weight`, [embed, planes, 1, 1]);
        sd.set(`${gateKey}.1.bias`, [embed]);
      } else {
        sd.set(`${gateKey}.conv1.weight`, [planes, planes, 3, 3]);
        batchNorm(sd, `${gateKey}.bn1`, planes);
        sd.set(`${gateKey}.linear_layer.weight`, [2, planes, 1, 1]);
        sd.set(`${gateKey}.linear_layer.bias`, [2]);
      }
      inplanes = planes;
    }
  });
  if (gate === 'recurrent') {
    sd.set('control.rnn.weight_ih_l0', [4 * hidden, embed]);
    sd.set('control.rnn.weight_hh_l0', [4 * hidden, hidden]);
    sd.set('control.rnn.bias_ih_l0', [4 * hidden]);
    sd.set('control.rnn.bias_hh_l0', [4 * hidden]);
    sd.set('control.proj.weight', [1, hidden]);
    sd.set('control.proj.bias', [1]);
  }
  sd.set('fc.weight', [classes, 64]);
  sd.set('fc.bias', [classes]);
  return sd;
}

export type StateDictValues = Map<string, { shape: number[]; values: Float32Array }>;

/**
 * Deterministic values for a SkipNet listing; the shared shortcut module's
 * second name holds the same values as its first, as in a real state_dict.
 */
export function fillSkipNetStateDict(shapes: StateDictShapes, seed = 1): StateDictValues {
  const values = fillStateDict(shapes, seed);
  for (const [key, t] of values) {
    const shared = /^group(\d+)_layer(\d+)\.downsample\.(.*)$/.exec(key);
    if (shared) values.set(key, { shape: t.shape, values: values.get(`group${shared[1]}_ds${shared[2]}.${shared[3]}`)!.values });
  }
  return values;
}

/** The bytes of a .safetensors file for these values (num_batches_tracked as I64, like PyTorch). */
export function stateDictFile(values: StateDictValues, prefix = ''): Uint8Array {
  const tensors: Parameters<typeof encodeSafetensors>[0] = {};
  for (const [key, t] of values) {
    const int = key.endsWith('num_batches_tracked');
    tensors[prefix + key] = { dtype: int ? 'I64' : 'F32', shape: t.shape, values: int ? [0] : Array.from(t.values) };
  }
  return encodeSafetensors(tensors);
}
