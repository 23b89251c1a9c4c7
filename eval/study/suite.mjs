/**
 * The suite file of one study run: an ordinary *.perf.yaml, so a run is what
 * `deepperform run` does with it (train on the training split's 90 %, keep
 * the best validated generator, measure it on the seeds by real adaptive
 * execution). No baselines: ILFO and DeepSloth on the same seeds come from
 * eval/results/latest.json.
 */
import { DEFAULT_DATA_PATH } from '../lib/dataset-check.mjs';
import { BASE, EVALUATION, trainSettings } from './plan.mjs';

export function suiteText(run, { modelDir, dataPath, validateEvery }) {
  const train = trainSettings(run, validateEvery);
  return [
    `# Written by eval/study/run.mjs for the study run ${run.id}.`,
    `name: ${JSON.stringify(`study ${run.id}`)}`,
    'model:',
    `  arch: ${run.model}`,
    `  weights: ${JSON.stringify(modelDir)}`,
    'data:',
    '  dataset: fashion-mnist',
    ...(dataPath && dataPath !== DEFAULT_DATA_PATH ? [`  path: ${JSON.stringify(dataPath)}`] : []),
    `  split: ${EVALUATION.split}`,
    `  seeds: ${EVALUATION.seeds}`,
    `  trainSplit: ${EVALUATION.trainSplit}`,
    `norm: ${run.norm}`,
    `epsilon: ${run.epsilon}`,
    `threshold: ${EVALUATION.threshold}`,
    `seed: ${EVALUATION.suiteSeed}`,
    'generator:',
    `  preset: ${BASE.preset}`,
    `  train: ${JSON.stringify(train)}`,
    'baselines: []',
    'measure:',
    '  latency: false',
    '  energy: false',
    '  sensitivity: []',
    'assertions: []',
    '',
  ].join('\n');
}
