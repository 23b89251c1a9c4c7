#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import chalk from 'chalk';
import { EXIT, isConfigError } from './errors.js';
import { runCommand } from './commands/run.js';
import { trainModelCommand } from './commands/train-model.js';
import { modelInfoCommand, modelsCommand } from './commands/model-info.js';
import { importWeightsCommand } from './commands/import-weights.js';
import { toolVersion } from './version.js';

function number(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}

function program(exit: (code: number) => void): Command {
  const cli = new Command('deepperform')
    .description('Performance tests for adaptive neural networks (DeepPerform, ASE 2022)')
    .version(toolVersion())
    .exitOverride();

  cli
    .command('run')
    .description('find *.perf.yaml suites, generate test inputs, check the assertions, write reports')
    .argument('[paths...]', 'suite files or folders to search', ['suites'])
    .option('-t, --test-name-pattern <regex>', 'only run suites whose name matches')
    .option('--reporter <names>', 'comma-separated: console, junit, html', 'console,junit,html')
    .option('-o, --output-dir <dir>', 'where report files go', 'reports')
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu (default: best available)')
    .option('--cache-dir <dir>', 'where trained generators are kept (default: .deepperform-cache/generators; env DEEPPERFORM_CACHE_DIR)')
    .option('--retrain', 'ignore cached generators and train them anew')
    .action(async (paths: string[], opts) => exit(await runCommand({ paths, ...opts })));

  cli
    .command('train-model')
    .description('train a zoo AdNN on a dataset and save its weights with measured accuracy and FLOPs')
    .requiredOption('--arch <name>', 'zoo architecture, e.g. sdn-tiny')
    .option('--dataset <name>', 'fashion-mnist-embedded, fashion-mnist, mnist, cifar10, cifar100, svhn', 'fashion-mnist-embedded')
    .option('--data-path <dir>', 'folder with the dataset files')
    .option('--labels <kind>', 'cifar100: fine or coarse labels')
    .option('--epochs <n>', 'training epochs', number('--epochs'), 10)
    .option('--batch-size <n>', 'mini-batch size', number('--batch-size'), 64)
    .option('--lr <rate>', 'Adam learning rate', number('--lr'), 1e-3)
    .option('--seed <n>', 'random seed', number('--seed'), 0)
    .option('--tau <t>', 'threshold for the reported adaptive FLOPs', number('--tau'), 0.5)
    .requiredOption('--out <dir>', 'folder to write model.json and weights.bin to')
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu')
    .option('--resume', 'continue from <out>/checkpoint, written after every epoch')
    .action(async (opts) => exit(await trainModelCommand(opts, process.argv.slice(2))));
  cli
    .command('model-info')
    .description("a zoo model's blocks and FLOPs (2 x multiply-accumulates)")
    .argument('<arch>', 'zoo architecture, see `deepperform models`')
    .option('--input <HxWxC>', 'input shape, e.g. 32x32x3 (default: the architecture\'s own)')
    .option('--classes <n>', 'number of classes', number('--classes'))
    .option('--json', 'print JSON: blocks, totalFlops, cumulativeExitFlops')
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu')
    .action(async (arch: string, opts) => exit(await modelInfoCommand(arch, opts)));

  cli
    .command('import-weights')
    .description("fill a zoo model from a PyTorch state_dict (.safetensors, the original code's names) and save it")
    .requiredOption('--arch <name>', 'zoo architecture, e.g. sdn-resnet56')
    .requiredOption('--from <file>', 'the .safetensors file')
    .requiredOption('--out <dir>', 'folder to write model.json and weights.bin to')
    .option('--classes <n>', 'number of classes (default: the architecture\'s own)', number('--classes'))
    .option('--input <HxWxC>', 'input shape, e.g. 32x32x3 (default: the architecture\'s own)')
    .option('--normalize <dataset>', "the dataset whose input normalisation the original applied (per family: cifar10, cifar100, svhn where known, or none); default: the architecture's own")
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu')
    .action(async (opts) => exit(await importWeightsCommand(opts, process.argv.slice(2))));

  cli
    .command('models')
    .description('list the zoo architectures')
    .action(() => exit(modelsCommand()));
  return cli;
}

async function main(): Promise<void> {
  let code: number = EXIT.pass;
  const cli = program((c) => {
    code = c;
  });
  try {
    await cli.parseAsync(process.argv);
  } catch (e) {
    code = reportError(e);
  }
  process.exitCode = code;
}

function reportError(e: unknown): number {
  const err = e as { code?: string; exitCode?: number };
  if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
    // commander printed its own message (or help / version).
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.pass : EXIT.config;
  }
  if (isConfigError(e)) {
    console.error(chalk.red(`error: ${e.message}`));
    return EXIT.config;
  }
  console.error(chalk.red('deepperform crashed:'), e instanceof Error ? (e.stack ?? e.message) : String(e));
  return EXIT.crash;
}

await main();
