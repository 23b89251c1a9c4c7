import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../../src/adnn/index.js';
import type { TorchMapping } from '../../src/adnn/import/index.js';
import { Conv2d, Dense, ParamStore } from '../../src/nn/index.js';

/** A two-layer model with our layers: conv 3x3 (3 -> 4, same) + ReLU, flatten, linear to 5. */
export function tinyImportNet(): { net: AdaptiveNetwork; forward: (x: tf.Tensor4D) => tf.Tensor } {
  const store = new ParamStore(0);
  const conv = new Conv2d(store, 'conv', { inChannels: 3, outChannels: 4, kernel: 3, pad: 'same' });
  const fc = new Dense(store, 'fc', 4 * 6 * 6, 5);
  const forward = (x: tf.Tensor4D) => fc.apply(tf.reshape(tf.relu(conv.apply(x)), [x.shape[0], -1]) as tf.Tensor2D);
  const net = { meta: { arch: 'tiny-import-check' }, namedWeights: () => store.named() } as unknown as AdaptiveNetwork;
  return { net, forward };
}

/** Its parameters under the names torch.nn gives them. */
export const TINY_IMPORT_MAPPING: TorchMapping = new Map([
  ['conv.weight', { torch: 'conv.weight', layout: { kind: 'conv' } }],
  ['conv.bias', { torch: 'conv.bias', layout: { kind: 'same' } }],
  ['fc.weight', { torch: 'fc.weight', layout: { kind: 'linear', flattenedFrom: [4, 6, 6] } }],
  ['fc.bias', { torch: 'fc.bias', layout: { kind: 'same' } }],
]);
