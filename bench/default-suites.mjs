#!/usr/bin/env node
/**
 * The default suites (suites/*.perf.yaml) as a user runs them from a fresh
 * clone: a temporary copy of suites/ and the tiny models, an empty user cache,
 * `deepperform run` twice (cold: every baseline computed; warm: the baselines'
 * inputs read from the cache the cold run left). Records wall and CPU time of
 * each run (GNU time), how busy other processes kept the machine, and what
 * every suite measured (per method: n, mean / p50 / max I-FLOPs, full-depth
 * rate; worst-case's sources; every assertion), into
 * bench/results/default-suites.json, and the cold run's console output into
 * bench/results/default-suites-console.txt. Then `deepperform init` in another
 * temporary folder and one run of its starter suite (which loads the
 * generator shipped for the tiny SDN), summarised the same way under `init`.
 * The numbers in the default suites' comments and docs/performance.md come
 * from these files.
 *
 *   npm run build && node bench/default-suites.mjs [--out=path.json]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSnapshot, othersCpus } from './lib/machine.mjs';
import { writeAtomic } from './lib/results.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = resolve(outArg ? outArg.slice('--out='.length) : join(ROOT, 'bench', 'results', 'default-suites.json'));

/** GNU time -v: elapsed, user and system seconds, peak RSS. */
function parseTimeV(text) {
  const num = (re) => Number(re.exec(text)?.[1] ?? NaN);
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text)?.[1] ?? '';
  const wall = elapsed.split(':').reduce((s, part) => s * 60 + Number(part), 0);
  return { wallS: wall, cpuS: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/), peakRssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024 };
}

const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function runOnce(dir, reports) {
  const env = { ...process.env, CI: '1' };
  delete env.DEEPPERFORM_CACHE_DIR;
  const before = cpuSnapshot();
  const load = loadavg()[0];
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, MAIN, 'run', '--cache-dir', join(dir, 'cache'), '-o', reports, '--reporter', 'console,json'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const after = cpuSnapshot();
  const t = parseTimeV(r.stderr ?? '');
  return { exit: r.status, ...t, loadAvg1mAtStart: load, othersCpus: othersCpus(before, after, t.cpuS), stdout: r.stdout };
}

const round = (x, d = 4) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : null);

/** What a suite measured, compactly: the figures the suites' comments quote. */
function suiteSummary(s) {
  return {
    name: s.name,
    file: s.file,
    status: s.status,
    seeds: { n: s.seeds?.flops.length ?? null, fullDepthRate: round(s.seeds?.fullDepthRate), accuracy: round(s.seeds?.accuracy) },
    methods: s.methods.map((m) => ({
      method: m.method,
      n: m.seedCount ?? m.iflops.length,
      meanIflops: round(m.iflopsStats.mean),
      p50Iflops: round(m.iflopsStats.p50),
      maxIflops: round(m.iflopsStats.max),
      fullDepthRate: round(m.fullDepthRate),
      successRate: round(m.successRate),
      coverage: round(m.coverage),
      msPerInput: round(m.generationMsPerInput, 2),
      ...(m.sources ? { sources: Object.fromEntries(m.sources.counts.map((c) => [c.method, c.seeds])) } : {}),
    })),
    assertions: s.assertions.map((a) => ({ source: a.source, level: a.level, status: a.status, value: round(a.value) })),
    durationS: round(s.durationMs / 1000, 1),
  };
}

const timing = (r) => ({ exit: r.exit, wallS: round(r.wallS, 1), cpuS: round(r.cpuS, 1), peakRssMb: round(r.peakRssMb, 0), loadAvg1mAtStart: round(r.loadAvg1mAtStart, 2), othersCpus: round(r.othersCpus, 2) });

/** The default suites, cold then warm, in a copy of suites/ and the models. */
function defaultSuites() {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-default-suites-'));
  try {
    cpSync(join(ROOT, 'suites'), join(dir, 'suites'), { recursive: true });
    cpSync(join(ROOT, 'fixtures', 'models'), join(dir, 'fixtures', 'models'), { recursive: true });
    process.stderr.write('default suites, cold run ...\n');
    const cold = runOnce(dir, join(dir, 'reports-cold'));
    process.stderr.write(`cold: exit ${cold.exit}, ${cold.wallS.toFixed(1)} s wall, ${cold.cpuS.toFixed(1)} s CPU\nwarm run ...\n`);
    const warm = runOnce(dir, join(dir, 'reports-warm'));
    process.stderr.write(`warm: exit ${warm.exit}, ${warm.wallS.toFixed(1)} s wall, ${warm.cpuS.toFixed(1)} s CPU\n`);
    const report = JSON.parse(readFileSync(join(dir, 'reports-cold', 'report.json'), 'utf8'));
    return { cold, warm, report, console: cold.stdout.split(dir).join('<tmp>') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `deepperform init`, then one run of its starter suite (on the shipped generator). */
function initTemplate() {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-init-'));
  try {
    spawnSync(process.execPath, [MAIN, 'init'], { cwd: dir, encoding: 'utf8' });
    process.stderr.write('init template, one run ...\n');
    const run = runOnce(dir, join(dir, 'reports'));
    process.stderr.write(`init: exit ${run.exit}, ${run.wallS.toFixed(1)} s wall, ${run.cpuS.toFixed(1)} s CPU\n`);
    return { run, report: JSON.parse(readFileSync(join(dir, 'reports', 'report.json'), 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const suites = defaultSuites();
const init = initTemplate();
const result = {
  command: 'npm run build && node bench/default-suites.mjs',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), node: process.version, backend: suites.report.result.environment.backend },
  note: 'wall and CPU time of `deepperform run` (CI=1, console and json reporters) in a temporary copy of suites/ and fixtures/models with an empty user cache: cold = every baseline computed, warm = the baselines read from the cache the cold run left; generators load from fixtures/generators in both. init: `deepperform init` in an empty folder, then one run of its starter suite, which trains its generator. othersCpus: CPUs other processes kept busy meanwhile (2 = both cores taken).',
  cold: timing(suites.cold),
  warm: timing(suites.warm),
  status: suites.report.result.status,
  suites: suites.report.result.suites.map(suiteSummary),
  init: { ...timing(init.run), suites: init.report.result.suites.map(suiteSummary) },
};
writeAtomic(out, `${JSON.stringify(result, null, 2)}\n`);
const consoleFile = out.replace(/\.json$/, '-console.txt');
writeAtomic(consoleFile, suites.console);
process.stdout.write(`${suites.console.split('\n').filter((l) => /^( Suites| Assertions| Result|[✓✗] |\s+[✓✗!-] )/.test(l)).join('\n')}\nwrote ${out} and ${consoleFile}\n`);
