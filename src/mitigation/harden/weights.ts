import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { saveAdnn, type AdaptiveNetwork, type AdnnFileMetadata } from '../../adnn/index.js';
import { HardenError } from './errors.js';

/** What a weights folder written by saveAdnn holds; anything else in --out is the user's and stays untouched. */
const MODEL_FILES = new Set(['model.json', 'weights.bin']);

/**
 * Checked before any training, so a bad --out fails in a second, not after
 * the retraining: it must not be the model being hardened, and if it exists
 * it must be a folder holding nothing but a saved model (which is replaced).
 * `shown`: the folder as the user wrote it, for the message.
 */
export async function checkOutDir(out: string, source: string, shown = out): Promise<void> {
  if (resolve(out) === resolve(source)) {
    throw new HardenError(`--out ${shown} is the folder of the model being hardened; write the hardened model to another folder`);
  }
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new HardenError(`--out ${shown} is a file; give a folder for model.json and weights.bin`);
  const others = (await readdir(out)).filter((f) => !MODEL_FILES.has(f));
  if (others.length > 0) {
    const listed = others.slice(0, 3).join(', ') + (others.length > 3 ? ', ...' : '');
    throw new HardenError(`--out ${shown} holds other files (${listed}); give a new or empty folder, or one holding only a saved model`);
  }
}

/**
 * Writes model.json and weights.bin into a sibling folder, then swaps it in
 * with renames: a reader sees the old model or the new one, never new weights
 * under old metadata. (A reader at the very moment of the swap may find no
 * folder at all, and retries.)
 */
export async function writeModelAtomic(out: string, network: AdaptiveNetwork, metadata: AdnnFileMetadata): Promise<void> {
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = `${out}.tmp-${stamp}`;
  await mkdir(dirname(resolve(out)), { recursive: true });
  try {
    await saveAdnn(tmp, network, metadata);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = `${out}.old-${stamp}`;
  const existed = await rename(out, old).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
  await rename(tmp, out);
  if (existed) await rm(old, { recursive: true, force: true });
}
