/**
 * The command-line interface: every command, its options and help. Each
 * command's module is imported when it runs, so --help, init and
 * merge-reports do not pay for loading tfjs.
 */
import { Command, Option } from 'commander';
import { REPORTER_NAMES, terminalLines } from '../reporters/index.js';
import { CACHE_DIR_ENV, DEFAULT_CACHE_DIR, DEFAULT_INCLUDE, DEFAULT_OUTPUT_DIR, DEFAULT_REPORTERS } from '../config/index.js';
import { collectList, collectOutputFile, integer, number, parsePattern, parseShard } from './options.js';
import { toolVersion } from '../util/version.js';
import { PERF_LOSS_NAMES } from '../suite/index.js';
import { processIO, type CommandIO } from './io.js';

const EXIT_CODES_HELP = `
Exit codes: 0 every error-level assertion holds, 1 an assertion failed,
2 usage or configuration error (also: no suite selected), 3 a suite crashed.`;

/** Options for reporters: shared by run and merge-reports. */
function reporterOptions(cmd: Command): Command {
  return cmd
    .option('--reporter <names>', `reporters, repeatable or comma-separated: ${REPORTER_NAMES.join(', ')} (default: ${DEFAULT_REPORTERS.join(',')})`, collectList)
    .option('-o, --output-dir <dir>', `where report files go (default: ${DEFAULT_OUTPUT_DIR})`)
    .option('--output-file <reporter=path>', 'file for one reporter, repeatable: junit=..., html=..., json=...', collectOutputFile);
}

const CACHE_DEFAULT = `${DEFAULT_CACHE_DIR}; env ${CACHE_DIR_ENV}`;

const configOption = () => new Option('--config <file>', 'config file (default: deepperform.config.{ts,mts,js,mjs} in the working directory)');
const nameOption = () => new Option('-t, --test-name-pattern <regex>', 'only suites whose name matches').argParser(parsePattern);
const shardOption = () => new Option('--shard <i/n>', 'only the i-th of n equal slices of the suites, sorted by path (1-based)').argParser(parseShard);
const passOption = () => new Option('--pass-with-no-tests', 'exit 0 instead of 2 when no suite is selected');

/**
 * The program whose commands read and write through `io` (the process's own
 * by default; tests pass buffers). `args` are the user's arguments, which
 * saved models record as the command that made them; run it with execute().
 */
export function program(exit: (code: number) => void, io: CommandIO = processIO(), args: readonly string[] = process.argv.slice(2)): Command {
  const cli = new Command('deepperform')
    .description('Performance tests for adaptive neural networks (DeepPerform, ASE 2022)')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // commander's own errors quote the bad argument: escaped, as every message that reaches the terminal.
      outputError: (text, write) => write(terminalLines(text)),
    });
  const argv = () => [...args];

  const run = cli
    .command('run')
    .description('find *.perf.yaml suites, generate test inputs, check the assertions, write reports')
    .argument('[paths...]', `suite files, folders or globs (default: the config's include, else ${DEFAULT_INCLUDE.join(', ')})`)
    .addOption(nameOption());
  reporterOptions(run)
    .addOption(shardOption())
    .option('--seed <n>', "override every suite's seed", integer('--seed', 0))
    .option('--backend <name>', 'tfjs backend: wasm, cpu, auto (default: wasm, else cpu), node (tfjs-node: opt-in, not CI-tested)')
    .option('--cache-dir <dir>', `where trained generators and baseline outputs are kept (default: ${CACHE_DEFAULT})`)
    .option('--retrain', 'ignore cached generators and baseline outputs: train and run them anew')
    .addOption(new Option('--bail [n]', 'stop after n failed suites').preset('1').argParser(integer('--bail', 1)))
    .addOption(passOption())
    .option('--update-baseline', 'write the saved-result files that assertions compare against, instead of comparing')
    .addOption(configOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (paths: string[], opts) => exit(await (await import('./commands/run.js')).runCommand(paths, opts, io)));

  cli
    .command('list')
    .description('list the suites run would run (same paths, -t and --shard), without running them')
    .argument('[paths...]', `suite files, folders or globs (default: the config's include, else ${DEFAULT_INCLUDE.join(', ')})`)
    .addOption(nameOption())
    .addOption(shardOption())
    .option('--json', 'print a JSON array: file, name, model, norm, epsilon, threshold, seed, assertions')
    .addOption(passOption())
    .addOption(configOption())
    .action(async (paths: string[], opts) => exit(await (await import('./commands/list.js')).listCommand(paths, opts, io)));

  const merge = cli
    .command('merge-reports')
    .description('merge the json reports of sharded runs (--reporter json) into any reporter')
    .argument('<dir>', 'folder holding the report blobs (*.json)');
  reporterOptions(merge)
    .addOption(configOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (dir: string, opts) => exit(await (await import('./commands/merge-reports.js')).mergeReportsCommand(dir, opts, io)));

  cli
    .command('init')
    .description('write a commented starter suite (perf/example.perf.yaml) and deepperform.config.mjs')
    .argument('[dir]', 'project folder', '.')
    .option('--force', 'overwrite those files when they exist')
    .action(async (dir: string, opts) => exit(await (await import('./commands/init.js')).initCommand(dir, opts, io)));

  modelCommands(cli, exit, io, argv);
  return cli;
}

