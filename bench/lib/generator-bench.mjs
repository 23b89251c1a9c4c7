/**
 * Generator keys: online generation (generate(): G forward + projection, batch
 * 64) at 32x32x3 and 28x28x1, its GFLOP/s, and one Eq. 8 training step
 * (trainGenerator: D step then G step) against sdn-tiny built for 32x32x3
 * (width 64, batch 64) and against the shipped sdn-tiny (light, batch 32).
 */
import { join } from 'node:path';
import { inputSpec, randomImages } from './product.mjs';
import { alternate, summarize, torchTask } from './side-by-side.mjs';
import { median } from './stats.mjs';

const ATTACK = { norm: 'linf', epsilon: 0.1 };
const BATCH = 64;

/** ms per input of generate() on one batch of 64, ours vs PyTorch at 32x32x3; ours alone at 28x28x1. */
export function benchGeneratorForward(p, torch, s) {
  const values = {};
  const notes = {};
  const details = { width: s.genWidth, batch: BATCH, attack: ATTACK };
  const shape32 = [32, 32, 3];
  const g = new p.generator.Generator(inputSpec(shape32), s.genWidth, 1);
  const seeds = randomImages(BATCH, shape32, 7);
  const twin = torchTask(torch, 'gen_fwd', { shape: shape32, width: s.genWidth, batch: BATCH, epsilon: ATTACK.epsilon }, s.warmup);
  const engines = new Set();
  const gen = (gg, batch) => {
    const r = p.generator.generate(gg, batch, ATTACK, BATCH);
    engines.add(r.engine ?? 'tfjs');
    return r.msPerInput;
  };
  try {
    const run = alternate({
      repeats: s.repeats,
      warmup: s.warmup,
      ours: () => gen(g, seeds),
      theirs: () => {
        const ms = twin.time();
        return ms === null ? null : ms / BATCH;
      },
    });
    const flops = g.flops();
    values.gen_fwd_ms_per_input_32x32x3 = run.oursMedian;
    values.torch_gen_fwd_ms_per_input_32x32x3 = run.theirsMedian;
    if (run.theirsMedian === null) notes.torch_gen_fwd_ms_per_input_32x32x3 = twin.note ?? 'no PyTorch sample';
    values.gen_fwd_gflops_per_s = run.oursMedian ? flops / (run.oursMedian / 1000) / 1e9 : null;
    notes.gen_fwd_gflops_per_s = `Generator.flops() = ${flops} FLOPs per 32x32x3 input (2 x MAC, width ${s.genWidth}) / median ms per input`;
    Object.assign(details, { flops_per_input_32x32x3: flops, torch_flops_per_input_32x32x3: twin.flops, samples_32x32x3: { warmup: run.warmup, ours: run.ours, torch: run.theirs }, summary_32x32x3: summarize(run.ours, run.theirs) });
  } finally {
    twin.drop?.();
    g.store.dispose();
  }
  const shape28 = [28, 28, 1];
  const g28 = new p.generator.Generator(inputSpec(shape28), s.genWidth, 1);
  try {
    const seeds28 = randomImages(BATCH, shape28, 7);
    const run = alternate({ repeats: s.repeats, warmup: s.warmup, ours: () => gen(g28, seeds28) });
    values.gen_fwd_ms_per_input_28x28x1 = run.oursMedian;
    details.flops_per_input_28x28x1 = g28.flops();
    details.samples_28x28x1 = { warmup: run.warmup, ours: run.ours };
  } finally {
    g28.store.dispose();
  }
  details.engine = [...engines].join(', ');
  notes.gen_fwd_ms_per_input_32x32x3 = `generate() on the ${details.engine} engine (its first calls, which export and load the graph, are warm-up)`;
  return { values, notes, details };
}

/**
 * Runs the product's trainGenerator and times steps `first`..`last`: each
 * step's time is the gap between two progress callbacks (batch slicing, the
 * D and G steps, a validation when one falls due). After each timed step,
 * `between()` runs inside the callback, outside the timing: there PyTorch takes
 * its own step, synchronously, so the two sides alternate.
 */
export async function timedTraining(p, input, { first, last, between }) {
  const ms = [];
  let prev = performance.now();
  const trained = await p.generator.trainGenerator({
    ...input,
    onProgress: ({ step }) => {
      if (step >= first && step <= last) {
        ms.push(performance.now() - prev);
        between?.();
      }
      prev = performance.now();
    },
  });
  return { ms, trained };
}

/** Per-input FLOPs both sides count for a training step: G's forward and the AdNN's soft pass (all exits). */
function trainFlops(p, generator, network, twin) {
  const ours = { generator: generator.flops(), adnn_soft: p.adnn.totalFlops(network.meta) };
  const torch = twin.flopParts ?? null;
  const match = torch ? ours.generator === torch.generator && ours.adnn_soft === torch.adnn_soft : null;
  return { ours, torch, match };
}

/**
 * One Eq. 8 step (D step, then G step: LSGAN + BCE L_perf + Linf hinge, Adam)
 * through the product's trainGenerator, beside PyTorch's TrainStep twin.
 * `warmup` steps first and the steps after the timed ones (the last validates) are not timed.
 */
