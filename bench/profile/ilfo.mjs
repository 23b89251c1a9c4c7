// ILFO (defaults: Adam, 300 iterations, batched) on the shipped sdn-tiny, N embedded Fashion-MNIST test seeds.
// N=20 R=5 T=2 [ITER=300] [MODEL=sdn-tiny] node bench/profile/ilfo.mjs   -> ms per input (wall, CPU), median of R runs
import { join } from 'node:path';
import { initBackend } from '../../dist/src/engine/index.js';
import { loadAdnn, runBatched } from '../../dist/src/adnn/index.js';
import { ilfo } from '../../dist/src/baselines/index.js';
import { loadDataset, takeSeeded } from '../../dist/src/data/index.js';
import { InferenceEngine, setDefaultInferenceEngine } from '../../dist/src/engine/ort/index.js';
const T = +(process.env.T ?? 2);
await initBackend({ backend: process.env.BK ?? 'wasm', threads: T, convEngine: process.env.ENGINE ?? 'auto' });
setDefaultInferenceEngine(new InferenceEngine({ threads: T }));
const root = new URL('../..', import.meta.url).pathname;
const { network } = await loadAdnn(join(root, 'fixtures', 'models', process.env.MODEL ?? 'sdn-tiny'));
const ds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), +(process.env.N ?? 20), 333);
const seeds = { images: ds.images, count: ds.count };
const attack = { norm: 'linf', epsilon: 0.1, tau: 0.5 };
const opts = { iterations: +(process.env.ITER ?? 300) };
ilfo(network, seeds, attack, 333, { iterations: 2 });
const wall = [], cpu = [];
let adv;
for (let r = 0; r < +(process.env.R ?? 5); r++) {
  const c = process.cpuUsage();
  adv = ilfo(network, seeds, attack, 333, opts);
  const u = process.cpuUsage(c);
  wall.push(adv.msPerInput);
  cpu.push((u.user + u.system) / 1000 / seeds.count);
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const base = runBatched(network, seeds, attack.tau).flops;
const got = runBatched(network, adv, attack.tau).flops;
let sum = 0;
for (let i = 0; i < seeds.count; i++) sum += (got[i] - base[i]) / base[i];
console.log(`ilfo ${network.meta.name} ${seeds.count} seeds ${opts.iterations} it: ms/input wall ${wall.map((t) => t.toFixed(1)).join(' ')} median ${med(wall).toFixed(1)}; cpu median ${med(cpu).toFixed(1)}; mean I-FLOPs ${(100 * sum / seeds.count).toFixed(1)}%`);
