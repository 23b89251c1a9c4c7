/**
 * The evaluation runs on the full Fashion-MNIST, which cannot be downloaded
 * here: it comes from Debian's dataset-fashion-mnist package (or a folder the
 * user names). Checked before anything is built or trained, so a missing
 * dataset costs the user seconds, not a failed hour.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_DATA_PATH = '/usr/share/datasets/fashion-mnist';

const STEMS = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

export class MissingDatasetError extends Error {
  name = 'MissingDatasetError';
  /** Exit code of a usage or configuration error, as the product's CLI. */
  exitCode = 2;
}

/** The IDX files the product's loader reads (plain or .gz); the names of those absent. */
export function missingFiles(dir) {
  return STEMS.filter((stem) => !existsSync(join(dir, stem)) && !existsSync(join(dir, `${stem}.gz`)));
}

/** Throws a MissingDatasetError saying how to get the data when a file is absent. */
export function checkDataset(dir) {
  const missing = missingFiles(dir);
  if (missing.length === 0) return;
  throw new MissingDatasetError(
    [
      `Fashion-MNIST not found in ${dir}: missing ${missing.map((m) => `${m}(.gz)`).join(', ')}.`,
      'The evaluation needs the full dataset (60,000 training and 10,000 test images). Either',
      '  install it:        apt-get install dataset-fashion-mnist   (Debian; files go to /usr/share/datasets/fashion-mnist)',
      '  or point at it:    npm run eval -- --data-path <dir with the four *-ubyte(.gz) files>',
    ].join('\n'),
  );
}
