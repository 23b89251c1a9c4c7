#!/usr/bin/env node
/**
 * Times one training step (forward + backward + Adam update) of a small conv
 * autoencoder on each tfjs backend variant, each in its own process (backends
 * and kernel registrations are process-global).
 *
 *   npm run build && node bench/train-step.mjs [--steps=10] [--warmup=3] [--batch=32] [--rounds=1] [--cpu-steps=3]
 *
 * Variants:
 *   wasm-stock   tfjs-backend-wasm as shipped (it has no Conv2DBackpropFilter)
 *   wasm-hybrid  our Conv2DBackpropFilter + the stock Conv2DBackpropInput
 *   wasm-dilate  both of our kernels, input gradient by zero-dilating dy
 *   wasm-ours    both of our kernels, input gradient by phases (what initBackend installs)
 *   cpu-stock    the pure-JS backend as shipped (slow: --cpu-steps steps after one warm-up)
 *   cpu-ours     the pure-JS backend with our Conv2DBackpropFilter (what initBackend installs)
 * Then times Conv2DBackpropInput alone (stock, dilate, phases) at the net's
 * shapes and at the default generator's decoder shapes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VARIANTS = ['wasm-stock', 'wasm-hybrid', 'wasm-dilate', 'wasm-ours', 'cpu-stock', 'cpu-ours'];
const engineUrl = new URL('../dist/src/engine/index.js', import.meta.url);

function arg(name, fallback) {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Activates the variant's backend and kernels; returns the tfjs-core module. */
async function setUp(variant) {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs'); // gradients + chained ops (tfjs-core alone has none)
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-wasm');
  if (variant.startsWith('cpu')) {
    await tf.setBackend('cpu');
    if (variant === 'cpu-ours') {
      const { registerConvGradKernels } = await import(engineUrl.href);
      registerConvGradKernels('cpu', { kernels: ['Conv2DBackpropFilter'] });
    }
    return tf;
  }
  await tf.setBackend('wasm');
  if (variant === 'wasm-stock') return tf;
  const { registerConvGradKernels } = await import(engineUrl.href);
  if (variant === 'wasm-hybrid') registerConvGradKernels('wasm', { kernels: ['Conv2DBackpropFilter'] });
  if (variant === 'wasm-dilate') registerConvGradKernels('wasm', { inputStrategy: 'dilate' });
  if (variant === 'wasm-ours') registerConvGradKernels('wasm', { inputStrategy: 'phases' });
  return tf;
}

/** 28x28x1 -> conv s1 16 -> conv s2 32 -> conv s2 64 -> convT s2 32 -> convT s2 16 -> conv 1. */
function makeNet(tf) {
  const init = (shape, fanIn) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', 7));
  const p = {
    c1: init([3, 3, 1, 16], 9),
    c2: init([3, 3, 16, 32], 144),
    c3: init([3, 3, 32, 64], 288),
    t1: init([3, 3, 32, 64], 576), // conv2dTranspose filters are [kh, kw, out, in]
    t2: init([3, 3, 16, 32], 288),
    c4: init([3, 3, 16, 1], 144),
  };
  const forward = (x) => {
    const b = x.shape[0];
    let h = tf.relu(tf.conv2d(x, p.c1, 1, 'same'));
    h = tf.relu(tf.conv2d(h, p.c2, 2, 'same'));
    h = tf.relu(tf.conv2d(h, p.c3, 2, 'same'));
    h = tf.relu(tf.conv2dTranspose(h, p.t1, [b, 14, 14, 32], 2, 'same'));
    h = tf.relu(tf.conv2dTranspose(h, p.t2, [b, 28, 28, 16], 2, 'same'));
    return tf.conv2d(h, p.c4, 1, 'same');
  };
  return { vars: Object.values(p), forward };
}

async function child(variant, steps, warmup, batch) {
  const tf = await setUp(variant);
  const net = makeNet(tf);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 3);
  const opt = tf.train.adam(1e-3);
  const step = () => {
    const t0 = performance.now();
    const loss = opt.minimize(() => tf.losses.meanSquaredError(x, net.forward(x)), true, net.vars);
    const value = loss.dataSync()[0]; // forces the whole step to finish
    loss.dispose();
    return { ms: performance.now() - t0, value };
  };
  // The losses of the first two steps: the second one depends on the first
  // update, so equal values across variants mean equal gradients.
  let firstLosses;
  try {
    const first = [step().value, step().value];
    firstLosses = first.map((v) => v.toFixed(5)).join(' -> ');
    for (let i = 2; i < warmup; i++) step();
  } catch (e) {
    return { variant, error: String(e instanceof Error ? e.message : e).split('\n')[0] };
  }
  const times = [];
  for (let i = 0; i < steps; i++) times.push(step().ms);
  return { variant, backend: tf.getBackend(), medianMs: median(times), minMs: Math.min(...times), loss: firstLosses };
}

