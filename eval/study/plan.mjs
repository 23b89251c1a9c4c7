/**
 * The generator study (docs/generator-study.md): which L_perf, perturbation
 * bound, GAN term, learning rate and tau curriculum make the one-pass
 * generator slow down the eval models. Everything a run depends on is here or
 * on the command line (budget, training seeds), and is written into its
 * result file.
 *
 * Every run trains a generator through the product (a suite file run by the
 * public API) on the full Fashion-MNIST training split (90 % trained on, 10 %
 * held out for validation, as `deepperform run` splits it), then measures it
 * on the 100 test seeds eval/suites/baselines/ gives ILFO and DeepSloth
 * (split test, 100 seeds, suite seed 2022), so the numbers compare seed for
 * seed with theirs in eval/results/latest.json.
 */

export const MODELS = ['sdn-tiny', 'ranet-tiny', 'skipnet-tiny', 'blockdrop-tiny'];

export const NORMS = [
  { norm: 'linf', epsilon: 0.1, label: 'Linf' },
  { norm: 'l2', epsilon: 2.0, label: 'L2' },
];

/** The seeds and threshold of eval/suites/baselines (eval/lib/plan.mjs: threshold, seed, baselineSeeds). */
export const EVALUATION = { split: 'test', seeds: 100, suiteSeed: 2022, threshold: 0.5, trainSplit: 'train' };

/**
 * What every run shares: the light generator (width 16) at the eval's batch
 * size, alpha 1, beta 0.001; a validation every `validateEvery` steps
 * (overridable with --validate-every) and a patience that never stops a run
 * early, so that configurations are compared on the same budget (the best
 * validated generator is kept, as the product does). The protocol is pinned
 * where the product's defaults moved after the exploration began: 6,000
 * held-out validation inputs (the 10 % split it then used) and a constant
 * learning rate (no plateau schedule), so every run is trained alike.
 */
export const BASE = {
  preset: 'light',
  // perturbationBound explicit: the schema's default ('auto') would make a configuration's meaning depend on the norm.
  train: { batchSize: 32, alpha: 1, beta: 0.001, validateEvery: 100, patience: 1000, validationInputs: 6000, lrSchedule: { type: 'constant' }, perturbationBound: 'project' },
};

/**
 * The configurations, by name: generator.train settings on top of BASE.
 * Exploration order: the losses (GAN off, lr 1e-3, the eval's learning rate)
 * against the eval's current setting (bce with the GAN term), then single
 * factors on the best loss: bound, tau curriculum, learning rate, GAN term.
 */
export const CONFIGS = {
  // The eval's setting today (eval/lib/plan.mjs: bce, lr 1e-3, GAN on by the schema default).
  'bce-gan': { perfLoss: 'bce', gan: true, learningRate: 1e-3 },
  bce: { perfLoss: 'bce', gan: false, learningRate: 1e-3 },
  'masked-bce': { perfLoss: 'masked-bce', gan: false, learningRate: 1e-3 },
  hinge: { perfLoss: 'hinge', margin: 0.1, gan: false, learningRate: 1e-3 },
  'log-hinge': { perfLoss: 'log-hinge', margin: 0.1, gan: false, learningRate: 1e-3 },
  'uniform-ce': { perfLoss: 'uniform-ce', gan: false, learningRate: 1e-3 },
  'expected-cost': { perfLoss: 'expected-cost', gan: false, learningRate: 1e-3 },
  'log-expected-cost': { perfLoss: 'log-expected-cost', gan: false, learningRate: 1e-3 },
};

/**
 * Single-factor changes, appended to a configuration's name with '+'
 * (e.g. `log-expected-cost+scale+curriculum`), applied left to right.
 */
export const MODIFIERS = {
  // The smooth bound: Linf eps * G(x), L2 a smooth rescale (no pixel loses its gradient).
  scale: { perturbationBound: 'scale' },
  // Train at tau 0.8, annealed to the suite's over the first half: an early exit then stops an input only at
  // confidence >= 0.8, so more exits count as reached and the hinges aim lower; a skipping gate must pass 0.8.
  curriculum: { tauCurriculum: { from: 0.8, over: 0.5 } },
  gan: { gan: true },
  'lr1e-4': { learningRate: 1e-4 },
  'lr3e-3': { learningRate: 3e-3 },
};

/** The generator.train settings a configuration name stands for (base name, then its modifiers); undefined when unknown. */
export function configSettings(name) {
  const [base, ...mods] = name.split('+');
  if (!(base in CONFIGS) || mods.some((m) => !(m in MODIFIERS))) return undefined;
  return Object.assign({}, CONFIGS[base], ...mods.map((m) => MODIFIERS[m]));
}

/** Short tag of a budget for file names: steps1000, min12, ep0.5 (joined when several caps are set). */
export function budgetTag(budget) {
  const parts = [];
  if (budget.epochs !== undefined) parts.push(`ep${budget.epochs}`);
  if (budget.minutes !== undefined) parts.push(`min${budget.minutes}`);
  if (budget.steps !== undefined) parts.push(`steps${budget.steps}`);
  return parts.join('-');
}

/**
 * Version of the training code a run used. 1: the exploration, on the
 * training loop before epochs budgets, the plateau schedule and early stopping
 * landed (its result files carry no protocol field). 2: that loop, pinned to
 * protocol 1's settings (BASE); its numbers differ from protocol 1's step for
 * step (the engine changed underneath), so runs of the two protocols are never
 * pooled.
 */
export const PROTOCOL = 2;

/** The id (and result file name, without .json) of one run; protocol 1's ids had no suffix. */
export function runId({ model, norm, config, trainingSeed, budget }) {
  return `${model}_${norm}_${config}_seed${trainingSeed}_${budgetTag(budget)}_p${PROTOCOL}`;
}

/** Every run the arguments ask for, in the order they run: model, norm, config, seed. */
export function runList({ models, norms, configs, trainingSeeds, budget }) {
  const list = [];
  for (const model of models) {
    for (const n of NORMS.filter((x) => norms.includes(x.norm))) {
      for (const config of configs) {
        for (const trainingSeed of trainingSeeds) {
          const run = { model, norm: n.norm, epsilon: n.epsilon, config, trainingSeed, budget };
          list.push({ ...run, id: runId(run) });
        }
      }
    }
  }
  return list;
}

/** generator.train of a run: BASE, the configuration, the budget and the training seed. */
export function trainSettings(run, validateEvery) {
  const { steps, epochs, minutes } = run.budget;
  return {
    ...BASE.train,
    ...(validateEvery !== undefined ? { validateEvery } : {}),
    ...configSettings(run.config),
    // steps is the product's required cap; with only minutes or epochs it is set out of reach.
    steps: steps ?? 1_000_000,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(minutes !== undefined ? { minutes } : {}),
    seed: run.trainingSeed,
  };
}
