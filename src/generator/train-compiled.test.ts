import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zooEntry, type AdaptiveNetwork } from '../adnn/index.js';
import { initBackend } from '../engine/index.js';
import { defaultInferenceEngine, InferenceEngine, setDefaultInferenceEngine } from '../engine/ort/index.js';
import { Discriminator, Generator } from './architecture.js';
import type { PerfLoss } from './losses.js';
import { ScheduledAdam } from './optimizer.js';
import type { PerturbationBound } from './projection.js';
import { compiledTrainStep, MIN_COMPILED_STEPS, releaseCompiledStep, syncCompiledStep } from './train-compiled.js';
import { trainStep, type StepContext, type StepLosses } from './train-step.js';

/**
 * The Eq. 8 step compiled into one onnxruntime program against the same
 * step on tfjs's kernels and optimisers, from the same weights and inputs:
 * a width-2 generator against a random-weight sdn-tiny, batch 4.
 */

const spec = { height: 28, width: 28, channels: 1, range: [0, 1] as [number, number] };
let network: AdaptiveNetwork;
const before = defaultInferenceEngine();

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const entry = zooEntry('sdn-tiny');
  network = entry.build(entry.defaultConfig(spec, 10), 3);
});
afterAll(() => {
  setDefaultInferenceEngine(before);
  network.dispose();
});

interface Run {
  losses: StepLosses[];
  /** Every G variable (weights and BN running statistics) after the steps, by name. */
  weights: Map<string, Float32Array>;
}

interface Objective {
  perfLoss: PerfLoss;
  bound: PerturbationBound;
}
const BCE_PROJECT: Objective = { perfLoss: 'bce', bound: 'project' };

/**
 * Three steps from fresh G and D (seeded) on one fixed batch, with gradients
 * where `gradients` says; enc0 restored after the first, the learning rate
 * halved before the last. `syncEvery`: the compiled step's weights written
 * back after every step, as if each were followed by a validation.
 */
function threeSteps(gradients: 'ort' | 'tfjs', gan: boolean, retau = false, objective: Objective = BCE_PROJECT, syncEvery = false): Run {
  setDefaultInferenceEngine(new InferenceEngine({ gradients, threads: 1 }));
  const g = new Generator(spec, 2, 11, objective.bound);
  const d = new Discriminator(spec, 12);
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 13) as tf.Tensor4D;
  const c: StepContext & { gOpt: ScheduledAdam; dOpt: ScheduledAdam } = {
    g,
    d,
    gOpt: new ScheduledAdam(1e-3, 0.5, 0.999),
    dOpt: new ScheduledAdam(1e-3, 0.5, 0.999),
    network,
    x,
    attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 },
    config: { alpha: 1, beta: 0.001, gan, perfLoss: objective.perfLoss },
    blockFlops: network.meta.blocks.map((b) => b.flops),
    learningRate: 1e-3,
    tau: 0.5,
    stepsAllowed: MIN_COMPILED_STEPS,
  };
  // Between steps 1 and 2 a weight is assigned from outside (as restoring a
  // snapshot does): the next step must start from it.
  const enc0 = g.store.named().get('enc0.weight')!;
  const initial = tf.clone(enc0);
  // The ort run must really be compiled, or the comparison is tfjs against itself.
  if (gradients === 'ort') expect(compiledTrainStep(c)).toBeDefined();
  const step = () => {
    const l = trainStep(c);
    if (syncEvery) syncCompiledStep(g);
    return l;
  };
  const losses = [step()];
  // `initial` shares enc0's first data id: only a sync tells the lazy write-back that this assignment is new.
  syncCompiledStep(g);
  enc0.assign(initial);
  // A tau curriculum changes the threshold between steps: another program, the same Adam state.
  if (retau) c.tau = 0.6;
  losses.push(step());
  // A plateau halves the learning rate before step 3, as train.ts's loop sets it: on the optimisers and in the context.
  c.learningRate = 5e-4;
  c.gOpt.setLearningRate(5e-4);
  c.dOpt.setLearningRate(5e-4);
  losses.push(step());
  initial.dispose();
  syncCompiledStep(g);
  const weights = new Map([...g.store.named()].map(([n, v]) => [n, v.dataSync() as Float32Array]));
  tf.dispose([x]);
  g.store.dispose();
  d.store.dispose();
  c.gOpt.dispose();
  c.dOpt.dispose();
  return { losses, weights };
}

function compare(ort: Run, tfjs: Run): void {
  ort.losses.forEach((l, i) => {
    for (const k of ['gan', 'perf', 'pert', 'total', 'discriminator'] as const) expect(l[k], `step ${i + 1} ${k}`).toBeCloseTo(tfjs.losses[i][k], 4);
  });
  // Adam divides by sqrt(v): a weight whose gradient is float noise (a conv
  // bias under instance norm) moves by about lr per step on either engine,
  // maybe in opposite directions; every other weight agrees. None may differ
  // by more than three such steps each way.
  // BN running statistics do not go through Adam: they agree closely.
  const running = [...tfjs.weights].filter(([name]) => name.includes('running_'));
  expect(running.length).toBeGreaterThan(0);
  for (const [name, w] of running) expect(Array.from(ort.weights.get(name)!), name).toEqual(Array.from(w, (v) => expect.closeTo(v, 4)));
  const diffs = [...tfjs.weights].flatMap(([name, w]) => Array.from(w, (v, i) => Math.abs(v - ort.weights.get(name)![i])));
  diffs.sort((a, b) => a - b);
  expect(diffs[Math.floor(diffs.length * 0.99)]).toBeLessThan(1e-5);
  expect(diffs[diffs.length - 1]).toBeLessThan(6e-3);
}

