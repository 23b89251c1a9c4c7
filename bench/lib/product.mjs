/**
 * The product as users get it: the compiled modules under dist/src, through
 * each folder's public index. The bench times these public paths (generate,
 * trainGenerator, softBatched, ilfo, measureLatency ...), so it measures
 * whichever engine the product runs on when the bench runs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export class ProductNotBuilt extends Error {
  name = 'ProductNotBuilt';
}

export async function loadProduct(root) {
  const dist = join(root, 'dist', 'src');
  if (!existsSync(join(dist, 'cli', 'main.js'))) throw new ProductNotBuilt(`${dist} is missing: run \`npm run build\` first (npm run bench does).`);
  const load = (p) => import(pathToFileURL(join(dist, p)).href);
  const [engine, adnn, generator, baselines, data, measure, nn] = await Promise.all(
    ['engine/index.js', 'adnn/index.js', 'generator/index.js', 'baselines/index.js', 'data/index.js', 'measure/index.js', 'nn/index.js'].map(load),
  );
  // Resolved from the project root, so it is the tfjs-core instance dist uses.
  const tf = await import(pathToFileURL(createRequire(join(root, 'package.json')).resolve('@tensorflow/tfjs-core')).href);
  return { root, dist, load, tf, engine, adnn, generator, baselines, data, measure, nn };
}

/** Whether onnxruntime-node has been loaded into this process by the product (the bench never imports it). */
export function onnxRuntimeLoaded(root) {
  const cache = createRequire(join(root, 'package.json')).cache;
  return Object.keys(cache).some((p) => p.includes(`${sep}onnxruntime-node${sep}`));
}

/** Deterministic images in [0, 1) (mulberry32), NHWC flat, as an ImageBatch. */
export function randomImages(count, [h, w, c], seed = 1) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const images = new Float32Array(count * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = next();
  return { images, count };
}

export function inputSpec([height, width, channels]) {
  return { height, width, channels, range: [0, 1] };
}
