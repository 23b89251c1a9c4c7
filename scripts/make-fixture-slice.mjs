#!/usr/bin/env node
// Builds the Fashion-MNIST slice that ships inside the package
// (fixtures/data/fashion-mnist-slice): 200 training and 100 test images per
// class, picked by a fixed seed, written back as gzipped IDX files with a
// LICENSE and a README. Plain Node, no build step:
//
//   node scripts/make-fixture-slice.mjs [--source DIR] [--out DIR]
//
// The output is byte-reproducible for a given zlib: gzipSync writes a zero
// mtime and no file name, and the compression level is fixed.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const SEED = 20221010; // ASE 2022; any fixed value would do
const PER_CLASS = { train: 200, test: 100 };
const NUM_CLASSES = 10;
const GZIP_LEVEL = 9;
const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const sourceDir = resolve(args.source ?? '/usr/share/datasets/fashion-mnist');
const outDir = resolve(args.out ?? join(repoRoot, 'fixtures/data/fashion-mnist-slice'));

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['source', 'out'].includes(key) || argv[i + 1] === undefined) {
      console.error('usage: node scripts/make-fixture-slice.mjs [--source DIR] [--out DIR]');
      process.exit(2);
    }
    out[key] = argv[i + 1];
  }
  return out;
}

// Same generator as src/data/random.ts (mulberry32), repeated here so the
// script runs without compiling the TypeScript.
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(count, rand) {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (count - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const sourceShas = [];

function readIdx(file) {
  let bytes = readFileSync(file);
  sourceShas.push({ file, sha: sha256(bytes) });
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error(`${file}: not an unsigned-byte IDX file`);
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const header = 4 + 4 * rank;
  if (bytes.length !== header + dims.reduce((a, b) => a * b, 1)) throw new Error(`${file}: length does not match ${dims.join('x')}`);
  return { dims, data: bytes.subarray(header) };
}

function encodeIdx(dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Walks a seeded shuffle and keeps the first `perClass` of each class, returned in the source order. */
function balancedPick(labels, perClass, rand) {
  const taken = new Array(NUM_CLASSES).fill(0);
  const picked = [];
  for (const i of shuffled(labels.length, rand)) {
    if (taken[labels[i]] < perClass) {
      taken[labels[i]]++;
      picked.push(i);
      if (picked.length === perClass * NUM_CLASSES) break;
    }
  }
  if (picked.length !== perClass * NUM_CLASSES) throw new Error(`too few images to take ${perClass} of each class`);
  return picked.sort((a, b) => a - b);
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

function makeSplit(split, rand) {
  const names = FILES[split];
  const images = readIdx(join(sourceDir, `${names.images}.gz`));
  const labels = readIdx(join(sourceDir, `${names.labels}.gz`));
  const [, h, w] = images.dims;
  const picked = balancedPick(labels.data, PER_CLASS[split], rand);
  const size = h * w;
  const imageBytes = Buffer.concat(picked.map((i) => images.data.subarray(i * size, (i + 1) * size)));
  const labelBytes = Buffer.from(picked.map((i) => labels.data[i]));
  const written = [];
  for (const [name, idx] of [
    [names.images, encodeIdx([picked.length, h, w], imageBytes)],
    [names.labels, encodeIdx([picked.length], labelBytes)],
  ]) {
    const gz = gzipSync(idx, { level: GZIP_LEVEL });
    writeFileSync(join(outDir, `${name}.gz`), gz);
    written.push({ name: `${name}.gz`, gzSha: sha256(gz), rawSha: sha256(idx), rawBytes: idx.length });
  }
  return { split, count: picked.length, sourceIndices: picked, written };
}

mkdirSync(outDir, { recursive: true });
// One stream for both splits, train first: the order is part of the recipe.
const rand = mulberry32(SEED);
const results = [makeSplit('train', rand), makeSplit('test', rand)];
writeFileSync(join(outDir, 'LICENSE'), licenseText());
writeFileSync(join(outDir, 'README.md'), readme(results));
for (const r of results) console.log(`${r.split}: ${r.count} images -> ${relative(process.cwd(), outDir)}`);

function licenseText() {
  return `Fashion-MNIST
Copyright (c) 2017 Zalando SE, https://tech.zalando.com

The MIT License (MIT)

Permission is hereby granted, free of charge, to any person obtaining a
copy of this software and associated documentation files (the "Software"),
to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included
in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;
}

function readme(results) {
  const rows = results.flatMap((r) => r.written.map((f) => `| \`${f.name}\` | ${r.count} | ${f.rawBytes} | \`${f.rawSha}\` |`));
  const sourceRows = sourceShas.map((s) => `| \`${s.file}\` | \`${s.sha}\` |`);
  const gzRows = results.flatMap((r) => r.written.map((f) => `| \`${f.name}\` | \`${f.gzSha}\` |`));
  return `# Fashion-MNIST slice (embedded dataset \`fashion-mnist-embedded\`)

A small, class-balanced slice of Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017;
<https://github.com/zalandoresearch/fashion-mnist>) that ships with deepperform so
suites and tests run without any download.

- Source: Debian's \`dataset-fashion-mnist\` package, files
  \`/usr/share/datasets/fashion-mnist/*.gz\` (the original 60,000 training and
  10,000 test images, 28x28 grey, labels 0-9).
- Licence: MIT, Copyright (c) 2017 Zalando SE; see \`LICENSE\` here and
  \`/usr/share/doc/dataset-fashion-mnist/copyright\`.
- Contents: ${results.map((r) => `${r.count} ${r.split} images (${PER_CLASS[r.split]} per class)`).join(' and ')},
  in the original IDX format, gzipped, under the original file names.

The source files read (package \`dataset-fashion-mnist\` 0.0~git20200523.55506a9-1):

| source | SHA-256 |
| --- | --- |
${sourceRows.join('\n')}

## How the images were chosen

One mulberry32 stream with seed ${SEED} drives a Fisher-Yates shuffle of the
training indices, then one of the test indices. Walking each shuffle in order,
an image is kept while its class has fewer than ${PER_CLASS.train} (train) or ${PER_CLASS.test} (test)
images; the kept images are written in their original order. Labels are unchanged
(0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
7 Sneaker, 8 Bag, 9 Ankle boot).

## Reproduce

From the package root, with \`dataset-fashion-mnist\` installed:

\`\`\`sh
node scripts/make-fixture-slice.mjs
\`\`\`

(\`--source DIR\` reads the four \`.gz\` files from elsewhere; \`--out DIR\` writes elsewhere.)
The gzip streams use level ${GZIP_LEVEL}, no file name and a zero timestamp, so the same
Node/zlib version rewrites these files byte for byte (made with Node ${process.version},
zlib ${process.versions.zlib}). The uncompressed IDX contents do not depend on zlib:

| file | items | IDX bytes | SHA-256 of the uncompressed IDX |
| --- | --- | --- | --- |
${rows.join('\n')}

| file | SHA-256 of the .gz |
| --- | --- |
${gzRows.join('\n')}
`;
}
