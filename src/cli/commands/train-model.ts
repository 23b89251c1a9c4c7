import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import chalk from 'chalk';
import { SingleBar } from 'cli-progress';
import { checkpointDir, evaluateAdaptive, loadCheckpoint, saveAdnn, saveCheckpoint, trainAdnn, zooEntry, type CheckpointMetadata } from '../../adnn/index.js';
import { loadDataset } from '../../data/index.js';
import { initBackend } from '../../engine/index.js';
import { UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import type { AdaptiveNetwork } from '../../adnn/index.js';

export interface TrainModelOptions {
  arch: string;
  dataset: string;
  dataPath?: string;
  labels?: 'fine' | 'coarse';
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  tau: number;
  out: string;
  backend?: string;
  /** Continue from `<out>/checkpoint` (written after every epoch). */
  resume?: boolean;
}

/** `deepperform train-model`: trains a zoo AdNN with its own objective and saves it with its measured facts. */
export async function trainModelCommand(flags: TrainModelOptions, argv: string[], io: CommandIO = processIO()): Promise<number> {
  // Paths as the user typed them are relative to the working directory.
  const opts = { ...flags, out: resolve(io.cwd, flags.out), dataPath: flags.dataPath === undefined ? undefined : resolve(io.cwd, flags.dataPath) };
  const log = (line: string) => io.stdout.write(`${line}\n`);
  const shownOut = relative(io.cwd, opts.out) || '.';
  const backend = await initBackend({ backend: opts.backend, env: io.env });
  const spec = { name: opts.dataset, path: opts.dataPath, labels: opts.labels };
  const train = await loadDataset({ ...spec, split: 'train' });
  const test = await loadDataset({ ...spec, split: 'test' });
  const entry = zooEntry(opts.arch);
  const input = { height: train.height, width: train.width, channels: train.channels, range: [0, 1] as [number, number] };
  const config = entry.defaultConfig(input, train.numClasses);
  const network = entry.build(config, opts.seed);
  const options: CheckpointMetadata['options'] = {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    learningRate: opts.lr,
    seed: opts.seed,
    dataset: opts.dataset,
  };
  const resumed = opts.resume ? await resumeFrom(opts, network, options, flags.out) : undefined;
  const startEpoch = resumed?.metadata.epochsDone ?? 0;
  log(`${chalk.bold('deepperform train-model')} ${opts.arch} on ${opts.dataset} (${train.count} images), backend ${backend.name}`);
  if (resumed) log(`resuming after epoch ${startEpoch} from ${shownOut}/checkpoint`);
  const started = performance.now();
  const bar = new SingleBar({ format: 'epoch {epoch} |{bar}| {percentage}% loss {loss} eta {eta}s', noTTYOutput: false, stream: io.stderr });
  const stepsPerEpoch = Math.ceil(train.count / opts.batchSize);
  if (io.stdout.isTTY) bar.start(opts.epochs * stepsPerEpoch, startEpoch * stepsPerEpoch, { epoch: startEpoch + 1, loss: '-' });
  await trainAdnn(network, train, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    learningRate: opts.lr,
    seed: opts.seed,
    startEpoch,
    optimizer: resumed?.optimizer,
    onStep: ({ epoch, step, loss }) => {
      if (io.stdout.isTTY) bar.update(epoch * stepsPerEpoch + step + 1, { epoch: epoch + 1, loss: loss.toFixed(3) });
      else if (step === stepsPerEpoch - 1) log(`epoch ${epoch + 1}/${opts.epochs} loss ${loss.toFixed(4)}`);
    },
    onEpochEnd: (epoch, optimizer) =>
      saveCheckpoint(opts.out, network, optimizer, { arch: opts.arch, epochsDone: epoch + 1, options }),
  });
  bar.stop();
  const evaluation = evaluateAdaptive(network, test, opts.tau);
  const durationSeconds = (performance.now() - started) / 1000;
  await saveAdnn(opts.out, network, {
    arch: opts.arch,
    config,
    seed: opts.seed,
    training: {
      dataset: `${opts.dataset}/train`,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      learningRate: opts.lr,
      seed: opts.seed,
      tau: opts.tau,
      accuracy: evaluation.accuracy,
      meanFlops: evaluation.meanFlops,
      maxFlops: evaluation.maxFlops,
      adaptiveShare: evaluation.adaptiveShare,
      durationSeconds: Math.round(durationSeconds),
      command: `deepperform ${argv.join(' ')}`,
    },
  });
  log(
    `test accuracy ${(evaluation.accuracy * 100).toFixed(1)}%, FLOPs at tau ${opts.tau}: mean ${fmtM(evaluation.meanFlops)} ` +
      `(min ${fmtM(evaluation.minFlops)}, max ${fmtM(evaluation.maxFlops)}), ` +
      `${(evaluation.adaptiveShare * 100).toFixed(1)}% of inputs ${adaptiveVerb(network.meta.kind)}; ${durationSeconds.toFixed(0)} s`,
  );
  // The run finished: its checkpoint was only there to resume an interrupted one.
  await rm(checkpointDir(opts.out), { recursive: true, force: true });
  log(`saved ${shownOut}/model.json`);
  network.dispose();
  return 0;
}

async function resumeFrom(opts: TrainModelOptions, network: AdaptiveNetwork, options: CheckpointMetadata['options'], shownOut: string) {
  const resumed = await loadCheckpoint(opts.out, network, opts.lr);
  const saved = resumed.metadata.options;
  const differs = (Object.keys(options) as (keyof typeof options)[]).filter((k) => saved[k] !== options[k]);
  if (resumed.metadata.arch !== opts.arch || differs.length) {
    const what = differs.map((k) => `--${k} was ${saved[k]}`).join(', ') || `--arch was ${resumed.metadata.arch}`;
    throw new UsageError(`${shownOut}/checkpoint was written by a different run (${what}); resume with the same options`);
  }
  return resumed;
}

function fmtM(flops: number): string {
  return `${(flops / 1e6).toFixed(2)}M`;
}

/** What an adaptive input does, in the model's own terms. */
function adaptiveVerb(kind: 'skipping' | 'early-exit'): string {
  return kind === 'early-exit' ? 'exit early' : 'skip at least one block';
}
