#!/usr/bin/env node
/**
 * Adds the SHA-256 of weights.bin to the model.json of weights folders
 * written before model.json recorded one (train-model, import-weights and
 * harden record it themselves). weights.bin is left as it is; each folder is
 * first checked as loading checks it (fields, size, finite values). The
 * generator cache keys of the folder do not change (modelHash leaves the
 * checksum out). Run from the repository root:
 *   npx vite-node scripts/add-weights-checksum.mjs fixtures/models/* eval/models/*
 * (vite-node, because the weights reader is a TypeScript source.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addWeightsChecksum } from '../src/nn/index.js';

const dirs = process.argv.slice(2).filter((d) => existsSync(join(d, 'model.json')));
if (dirs.length === 0) {
  console.error('usage: npx vite-node scripts/add-weights-checksum.mjs <model folder>...');
  process.exit(2);
}
for (const dir of dirs) {
  const added = await addWeightsChecksum(dir);
  console.log(`${dir}: ${added ? 'checksum added' : 'has a checksum already (it matches)'}`);
}
