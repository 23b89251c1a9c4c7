/**
 * Side-by-side timing of the generator forward on tfjs and onnxruntime (and
 * PyTorch, through bench/torch/server.py, when $DEEPPERFORM_PYTHON (default /usr/bin/python3.11) has torch),
 * alternating the engines round by round in one process. Used for the figures
 * in docs/engine.md:
 *
 *   npx vite-node bench/engine/measure-generator.ts -- [--width 64] [--repeats 7] [--threads 2]
 *
 * Prints one JSON object of medians (generator: ms per input, batch 64; the
 * ResNet-56 SDN soft pass: ms per batch of 64).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/engine/index.js';
import { Generator } from '../../src/generator/architecture.js';
import { generate } from '../../src/generator/generate.js';
import { zooEntry } from '../../src/adnn/zoo/index.js';
import { InferenceEngine } from '../../src/engine/ort/engine.js';

const BATCH = 64;
const ATTACK = { norm: 'linf' as const, epsilon: 0.1 };

interface Options {
  width: number;
  repeats: number;
  threads: number;
  python: string;
}

/** A line-protocol client of bench/torch/server.py (one JSON object per line each way). */
class Torch {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(python: string, threads: number): Promise<Torch | string> {
    const script = fileURLToPath(new URL('../torch/server.py', import.meta.url));
    if (!existsSync(python) || !existsSync(script)) return `${existsSync(python) ? script : python} not found`;
    const t = new Torch(spawn(python, [script, '--threads', String(threads)]));
    const ready = await t.read();
    if (!ready.ready) {
      t.close();
      return String(ready.error);
    }
    return t;
  }

  async call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    const reply = await this.read();
    if (reply.ok === false) throw new Error(`PyTorch: ${String(reply.error)}`);
    return reply;
  }

  close(): void {
    this.child.stdin.end();
  }

  private async read(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done) throw new Error('PyTorch side exited');
    return JSON.parse(next.value) as Record<string, unknown>;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function measureShape(shape: [number, number, number], o: Options, torch: Torch | undefined): Promise<Record<string, unknown>> {
  const [h, w, c] = shape;
  const g = new Generator({ height: h, width: w, channels: c, range: [0, 1] }, o.width, 1);
  const data = tf.randomUniform([BATCH, h, w, c], 0, 1, 'float32', 7);
  const images = data.dataSync() as Float32Array;
  const engine = new InferenceEngine({ choice: 'ort', threads: o.threads });
  const compileMs = timed(() => engine.compile(g, 'G', g.store.named().values(), shape, (x) => [g.apply(x, false)]));
  const compiled = engine.compile(g, 'G', g.store.named().values(), shape, (x) => [g.apply(x, false)])!;
  const tfjsFwd = () =>
    timed(() => {
      const y = tf.tidy(() => g.apply(data as tf.Tensor4D, false));
      y.dataSync();
      y.dispose();
    });
  const ortFwd = () => timed(() => compiled.run(images, BATCH, BATCH));
  const gen = (which: 'ort' | 'tfjs') => generate(g, { images, count: BATCH }, ATTACK, BATCH, { engine: which === 'ort' ? engine : 'tfjs' }).msPerInput * BATCH;
  if (torch) await torch.call({ op: 'setup', task: 'gen_fwd', params: { shape, width: o.width, batch: BATCH, epsilon: ATTACK.epsilon }, warmup: 2 });
  // Warm-up: first calls pay for kernel set-up (XNNPACK packing, ORT arenas).
  for (let i = 0; i < 2; i++) [tfjsFwd(), ortFwd(), gen('ort'), gen('tfjs')];
  const s = { tfjs: [] as number[], ort: [] as number[], genOrt: [] as number[], genTfjs: [] as number[], torch: [] as number[] };
  for (let r = 0; r < o.repeats; r++) {
    s.tfjs.push(tfjsFwd());
    s.ort.push(ortFwd());
    s.genOrt.push(gen('ort'));
    s.genTfjs.push(gen('tfjs'));
    if (torch) s.torch.push((await torch.call({ op: 'time', task: 'gen_fwd' })).ms as number);
  }
  if (torch) await torch.call({ op: 'drop', task: 'gen_fwd' });
  g.store.dispose();
  data.dispose();
  const perInput = (xs: number[]) => (xs.length ? +(median(xs) / BATCH).toFixed(3) : null);
  return {
    flops_per_input: g.flops(),
    ort_compile_ms: +compileMs.toFixed(0),
    tfjs_fwd_ms_per_input: perInput(s.tfjs),
    ort_fwd_ms_per_input: perInput(s.ort),
    generate_ort_ms_per_input: perInput(s.genOrt),
    generate_tfjs_ms_per_input: perInput(s.genTfjs),
    torch_generate_ms_per_input: perInput(s.torch),
    samples_ms_per_batch: s,
  };
}

