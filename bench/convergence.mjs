#!/usr/bin/env node
/**
 * How far the tiny preset's default training budget is from where early
 * stopping fires: trains the generator of each default suite (suites/*.perf.yaml)
 * with the suite's attack, seed and loss but the schema's training defaults
 * for the tiny preset (epochs 30, no step cap, learning rate from the suite,
 * reduce-on-plateau, patience 5, 1,000 validation inputs, one validation per
 * epoch), through the product's own trainSuiteGenerator, and writes
 * bench/results/convergence.json: per suite the stop reason, epochs, best and
 * last validation, and CPU seconds. Not part of `npm test` or `npm run bench`.
 *
 *   npm run build && nice -n 10 node bench/convergence.mjs [--out=file] [suite-file ...]
 */
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSnapshot, othersCpus } from './lib/machine.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url).href;
const { initBackend } = await import(dist('engine/index.js'));
const { loadDataset } = await import(dist('data/index.js'));
const { loadSuite, PRESET_EPOCHS } = await import(dist('suite/index.js'));
const { generatorData, loadSuiteModel, trainSuiteGenerator } = await import(dist('runner/index.js'));

const args = process.argv.slice(2);
const out = args.find((a) => a.startsWith('--out='))?.slice(6) ?? join(ROOT, 'bench/results/convergence.json');
const files = args.filter((a) => !a.startsWith('--'));
const suites = files.length > 0 ? files : ['blockdrop-tiny-linf', 'ranet-tiny-linf', 'sdn-tiny-l2', 'sdn-tiny-linf', 'skipnet-tiny-linf'].map((n) => join(ROOT, `suites/${n}.perf.yaml`));

const backend = await initBackend({ backend: 'wasm' });
const rows = [];
for (const file of suites) {
  const loaded = await loadSuite(file);
  const t = loaded.generator.train;
  // The tiny preset's defaults in place of the suite's step cap.
  const { steps: _cap, ...rest } = t;
  const suite = { ...loaded, generator: { ...loaded.generator, preset: 'tiny', train: { ...rest, epochs: PRESET_EPOCHS.tiny } } };
  const network = await loadSuiteModel(suite);
  const split = await loadDataset({ name: suite.data.dataset, split: suite.data.trainSplit, path: suite.data.path });
  const data = generatorData(suite, split);
  const before = cpuSnapshot();
  const { generator, record } = await trainSuiteGenerator(suite, network, data);
  const after = cpuSnapshot();
  const model = network.meta.name;
  generator.store.dispose();
  network.dispose();
  const row = {
    suite: relative(ROOT, file),
    model,
    norm: suite.norm,
    epsilon: suite.epsilon,
    width: suite.generator.train.width,
    learningRate: suite.generator.train.learningRate,
    perfLoss: suite.generator.train.perfLoss,
    trainInputs: record.trainInputs,
    validationInputs: record.validationInputs,
    epochBudget: suite.generator.train.epochs,
    stopReason: record.stopReason,
    converged: record.converged,
    epochs: record.epochs,
    steps: record.steps,
    best: record.best,
    last: record.last,
    learningRates: [...new Set(record.curve.map((p) => p.learningRate))],
    curve: record.curve.map((p) => ({ epoch: p.epoch, iflops: p.iflops, standardError: p.standardError, learningRate: p.learningRate, gain: p.gain })),
    cpuSeconds: after.ownS - before.ownS,
    wallSeconds: after.wallS - before.wallS,
    othersCpus: othersCpus(before, after),
  };
  rows.push(row);
  console.log(`${row.suite}: ${row.stopReason} at epoch ${row.epochs.toFixed(1)}; best ${(row.best.iflops * 100).toFixed(1)}% at epoch ${row.best.epoch.toFixed(1)}; ${row.cpuSeconds.toFixed(0)} CPU s`);
}
const result = { command: 'nice -n 10 node bench/convergence.mjs', date: new Date().toISOString(), backend: backend.name, node: process.version, rows };
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
