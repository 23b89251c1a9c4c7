#!/usr/bin/env node
/**
 * deepperform-refine against ILFO (300 Adam iterations, the published setting)
 * and DeepSloth (early-exit models) on the default suites' settings: the
 * shipped tiny models, the embedded data, each suite's seeds, norm, epsilon,
 * tau and seed, and the generator shipped for the suite. Per method: mean and
 * median I-FLOPs of the real adaptive execution, and the CPU time per input
 * (process.cpuUsage over the whole call, all threads) beside the wall time.
 *
 *   npm run build && nice -n 10 node bench/refine.mjs [--suites=sdn-tiny-linf,...]
 *     [--seeds=<suite's>] [--variants=deepsloth/pgd/20,ilfo/adam/20,...]
 *     [--baselines=ilfo,deepsloth] [--out=bench/results/refine.json] [--reuse=<dir>]
 *
 * A variant is loss/rule/steps[/option=value...] (RefineOptions), where c=<n> sets
 * stepSize to n * epsilon / steps (the form of 'auto'). --baselines= (empty) skips ILFO and DeepSloth. --reuse keeps the baselines' outputs and
 * times in <dir> between invocations (for exploring variants); leave it out
 * for a recorded run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuSnapshot, othersCpus } from './lib/machine.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist/src');
if (!existsSync(join(dist, 'baselines/index.js'))) {
  console.error('dist/src/baselines/index.js is missing: run `npm run build` first.');
  process.exit(2);
}
const load = (m) => import(join(dist, m, 'index.js'));
const { initBackend } = await load('engine');
const { loadAdnn, runBatched } = await load('adnn');
const { loadDataset, takeSeeded } = await load('data');
const { loadSuite } = await load('suite');
const { loadGenerator, generate } = await load('generator');
const { BASELINES, refine } = await load('baselines');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const list = (name, fallback) => arg(name, fallback).split(',').filter(Boolean);
const suiteNames = list('suites', 'sdn-tiny-linf,sdn-tiny-l2,ranet-tiny-linf,skipnet-tiny-linf,blockdrop-tiny-linf');
const variants = list('variants', 'deepsloth/pgd/20').map(parseVariant);
const baselineNames = list('baselines', 'ilfo,deepsloth');
const out = arg('out', undefined);
const reuse = arg('reuse', undefined);

const backend = await initBackend({ backend: 'wasm' });
const started = cpuSnapshot();
const load0 = loadavg();
const rows = [];
for (const name of suiteNames) rows.push(...(await benchSuite(name)));
const ended = cpuSnapshot();
const machine = {
  cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical CPUs)`,
  backend: backend.name,
  loadavg_before: load0,
  loadavg_after: loadavg(),
  others_cpus_while_running: othersCpus(started, ended),
};
console.log(`machine: ${JSON.stringify(machine)}`);
if (out) {
  const command = `node bench/refine.mjs ${process.argv.slice(2).join(' ')}`.trim();
  writeFileSync(join(root, out), `${JSON.stringify({ date: new Date().toISOString(), command, machine, rows }, null, 1)}\n`);
}

/** "loss/rule/steps[/key=value...]", e.g. deepsloth/pgd/20/schedule=cosine/stepSize=0.02. */
function parseVariant(text) {
  const [loss, rule, steps, ...rest] = text.split('/');
  const extra = Object.fromEntries(rest.map((kv) => kv.split('=')).map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)]));
  return { label: text, options: { loss, rule, steps: Number(steps), ...extra } };
}

