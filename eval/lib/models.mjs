/**
 * The four tiny models, trained on the full 60k training split with the
 * product's own command (`deepperform train-model`). A trained model is kept
 * in eval/models/<arch>/ and reused: the committed ones cannot be trained
 * again bit for bit (eval/models/README.md), and the FLOPs-based tables
 * reproduce exactly only from the same weights.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHS, MODEL_EPOCHS } from './plan.mjs';

export function trainArgs(arch, dataPath, out) {
  return ['train-model', '--arch', arch, '--dataset', 'fashion-mnist', '--data-path', dataPath, '--epochs', String(MODEL_EPOCHS[arch]), '--seed', '0', '--out', out];
}

function hasModel(dir) {
  return existsSync(join(dir, 'model.json')) && existsSync(join(dir, 'weights.bin'));
}

function runCli(root, args, log) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (buf) => {
      for (const line of String(buf).split('\n').filter(Boolean)) {
        log(`  ${line}`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun() : reject(new Error(`deepperform ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`))));
  });
}

/** What model.json says about how the model was made (train-model's record). */
export function modelRecord(dir) {
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).metadata ?? {};
  const t = meta.training ?? {};
  return {
    dir,
    dataset: t.dataset ?? null,
    epochs: t.epochs ?? null,
    trainingSeconds: t.durationSeconds ?? null,
    command: t.command ?? null,
    accuracyAtTraining: t.accuracy ?? null,
  };
}

/**
 * Weights folder for each arch: eval/models/<arch>, trained when absent (or
 * with retrain). In quick mode nothing is trained: an absent model is stood in
 * for by the shipped one (fixtures/models, trained on the 2,000-image slice),
 * which is enough to smoke-test the pipeline.
 */
export async function ensureModels(root, { dataPath, quick, retrain, log }) {
  const out = {};
  for (const arch of ARCHS) {
    const dir = join(root, 'eval', 'models', arch);
    if (quick && !retrain && !hasModel(dir)) {
      const fixture = join(root, 'fixtures', 'models', arch);
      log(`${arch}: eval/models/${arch} absent; quick mode uses the shipped fixtures/models/${arch} (trained on the 2,000-image slice)`);
      out[arch] = { ...modelRecord(fixture), standIn: true };
      continue;
    }
    if (retrain || !hasModel(dir)) {
      const args = trainArgs(arch, dataPath, dir);
      log(`${arch}: training on the full training split: deepperform ${args.join(' ')}`);
      // --resume picks up the per-epoch checkpoint of an interrupted run.
      const resume = !retrain && existsSync(join(dir, 'checkpoint'));
      await runCli(root, resume ? [...args, '--resume'] : args, log);
    } else log(`${arch}: using eval/models/${arch}`);
    out[arch] = { ...modelRecord(dir), standIn: false };
  }
  return out;
}
