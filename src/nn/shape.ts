/** Height, width, channels of one feature map (the batch dimension is left out). */
export type FeatureShape = readonly [number, number, number];

export type Padding = 'same' | 'valid' | number;

/** Output length of a convolution / pooling along one axis. */
export function convOutLength(length: number, kernel: number, stride: number, pad: Padding): number {
  if (pad === 'same') return Math.ceil(length / stride);
  const p = pad === 'valid' ? 0 : pad;
  return Math.floor((length + 2 * p - kernel) / stride) + 1;
}

/** Output length of a transposed convolution with 'valid' padding. */
export function convTransposeOutLength(length: number, kernel: number, stride: number): number {
  return (length - 1) * stride + kernel;
}