async function benchTrainSteps(p, torch, { network, shape, width, batch, lr, warmup, repeats, twinParams }) {
  const config = {
    // A budget of at least MIN_COMPILED_STEPS, as a real training run has, so
    // the step is the one users get (one onnxruntime program when it loads);
    // the steps after the timed ones are not timed.
    steps: Math.max(warmup + repeats + 1, p.generator.MIN_COMPILED_STEPS ?? 0),
    batchSize: batch,
    learningRate: lr,
    alpha: 1,
    beta: 0.001,
    gan: true,
    perfLoss: 'bce',
    width,
    validateEvery: 1e9,
    patience: 1e9,
    seed: 1,
  };
  const twin = torchTask(torch, 'train_step', { shape, width, batch, epsilon: ATTACK.epsilon, lr, ...twinParams }, 1);
  const theirs = [];
  let run;
  try {
    run = await timedTraining(
      p,
      { network, train: randomImages(4 * batch, shape, 11), validation: randomImages(4, shape, 12), attack: { ...ATTACK, tau: 0.5 }, config },
      {
        first: warmup + 1,
        last: warmup + repeats,
        between: () => {
          const t = twin.time();
          if (t !== null) theirs.push(t);
        },
      },
    );
    const flops = trainFlops(p, run.trained.generator, network, twin);
    return { ours: run.ms, theirs, note: twin.note, flops };
  } finally {
    twin.drop?.();
    run?.trained.generator.store.dispose();
  }
}

/** The width-64 generator against sdn-tiny built for 32x32x3 (random weights), batch 64, lr 1e-4. */
export async function benchTrainStep(p, torch, s) {
  const shape = [32, 32, 3];
  const entry = p.adnn.zooEntry('sdn-tiny');
  const network = entry.build(entry.defaultConfig(inputSpec(shape), 10), 1);
  try {
    const r = await benchTrainSteps(p, torch, { network, shape, width: s.trainWidth, batch: BATCH, lr: 1e-4, warmup: s.trainWarmup, repeats: s.trainRepeats, twinParams: {} });
    const values = { gen_train_step_ms_b64: median(r.ours), torch_gen_train_step_ms_b64: median(r.theirs) };
    const notes = {
      gen_train_step_ms_b64: `one Eq. 8 step (D step + G step, LSGAN + BCE L_perf + Linf hinge, Adam) of a width-${s.trainWidth} generator against sdn-tiny at 32x32x3, batch ${BATCH}, through trainGenerator`,
    };
    if (values.torch_gen_train_step_ms_b64 === null) notes.torch_gen_train_step_ms_b64 = r.note ?? 'no PyTorch sample';
    if (r.flops.match === false) notes.gen_train_vs_torch = `FLOPs differ between the sides: ${JSON.stringify(r.flops)}`;
    return { values, notes, details: { width: s.trainWidth, batch: BATCH, samples: { ours: r.ours, torch: r.theirs }, summary: summarize(r.ours, r.theirs), flops_per_input: r.flops, adnn: network.meta.name } };
  } finally {
    network.dispose();
  }
}

/**
 * The shape users train at: the light generator (width 16) against
 * the shipped sdn-tiny at 28x28x1, batch 32, lr 1e-3; PyTorch's twin loads
 * the same weights (bench/torch/weights.py).
 */
export async function benchTrainLight28(p, torch, s) {
  const shape = [28, 28, 1];
  const width = 16;
  const batch = 32;
  const dir = join(p.root, 'fixtures', 'models', 'sdn-tiny');
  const { network } = await p.adnn.loadAdnn(dir);
  try {
    const r = await benchTrainSteps(p, torch, { network, shape, width, batch, lr: 1e-3, warmup: s.train28Warmup, repeats: s.train28Repeats, twinParams: { adnn_dir: dir } });
    const values = { gen_train_light_28_ms_b32: median(r.ours), torch_gen_train_light_28_ms_b32: median(r.theirs) };
    const notes = {
      gen_train_light_28_ms_b32: `one Eq. 8 step (D step + G step, LSGAN + BCE L_perf + Linf 0.1 hinge, Adam lr 1e-3) of the light generator (width ${width}) against the shipped sdn-tiny at 28x28x1, batch ${batch}, through trainGenerator; median of ${s.train28Repeats} steps after ${s.train28Warmup}`,
    };
    if (values.torch_gen_train_light_28_ms_b32 === null) notes.torch_gen_train_light_28_ms_b32 = r.note ?? 'no PyTorch sample';
    if (r.flops.match === false) notes.gen_train_light_28_vs_torch = `FLOPs differ between the sides: ${JSON.stringify(r.flops)}`;
    return {
      values,
      notes,
      details: { width, batch, adnn: 'fixtures/models/sdn-tiny', samples: { ours: r.ours, torch: r.theirs }, summary: summarize(r.ours, r.theirs), flops_per_input: r.flops },
    };
  } finally {
    network.dispose();
  }
}
