// CPU ms of writing every G and D weight of the compiled train28 step back into tfjs (syncCompiledStep),
// beside the step itself, step after step in one process: what lazy write-back saves per step.
//   T=1 node bench/profile/write-back.mjs
import { join } from 'node:path';
import { loadProduct, randomImages } from '../lib/product.mjs';
const ROOT = new URL('../..', import.meta.url).pathname;
const p = await loadProduct(ROOT);
const T = +(process.env.T ?? 1);
const ort = await p.load('engine/ort/index.js');
ort.setDefaultInferenceEngine(new ort.InferenceEngine({ threads: T }));
await p.engine.initBackend({ backend: 'wasm', threads: T });
const { network } = await p.adnn.loadAdnn(join(ROOT, 'fixtures', 'models', 'sdn-tiny'));
const arch = await p.load('generator/architecture.js');
const opt = await p.load('generator/optimizer.js');
const ts = await p.load('generator/train-step.js');
const tf = p.tf;
const g = new arch.Generator(network.meta.input, 16, 1, 'project');
const d = new arch.Discriminator(network.meta.input, 2);
const imgs = randomImages(32, [28, 28, 1], 11);
const x = tf.tensor4d(imgs.images, [32, 28, 28, 1]);
const c = { g, d, gOpt: new opt.ScheduledAdam(1e-3, 0.5, 0.999), dOpt: new opt.ScheduledAdam(1e-3, 0.5, 0.999), network, x,
  attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, config: { alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce' },
  blockFlops: network.meta.blocks.map((b) => b.flops), learningRate: 1e-3, tau: 0.5, stepsAllowed: 1000 };
const rows = { step: [], sync: [] };
for (let i = 0; i < 45; i++) {
  let t = process.cpuUsage();
  ts.trainStep(c);
  let u = process.cpuUsage(t);
  if (i >= 5) rows.step.push((u.user + u.system) / 1000);
  t = process.cpuUsage();
  ts.syncCompiledStep(g);
  u = process.cpuUsage(t);
  if (i >= 5) rows.sync.push((u.user + u.system) / 1000);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`T=${T}: step cpu ${med(rows.step).toFixed(2)} ms, sync (write-back of every G and D weight) cpu ${med(rows.sync).toFixed(2)} ms (min ${Math.min(...rows.sync).toFixed(2)}) (medians of 40)`);
