/**
 * The command-line interface: every command, its options and help. Each
 * command's module is imported when it runs, so --help, init and
 * merge-reports do not pay for loading tfjs.
 */
import { Command, Option } from 'commander';
import { REPORTER_NAMES } from '../../reporters/index.js';
import { collectList, collectOutputFile, integer, number, parsePattern, parseShard } from './options.js';
import { toolVersion } from './version.js';

const EXIT_CODES_HELP = `
Exit codes: 0 every error-level assertion holds, 1 an assertion failed,
2 usage or configuration error (also: no suite selected), 3 a suite crashed.`;

/** Options for reporters: shared by run and merge-reports. */
function reporterOptions(cmd: Command): Command {
  return cmd
    .option('--reporter <names>', `reporters, repeatable or comma-separated: ${REPORTER_NAMES.join(', ')} (default: console,junit,html)`, collectList)
    .option('-o, --output-dir <dir>', 'where report files go (default: reports)')
    .option('--output-file <reporter=path>', 'file for one reporter, repeatable: junit=..., html=..., json=...', collectOutputFile);
}

const configOption = () => new Option('--config <file>', 'config file (default: deepperform.config.{ts,mts,js,mjs} in the working directory)');
const nameOption = () => new Option('-t, --test-name-pattern <regex>', 'only suites whose name matches').argParser(parsePattern);
const shardOption = () => new Option('--shard <i/n>', 'only the i-th of n equal slices of the suites, sorted by path (1-based)').argParser(parseShard);
const passOption = () => new Option('--pass-with-no-tests', 'exit 0 instead of 2 when no suite is selected');

export function program(exit: (code: number) => void): Command {
  const cli = new Command('deepperform')
    .description('Performance tests for adaptive neural networks (DeepPerform, ASE 2022)')
    .version(toolVersion())
    .exitOverride();

  const run = cli
    .command('run')
    .description('find *.perf.yaml suites, generate test inputs, check the assertions, write reports')
    .argument('[paths...]', 'suite files, folders or globs (default: the config\'s include, else suites)')
    .addOption(nameOption());
  reporterOptions(run)
    .addOption(shardOption())
    .option('--seed <n>', "override every suite's seed", integer('--seed', 0))
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu, auto (default: best available)')
    .option('--cache-dir <dir>', 'where trained generators are kept (default: .deepperform-cache/generators; env DEEPPERFORM_CACHE_DIR)')
    .option('--retrain', 'ignore cached generators and train them anew')
    .addOption(new Option('--bail [n]', 'stop after n failed suites').preset('1').argParser(integer('--bail', 1)))
    .addOption(passOption())
    .option('--update-baseline', 'write the saved-result files that assertions compare against, instead of comparing')
    .addOption(configOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (paths: string[], opts) => exit(await (await import('./commands/run.js')).runCommand(paths, opts)));

  cli
    .command('list')
    .description('list the suites run would run (same paths, -t and --shard), without running them')
    .argument('[paths...]', 'suite files, folders or globs (default: the config\'s include, else suites)')
    .addOption(nameOption())
    .addOption(shardOption())
    .option('--json', 'print a JSON array: file, name, model, norm, epsilon, threshold, seed, assertions')
    .addOption(passOption())
    .addOption(configOption())
    .action(async (paths: string[], opts) => exit(await (await import('./commands/list.js')).listCommand(paths, opts)));

  const merge = cli
    .command('merge-reports')
    .description('merge the json reports of sharded runs (--reporter json) into any reporter')
    .argument('<dir>', 'folder holding the report blobs (*.json)');
  reporterOptions(merge)
    .addOption(configOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (dir: string, opts) => exit(await (await import('./commands/merge-reports.js')).mergeReportsCommand(dir, opts)));

  cli
    .command('init')
    .description('write a commented starter suite (perf/example.perf.yaml) and deepperform.config.mjs')
    .argument('[dir]', 'project folder', '.')
    .option('--force', 'overwrite those files when they exist')
    .action(async (dir: string, opts) => exit(await (await import('./commands/init.js')).initCommand(dir, opts)));

  modelCommands(cli, exit);
  return cli;
}

function modelCommands(cli: Command, exit: (code: number) => void): void {
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
    .action(async (opts) => exit(await (await import('./commands/train-model.js')).trainModelCommand(opts, process.argv.slice(2))));

  cli
    .command('model-info')
    .description("a zoo model's blocks and FLOPs (2 x multiply-accumulates)")
    .argument('<arch>', 'zoo architecture, see `deepperform models`')
    .option('--input <HxWxC>', "input shape, e.g. 32x32x3 (default: the architecture's own)")
    .option('--classes <n>', 'number of classes', number('--classes'))
    .option('--json', 'print JSON: blocks, totalFlops, cumulativeExitFlops')
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu')
    .action(async (arch: string, opts) => exit(await (await import('./commands/model-info.js')).modelInfoCommand(arch, opts)));

  cli
    .command('import-weights')
    .description("fill a zoo model from a PyTorch state_dict (.safetensors, the original code's names) and save it")
    .requiredOption('--arch <name>', 'zoo architecture, e.g. sdn-resnet56')
    .requiredOption('--from <file>', 'the .safetensors file')
    .requiredOption('--out <dir>', 'folder to write model.json and weights.bin to')
    .option('--classes <n>', "number of classes (default: the architecture's own)", number('--classes'))
    .option('--input <HxWxC>', "input shape, e.g. 32x32x3 (default: the architecture's own)")
    .option(
      '--normalize <dataset>',
      "the dataset whose input normalisation the original applied (per family: cifar10, cifar100, svhn where known, or none); default: the architecture's own",
    )
    .option('--backend <name>', 'tfjs backend: node, wasm, cpu')
    .action(async (opts) => exit(await (await import('./commands/import-weights.js')).importWeightsCommand(opts, process.argv.slice(2))));

  cli
    .command('models')
    .description('list the zoo architectures')
    .action(async () => exit((await import('./commands/model-info.js')).modelsCommand()));
}
