/**
 * Peak signal-to-noise ratio of a generated input against its seed, the
 * image-quality figure beside the perturbation norms (Table 9):
 *   PSNR = 10 log10(peak^2 / MSE),  peak = the input range's width (1 for [0, 1]),
 *   MSE  = mean over every pixel and channel of (x' - x)^2.
 * An unchanged input has MSE 0 and an infinite PSNR; means are taken over the
 * changed inputs and the unchanged ones are counted separately.
 */

/** PSNR in dB of one image pair (flat arrays of equal length); Infinity when identical. */
export function psnr(seed, generated, range = [0, 1]) {
  if (seed.length !== generated.length || seed.length === 0) throw new RangeError(`psnr needs two non-empty images of one size, got ${seed.length} and ${generated.length} values`);
  let sum = 0;
  for (let i = 0; i < seed.length; i++) {
    const d = generated[i] - seed[i];
    sum += d * d;
  }
  const mse = sum / seed.length;
  const peak = range[1] - range[0];
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

/** Per-input PSNR of a batch (flat NHWC arrays of `count` images each). */
export function psnrPerInput(seeds, generated, count, range = [0, 1]) {
  const size = seeds.length / count;
  if (!Number.isInteger(size) || generated.length !== seeds.length) throw new RangeError(`psnrPerInput: ${seeds.length} and ${generated.length} values do not make ${count} image pairs`);
  const out = new Array(count);
  for (let k = 0; k < count; k++) out[k] = psnr(seeds.subarray(k * size, (k + 1) * size), generated.subarray(k * size, (k + 1) * size), range);
  return out;
}

/** Mean, min and max over the finite values, and how many inputs were left unchanged. */
export function summarisePsnr(values) {
  const finite = values.filter(Number.isFinite);
  const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
  return {
    mean,
    min: finite.length ? Math.min(...finite) : null,
    max: finite.length ? Math.max(...finite) : null,
    inputs: values.length,
    unchanged: values.length - finite.length,
  };
}
