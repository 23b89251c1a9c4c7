import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../../util/random.js';

/**
 * Training-time augmentation of the originals' CIFAR loaders (ucbdrive/skipnet:
 * RandomCrop(32, padding=4) + RandomHorizontalFlip): zero-pad by `pad` pixels,
 * crop back to the input size at a random offset, mirror half the images.
 */
export interface Augmentation {
  /** Padding (pixels) before the random crop; 0 = no shift. */
  pad: number;
  /** Mirror each image left-right with probability 1/2. */
  flip: boolean;
}

/** Where each image of a batch is cropped from (row, column offsets into the padded image) and whether it is mirrored. */
export interface AugmentDraw {
  dy: number[];
  dx: number[];
  flip: boolean[];
}

/** Offsets uniform in [0, 2 pad] and coin-flip mirroring, from a seeded generator. */
export function drawAugmentation(batch: number, aug: Augmentation, seed: number): AugmentDraw {
  const rand = mulberry32(seed);
  const offset = () => Math.floor(rand() * (2 * aug.pad + 1));
  const draw: AugmentDraw = { dy: [], dx: [], flip: [] };
  for (let b = 0; b < batch; b++) {
    draw.dy.push(offset());
    draw.dx.push(offset());
    draw.flip.push(aug.flip && rand() < 0.5);
  }
  return draw;
}

/**
 * Applies a draw: image b becomes padded[dy_b : dy_b + H, dx_b : dx_b + W],
 * mirrored when flip_b. One slice per image (cheap at these sizes; the wasm
 * backend's CropAndResize dropped the boxes' x offset in a check here).
 */
export function applyAugmentation(x: tf.Tensor4D, pad: number, draw: AugmentDraw): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, h, w, c] = x.shape;
    const padded = pad > 0 ? tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) : x;
    const images = Array.from({ length: batch }, (_, b) => {
      const crop = tf.slice(padded, [b, draw.dy[b], draw.dx[b], 0], [1, h, w, c]);
      return draw.flip[b] ? tf.reverse(crop, 2) : crop;
    });
    return tf.concat(images, 0) as tf.Tensor4D;
  });
}
