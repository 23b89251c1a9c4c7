import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient of MirrorPad. tfjs-core's slices the centre out of dy and drops
 * what flowed into the mirrored border, so every pixel copied into a border
 * lost that part of its gradient (the generator's residual blocks pad with
 * 'reflect' before each 3x3 conv). The adjoint adds each border entry back
 * onto the pixel it copies, as PyTorch's ReflectionPad2d backward does.
 * Built from Slice, PadV2 and Add so that it traces into onnxruntime programs.
 */
export const mirrorPadGradConfig: tf.GradConfig = {
  kernelName: tf.MirrorPad,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { paddings, mode } = attrs as unknown as tf.MirrorPadAttrs;
    return { x: () => mirrorPadAdjoint(dy as tf.Tensor, x.shape, paddings, mode) };
  },
};

/** dy of the padded tensor folded back to x's shape, one padded axis at a time (the axes' folds commute). */
export function mirrorPadAdjoint(dy: tf.Tensor, shape: readonly number[], paddings: ReadonlyArray<readonly [number, number]>, mode: 'reflect' | 'symmetric'): tf.Tensor {
  return tf.tidy(() => {
    let g = dy;
    paddings.forEach(([before, after], axis) => {
      if (before > 0 || after > 0) g = foldAxis(g, axis, shape[axis], before, after, mode);
    });
    return g;
  });
}

/**
 * Along one axis the padded index j holds x[source(j)]: reflect mirrors
 * about the edge pixel (j < b: b - j), symmetric repeats it (b - 1 - j); past
 * the end likewise. Each border slice of dy is added at its source index.
 */
function foldAxis(g: tf.Tensor, axis: number, n: number, before: number, after: number, mode: 'reflect' | 'symmetric'): tf.Tensor {
  const edge = mode === 'reflect' ? 1 : 0;
  let dx = sliceAxis(g, axis, before, n);
  const addAt = (from: number, to: number) => {
    dx = tf.add(dx, placeAt(sliceAxis(g, axis, from, 1), axis, to, n));
  };
  for (let j = 0; j < before; j++) addAt(j, before - j - 1 + edge);
  for (let k = 0; k < after; k++) addAt(before + n + k, n - 1 - k - edge);
  return dx;
}

function sliceAxis(g: tf.Tensor, axis: number, begin: number, size: number): tf.Tensor {
  const start = g.shape.map((_, a) => (a === axis ? begin : 0));
  const sizes = g.shape.map((d, a) => (a === axis ? size : d));
  return tf.slice(g, start, sizes);
}

/** A size-1 slice zero-padded along `axis` to length n, sitting at index `at`. */
function placeAt(s: tf.Tensor, axis: number, at: number, n: number): tf.Tensor {
  const pads = s.shape.map((_, a): [number, number] => (a === axis ? [at, n - 1 - at] : [0, 0]));
  return tf.pad(s, pads);
}

/** Replaces tfjs-core's MirrorPad gradient (process-wide, every backend). Idempotent. */
export function registerMirrorPadGradient(): void {
  tf.registerGradient(mirrorPadGradConfig);
}