/** A two-input step on the ort engine at one thread: G, D and their context (BCE L_perf, Linf 0.1, tau 0.5). */
function smallStep(gan: boolean): { g: Generator; d: Discriminator; x: tf.Tensor4D; c: StepContext } {
  setDefaultInferenceEngine(new InferenceEngine({ gradients: 'ort', threads: 1 }));
  const g = new Generator(spec, 2, 11);
  const d = new Discriminator(spec, 12);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 13) as tf.Tensor4D;
  const c: StepContext = {
    g,
    d,
    gOpt: new ScheduledAdam(1e-3, 0.5, 0.999),
    dOpt: new ScheduledAdam(1e-3, 0.5, 0.999),
    network,
    x,
    attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 },
    config: { alpha: 1, beta: 0.001, gan, perfLoss: 'bce' },
    blockFlops: network.meta.blocks.map((b) => b.flops),
    learningRate: 1e-3,
    tau: 0.5,
    stepsAllowed: MIN_COMPILED_STEPS,
  };
  return { g, d, x, c };
}

describe('the compiled Eq. 8 step', () => {
  it('gives the tfjs step\'s losses, weights and running statistics (GAN on)', () => {
    compare(threeSteps('ort', true), threeSteps('tfjs', true));
  });

  it('across a change of tau between steps (a new program continuing the Adam moments)', () => {
    compare(threeSteps('ort', true, true), threeSteps('tfjs', true, true));
  });

  it('and without the GAN term (no D step)', () => {
    compare(threeSteps('ort', false), threeSteps('tfjs', false));
  });

  it('with the suite defaults: log-expected-cost, no GAN term, the scale bound', () => {
    const objective: Objective = { perfLoss: 'log-expected-cost', bound: 'scale' };
    compare(threeSteps('ort', false, false, objective), threeSteps('tfjs', false, false, objective));
  });

  it('writes its weights back lazily: the same weights as writing back after every step', () => {
    const lazy = threeSteps('ort', true);
    const eager = threeSteps('ort', true, false, BCE_PROJECT, true);
    expect(lazy.losses).toEqual(eager.losses);
    for (const [name, w] of eager.weights) expect(lazy.weights.get(name), name).toEqual(w);
  });

  it('leaves the variables alone until synced, and a weight assigned from outside wins over one not yet written back', () => {
    const { g, d, x, c } = smallStep(true);
    expect(compiledTrainStep(c)).toBeDefined();
    const enc0 = g.store.named().get('enc0.weight')!;
    const dec = [...g.store.named()].find(([n]) => n !== 'enc0.weight' && !n.includes('running_'))![1];
    const start = { enc0: Array.from(enc0.dataSync()), dec: Array.from(dec.dataSync()) };
    trainStep(c);
    // Not written back yet: the variables still hold the starting weights.
    expect(Array.from(dec.dataSync())).toEqual(start.dec);
    const outside = enc0.dataSync().map((_, i) => i / 1000);
    enc0.assign(tf.tensor(outside, enc0.shape));
    syncCompiledStep(g);
    expect(Array.from(enc0.dataSync())).toEqual(Array.from(outside));
    // Adam moved every trained weight by about lr: the synced one has moved.
    const moved = Array.from(dec.dataSync()).map((v, i) => Math.abs(v - start.dec[i]));
    expect(Math.max(...moved)).toBeGreaterThan(1e-4);
    expect(Math.max(...moved)).toBeLessThan(2e-3);
    releaseCompiledStep(g);
    tf.dispose([x]);
    g.store.dispose();
    d.store.dispose();
    c.gOpt.dispose();
    c.dOpt.dispose();
  });

  it('is compiled once per generator and settings, freed by releaseCompiledStep; short runs stay on tfjs', () => {
    const { g, d, x, c } = smallStep(false);
    const first = compiledTrainStep(c);
    expect(first).toBeDefined();
    // A new learning rate is an input of the step, not a new program.
    expect(compiledTrainStep({ ...c, learningRate: 1e-4 })).toBe(first);
    releaseCompiledStep(g);
    const again = compiledTrainStep(c);
    expect(again).toBeDefined();
    expect(again).not.toBe(first);
    releaseCompiledStep(g);
    expect(compiledTrainStep({ ...c, stepsAllowed: MIN_COMPILED_STEPS - 1 })).toBeUndefined();
    x.dispose();
    g.store.dispose();
    d.store.dispose();
    c.gOpt.dispose();
    c.dOpt.dispose();
  });
});
