#!/usr/bin/env node
/**
 * The table of docs/refine.md from a result of bench/refine.mjs: per suite,
 * each method's mean / median I-FLOPs, full-depth rate and CPU time per
 * input, and that time as a share of ILFO's in the same run.
 *
 *   node bench/refine-table.mjs [bench/results/refine.json]
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? new URL('results/refine.json', import.meta.url).pathname;
const { rows, machine, command, date } = JSON.parse(readFileSync(file, 'utf8'));
const pct = (v) => `${(100 * v).toFixed(1)} %`;
const lines = [
  `<!-- ${command} (${date.slice(0, 10)}); loadavg ${machine.loadavg_before.map((v) => v.toFixed(1)).join('/')} before, ` +
    `others kept ${machine.others_cpus_while_running?.toFixed(2) ?? '?'} of ${machine.cpu.match(/\((\d+)/)?.[1] ?? '?'} CPUs busy -->`,
  '| suite | method | settings | mean I-FLOPs | p50 I-FLOPs | full depth | CPU ms / input | of ILFO\'s time |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const r of rows) {
  const ilfo = rows.find((x) => x.suite === r.suite && x.method === 'ilfo');
  const cpu = r.cpu_ms_per_input === null ? '—' : r.cpu_ms_per_input.toFixed(2);
  const share = r.cpu_ms_per_input === null || !ilfo ? '—' : pct(r.cpu_ms_per_input / ilfo.cpu_ms_per_input);
  lines.push(`| ${r.suite} | ${r.method} | ${r.settings} | ${pct(r.mean_iflops)} | ${pct(r.p50_iflops)} | ${pct(r.full_depth_rate)} | ${cpu} | ${share} |`);
}
console.log(lines.join('\n'));
