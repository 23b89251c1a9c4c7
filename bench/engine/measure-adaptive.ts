/**
 * Side-by-side timing of the real adaptive execution per input (batch 1, as
 * latency is measured): run() on tfjs against the stage plan on onnxruntime
 * (one session per stage), with and without FLOPs counting, the variants
 * alternating round by round in one process. Used for docs/engine.md:
 *
 *   npx vite-node bench/engine/measure-adaptive.ts -- [--inputs 32] [--repeats 7] [--threads 2]
 *
 * tfjs runs on its wasm backend with `threads` threads; onnxruntime with one
 * intra-op thread (what measureLatency uses) and with `threads` (ort_threads).
 * CPU time (process.cpuUsage, all threads) is reported beside wall time: on a
 * shared machine it is the steadier of the two.
 *
 * Prints one JSON object: per model and threshold, medians over the rounds
 * of the mean ms per input.
 */
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/index.js';
import { loadDataset } from '../../src/data/index.js';
import { compileStagedOrt, loadAdnn, runPlanTfjs, zooEntry, type AdaptiveNetwork, type OrtStagedNetwork } from '../../src/adnn/index.js';
import { executePlan, type StageBackend } from '../../src/adnn/stages/index.js';
import type { OrtTensorData } from '../../src/engine/ort/runtime.js';
import { InferenceEngine } from '../../src/engine/ort/engine.js';

interface Options {
  inputs: number;
  repeats: number;
  threads: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Model {
  name: string;
  net: AdaptiveNetwork;
  images: Float32Array;
}

async function models(o: Options): Promise<Model[]> {
  const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
  const fm = test.images.slice(0, o.inputs * 28 * 28);
  const out: Model[] = [];
  for (const arch of ['sdn-tiny', 'skipnet-tiny']) {
    out.push({ name: `${arch} (fixture, Fashion-MNIST)`, net: (await loadAdnn(`fixtures/models/${arch}`)).network, images: fm });
  }
  const entry = zooEntry('sdn-resnet56');
  const net = entry.build(entry.defaultConfig(), 1);
  const t = tf.randomUniform([o.inputs, 32, 32, 3], 0, 1, 'float32', 7);
  out.push({ name: 'sdn-resnet56 (random weights, 32x32x3)', net, images: (t.dataSync() as Float32Array).slice() });
  t.dispose();
  return out;
}

/** Mean wall and CPU (user + system, every thread of the process) ms per input of one pass over the inputs. */
function pass(runs: (() => unknown)[]): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const r of runs) r();
  const wall = (performance.now() - start) / runs.length;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 / runs.length };
}

/**
 * What FLOPs counting costs, without the noise of the sessions: each input's
 * stage outputs are recorded once, then the executor replays them (same
 * decisions, same gathers, no session calls) with and without counting.
 */
function countingCost(staged: OrtStagedNetwork, arrays: Float32Array[], tau: number, rounds = 200): { replay_us: number; replay_uncounted_us: number } {
  const real = staged.backend;
  const recorded = arrays.map((a) => {
    const calls: ReturnType<StageBackend<OrtTensorData>['call']>[] = [];
    staged.run(a, 1, tau); // warm
    executePlan(staged.plan, { ...real, call: (step, inputs, count) => {
      const out = real.call(step, inputs, count);
      calls.push(out);
      return out;
    } }, { data: a, dims: [1, ...staged.inputShape] }, 1, tau);
    return calls;
  });
  const replay = (instrument: boolean) => {
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      arrays.forEach((a, i) => {
        let next = 0;
        executePlan(staged.plan, { ...real, call: () => recorded[i][next++] }, { data: a, dims: [1, ...staged.inputShape] }, 1, tau, { instrument });
      });
    }
    return ((performance.now() - start) * 1000) / (rounds * arrays.length);
  };
  const on: number[] = [];
  const off: number[] = [];
  for (let k = 0; k < 7; k++) {
    on.push(replay(true));
    off.push(replay(false));
  }
  return { replay_us: +median(on).toFixed(2), replay_uncounted_us: +median(off).toFixed(2) };
}