async function benchSuite(name) {
  const suite = await loadSuite(join(root, 'suites', `${name}.perf.yaml`));
  if (suite.model.source !== 'zoo') throw new Error(`${name}: not a zoo model`);
  const { network } = await loadAdnn(suite.model.weights);
  const split = await loadDataset({ name: suite.data.dataset, split: suite.data.split });
  const n = Number(arg('seeds', suite.data.seeds));
  const ds = takeSeeded(split, n, suite.seed);
  const seeds = { images: ds.images, count: ds.count };
  const attack = { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold };
  const generator = await shippedGenerator(suite.name);
  const base = runBatched(network, seeds, attack.tau).flops;
  const K = network.meta.blocks.length;
  // The model's most expensive path: every block run (for early exits: the last exit reached).
  const fullFlops = network.meta.exitFlops?.at(-1) ?? network.meta.baseFlops + network.meta.blocks.reduce((a, b) => a + b.flops, 0);
  const fullDepth = (ran, i) => (network.meta.kind === 'early-exit' ? ran[i * K + K - 1] === 1 : ran.subarray(i * K, (i + 1) * K).every((r) => r === 1));
  const row = (method, settings, inc, depth, cpuMs, wallMs) => {
    const sorted = [...inc].sort((a, b) => a - b);
    const r = {
      suite: suite.name,
      method,
      settings,
      seeds: n,
      mean_iflops: inc.reduce((a, b) => a + b, 0) / n,
      p50_iflops: n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
      full_depth_rate: depth,
      cpu_ms_per_input: cpuMs,
      wall_ms_per_input: wallMs,
    };
    const ms = (v) => (v === null ? '-' : v.toFixed(2)).padStart(8);
    console.log(
      `${suite.name.padEnd(20)} ${method.padEnd(19)} ${settings.padEnd(44)} mean ${pct(r.mean_iflops).padStart(7)}  p50 ${pct(r.p50_iflops).padStart(7)}` +
        `  full ${pct(depth).padStart(6)}  cpu ${ms(cpuMs)} ms/input  wall ${ms(wallMs)} ms/input`,
    );
    return r;
  };
  const measure = (method, settings, result) => {
    const { flops, ran } = runBatched(network, result.inputs, attack.tau);
    const inc = [...flops].map((f, i) => (f - base[i]) / base[i]);
    const depth = inc.filter((_, i) => fullDepth(ran, i)).length / n;
    return row(method, settings, inc, depth, result.cpuMs / n, result.inputs.msPerInput);
  };
  const ceiling = row('ceiling', 'every block run', [...base].map((b) => (fullFlops - b) / b), 1, null, null);
  // Warm-up: kernel set-up, onnxruntime sessions, the JIT (not timed).
  const few = { images: seeds.images.subarray(0, 4 * (seeds.images.length / n)), count: 4 };
  refine(network, few, generate(generator, few, attack), attack, { steps: 2 });
  const rows = [ceiling, measure('deepperform', 'G forward', timed(() => generate(generator, seeds, attack)))];
  for (const b of baselineNames) {
    if (b === 'deepsloth' && network.meta.kind !== 'early-exit') continue;
    rows.push(measure(b, 'defaults', await reused(`${name}-${b}-${n}`, () => timed(() => BASELINES[b](network, seeds, attack, suite.seed)))));
  }
  for (const v of variants) {
    // c=<number>: step size c * epsilon / steps.
    const { c, ...options } = v.options;
    if (c !== undefined) options.stepSize = (c * attack.epsilon) / options.steps;
    rows.push(measure('deepperform-refine', v.label, timed(() => refine(network, seeds, generate(generator, seeds, attack), attack, options))));
  }
  generator.store.dispose();
  network.dispose();
  return rows;
}

/** The call's result with the CPU time it took (user + system, every thread of the process). */
function timed(fn) {
  const before = process.cpuUsage();
  const inputs = fn();
  const used = process.cpuUsage(before);
  return { inputs, cpuMs: (used.user + used.system) / 1000 };
}

async function reused(key, run) {
  if (!reuse) return run();
  mkdirSync(reuse, { recursive: true });
  const file = join(reuse, `${key}.json`);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    return { cpuMs: saved.cpuMs, inputs: { images: Float32Array.from(saved.images), count: saved.count, msPerInput: saved.msPerInput } };
  }
  const r = run();
  writeFileSync(file, JSON.stringify({ cpuMs: r.cpuMs, count: r.inputs.count, msPerInput: r.inputs.msPerInput, images: Array.from(r.inputs.images) }));
  return r;
}

/** The generator shipped for the suite, found by the suite name its metadata records. */
async function shippedGenerator(suiteName) {
  const dir = join(root, 'fixtures/generators');
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const model = JSON.parse(readFileSync(join(dir, entry.name, 'model.json'), 'utf8'));
    if (model?.metadata?.info?.suite === suiteName) return (await loadGenerator(join(dir, entry.name))).generator;
  }
  throw new Error(`no generator shipped for "${suiteName}" in fixtures/generators`);
}

function pct(v) {
  return `${(100 * v).toFixed(1)}%`;
}