/**
 * The soft pass of the ResNet-56 SDN at 32x32x3, batch 64: p and the final
 * logits, like PyTorch's twin (softBatched's graph asks only for p, so ORT
 * prunes the last segment and exit there).
 */
async function measureSoft(o: Options, torch: Torch | undefined): Promise<Record<string, unknown>> {
  const entry = zooEntry('sdn-resnet56');
  const net = entry.build(entry.defaultConfig(), 1);
  const data = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const images = data.dataSync() as Float32Array;
  const engine = new InferenceEngine({ choice: 'ort', threads: o.threads });
  const compile = () => engine.compile(net, 'soft', net.namedWeights().values(), [32, 32, 3], (x) => {
      const out = net.soft(x);
      return [out.p, out.logits];
    })!;
  const compileMs = timed(compile);
  const compiled = compile();
  const tfjsSoft = () =>
    timed(() => {
      const out = net.soft(data);
      out.p.dataSync();
      out.logits.dataSync();
      tf.dispose([out.p, out.logits]);
    });
  const ortSoft = () => timed(() => compiled.run(images, BATCH, BATCH));
  if (torch) await torch.call({ op: 'setup', task: 'adnn_fwd', params: { batch: BATCH }, warmup: 2 });
  for (let i = 0; i < 2; i++) [tfjsSoft(), ortSoft()];
  const s = { tfjs: [] as number[], ort: [] as number[], torch: [] as number[] };
  for (let r = 0; r < o.repeats; r++) {
    s.tfjs.push(tfjsSoft());
    s.ort.push(ortSoft());
    if (torch) s.torch.push((await torch.call({ op: 'time', task: 'adnn_fwd' })).ms as number);
  }
  if (torch) await torch.call({ op: 'drop', task: 'adnn_fwd' });
  net.dispose();
  data.dispose();
  const ms = (xs: number[]) => (xs.length ? +median(xs).toFixed(1) : null);
  return { ort_compile_ms: +compileMs.toFixed(0), tfjs_ms_b64: ms(s.tfjs), ort_ms_b64: ms(s.ort), torch_ms_b64: ms(s.torch), samples_ms: s };
}

function parseArgs(argv: string[]): Options {
  const get = (k: string, d: number) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  // The rule of test/helpers/python.mjs (this file is also compiled into dist/, where test/ is not).
  const python = process.env.DEEPPERFORM_PYTHON || '/usr/bin/python3.11';
  return { width: get('width', 64), repeats: get('repeats', 7), threads: get('threads', 2), python };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const backend = await initBackend({ backend: 'wasm', threads: o.threads });
  const torch = await Torch.start(o.python, o.threads);
  const out: Record<string, unknown> = { backend: backend.name, threads: o.threads, width: o.width, batch: BATCH, repeats: o.repeats };
  if (typeof torch === 'string') out.torch = `unavailable: ${torch}`;
  for (const shape of [
    [32, 32, 3],
    [28, 28, 1],
  ] as [number, number, number][]) {
    out[shape.join('x')] = await measureShape(shape, o, typeof torch === 'string' ? undefined : torch);
  }
  out['sdn-resnet56 soft pass'] = await measureSoft(o, typeof torch === 'string' ? undefined : torch);
  if (typeof torch !== 'string') torch.close();
  console.log(JSON.stringify(out, null, 2));
}

// Run with vite-node (which drops the script from argv; the PyTorch side is bench/torch/server.py beside this
// folder), or with node on the compiled dist/bench/engine/measure-generator.js (tfjs and onnxruntime only).
const entry = process.argv[1] ?? '';
if (entry === fileURLToPath(import.meta.url) || /vite-node$/.test(entry)) await main();
