import { ParamStore, type FeatureShape } from '../../../nn/index.js';
import type { InputSpec } from '../../contract.js';
import { ConvStack } from './conv-stack.js';
import { EarlyExitNetwork, type Segment } from './early-exit.js';
import { ExitHead } from './exit-head.js';

export interface SdnTinyConfig {
  input: InputSpec;
  numClasses: number;
  /** Channel widths of the three stages (full resolution, /2, /4). */
  widths: [number, number, number];
  /** Per-model input normalisation, folded into the first segment. */
  normalize: { mean: number; std: number };
}

export const SDN_TINY_DEFAULT: SdnTinyConfig = {
  input: { height: 28, width: 28, channels: 1, range: [0, 1] },
  numClasses: 10,
  widths: [8, 16, 32],
  normalize: { mean: 0.286, std: 0.353 },
};

/**
 * A small Shallow-Deep Network: four segments, three internal classifiers and
 * the final one. Stages at full, half and quarter resolution.
 */
export function buildSdnTiny(config: SdnTinyConfig, seed = 0): EarlyExitNetwork {
  const store = new ParamStore(seed);
  const [w0, w1, w2] = config.widths;
  const inputShape: FeatureShape = [config.input.height, config.input.width, config.input.channels];
  const stem = new ConvStack(store, 'segment0', config.input.channels, [{ out: w0 }, { out: w0 }], config.normalize);
  const segments: Segment[] = [
    stem,
    new ConvStack(store, 'segment1', w0, [{ out: w1, stride: 2 }, { out: w1 }]),
    new ConvStack(store, 'segment2', w1, [{ out: w1 }]),
    new ConvStack(store, 'segment3', w1, [{ out: w2, stride: 2 }, { out: w2 }]),
  ];
  let shape = inputShape;
  const exits = segments.map((seg, i) => {
    shape = seg.outputShape(shape);
    return new ExitHead(store, `exit${i}`, shape, config.numClasses);
  });
  return new EarlyExitNetwork(
    { store, segments, exits, inputShape, firstConv: (x, counter) => stem.firstConv(x, counter) },
    { name: 'sdn-tiny', arch: 'sdn-tiny', input: config.input, numClasses: config.numClasses },
  );
}
