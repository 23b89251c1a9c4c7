import { resolve } from 'node:path';
import chalk from 'chalk';
import { loadOnnxAdnn, onnxAdnnSpec, type OnnxModelOptions, type StageSummary } from '../../adnn/index.js';
import { UsageError } from '../../util/errors.js';
import { describe, type ModelInfoJson } from './model-describe.js';

/** The suite's model keys for an ONNX model, as command-line options. */
export interface OnnxInfoOptions {
  kind?: string;
  exits?: string[];
  block?: string[];
  logits?: string;
  layout?: string;
  mean?: string;
  std?: string;
}

export interface OnnxModelInfoJson extends ModelInfoJson {
  file: string;
  opset: number;
  /** The onnxruntime sessions of the real execution, in plan order. */
  stages: StageSummary[];
}

/** `deepperform model-info ./model.onnx --kind ... --exits ...`: the stages, blocks and FLOPs of an exported graph. */
export function onnxModelInfo(file: string, opts: OnnxInfoOptions & { json?: boolean }, cwd: string): string {
  const network = loadOnnxAdnn(onnxAdnnSpec(optionsOf(resolve(cwd, file), opts)));
  try {
    const info: OnnxModelInfoJson = { ...describe(network.meta), file, opset: network.opset, stages: network.stageSummary() };
    return opts.json ? JSON.stringify(info, null, 2) : table(info);
  } finally {
    network.dispose();
  }
}

function optionsOf(file: string, o: OnnxInfoOptions): OnnxModelOptions {
  if (o.kind !== 'early-exit' && o.kind !== 'skipping') throw new UsageError(`model-info ${file}: --kind early-exit or --kind skipping is required for an ONNX model${o.kind ? `, got "${o.kind}"` : ''}`);
  if (o.layout !== undefined && o.layout !== 'NCHW' && o.layout !== 'NHWC') throw new UsageError(`--layout ${o.layout}: expected NCHW or NHWC`);
  if ((o.mean === undefined) !== (o.std === undefined)) throw new UsageError('--mean and --std go together (the graph reads (x - mean) / std)');
  const input: OnnxModelOptions['input'] = { layout: (o.layout as 'NCHW' | 'NHWC' | undefined) ?? 'NCHW' };
  if (o.mean !== undefined && o.std !== undefined) Object.assign(input, { mean: numbers('--mean', o.mean), std: numbers('--std', o.std) });
  if (o.kind === 'early-exit') {
    if (!o.exits || o.exits.length < 2) throw new UsageError('--exits: an early-exit model needs its exits\' output names, e.g. --exits exit0,exit1,final');
    if (o.block?.length) throw new UsageError('--block describes skipping models; an early-exit model takes --exits');
    return { onnx: file, kind: o.kind, exits: o.exits, input };
  }
  if (!o.block?.length) throw new UsageError('--block input,output,gate (repeatable): a skipping model needs each gated block\'s tensors');
  if (o.exits?.length) throw new UsageError('--exits describes early-exit models; a skipping model takes --block');
  const blocks = o.block.map((b) => {
    const [inp, out, gate, ...rest] = b.split(',').map((s) => s.trim());
    if (!inp || !out || !gate || rest.length > 0) throw new UsageError(`--block ${b}: expected input,output,gate (three tensor names)`);
    return { input: inp, output: out, gate };
  });
  return { onnx: file, kind: o.kind, blocks, ...(o.logits ? { logits: o.logits } : {}), input };
}

function numbers(flag: string, text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isFinite(v))) throw new UsageError(`${flag} ${text}: expected numbers separated by commas`);
  return values;
}

function table(info: OnnxModelInfoJson): string {
  const m = (f: number) => `${(f / 1e6).toFixed(3)}M`.padStart(12);
  const lines = [
    `${chalk.bold(info.file)}  ${info.kind}, opset ${info.opset}, input ${info.input.height}x${info.input.width}x${info.input.channels}, ${info.numClasses} classes`,
    `  ${'always runs'.padEnd(28)}${m(info.baseFlops)}`,
    ...info.blocks.map((b, i) => `  ${`${i + 1}. ${b.name}`.padEnd(28)}${m(b.flops)}`),
    `  ${'all blocks'.padEnd(28)}${m(info.totalFlops)}`,
  ];
  if (info.cumulativeExitFlops) lines.push(`  exits (cumulative)  ${info.cumulativeExitFlops.map((f) => `${(f / 1e6).toFixed(3)}M`).join(' / ')}`);
  lines.push('  stages (one onnxruntime session each):');
  for (const s of info.stages) {
    lines.push(`    ${s.name.padEnd(24)}${String(s.nodes).padStart(4)} nodes${m(s.flops)}  reads ${s.reads.join(', ')}  writes ${s.writes.join(', ')}`);
  }
  return lines.join('\n');
}
