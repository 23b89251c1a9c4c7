import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { shuffledIndices } from '../util/random.js';

/** Images and labels of some inputs, laid out to become tensors of shape [count, H, W, C] and [count]. */
export interface Batch {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Copies the inputs at `indices`, in that order. */
export function batchOf(ds: Dataset, indices: ArrayLike<number>): Batch {
  const size = ds.height * ds.width * ds.channels;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) {
      throw new RangeError(`index ${i} is outside ${ds.name} (${ds.split}), which has ${ds.count} inputs`);
    }
    images.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = ds.labels[i];
  }
  return { images, labels, count: indices.length };
}

/** A dataset holding the inputs at `indices`, with the metadata of `ds`. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const { images, labels, count } = batchOf(ds, indices);
  return { ...ds, images, labels, count, classNames: ds.classNames && [...ds.classNames] };
}

/**
 * `n` inputs picked by a seeded shuffle: the same seed gives the same inputs in
 * the same order, and a larger n extends a smaller one's list.
 */
export function takeSeeded(ds: Dataset, n: number, seed: number): Dataset {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`the number of inputs to take must be a whole number >= 0, got ${n}`);
  if (n > ds.count) {
    throw new DataError(undefined, `asked for ${n} inputs but ${ds.name} (${ds.split}) has only ${ds.count}`);
  }
  return subset(ds, shuffledIndices(ds.count, n, seed));
}

/**
 * A seeded random split of `ds` into train and validation parts; the
 * validation part gets round(count * validationFraction) inputs, at least one
 * and leaving at least one for training.
 */
export function splitTrainValidation(
  ds: Dataset,
  validationFraction: number,
  seed: number,
): { train: Dataset; validation: Dataset } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction must be strictly between 0 and 1, got ${validationFraction}`);
  }
  checkSplittable(ds);
  return splitHoldOut(ds, Math.round(ds.count * validationFraction), seed);
}

/**
 * A seeded random split with `validationCount` inputs held out for
 * validation (clamped to leave at least one on each side) and the rest for
 * training. The same seed holds out the same inputs for any count's prefix.
 */
export function splitHoldOut(ds: Dataset, validationCount: number, seed: number): { train: Dataset; validation: Dataset } {
  checkSplittable(ds);
  const nVal = Math.min(ds.count - 1, Math.max(1, Math.round(validationCount)));
  const order = shuffledIndices(ds.count, ds.count, seed);
  return { validation: subset(ds, order.subarray(0, nVal)), train: subset(ds, order.subarray(nVal)) };
}

function checkSplittable(ds: Dataset): void {
  if (ds.count < 2) {
    throw new DataError(undefined, `${ds.name} (${ds.split}) has ${ds.count} input(s); a train/validation split needs at least 2`);
  }
}
