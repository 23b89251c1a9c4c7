import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdxFile } from '../../src/data/idx.js';
import { ROOT } from './cli.js';

const EMBEDDED = join(ROOT, 'fixtures/data/fashion-mnist-slice');

/**
 * Writes the first `train` and `test` images of the embedded Fashion-MNIST
 * slice (its labels are mixed, not sorted by class) into `dir` as plain IDX
 * files: a `fashion-mnist` data path for tests whose point is not the data,
 * where a whole epoch on 2,000 images would only cost time.
 */
export async function writeFashionSlice(dir: string, train: number, test: number): Promise<string> {
  const splits = [
    ['train', train],
    ['t10k', test],
  ] as const;
  for (const [prefix, count] of splits) {
    for (const [kind, rank] of [
      ['images-idx3', 3],
      ['labels-idx1', 1],
    ] as const) {
      const name = `${prefix}-${kind}-ubyte`;
      const { dims, data } = await readIdxFile(join(EMBEDDED, `${name}.gz`));
      const kept = [count, ...dims.slice(1)];
      const per = kept.slice(1).reduce((a, b) => a * b, 1);
      const header = Buffer.alloc(4 + 4 * rank);
      header.writeUInt32BE(0x0800 + rank, 0);
      kept.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      writeFileSync(join(dir, name), Buffer.concat([header, data.subarray(0, count * per)]));
    }
  }
  return dir;
}
