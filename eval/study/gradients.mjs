#!/usr/bin/env node
/**
 * Does a batch mean of L_perf ignore some inputs? For each of the study's
 * evaluation seeds, the size of each loss's gradient with respect to that
 * input (||dL_b / dx_b||_2, the signal the input sends back to the generator
 * through the batch mean), beside how confident the seed's first exit is. If
 * the confident seeds' gradients are orders of magnitude smaller, a batch mean
 * lets the others decide every update, and a per-input normalisation (the
 * log- forms) is worth trying. Writes eval/study/diagnostics/gradients-<model>.json:
 *
 *   node eval/study/gradients.mjs --models=sdn-tiny,ranet-tiny
 *
 * Reads the product's stage entries in dist (npm run build first), as
 * eval/lib/product.mjs does for what the public API does not expose.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProduct } from '../lib/product.mjs';
import { writeAtomic } from '../lib/results.mjs';
import { EVALUATION } from './plan.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOSSES = ['bce', 'masked-bce', 'hinge', 'log-hinge', 'uniform-ce', 'expected-cost', 'log-expected-cost'];

function quantiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return { min: s[0], p10: q(0.1), p50: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}

async function gradientsFor(product, model) {
  const tf = await import('@tensorflow/tfjs-core');
  const { network } = await product.adnn.loadAdnn(join(ROOT, 'eval/models', model));
  const test = await product.data.loadDataset({ name: 'fashion-mnist', split: EVALUATION.split });
  const seeds = product.data.takeSeeded(test, EVALUATION.seeds, EVALUATION.suiteSeed);
  const { height: h, width: w, channels: c } = network.meta.input;
  const x = tf.tensor4d(seeds.images, [seeds.count, h, w, c]);
  const meta = network.meta;
  const inputsAt = (v) => {
    const exitLogits = network.exitLogits(v);
    const p = tf.stack(exitLogits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1))), 1);
    return { kind: meta.kind, p, exitLogits, tau: EVALUATION.threshold, baseFlops: meta.baseFlops, blockFlops: meta.blocks.map((b) => b.flops) };
  };
  const firstConfidence = tf.tidy(() => tf.sub(1, tf.slice(inputsAt(x).p, [0, 0], [-1, 1])).dataSync());
  const out = { model, seeds: seeds.count, firstExitConfidence: Array.from(firstConfidence), losses: {} };
  for (const loss of LOSSES) {
    // The sum of per-input terms: input b's gradient is its own term's.
    const g = tf.grad((v) => tf.sum(product.generator.perfLossPerInput(loss, inputsAt(v), { margin: 0.1 })))(x);
    const norms = Array.from(tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.reshape(g, [seeds.count, -1])), 1)).dataSync()));
    g.dispose();
    out.losses[loss] = { gradientNorm: norms, quantiles: quantiles(norms) };
    console.log(`${model} ${loss}: |grad| p10 ${out.losses[loss].quantiles.p10.toExponential(2)} p50 ${out.losses[loss].quantiles.p50.toExponential(2)} p90 ${out.losses[loss].quantiles.p90.toExponential(2)}`);
  }
  x.dispose();
  network.dispose();
  return out;
}

async function main() {
  const arg = process.argv.find((a) => a.startsWith('--models='));
  const models = arg ? arg.slice('--models='.length).split(',') : ['sdn-tiny', 'ranet-tiny'];
  const product = await loadProduct(ROOT);
  await product.engine.initBackend({});
  for (const model of models) {
    const r = await gradientsFor(product, model);
    writeAtomic(join(ROOT, 'eval/study/diagnostics', `gradients-${model}.json`), `${JSON.stringify({ format: 'deepperform-study-gradients', tau: EVALUATION.threshold, ...r }, null, 1)}\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(3);
});
