import type { ImageBatch, InputSpec } from '../adnn/index.js';
import type { GeneratedInputs } from '../generator/index.js';
import type { MethodResult, SampleImages } from '../results/index.js';

/** How many seeds the HTML report shows with their generated inputs. */
export const SAMPLE_COUNT = 8;

/**
 * The seeds DeepPerform slowed down most (largest I-FLOPs, ties by index),
 * with what every method made of them: the report's image grid. Pixels are
 * rounded to 4 decimals to keep the JSON result small; a method that made no
 * input for a seed (run on a subset) has an empty image there.
 */
export function pickSamples(
  input: InputSpec,
  seeds: ImageBatch,
  produced: readonly (readonly [string, GeneratedInputs])[],
  methods: readonly MethodResult[],
  count = SAMPLE_COUNT,
): SampleImages {
  const size = input.height * input.width * input.channels;
  const ranked = methods[0]?.iflops.map((v, i) => [v, i] as const) ?? [];
  ranked.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const indices = ranked.slice(0, Math.min(count, seeds.count)).map(([, i]) => i);
  const pixels = (images: Float32Array, i: number): number[] =>
    Array.from(images.subarray(i * size, (i + 1) * size), (v) => Math.round(v * 1e4) / 1e4);
  return {
    shape: [input.height, input.width, input.channels],
    range: input.range,
    indices,
    seeds: indices.map((i) => pixels(seeds.images, i)),
    // A method run on the first k seeds has no input for the others: an empty image.
    generated: produced.map(([method, g]) => ({ method, images: indices.map((i) => (i < g.count ? pixels(g.images, i) : [])) })),
  };
}