function measure(m: Model, tau: number, o: Options): Record<string, unknown> {
  const { height, width, channels } = m.net.meta.input;
  const size = height * width * channels;
  const engine = new InferenceEngine({ choice: 'ort', threads: o.threads });
  const compileStart = performance.now();
  // One intra-op thread, as measureLatency runs the stages; and the engine's threads.
  const staged = compileStagedOrt(engine, m.net, { threads: 1 })!;
  const compileMs = performance.now() - compileStart;
  const pooled = compileStagedOrt(engine, m.net)!;
  const plan = m.net.stages!();
  const arrays = Array.from({ length: o.inputs }, (_, i) => m.images.slice(i * size, (i + 1) * size));
  const tensors = arrays.map((a) => tf.tensor4d(a, [1, height, width, channels]));
  const variants: Record<string, (() => unknown)[]> = {
    tfjs: tensors.map((x) => () => m.net.run(x, tau)),
    tfjs_uncounted: tensors.map((x) => () => runPlanTfjs(plan, x, tau, { instrument: false })),
    ort: arrays.map((a) => () => staged.run(a, 1, tau)),
    ort_uncounted: arrays.map((a) => () => staged.run(a, 1, tau, { instrument: false })),
    ort_threads: arrays.map((a) => () => pooled.run(a, 1, tau)),
  };
  // Same decisions and FLOPs on both engines, or the timing compares different work.
  const flopsTfjs = tensors.map((x) => m.net.run(x, tau).flops[0]);
  const flopsOrt = arrays.map((a) => staged.run(a, 1, tau).flops[0]);
  if (flopsTfjs.some((f, i) => f !== flopsOrt[i])) throw new Error(`${m.name} tau ${tau}: FLOPs differ between engines`);
  for (let w = 0; w < 2; w++) for (const runs of Object.values(variants)) pass(runs);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < o.repeats; r++) {
    // Alternate the order too, so a slow spell does not always hit the same variant.
    const order = r % 2 ? Object.keys(variants).reverse() : Object.keys(variants);
    for (const k of order) {
      const t = pass(variants[k]);
      samples[k].push(t.wall);
      cpu[k].push(t.cpu);
    }
  }
  const counting = countingCost(staged, arrays, tau);
  tf.dispose(tensors);
  staged.dispose();
  pooled.dispose();
  const medians = (x: Record<string, number[]>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, +median(v).toFixed(3)]));
  const med = medians(samples);
  return {
    tau,
    mean_mflops: +(flopsOrt.reduce((a, b) => a + b, 0) / flopsOrt.length / 1e6).toFixed(3),
    ort_compile_ms: +compileMs.toFixed(0),
    ms_per_input: med,
    cpu_ms_per_input: medians(cpu),
    ort_vs_tfjs: +(med.ort / med.tfjs).toFixed(3),
    instrumentation_overhead_pct_ort: +((100 * (med.ort - med.ort_uncounted)) / med.ort_uncounted).toFixed(2),
    // Counting's own cost (replayed executor, counted - uncounted) against the median ORT run.
    counting: { ...counting, pct_of_ort_run: +((100 * (counting.replay_us - counting.replay_uncounted_us)) / (1000 * med.ort)).toFixed(3) },
    instrumentation_overhead_pct_tfjs: +((100 * (med.tfjs_uncounted === 0 ? 0 : med.tfjs - med.tfjs_uncounted)) / med.tfjs_uncounted).toFixed(2),
    samples_ms_per_input: samples,
  };
}

function parseArgs(argv: string[]): Options {
  const get = (k: string, d: number) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  return { inputs: get('inputs', 32), repeats: get('repeats', 7), threads: get('threads', 2) };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const backend = await initBackend({ backend: 'wasm', threads: o.threads });
  const out: Record<string, unknown> = { backend: backend.name, threads: o.threads, inputs: o.inputs, repeats: o.repeats, batch: 1 };
  for (const m of await models(o)) {
    // The model's default threshold, and the worst case where every block runs.
    const all = m.net.meta.kind === 'skipping' ? -0.01 : 1.01;
    out[m.name] = [0.5, all].map((tau) => measure(m, tau, o));
    m.net.dispose();
  }
  console.log(JSON.stringify(out, null, 2));
}

// Run as a script: `node dist/bench/engine/measure-adaptive.js`, or vite-node (which drops the script from argv).
const entry = process.argv[1] ?? '';
if (entry === fileURLToPath(import.meta.url) || /vite-node$/.test(entry)) await main();
