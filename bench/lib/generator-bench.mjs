/**
 * Generator keys: online generation (generate(): G forward + projection, batch
 * 64) at 32x32x3 and 28x28x1, its GFLOP/s, and one Eq. 8 training step
 * (trainGenerator: D step then G step) against sdn-tiny built for 32x32x3.
 */
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
 * One Eq. 8 step through the product's trainGenerator: each step's time is
 * the gap between two progress callbacks (the first `trainWarmup` steps and
 * the last, which also validates, are not timed). After each timed step of
 * ours, PyTorch takes one step of its twin, synchronously, inside the
 * callback, so the two alternate.
 */
export async function benchTrainStep(p, torch, s) {
  const shape = [32, 32, 3];
  const entry = p.adnn.zooEntry('sdn-tiny');
  const network = entry.build(entry.defaultConfig(inputSpec(shape), 10), 1);
  const config = {
    steps: s.trainWarmup + s.trainRepeats + 1,
    batchSize: BATCH,
    learningRate: 1e-4,
    alpha: 1,
    beta: 0.001,
    gan: true,
    perfLoss: 'bce',
    width: s.trainWidth,
    validateEvery: 1e9,
    patience: 1e9,
    seed: 1,
  };
  const twin = torchTask(torch, 'train_step', { shape, width: s.trainWidth, batch: BATCH, epsilon: ATTACK.epsilon, lr: 1e-4 }, 1);
  const ours = [];
  const theirs = [];
  let last = performance.now();
  let trained;
  try {
    trained = await p.generator.trainGenerator({
      network,
      train: randomImages(4 * BATCH, shape, 11),
      validation: randomImages(4, shape, 12),
      attack: { ...ATTACK, tau: 0.5 },
      config,
      onProgress: ({ step }) => {
        if (step > s.trainWarmup && step <= s.trainWarmup + s.trainRepeats) {
          ours.push(performance.now() - last);
          const t = twin.time();
          if (t !== null) theirs.push(t);
        }
        last = performance.now();
      },
    });
  } finally {
    twin.drop?.();
    trained?.generator.store.dispose();
    network.dispose();
  }
  const values = { gen_train_step_ms_b64: median(ours), torch_gen_train_step_ms_b64: median(theirs) };
  const notes = {
    gen_train_step_ms_b64: `one Eq. 8 step (D step + G step, LSGAN + BCE L_perf + Linf hinge, Adam) of a width-${s.trainWidth} generator against sdn-tiny at 32x32x3, batch ${BATCH}, through trainGenerator`,
  };
  if (values.torch_gen_train_step_ms_b64 === null) notes.torch_gen_train_step_ms_b64 = twin.note ?? 'no PyTorch sample';
  return { values, notes, details: { width: s.trainWidth, batch: BATCH, samples: { ours, torch: theirs }, summary: summarize(ours, theirs), adnn: network.meta.name } };
}
