/**
 * The image grid: per sample, the seed, then per method the generated input
 * and its amplified perturbation, each a PNG (encoded with pngjs) inlined as
 * a data: URI and scaled up by CSS with crisp pixels.
 *
 * The perturbation is drawn signed around mid-grey: grey means unchanged,
 * brighter means the method raised the pixel, darker that it lowered it. Each
 * perturbation image is scaled on its own so its largest |generated - seed|
 * is full intensity (0 or 255); the caption gives that largest difference.
 */
import { PNG } from 'pngjs';
import type { SampleImages, SuiteResult } from '../../results/index.js';
import { html } from '../escape.js';
import { DASH, formatFlops, formatPercent } from '../format.js';

/** A value in [lo, hi] as a byte, clamped. */
export function pixelByte(v: number, lo: number, hi: number): number {
  const t = hi > lo ? (v - lo) / (hi - lo) : 0;
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}

export function imageBytes(pixels: readonly number[], range: readonly [number, number]): Uint8Array {
  return Uint8Array.from(pixels, (v) => pixelByte(v, range[0], range[1]));
}

/**
 * generated - seed, mapped so 0 is 128 (rounded from 127.5) and the largest
 * absolute difference is 0 or 255. All grey when nothing changed.
 */
export function perturbationBytes(generated: readonly number[], seed: readonly number[]): { bytes: Uint8Array; maxAbs: number } {
  const diff = generated.map((g, i) => g - (seed[i] ?? 0));
  const maxAbs = diff.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
  const bytes = Uint8Array.from(diff, (d) => (maxAbs > 0 ? Math.max(0, Math.min(255, Math.round(127.5 + (127.5 * d) / maxAbs))) : 128));
  return { bytes, maxAbs };
}

/**
 * HWC bytes to a PNG: grey for one channel, RGB for three; other channel
 * counts show their first channel as grey.
 */
export function encodePng(bytes: Uint8Array, shape: readonly [number, number, number]): Buffer {
  const [height, width, channels] = shape;
  const rgb = channels === 3;
  const data = rgb || channels === 1 ? bytes : Uint8Array.from({ length: height * width }, (_, i) => bytes[i * channels]!);
  const colorType = rgb ? 2 : 0;
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, bitDepth: 8 });
}

function dataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Integer upscaling to about 84 CSS pixels, so small inputs stay visible and crisp. */
export function displayScale(shape: readonly [number, number, number]): number {
  return Math.max(1, Math.round(84 / Math.max(shape[0], shape[1])));
}

function img(bytes: Uint8Array, shape: SampleImages['shape'], alt: string): string {
  const scale = displayScale(shape);
  return `<img src="${dataUri(encodePng(bytes, shape))}" width="${shape[1] * scale}" height="${shape[0] * scale}" alt="${html(alt)}">`;
}

function validImage(pixels: readonly number[] | undefined, shape: SampleImages['shape']): pixels is readonly number[] {
  return pixels !== undefined && pixels.length === shape[0] * shape[1] * shape[2];
}

function cell(inner: string, caption: string): string {
  return `<td><figure>${inner}<figcaption>${html(caption)}</figcaption></figure></td>`;
}

/**
 * What the grid shows. The samples are the seeds ranked by the first
 * method's I-FLOPs (DeepPerform's), so "slowed down most" is only true of
 * those it did slow down (I-FLOPs > 0); when it slowed none, say so.
 */
export function samplesCaption(s: SuiteResult): string {
  const samples = s.samples;
  const n = samples?.seeds.length ?? 0;
  const first = s.methods[0];
  const slowed = (samples?.indices ?? []).filter((i) => (first?.iflops[i] ?? 0) > 0).length;
  if (slowed === 0) return `DeepPerform slowed down none of the seeds (no I-FLOPs above 0); here are ${n} of them.`;
  if (slowed < n) return `The ${slowed === 1 ? 'seed' : `${slowed} seeds`} DeepPerform slowed down (I-FLOPs above 0), then ${n - slowed} it did not.`;
  return `The ${n} seeds DeepPerform slowed down most.`;
}

/** The grid for one suite, or '' when the suite has no samples. */
export function imageGrid(s: SuiteResult): string {
  const samples = s.samples;
  if (!samples || samples.seeds.length === 0) return '';
  const { shape, range } = samples;
  const head = ['seed', ...samples.generated.flatMap((g) => [`${g.method}: input`, `${g.method}: perturbation`])];
  const rows = samples.seeds.map((seed, k) => {
    const index = samples.indices[k] ?? k;
    const seedFlops = s.seeds?.flops[index];
    const seedCell = validImage(seed, shape)
      ? cell(img(imageBytes(seed, range), shape, `seed ${index}`), `#${index} · ${formatFlops(seedFlops)}`)
      : `<td>${DASH}</td>`;
    const methodCells = samples.generated.map((g) => generatedCells(s, g.method, g.images[k], seed, index, shape, range));
    return `<tr>${seedCell}${methodCells.join('')}</tr>`;
  });
  return [
    '<h3>Samples</h3>',
    `<p class="muted">${html(samplesCaption(s))} ` +
      'Perturbations are amplified and signed around grey: brighter = pixel raised, darker = lowered; ' +
      'each is scaled so its largest change |δ| (in the caption) is full intensity.</p>',
    '<div class="scroll"><table class="samples">',
    `<thead><tr>${head.map((h) => `<th scope="col">${html(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table></div>',
  ].join('\n');
}

function generatedCells(
  s: SuiteResult,
  method: string,
  generated: readonly number[] | undefined,
  seed: readonly number[],
  index: number,
  shape: SampleImages['shape'],
  range: SampleImages['range'],
): string {
  if (!validImage(generated, shape) || !validImage(seed, shape)) return `<td>${DASH}</td><td>${DASH}</td>`;
  const iflops = s.methods.find((m) => m.method === method)?.iflops[index];
  const gain = iflops === undefined ? '' : `I-FLOPs ${signedPercent(iflops)}`;
  const { bytes, maxAbs } = perturbationBytes(generated, seed);
  return (
    cell(img(imageBytes(generated, range), shape, `${method} input for seed ${index}`), gain) +
    cell(img(bytes, shape, `${method} perturbation for seed ${index}`), maxAbs > 0 ? `max |δ| ${maxAbs.toPrecision(3)}` : 'unchanged')
  );
}

function signedPercent(v: number): string {
  return Number.isFinite(v) && v > 0 ? `+${formatPercent(v)}` : formatPercent(v);
}
