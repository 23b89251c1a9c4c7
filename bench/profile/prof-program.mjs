// The compiled Eq. 8 step at the bench's train28 setting (light generator, width 16, the shipped
// sdn-tiny, 28x28x1, batch 32, GAN on, BCE L_perf, lr 1e-3), through trainGenerator of the built package:
//   T=1 STEPS=30 node bench/profile/prof-program.mjs            per-step wall and CPU ms, and the part inside the program's run
//   T=1 PROF=1 N=20 node bench/profile/prof-program.mjs          also runs step 20's program N more times under onnxruntime's
//                                                                profiler and prints ms by op type
//   TOPN=40: also the 40 slowest nodes with their shapes; BYSHAPE=40: the 40 costliest (op, output shape) pairs but Gemm/MatMul/Conv
// Under load, PROF's figure per op is the sum over nodes of each node's fastest of the N runs (load only adds time).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProduct, randomImages } from '../lib/product.mjs';
import { stepSessionLoader } from './step-session.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const T = +(process.env.T ?? 2);
const STEPS = +(process.env.STEPS ?? 30);
const p = await loadProduct(ROOT);
const ort = await p.load('engine/ort/index.js');
const runtime = await p.load('engine/ort/runtime.js');
const inRun = { wall: 0, cpu: 0 };
// The real runtime, with the Eq. 8 program's session timed and its step-20 feeds kept.
const { loader, captured } = stepSessionLoader(runtime, (run) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const out = run();
  const u = process.cpuUsage(c);
  inRun.wall += performance.now() - t;
  inRun.cpu += (u.user + u.system) / 1000;
  return out;
});
ort.setDefaultInferenceEngine(new ort.InferenceEngine({ threads: T, loader }));
await p.engine.initBackend({ backend: 'wasm', threads: T });
const { network } = await p.adnn.loadAdnn(join(ROOT, 'fixtures', 'models', 'sdn-tiny'));
const shape = [28, 28, 1];
const config = { steps: Math.max(STEPS, 21), batchSize: 32, learningRate: 1e-3, alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce', width: 16, validateEvery: 1e9, patience: 1e9, seed: 1 };
const rows = [];
let last = performance.now();
let lastCpu = process.cpuUsage();
const r = await p.generator.trainGenerator({
  network,
  train: randomImages(128, shape, 11),
  validation: randomImages(4, shape, 12),
  attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 },
  config,
  onProgress: () => {
    const u = process.cpuUsage(lastCpu);
    rows.push({ wall: performance.now() - last, cpu: (u.user + u.system) / 1000, runWall: inRun.wall, runCpu: inRun.cpu });
    inRun.wall = 0;
    inRun.cpu = 0;
    last = performance.now();
    lastCpu = process.cpuUsage();
  },
});
r.generator.store.dispose();
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
// Steps 5 .. last-1: after the trace, the session's first run and warm-up, before the final validation.
const timed = rows.slice(4, -1);
const pick = (k) => med(timed.map((row) => row[k])).toFixed(1);
console.log(`T=${T}, ${timed.length} steps: step wall ${pick('wall')} cpu ${pick('cpu')} ms; inside the program's run: wall ${pick('runWall')} cpu ${pick('runCpu')} ms (medians)`);

if (process.env.PROF && captured.value) {
  const N = +(process.env.N ?? 20);
  const ortNode = createRequire(join(ROOT, 'package.json'))('onnxruntime-node');
  const dir = mkdtempSync(join(tmpdir(), 'prof-program-'));
  const options = { ...runtime.nativeSessionOptions({ threads: T }), enableProfiling: true, profileFilePrefix: join(dir, 'p') };
  const session = await ortNode.InferenceSession.create(captured.value.model, options);
  const feeds = Object.fromEntries(session.inputNames.map((n) => [n, new ortNode.Tensor('float32', captured.value.feeds[n].data, captured.value.feeds[n].dims)]));
  for (let i = 0; i < N; i++) await session.run(feeds);
  await session.endProfiling();
  const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
  rmSync(dir, { recursive: true });
  const fastest = new Map();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const known = fastest.get(e.name);
    if (!known || e.dur < known.us) {
      const dims = (list) => JSON.stringify(list?.map((o) => Object.values(o)[0]));
      fastest.set(e.name, { op: e.args.op_name, us: e.dur, shapes: `${dims(e.args.input_type_shape)}->${dims(e.args.output_type_shape)}` });
    }
  }
  const byOp = new Map();
  for (const { op, us } of fastest.values()) {
    const o = byOp.get(op) ?? { nodes: 0, us: 0 };
    o.nodes++;
    o.us += us;
    byOp.set(op, o);
  }
  const total = [...byOp.values()].reduce((s, o) => s + o.us, 0);
  console.log(`program: ${fastest.size} nodes, sum of per-node fastest of ${N} runs ${(total / 1000).toFixed(1)} ms; by op (nodes, ms):`);
  if (process.env.TOPN) for (const [n, o] of [...fastest].sort((a, b) => b[1].us - a[1].us).slice(0, +process.env.TOPN)) console.log('   ', n.replace('_kernel_time', '').padEnd(40), o.op.padEnd(10), (o.us / 1000).toFixed(3), o.shapes);
  if (process.env.BYSHAPE) {
    const byShape = new Map();
    for (const { op, us, shapes } of fastest.values()) {
      if (['Gemm', 'MatMul', 'Conv'].includes(op)) continue;
      const out = shapes.split('->')[1];
      const k = `${op} ${out.length > 40 ? out.slice(0, 40) : out}`;
      const o = byShape.get(k) ?? { nodes: 0, us: 0 };
      o.nodes++;
      o.us += us;
      byShape.set(k, o);
    }
    for (const [k, o] of [...byShape].sort((a, b) => b[1].us - a[1].us).slice(0, +process.env.BYSHAPE)) console.log('  ', k.padEnd(60), o.nodes, (o.us / 1000).toFixed(2));
  }
  for (const [op, o] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, 24)) console.log(`  ${op.padEnd(16)} ${String(o.nodes).padStart(5)} ${(o.us / 1000).toFixed(2).padStart(8)}`);
}
network.dispose();
