#!/usr/bin/env node
/**
 * ILFO and DeepSloth (and random noise) on the embedded sdn-tiny: mean / max
 * I-FLOPs of the real adaptive execution over the seeds, success rate, the
 * perturbation actually applied, and the time per input.
 *
 *   npx tsc -p . && node bench/baselines.mjs [--seeds=100] [--seed=0] [--tau=0.5]
 *     [--linf=0.1] [--l2=2] [--only=ilfo,deepsloth,random] [--norms=linf,l2]
 *     [--ilfo-iterations=300] [--ilfo-optimizer=adam|sgd] [--ilfo-batch=100]
 *     [--deepsloth-linf-steps=30] [--deepsloth-l2-iterations=<default>] [--deepsloth-batch=100]
 */
import { existsSync } from 'node:fs';

const dist = new URL('../dist/src/', import.meta.url);
if (!existsSync(new URL('baselines/index.js', dist))) {
  console.error('dist/src/baselines/index.js is missing: run `npx tsc -p .` first.');
  process.exit(2);
}
const { initBackend } = await import(new URL('engine/index.js', dist).href);
const { loadAdnn, runBatched } = await import(new URL('adnn/index.js', dist).href);
const { loadDataset, takeSeeded } = await import(new URL('data/index.js', dist).href);
const { BASELINES, ILFO_DEFAULTS, DEEPSLOTH_DEFAULTS } = await import(new URL('baselines/index.js', dist).href);

function arg(name, fallback) {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}
const num = (name, fallback) => (arg(name) === undefined ? fallback : Number(arg(name)));
const list = (name, fallback) => (arg(name) ?? fallback).split(',').filter(Boolean);

const nSeeds = num('seeds', 100);
const seed = num('seed', 0);
const tau = num('tau', 0.5);
const eps = { linf: num('linf', 0.1), l2: num('l2', 2) };
const methods = list('only', 'random,ilfo,deepsloth');
const norms = list('norms', 'linf,l2');
const options = {
  random: {},
  ilfo: {
    iterations: num('ilfo-iterations', ILFO_DEFAULTS.iterations),
    optimizer: arg('ilfo-optimizer', ILFO_DEFAULTS.optimizer),
    batchSize: num('ilfo-batch', ILFO_DEFAULTS.batchSize),
  },
  deepsloth: {
    linfSteps: num('deepsloth-linf-steps', DEEPSLOTH_DEFAULTS.linfSteps),
    l2Iterations: num('deepsloth-l2-iterations', DEEPSLOTH_DEFAULTS.l2Iterations),
    batchSize: num('deepsloth-batch', DEEPSLOTH_DEFAULTS.batchSize),
  },
};

const backend = await initBackend({ backend: arg('backend', 'wasm') });
const { network } = await loadAdnn('fixtures/models/sdn-tiny');
const seeds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), nSeeds, seed);
const base = runBatched(network, seeds, tau).flops;
const meanOf = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`sdn-tiny, ${nSeeds} embedded test seeds (seed ${seed}), tau ${tau}, backend ${backend.name}`);
console.log(`seeds: mean FLOPs ${(meanOf([...base]) / 1e6).toFixed(3)}M`);
console.log('method     norm  eps    settings                          mean I-FLOPs  max I-FLOPs  success  mean Lp   ms/input');

for (const norm of norms) {
  for (const method of methods) {
    const opts = options[method];
    const attack = { norm, epsilon: eps[norm], tau };
    const out = await BASELINES[method](network, seeds, attack, seed, opts);
    const flops = runBatched(network, out, tau).flops;
    const inc = [...flops].map((f, i) => (f - base[i]) / base[i]);
    const size = perturbationSizes(seeds.images, out.images, nSeeds, norm);
    console.log(
      [
        method.padEnd(10),
        norm.padEnd(5),
        String(eps[norm]).padEnd(6),
        settings(method, norm, opts).padEnd(33),
        pct(meanOf(inc)).padStart(12),
        pct(Math.max(...inc)).padStart(12),
        pct(inc.filter((v) => v > 0).length / inc.length).padStart(8),
        meanOf(size).toFixed(4).padStart(8),
        out.msPerInput.toFixed(2).padStart(10),
      ].join(' '),
    );
  }
}
network.dispose();

function settings(method, norm, o) {
  if (method === 'ilfo') return `${o.optimizer}, ${o.iterations} it, batch ${o.batchSize}`;
  if (method === 'deepsloth') return norm === 'linf' ? `PGD ${o.linfSteps} steps, batch ${o.batchSize}` : `SGD cos ${o.l2Iterations} it, batch ${o.batchSize}`;
  return 'uniform in the ball';
}

function pct(v) {
  return `${(100 * v).toFixed(1)}%`;
}

function perturbationSizes(a, b, count, norm) {
  const size = a.length / count;
  const out = [];
  for (let i = 0; i < count; i++) {
    let m = 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      const d = Math.abs(a[j] - b[j]);
      m = norm === 'linf' ? Math.max(m, d) : m + d * d;
    }
    out.push(norm === 'linf' ? m : Math.sqrt(m));
  }
  return out;
}
