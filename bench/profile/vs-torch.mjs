// The four gradient paths beside their PyTorch twins, alternating (ours, theirs) in one run:
//   PATHS=train28,train32,inputgrad,ilfo R=12 T=2 [DEEPPERFORM_GRAD_ENGINE=tfjs] node bench/profile/vs-torch.mjs
// train28: one Eq. 8 step (trainGenerator), width 16, sdn-tiny at 28x28x1, batch 32, lr 1e-3;
// train32: the bench's step, width 64, 32x32x3, batch 64, lr 1e-4; inputgrad: d sum(p)/dx of the
// ResNet-56 SDN, batch 64 (activationGradient); ilfo: ilfo() at its defaults on the shipped sdn-tiny,
// 20 embedded seeds, ms per input (its twin is bench/profile/torch_ilfo.py, run between ours).
// Prints each side's median and min, the ratio of medians, and the CPUs other processes kept busy.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProduct, randomImages, inputSpec } from '../lib/product.mjs';
import { TorchClient } from '../lib/torch-client.mjs';
import { median } from '../lib/stats.mjs';
import { PYTHON } from '../../test/helpers/python.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
// WAIT=s: first wait up to s seconds for a 10 s window in which other processes use under 0.5 CPU.
async function waitQuiet(limitS) {
  const until = Date.now() + limitS * 1000;
  while (Date.now() < until) {
    const a = cpuTotals();
    await new Promise((r) => setTimeout(r, 10_000));
    const others = busy(a, cpuTotals());
    if (others < 0.5) return console.log(`quiet: others ${others.toFixed(2)} CPUs`);
  }
  console.log('no quiet window; measuring anyway');
}
const T = +(process.env.T ?? 2);
const R = +(process.env.R ?? 12);
const PATHS = (process.env.PATHS ?? 'train28,inputgrad,ilfo,train32').split(',');
process.env.OPENBLAS_NUM_THREADS = '1';
const p = await loadProduct(ROOT);
const ort = await p.load('engine/ort/index.js');
ort.setDefaultInferenceEngine(new ort.InferenceEngine({ threads: T }));
await p.engine.initBackend({ backend: 'wasm', threads: T });
const torch = new TorchClient({ threads: T });

const cpuTotals = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
const busy = (a, b) => {
  const d = b.map((v, i) => v - a[i]);
  const idle = d[3] + d[4];
  const all = d.reduce((s, v) => s + v, 0);
  return all ? ((all - idle) / all) * 2 : 0;
};
function report(name, ours, theirs, span, ownCpuS, cpu = { ours: [], theirs: [] }) {
  const wallS = span.ms / 1000;
  const others = Number.isNaN(ownCpuS) ? 'n/a (the twin ran as a child process)' : `${Math.max(0, busy(span.a, span.b) - ownCpuS / wallS).toFixed(2)} CPUs`;
  const m = (xs) => (xs.length ? median(xs) : NaN);
  console.log(`${name}: ours median ${m(ours).toFixed(1)} (min ${Math.min(...ours).toFixed(1)}), torch median ${m(theirs).toFixed(1)} (min ${Math.min(...theirs).toFixed(1)}), ratio ${(m(ours) / m(theirs)).toFixed(2)}; CPU ms per unit ours ${m(cpu.ours).toFixed(1)}, torch ${m(cpu.theirs).toFixed(1)}; others kept ${others} busy`);
}
function measured(fn) {
  const a = cpuTotals();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const torchCpu0 = torch.cpuSeconds();
  fn();
  const u = process.cpuUsage(c0);
  const own = (u.user + u.system) / 1e6 + (torch.cpuSeconds() - torchCpu0);
  return { span: { a, b: cpuTotals(), ms: performance.now() - t0 }, own };
}

