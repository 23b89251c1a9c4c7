import { relative } from 'node:path';
import chalk from 'chalk';
import { SingleBar } from 'cli-progress';
import { evaluateAdaptive, saveAdnn, trainAdnn, zooEntry } from '../../adnn/index.js';
import { loadDataset } from '../../data/index.js';
import { initBackend } from '../../engine/index.js';

export interface TrainModelOptions {
  arch: string;
  dataset: string;
  dataPath?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  tau: number;
  out: string;
  backend?: string;
}

/** `deepperform train-model`: trains a zoo AdNN with its own objective and saves it with its measured facts. */
export async function trainModelCommand(opts: TrainModelOptions, argv: string[]): Promise<number> {
  const backend = await initBackend({ backend: opts.backend });
  const train = await loadDataset({ name: opts.dataset, split: 'train', path: opts.dataPath });
  const test = await loadDataset({ name: opts.dataset, split: 'test', path: opts.dataPath });
  const entry = zooEntry(opts.arch);
  const input = { height: train.height, width: train.width, channels: train.channels, range: [0, 1] as [number, number] };
  const config = entry.defaultConfig(input, train.numClasses);
  const network = entry.build(config, opts.seed);
  console.log(`${chalk.bold('deepperform train-model')} ${opts.arch} on ${opts.dataset} (${train.count} images), backend ${backend.name}`);
  const started = performance.now();
  const bar = new SingleBar({ format: 'epoch {epoch} |{bar}| {percentage}% loss {loss} eta {eta}s', noTTYOutput: false });
  const totalSteps = opts.epochs * Math.ceil(train.count / opts.batchSize);
  if (process.stdout.isTTY) bar.start(totalSteps, 0, { epoch: 1, loss: '-' });
  trainAdnn(network, train, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    learningRate: opts.lr,
    seed: opts.seed,
    onStep: ({ epoch, step, stepsPerEpoch, loss }) => {
      if (process.stdout.isTTY) bar.update(epoch * stepsPerEpoch + step + 1, { epoch: epoch + 1, loss: loss.toFixed(3) });
      else if (step === stepsPerEpoch - 1) console.log(`epoch ${epoch + 1}/${opts.epochs} loss ${loss.toFixed(4)}`);
    },
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
  console.log(
    `test accuracy ${(evaluation.accuracy * 100).toFixed(1)}%, FLOPs at tau ${opts.tau}: mean ${fmtM(evaluation.meanFlops)} ` +
      `(min ${fmtM(evaluation.minFlops)}, max ${fmtM(evaluation.maxFlops)}), ` +
      `${(evaluation.adaptiveShare * 100).toFixed(1)}% of inputs exit early; ${durationSeconds.toFixed(0)} s`,
  );
  console.log(`saved ${relative(process.cwd(), opts.out) || '.'}/model.json`);
  network.dispose();
  return 0;
}

function fmtM(flops: number): string {
  return `${(flops / 1e6).toFixed(2)}M`;
}
