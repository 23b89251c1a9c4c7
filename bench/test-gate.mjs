#!/usr/bin/env node
/**
 * Summarises a vitest JSON report of the test gate: the slowest files (from
 * each file's start to its end, as vitest recorded them) and the totals.
 *
 *   nice -n 10 /usr/bin/time -v npx vitest run --reporter=json --outputFile=gate.json --reporter=default
 *   node bench/test-gate.mjs gate.json [top]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/test-gate.mjs <vitest-report.json> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 15);
const report = JSON.parse(readFileSync(file, 'utf8'));
const files = report.testResults.map((r) => ({
  name: relative(process.cwd(), r.name),
  seconds: (r.endTime - r.startTime) / 1000,
  tests: r.assertionResults.length,
  status: r.status,
}));
files.sort((a, b) => b.seconds - a.seconds);
const sum = files.reduce((s, f) => s + f.seconds, 0);
console.log(`${files.length} files, ${report.numTotalTests} tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
console.log(`files' seconds summed: ${sum.toFixed(1)}`);
console.log(`slowest ${top}:`);
for (const f of files.slice(0, top)) {
  console.log(`  ${f.seconds.toFixed(1).padStart(6)} s  ${f.name} (${f.tests} tests${f.status === 'passed' ? '' : `, ${f.status}`})`);
}