async function trainPath(name, shape, width, batch, lr) {
  torch.setup('train_step', { shape, width, batch, epsilon: 0.1, lr }, 3);
  const entry = p.adnn.zooEntry('sdn-tiny');
  const network = entry.build(entry.defaultConfig(inputSpec(shape), 10), 1);
  const warm = 3;
  const config = { steps: Math.max(warm + R + 1, p.generator.MIN_COMPILED_STEPS ?? 0), batchSize: batch, learningRate: lr, alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce', width, validateEvery: 1e9, patience: 1e9, seed: 1 };
  const ours = [];
  const theirs = [];
  const cpu = { ours: [], theirs: [] };
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const a = cpuTotals();
  const c0 = process.cpuUsage();
  const torchCpu0 = torch.cpuSeconds();
  const t0 = performance.now();
  const r = await p.generator.trainGenerator({
    network,
    train: randomImages(4 * batch, shape, 11),
    validation: randomImages(4, shape, 12),
    attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 },
    config,
    onProgress: ({ step }) => {
      if (step > warm && step <= warm + R) {
        ours.push(performance.now() - last);
        const u = process.cpuUsage(lastCpu);
        cpu.ours.push((u.user + u.system) / 1000);
        const c = torch.cpuSeconds();
        theirs.push(torch.time('train_step'));
        cpu.theirs.push((torch.cpuSeconds() - c) * 1000);
      }
      last = performance.now();
      lastCpu = process.cpuUsage();
    },
  });
  const u = process.cpuUsage(c0);
  const window = { span: { a, b: cpuTotals(), ms: performance.now() - t0 }, own: (u.user + u.system) / 1e6 + torch.cpuSeconds() - torchCpu0 };
  r.generator.store.dispose();
  network.dispose();
  torch.drop('train_step');
  report(name, ours, theirs, window.span, window.own, cpu);
}

function inputGradPath() {
  torch.setup('adnn_inputgrad', { batch: 64 }, 3);
  const entry = p.adnn.zooEntry('sdn-resnet56');
  const network = entry.build(entry.defaultConfig(), 1);
  const x = p.tf.tensor4d(randomImages(64, [32, 32, 3], 21).images, [64, 32, 32, 3]);
  const cpu = { ours: [], theirs: [] };
  const once = () => {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = p.adnn.activationGradient(network, x);
    r.grad.dataSync();
    r.grad.dispose();
    const u = process.cpuUsage(c);
    return [performance.now() - t, r.engine, (u.user + u.system) / 1000];
  };
  for (let i = 0; i < 3; i++) once();
  const ours = [];
  const theirs = [];
  let engine;
  const w = measured(() => {
    for (let i = 0; i < R; i++) {
      const [ms, e, c] = once();
      ours.push(ms);
      cpu.ours.push(c);
      engine = e;
      const c0 = torch.cpuSeconds();
      theirs.push(torch.time('adnn_inputgrad'));
      cpu.theirs.push((torch.cpuSeconds() - c0) * 1000);
    }
  });
  report(`inputgrad (${engine})`, ours, theirs, w.span, w.own, cpu);
  x.dispose();
  network.dispose();
  torch.drop('adnn_inputgrad');
}

async function ilfoPath() {
  const { network } = await p.adnn.loadAdnn(join(ROOT, 'fixtures', 'models', 'sdn-tiny'));
  const ds = p.data.takeSeeded(await p.data.loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 20, 333);
  const seeds = { images: ds.images, count: ds.count };
  const attack = { norm: 'linf', epsilon: 0.1, tau: 0.5 };
  p.baselines.ilfo(network, seeds, attack, 333, { iterations: 2 });
  const script = join(ROOT, 'bench', 'profile', 'torch_ilfo.py');
  const rounds = Math.max(3, Math.round(R / 3));
  const ours = [];
  const theirs = [];
  const a = cpuTotals();
  const t0 = performance.now();
  const cpu = { ours: [], theirs: [] };
  for (let i = 0; i < rounds; i++) {
    const c = process.cpuUsage();
    ours.push(p.baselines.ilfo(network, seeds, attack, 333).msPerInput);
    const u = process.cpuUsage(c);
    cpu.ours.push((u.user + u.system) / 1000 / seeds.count);
    const out = execFileSync(PYTHON, [script, '20', '300', '1'], { env: { ...process.env, T: String(T) }, encoding: 'utf8' });
    theirs.push(Number(/median ([\d.]+)/.exec(out)[1]));
    // The twin's own CPU time (time.process_time(), all its threads) per input.
    cpu.theirs.push(Number(/cpu ([\d.]+)/.exec(out)[1]));
  }
  report('ilfo ms/input', ours, theirs, { a, b: cpuTotals(), ms: performance.now() - t0 }, NaN, cpu);
  network.dispose();
}

if (process.env.WAIT) await waitQuiet(Number(process.env.WAIT));
for (const path of PATHS) {
  if (path === 'train28') await trainPath('train28 (width 16, 28x28x1, b32)', [28, 28, 1], 16, 32, 1e-3);
  if (path === 'train32') await trainPath('train32 (width 64, 32x32x3, b64)', [32, 32, 3], 64, 64, 1e-4);
  if (path === 'inputgrad') inputGradPath();
  if (path === 'ilfo') await ilfoPath();
}
torch.close();
