/**
 * The product as built by `npm run build`: the public API (dist/src/api) for
 * running suites, and the internal stages' public entries (dist/src/<stage>/
 * index.js) for what the API does not expose (a model's FLOPs on the whole
 * test split, regenerating a suite's inputs for PSNR, the mitigation sections).
 * Imported lazily, after the dataset check, so a missing dataset is reported
 * even before the first build.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class ProductNotBuilt extends Error {
  name = 'ProductNotBuilt';
  exitCode = 2;
}

export async function loadProduct(root) {
  const dist = join(root, 'dist', 'src');
  if (!existsSync(join(dist, 'api', 'index.js'))) throw new ProductNotBuilt(`${dist} is missing: run \`npm run build\` first (npm run eval does).`);
  const load = (p) => import(pathToFileURL(join(dist, p)).href);
  const names = ['api', 'engine', 'adnn', 'data', 'generator', 'baselines', 'suite'];
  const mods = await Promise.all(names.map((n) => load(`${n}/index.js`)));
  const product = Object.fromEntries(names.map((n, i) => [n, mods[i]]));
  product.version = (await load('util/version.js')).toolVersion();
  product.load = load;
  product.dist = dist;
  return product;
}

/**
 * The mitigation stage, when the build has it: its section
 * functions, or the reason they cannot be used.
 */
export async function loadMitigation(product) {
  const file = join(product.dist, 'mitigation', 'index.js');
  if (!existsSync(file)) return { reason: 'dist/src/mitigation/index.js is absent (src/mitigation not built yet)' };
  const m = await product.load('mitigation/index.js');
  const missing = ['runDetectorSection', 'runRetrainSection'].filter((f) => typeof m[f] !== 'function');
  if (missing.length) return { reason: `src/mitigation does not export ${missing.join(' and ')}` };
  return { runDetectorSection: m.runDetectorSection, runRetrainSection: m.runRetrainSection };
}
