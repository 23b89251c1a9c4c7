/**
 * Finds a suite's trained generator in the evaluation's cache. The runner
 * stores each generator under a content hash and records, in the entry's
 * model.json, the suite that trained it and its training summary (steps,
 * time). Entries are matched by that suite name and the generator width; the
 * newest wins (a retrain or a changed plan writes a newer one).
 *
 * Used for what the suite results do not carry: the generator's training time
 * once it is loaded from the cache (a cache hit reports 0 ms), and the
 * generated images themselves (PSNR, the detector).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function findGeneratorEntry(cacheDir, names, width) {
  if (!existsSync(cacheDir)) return undefined;
  let best;
  for (const key of readdirSync(cacheDir)) {
    const file = join(cacheDir, key, 'model.json');
    if (key.startsWith('baseline-') || !existsSync(file) || !existsSync(join(cacheDir, key, 'checksum'))) continue;
    let meta;
    try {
      meta = JSON.parse(readFileSync(file, 'utf8')).metadata;
    } catch {
      continue;
    }
    if (meta?.kind !== 'deepperform-generator' || meta.width !== width || !names.includes(meta.info?.suite)) continue;
    const mtime = statSync(file).mtimeMs;
    if (!best || mtime > best.mtime) best = { dir: join(cacheDir, key), key, mtime, training: meta.info.training, trainedBy: meta.info.suite };
  }
  return best;
}

/** Training facts of an entry, as the tables show them. */
export function trainingFacts(entry) {
  if (!entry?.training) return null;
  const t = entry.training;
  return { key: entry.key, trainedBy: entry.trainedBy, steps: t.steps, epochs: t.epochs, seconds: t.durationMs / 1000, bestValidationIflops: t.bestValidationIflops };
}
