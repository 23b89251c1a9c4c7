/**
 * `generator_epoch_minutes_fmnist`: what one epoch of generator training costs
 * on the full Fashion-MNIST training split, the way the evaluation trains it:
 * the suite eval/suites/light/sdn-tiny-linf.perf.yaml (light generator,
 * eval/models/sdn-tiny, batch 32, lr 1e-3, BCE, GAN on, validation every 50
 * steps), its data split by the product (10 % held out for early stopping).
 * Extrapolated from timed steps: a whole epoch (1,688 steps) would take most
 * of an hour on 2 cores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { timedTraining } from './generator-bench.mjs';
import { mean } from './stats.mjs';

const SUITE = join('eval', 'suites', 'light', 'sdn-tiny-linf.perf.yaml');

/** Steps in one pass over `count` inputs (as the product's epoch budget counts them). */
export function stepsPerEpoch(count, batchSize) {
  return Math.ceil(count / batchSize);
}

export async function benchEpoch(p, s) {
  const key = 'generator_epoch_minutes_fmnist';
  const [suites, runner] = await Promise.all([p.load('suite/index.js'), p.load('runner/index.js')]);
  const suite = await suites.loadSuite(join(p.root, SUITE));
  const path = suite.data.path ?? p.data.FASHION_MNIST_DEFAULT_PATH;
  if (!existsSync(path)) {
    return { values: { [key]: null }, notes: { [key]: `Fashion-MNIST is not at ${path}: nothing to time (the bench installs nothing)` }, details: { suite: SUITE } };
  }
  let trainSplit;
  try {
    trainSplit = await p.data.loadDataset({ name: suite.data.dataset, split: suite.data.trainSplit, path: suite.data.path });
  } catch (e) {
    return { values: { [key]: null }, notes: { [key]: `the Fashion-MNIST training split could not be read: ${e.message}` }, details: { suite: SUITE } };
  }
  const network = await runner.loadSuiteModel(suite);
  const data = runner.generatorData(suite, trainSplit);
  const train = suite.generator.train;
  const first = s.epochWarmup + 1;
  const last = s.epochWarmup + s.epochSteps;
  // The suite's settings; the step budget ends one step after the window (that
  // last step validates) and patience cannot stop training inside it.
  const config = { ...train, epochs: undefined, minutes: undefined, steps: last + 1, patience: 1e9, seed: suite.seed };
  let run;
  try {
    run = await timedTraining(
      p,
      { network, train: data.train, validation: data.validation, attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold }, config },
      { first, last },
    );
  } finally {
    run?.trained.generator.store.dispose();
    network.dispose();
  }
  const steps = stepsPerEpoch(data.train.count, train.batchSize);
  const msPerStep = mean(run.ms);
  // Validation every `validateEvery` steps, by default once per epoch.
  const every = train.validateEvery ?? steps;
  const validations = Math.floor(last / every) - Math.floor((first - 1) / every);
  const quick = s.epochSteps < 200 ? ` (quick mode: only ${s.epochSteps} steps, not comparable)` : '';
  return {
    values: { [key]: msPerStep === null ? null : (steps * msPerStep) / 60_000 },
    notes: {
      [key]:
        `extrapolated from ${run.ms.length} timed training steps (steps ${first}-${last}, after ${s.epochWarmup} warm-up)${quick}: ` +
        `${steps} steps per epoch (${data.train.count} training inputs, ${data.validation.count} held out, batch ${train.batchSize}) x their mean; ` +
        `the window holds ${validations} validation(s) on the held-out inputs (validation every ${every} steps); ` +
        `${suite.name} (${SUITE}): light generator (width ${train.width}) against eval/models/sdn-tiny, lr ${train.learningRate}, ${train.perfLoss} L_perf, GAN ${train.gan ? 'on' : 'off'}`,
    },
    details: {
      suite: SUITE,
      dataset: { path, train: data.train.count, validation: data.validation.count },
      config: { ...config, steps: undefined },
      steps_per_epoch: steps,
      timed_steps: run.ms.length,
      validations_in_window: validations,
      mean_ms_per_step: msPerStep,
      samples_ms: run.ms,
    },
  };
}
