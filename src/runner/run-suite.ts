import { relative } from 'node:path';
import { loadAdnn, loadOnnxAdnn, loadUserAdnn, onnxAdnnSpec, runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../data/index.js';
import { generate, type GeneratedInputs, type TrainProgress } from '../generator/index.js';
import { measureSet } from '../measure/index.js';
import { evaluateAssertion, type MetricSource } from '../assert/index.js';
import { DEFAULT_METHOD, REFINE_METHOD, metricValue } from '../results/index.js';
import { modelLabel as labelOf, modelPath, type Suite } from '../suite/index.js';
import type { Reporter, SuiteResult } from '../results/index.js';
import { measureExtras } from './extras.js';
import { runMitigation } from './mitigation.js';
import { baselineFor } from './baseline-source.js';
import { measureMethods, type ProducedSet } from './measure-methods.js';
import { budgetWarning, convergenceOutcome } from './convergence.js';
import { refineFor } from './refine-source.js';
import { generatorData, generatorFor, modelHash } from './generator-source.js';
import { pickSamples } from './samples.js';
import { suiteConfig } from './suite-config.js';
import { isCI, planSaved, writeSavedResult } from './saved-results.js';
import { UserError } from '../util/errors.js';
import type { SuiteContext } from './suite-context.js';

export type { SuiteContext } from './suite-context.js';

export class ModelDataMismatchError extends UserError {
  override readonly name = 'ModelDataMismatchError';
}

/** Runs one suite: model -> data -> generator and baselines -> measurement -> assertions. */
export async function runSuite(suite: Suite, reporter: Reporter, ctx: SuiteContext): Promise<SuiteResult> {
  const file = relative(ctx.cwd, suite.file).split('\\').join('/');
  const started = performance.now();
  const phase = (name: string, detail?: string) => reporter.onPhase?.({ file, phase: name, detail });
  // A damaged or stale saved result stops the suite before any training.
  const saved = await planSaved(suite, { updateBaseline: ctx.updateBaseline ?? false, ci: isCI(process.env), cwd: ctx.cwd });
  reporter.onSuiteStart?.({ file, name: suite.name });

  phase('loading model', modelPath(suite.model));
  const network = await loadSuiteModel(suite);
  try {
    phase('loading data', `${suite.data.dataset}/${suite.data.split}`);
    const seedSplit = await loadDataset(datasetSpec(suite, suite.data.split));
    const seedsData = takeSeeded(seedSplit, suite.data.seeds, suite.seed);
    checkModelData(network, seedsData, suite);
    const trainData = await loadDataset(datasetSpec(suite, suite.data.trainSplit));

    const onProgress = (p: TrainProgress) => reporter.onTrainingProgress?.({ file, ...p });
    const model = await modelHash(suite);
    const genData = generatorData(suite, trainData);
    const budget = budgetWarning(suite, genData.train.count);
    if (budget) reporter.onSuiteWarning?.({ file, warning: budget });
    const { generator, training } = await generatorFor(suite, network, genData, { ...ctx, modelHash: model, onPhase: phase, onProgress });
    const convergence = convergenceOutcome(suite, file, training);
    const warnings = [...(budget ? [budget] : []), ...convergence.warnings];

    // The seeds' own execution first: it also opens the model's stage sessions,
    // a one-time cost that would otherwise be timed as part of whichever
    // method runs the model first (refine checks each iterate's real cost).
    const seedExecution = runBatched(network, seedsData, suite.threshold);
    phase('generating', `${seedsData.count} inputs`);
    const attack = { norm: suite.norm, epsilon: suite.epsilon };
    const start = generate(generator, seedsData, attack);
    const made: ProducedSet[] = [{ method: DEFAULT_METHOD, inputs: start }];
    const onStep = (done: number, total: number) => reporter.onPhaseProgress?.({ file, done, total, unit: 'steps' });
    const baselineOpts = { cacheDir: ctx.cache.dir, retrain: ctx.retrain, toolVersion: ctx.toolVersion, modelHash: model, onPhase: phase, onProgress: onStep };
    if (suite.generator.refine) {
      const out = await refineFor(suite, network, seedsData, { generator, start }, baselineOpts);
      made.push({ method: REFINE_METHOD, inputs: out.inputs, cached: out.cached });
    }
    for (const spec of suite.baselines) {
      const out = await baselineFor(suite, network, seedsData, spec, baselineOpts);
      made.push({ method: spec.name, inputs: out.inputs, cached: out.cached });
    }

    phase('measuring');
    const executions = made.map((p) => runBatched(network, p.inputs, suite.threshold));
    // Every method, then worst-case over them: its inputs join the sets latency, sensitivity and the samples read.
    const { methods, produced: withWorstCase } = measureMethods(network, seedsData, seedExecution, made, executions);
    const produced = withWorstCase.map((p): [string, GeneratedInputs] => [p.method, p.inputs]);
    const seeds = measureSet(network, seedExecution, seedsData.labels);
    const extras = measureExtras(network, suite, seedsData, produced, seeds, methods);
    const testSplit = suite.data.split === 'test' ? seedSplit : await loadDataset(datasetSpec(suite, 'test'));
    const mitigation = await runMitigation(suite, { network, generator, train: trainData, test: testSplit }, ctx, { onPhase: phase, onProgress });
    generator.store.dispose();
    const result: SuiteResult = {
      ...baseResult(suite, file, network),
      status: 'passed',
      durationMs: performance.now() - started,
      seeds,
      methods,
      training,
      ...(warnings.length > 0 ? { warnings } : {}),
      ...extras,
      ...(mitigation ? { mitigation } : {}),
      samples: pickSamples(network.meta.input, seedsData, produced, methods),
      assertions: [],
    };
    const value: MetricSource['value'] = (metric, aggregate, method) => metricValue(result, metric, aggregate, method);
    const source: MetricSource = saved === undefined ? { value } : { value, saved: saved.lookup, savedFile: saved.shown };
    result.assertions = suite.assertions.map((a) => evaluateAssertion(a, source));
    if (convergence.check) result.assertions.push(convergence.check);
    if (saved !== undefined) {
      if (saved.action === 'written') await writeSavedResult(saved.file, suite, result, ctx.toolVersion);
      result.saved = { file: saved.shown, action: saved.action };
    }
    if (result.assertions.some((a) => a.level === 'error' && a.status === 'failed')) result.status = 'failed';
    return result;
  } finally {
    network.dispose();
  }
}

/** The parts of a result known before anything ran; also used for crashed suites. */
export function baseResult(suite: Suite, file: string, network?: AdaptiveNetwork): SuiteResult {
  return {
    file,
    name: suite.name,
    status: 'error',
    durationMs: 0,
    model: network
      ? { name: network.meta.name, arch: network.meta.arch, kind: network.meta.kind, baseFlops: network.meta.baseFlops, blocks: network.meta.blocks }
      : { name: modelLabel(suite), arch: modelLabel(suite), kind: 'early-exit', baseFlops: 0, blocks: [] },
    config: suiteConfig(suite),
    methods: [],
    assertions: [],
  };
}

/** The suite's model: a zoo model from its weights folder, or the user's module. */
export async function loadSuiteModel(suite: Suite): Promise<AdaptiveNetwork> {
  const m = suite.model;
  if (m.source === 'module') return loadUserAdnn(m.module, m.exportName, m.options, { timeoutMs: m.timeoutSeconds * 1000 });
  if (m.source === 'onnx') return loadOnnxAdnn(onnxAdnnSpec(m));
  const { network, metadata } = await loadAdnn(m.weights);
  // preflightSuites says this with the suite's line; runSuite may be called without it.
  if (metadata.arch !== m.arch) {
    network.dispose();
    throw new ModelDataMismatchError(`${suite.file}: model.arch is "${m.arch}", but the weights in ${m.weights} were saved from "${metadata.arch}"`);
  }
  return network;
}

/** How the suite names its model, for reports and messages. */
function modelLabel(suite: Suite): string {
  return labelOf(suite.model);
}

function datasetSpec(suite: Suite, split: 'train' | 'test') {
  return { name: suite.data.dataset, split, path: suite.data.path, labels: suite.data.labels };
}

/** Refuses a dataset whose images are not the model's input shape. */
export function checkModelData(network: AdaptiveNetwork, data: Dataset, suite: Suite): void {
  const { height, width, channels } = network.meta.input;
  if (data.height !== height || data.width !== width || data.channels !== channels) {
    throw new ModelDataMismatchError(
      `${suite.file}: model ${modelLabel(suite)} takes ${height}x${width}x${channels} inputs, ` +
        `dataset ${suite.data.dataset} has ${data.height}x${data.width}x${data.channels}`,
    );
  }
}
