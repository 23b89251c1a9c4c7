import chalk from 'chalk';
import { zooArchs, zooEntry, type InputSpec } from '../../adnn/index.js';
import { initBackend } from '../../engine/index.js';
import { UsageError } from '../../util/errors.js';
import { describe, type ModelInfoJson } from './model-describe.js';
import type { OnnxInfoOptions } from './model-info-onnx.js';
import { processIO, type CommandIO } from '../io.js';

export interface ModelInfoOptions extends OnnxInfoOptions {
  input?: string;
  classes?: number;
  json?: boolean;
  backend?: string;
}

/**
 * `deepperform model-info <arch>`: a zoo model's blocks and their FLOPs (2 x MAC);
 * `model-info ./model.onnx` with the suite's ONNX keys as options: an exported graph's.
 */
export async function modelInfoCommand(arch: string, opts: ModelInfoOptions, io: CommandIO = processIO()): Promise<number> {
  const log = (text: string) => io.stdout.write(`${text}\n`);
  await initBackend({ backend: opts.backend, env: io.env });
  if (arch.toLowerCase().endsWith('.onnx')) {
    if (opts.input || opts.classes) throw new UsageError('--input and --classes rescale zoo models; an ONNX model has its own shapes');
    log((await import('./model-info-onnx.js')).onnxModelInfo(arch, opts, io.cwd));
    return 0;
  }
  const onnxOnly = (['kind', 'exits', 'block', 'logits', 'layout', 'mean', 'std'] as const).filter((k) => opts[k] !== undefined);
  if (onnxOnly.length > 0) throw new UsageError(`--${onnxOnly[0]} describes ONNX models (model-info ./model.onnx); ${arch} is a zoo architecture`);
  const entry = zooEntry(arch);
  const config = entry.defaultConfig(opts.input ? parseInput(opts.input) : undefined, opts.classes);
  const network = entry.build(config, 0);
  const info = describe(network.meta);
  network.dispose();
  log(opts.json ? JSON.stringify(info, null, 2) : table(info));
  return 0;
}

/** "32x32x3" -> input spec in [0, 1]. */
export function parseInput(text: string): InputSpec {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--input ${text}: expected HxWxC, e.g. 32x32x3`);
  const [h, w, c] = m.slice(1).map(Number);
  if (h < 1 || w < 1 || c < 1) throw new UsageError(`--input ${text}: sizes must be at least 1`);
  return { height: h, width: w, channels: c, range: [0, 1] };
}

function table(info: ModelInfoJson): string {
  const m = (f: number) => `${(f / 1e6).toFixed(3)}M`.padStart(12);
  const lines = [
    `${chalk.bold(info.arch)}  ${info.kind}, input ${info.input.height}x${info.input.width}x${info.input.channels}, ${info.numClasses} classes`,
    `  ${'always runs'.padEnd(28)}${m(info.baseFlops)}`,
    ...info.blocks.map((b, i) => `  ${`${i + 1}. ${b.name}`.padEnd(28)}${m(b.flops)}`),
    `  ${'all blocks'.padEnd(28)}${m(info.totalFlops)}`,
  ];
  if (info.cumulativeExitFlops) lines.push(`  exits (cumulative)  ${info.cumulativeExitFlops.map((f) => `${(f / 1e6).toFixed(1)}M`).join(' / ')}`);
  return lines.join('\n');
}

/** `deepperform models`: the zoo. */
export function modelsCommand(io: CommandIO = processIO()): number {
  const rows = zooArchs().map((e) => `  ${e.arch.padEnd(18)}${e.family.padEnd(11)}${e.size.padEnd(6)}${e.description}`);
  io.stdout.write(`${[`  ${'arch'.padEnd(18)}${'family'.padEnd(11)}${'size'.padEnd(6)}description`, ...rows].join('\n')}\n`);
  return 0;
}