function modelCommands(cli: Command, exit: (code: number) => void, io: CommandIO, argv: () => string[]): void {
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
    .option('--seed <n>', 'random seed, an integer >= 0', integer('--seed', 0), 0)
    .option('--tau <t>', 'threshold for the reported adaptive FLOPs', number('--tau'), 0.5)
    .requiredOption('--out <dir>', 'folder to write model.json and weights.bin to')
    .option('--backend <name>', 'tfjs backend: wasm, cpu, node (tfjs-node: opt-in, not CI-tested)')
    .option('--resume', 'continue from <out>/checkpoint, written after every epoch')
    .action(async (opts) => exit(await (await import('./commands/train-model.js')).trainModelCommand(opts, argv(), io)));

  cli
    .command('model-info')
    .description("a zoo model's or an ONNX model's blocks and FLOPs (2 x multiply-accumulates); for ONNX also its stages")
    .argument('<arch>', 'zoo architecture (see `deepperform models`), or an .onnx file with --kind and --exits or --block')
    .option('--input <HxWxC>', "input shape, e.g. 32x32x3 (default: the architecture's own)")
    .option('--classes <n>', 'number of classes', number('--classes'))
    .option('--json', 'print JSON: blocks, totalFlops, cumulativeExitFlops (ONNX: also stages)')
    .option('--kind <kind>', 'ONNX: early-exit or skipping')
    .option('--exits <names>', 'ONNX early-exit: the exits\' output names in order, comma-separated (repeatable)', collectList)
    .option('--block <input,output,gate>', 'ONNX skipping: one gated block\'s tensor names (repeatable, in order)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--logits <name>', "ONNX skipping: the logits tensor (default: the graph's first output)")
    .option('--layout <layout>', 'ONNX: NCHW (default) or NHWC')
    .option('--mean <values>', 'ONNX: the normalisation the graph expects, comma-separated (with --std)')
    .option('--std <values>', 'ONNX: see --mean')
    .option('--backend <name>', 'tfjs backend: wasm, cpu, node (tfjs-node: opt-in, not CI-tested)')
    .action(async (arch: string, opts) => exit(await (await import('./commands/model-info.js')).modelInfoCommand(arch, opts, io)));

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
    .option('--backend <name>', 'tfjs backend: wasm, cpu, node (tfjs-node: opt-in, not CI-tested)')
    .action(async (opts) => exit(await (await import('./commands/import-weights.js')).importWeightsCommand(opts, argv(), io)));

  cli
    .command('harden')
    .description('adversarial retraining (Eq. 12, paper §6.1): retrain an AdNN so inputs like DeepPerform\'s cost what their seeds cost; I-FLOPs and accuracy before and after')
    .option('--suite <file>', 'take model, data, norm, epsilon, threshold and generator settings from a suite file')
    .option('--model <dir>', 'without --suite: the zoo model folder (model.json, weights.bin) to harden')
    .option('--dataset <name>', 'without --suite: dataset (default fashion-mnist-embedded)')
    .option('--data-path <dir>', 'without --suite: folder with the dataset files')
    .addOption(new Option('--labels <kind>', 'without --suite: cifar100 labels').choices(['fine', 'coarse']))
    .addOption(new Option('--norm <norm>', 'without --suite: perturbation norm (default linf)').choices(['linf', 'l2']))
    .option('--epsilon <e>', 'without --suite: perturbation budget', number('--epsilon'))
    .option('--tau <t>', 'without --suite: AdNN threshold (default 0.5)', number('--tau'))
    .option('--test-seeds <n>', 'without --suite: test seeds I-FLOPs are measured on (default 100)', integer('--test-seeds', 1))
    .addOption(new Option('--preset <name>', 'without --suite: generator size (default full)').choices(['full', 'light', 'tiny']))
    .option('--generator-steps <n>', 'without --suite: cap on the generator training steps (default none: the preset epochs)', integer('--generator-steps', 1))
    .addOption(new Option('--perf-loss <kind>', 'without --suite: form of L_perf (default log-expected-cost)').choices(PERF_LOSS_NAMES))
    .option('--epochs <n>', 'retraining epochs over the training seeds (default 3)', integer('--epochs', 1))
    .option('--train-seeds <n>', 'training-split inputs retrained on with their generated inputs (default 2000, at most the split)', integer('--train-seeds', 1))
    .option('--flops-weight <w>', "weight of Eq. 12's FLOPs term (default 4)", number('--flops-weight'))
    .option('--hold-seeds <w>', "weight of a term holding the seeds' own cost at the original model's (default 16; 0: Eq. 12 alone)", number('--hold-seeds'))
    .option('--lr <rate>', 'Adam learning rate (default 0.00025)', number('--lr'))
    .option('--batch-size <n>', 'seeds per step (default 64)', integer('--batch-size', 1))
    .addOption(new Option('--target <model>', "whose seed FLOPs x' is pulled to: the model being retrained (current, default) or the original").choices(['current', 'original']))
    .option('--seed <n>', "seeds the choice of training seeds and the batch order (default: the suite's seed)", integer('--seed', 0))
    .option('--out <dir>', 'folder to write the hardened model.json and weights.bin to')
    .option('--cache-dir <dir>', `where trained generators are kept (default: ${CACHE_DEFAULT})`)
    .option('--retrain', "ignore the cached generator of the original model and train it anew")
    .option('--backend <name>', 'tfjs backend: wasm, cpu, node (tfjs-node: opt-in, not CI-tested)')
    .option('--json', 'print the before/after numbers as JSON (progress goes to stderr)')
    .action(async (opts) => exit(await (await import('./commands/harden.js')).hardenCommand(opts, argv(), io)));

  cli
    .command('detector')
    .description('train the input-validation detector (paper §6.2): a linear SVM on the output of the first conv layer telling seeds from generated inputs; AUC and overhead')
    .option('--suite <file>', 'take model, data, norm, epsilon, threshold, seed and generator from a suite file')
    .option('--weights <dir>', 'without --suite: the zoo model folder (model.json, weights.bin)')
    .option('--arch <name>', "without --suite: the model's architecture, checked against its model.json")
    .option('--epsilon <e>', 'without --suite: perturbation budget (required)', number('--epsilon'))
    .addOption(new Option('--norm <norm>', 'without --suite: perturbation norm (default linf)').choices(['linf', 'l2']))
    .option('--tau <t>', 'without --suite: AdNN threshold (default 0.5)', number('--tau'))
    .option('--dataset <name>', 'without --suite: dataset (default fashion-mnist-embedded)')
    .option('--data-path <dir>', 'without --suite: folder with the dataset files')
    .option('--generator <dir>', 'without --suite: a saved generator folder to use instead of training one')
    .addOption(new Option('--preset <name>', 'without --suite: size of a generator to train (default full)').choices(['full', 'light', 'tiny']))
    .option('--seed <n>', 'without --suite: seeds the sampling and the SVM (default 0)', integer('--seed', 0))
    .option('--train-seeds <n>', 'training-split seeds the detector learns from, each with its generated input', integer('--train-seeds', 1), 1000)
    .option('--test-seeds <n>', 'test-split seeds it is evaluated on, each with its generated input', integer('--test-seeds', 1), 1000)
    .option('--c <value>', "the SVM's C, cost of a margin violation (default 1)", number('--c'))
    .option('--out <file>', 'where to write the detector (JSON)', 'detector.json')
    .option('--cache-dir <dir>', `where trained generators are kept (default: ${CACHE_DEFAULT})`)
    .option('--retrain', 'ignore a cached generator and train it anew')
    .option('--backend <name>', 'tfjs backend: wasm, cpu, node (tfjs-node: opt-in, not CI-tested)')
    .addOption(configOption())
    .option('--json', 'print the results as JSON (progress goes to stderr)')
    .action(async (opts) => exit(await (await import('./commands/detector.js')).detectorCommand(opts, io)));

  cli
    .command('models')
    .description('list the zoo architectures')
    .action(async () => exit((await import('./commands/model-info.js')).modelsCommand(io)));
}
