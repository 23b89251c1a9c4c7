// Times one path with whatever build it sits in (works for the HEAD build too): MODE=grad (ResNet-56 SDN input gradient, batch 64)
// or MODE=train (one Eq. 8 step, width-64 generator, batch 64, sdn-tiny at 32x32x3). Prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
const dist = new URL('../../dist/src/', import.meta.url);
const { initBackend } = await import(new URL('engine/index.js', dist));
const { zooEntry } = await import(new URL('adnn/index.js', dist));
const T = +(process.env.T ?? 2);
await initBackend({ backend: 'wasm', threads: T });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = { build: process.env.LABEL ?? dist.pathname, mode: process.env.MODE, wall: [], cpu: [] };
const reps = +(process.env.N ?? 3);
if (process.env.MODE === 'grad') {
  const entry = zooEntry('sdn-resnet56');
  const net = entry.build(entry.defaultConfig(), 1);
  const x = tf.randomUniform([64, 32, 32, 3], 0, 1, 'float32', 3);
  const gradOfP = tf.grad((input) => tf.sum(net.soft(input).p));
  const run = () => { const g = tf.tidy(() => gradOfP(x)); g.dataSync(); g.dispose(); };
  run(); run();
  for (let i = 0; i < reps; i++) { const c = cpuMs(), t = performance.now(); run(); out.wall.push(performance.now() - t); out.cpu.push(cpuMs() - c); }
} else {
  const { trainGenerator } = await import(new URL('generator/index.js', dist));
  const spec = { height: 32, width: 32, channels: 3, range: [0, 1] };
  const entry = zooEntry('sdn-tiny');
  const network = entry.build(entry.defaultConfig(spec, 10), 1);
  const rnd = (n, seed) => { let s = seed; const a = new Float32Array(n * 3072); for (let i = 0; i < a.length; i++) { s = (s * 1103515245 + 12345) >>> 0; a[i] = s / 2 ** 32; } return { images: a, count: n, labels: new Int32Array(n) }; };
  const warm = 2;
  const cfg = { steps: warm + reps + 1, batchSize: 64, learningRate: 1e-4, alpha: 1, beta: 0.001, gan: true, perfLoss: 'bce', width: +(process.env.W ?? 64), validateEvery: 1e9, patience: 1e9, seed: 1 };
  let last = performance.now(), lastCpu = cpuMs();
  const r = await trainGenerator({ network, train: rnd(256, 11), validation: rnd(4, 12), attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, config: cfg,
    onProgress: ({ step }) => { if (step > warm && step <= warm + reps) { out.wall.push(performance.now() - last); out.cpu.push(cpuMs() - lastCpu); } last = performance.now(); lastCpu = cpuMs(); } });
  r.generator.store.dispose();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
out.wallMedian = Math.round(med(out.wall)); out.cpuMedian = Math.round(med(out.cpu));
out.wall = out.wall.map(Math.round); out.cpu = out.cpu.map(Math.round);
console.log(JSON.stringify(out));
