#!/usr/bin/env node
/**
 * Makes the CLI entry executable after `tsc` writes it: `npx deepperform` in
 * a fresh clone runs the package's own bin directly, and tsc emits files
 * without the execute bit (npm only sets it when it links a dependency's bin).
 */
import { chmodSync, readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of Object.values(bin)) chmodSync(new URL(`../${file}`, import.meta.url), 0o755);