/** Conv2DBackpropInput alone on wasm: stock vs our two strategies. */
async function kernelChild(batch, reps) {
  const tf = await setUp('wasm-stock');
  const { registerConvGradKernels } = await import(engineUrl.href);
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const install = {
    stock: () => {
      tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
      tf.registerKernel(stock);
    },
    dilate: () => registerConvGradKernels('wasm', { kernels: ['Conv2DBackpropInput'], inputStrategy: 'dilate' }),
    phases: () => registerConvGradKernels('wasm', { kernels: ['Conv2DBackpropInput'], inputStrategy: 'phases' }),
  };
  // x: the gradient's shape (the conv input, or the conv2dTranspose output); w: [kh,kw,in,out] of the conv.
  const shapes = [
    { name: 'net conv 16->32 s2 @28', x: [batch, 28, 28, 16], w: [3, 3, 16, 32], s: 2 },
    { name: 'net conv 32->64 s2 @14', x: [batch, 14, 14, 32], w: [3, 3, 32, 64], s: 2 },
    { name: 'net conv 1->16 s1 @28', x: [batch, 28, 28, 1], w: [3, 3, 1, 16], s: 1 },
    { name: 'G convT 256->128 s2 8->16', x: [batch, 16, 16, 128], w: [3, 3, 128, 256], s: 2 },
    { name: 'G convT 128->64 s2 16->32', x: [batch, 32, 32, 64], w: [3, 3, 64, 128], s: 2 },
  ];
  const rows = [];
  for (const sh of shapes) {
    const info = tf.backend_util.computeConv2DInfo(sh.x, sh.w, sh.s, 1, 'same');
    const dy = tf.randomUniform(info.outShape);
    const w = tf.randomUniform(sh.w);
    const attrs = { strides: sh.s, pad: 'same', dataFormat: 'NHWC', inputShape: sh.x };
    const row = { shape: sh.name };
    for (const [name, use] of Object.entries(install)) {
      use();
      const ts = [];
      for (let i = 0; i < reps + 1; i++) {
        const t0 = performance.now();
        const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs);
        out.dataSync();
        out.dispose();
        if (i > 0) ts.push(performance.now() - t0);
      }
      row[name] = median(ts);
    }
    rows.push(row);
  }
  return { kernels: rows };
}

function runChild(args) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { error: `child failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
}

async function main() {
  const steps = Number(arg('steps', '10'));
  const warmup = Number(arg('warmup', '3'));
  const batch = Number(arg('batch', '32'));
  const childVariant = arg('child', undefined);
  if (childVariant === 'kernels') {
    console.log(JSON.stringify(await kernelChild(batch, steps)));
    return;
  }
  if (childVariant !== undefined) {
    console.log(JSON.stringify(await child(childVariant, steps, warmup, batch)));
    return;
  }
  if (!existsSync(engineUrl)) {
    console.error('dist/src/engine/index.js is missing: run `npm run build` first.');
    process.exit(2);
  }
  const rounds = Number(arg('rounds', '1'));
  const cpuSteps = Number(arg('cpu-steps', '3'));
  console.log(`train step, batch ${batch}, 28x28x1, median of ${steps} steps after ${warmup} warm-up (cpu: ${cpuSteps} after 2)`);
  for (let round = 1; round <= rounds; round++) {
    for (const v of VARIANTS) {
      const n = v.startsWith('cpu') ? [cpuSteps, 2] : [steps, warmup];
      const r = runChild([`--child=${v}`, `--steps=${n[0]}`, `--warmup=${n[1]}`, `--batch=${batch}`]);
      const text = r.error ? `cannot run: ${r.error}` : `${r.medianMs.toFixed(1)} ms (min ${r.minMs.toFixed(1)}; loss ${r.loss})`;
      console.log(`  ${v.padEnd(12)} ${text}`);
    }
  }
  const k = runChild(['--child=kernels', `--steps=${steps}`, `--batch=${batch}`]);
  console.log(`Conv2DBackpropInput alone on wasm, batch ${batch} (median ms):`);
  for (const row of k.kernels ?? []) {
    const cells = ['stock', 'dilate', 'phases'].map((n) => `${n} ${row[n].toFixed(1).padStart(6)}`);
    console.log(`  ${row.shape.padEnd(28)} ${cells.join('  ')}`);
  }
  if (k.error) console.log(`  ${k.error}`);
}

await main();
