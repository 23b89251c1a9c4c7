/**
 * `deepperform run` on the default suites, as a user runs it: a temporary
 * copy of suites/ (and the tiny models they point at), an empty user cache,
 * twice (cold, then warm with the cache the first run left). Peak RSS of the
 * child from /usr/bin/time -v, else from the child's own
 * process.resourceUsage().maxRSS, reported by a preloaded module.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TIME = '/usr/bin/time';

/** Parses "Maximum resident set size (kbytes): N" from GNU time -v output; MB or null. */
export function peakRssFromTimeV(text) {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
  return m ? Number(m[1]) / 1024 : null;
}

function runOnce(root, dir, extraArgs, timeoutMs) {
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  const args = ['run', '--cache-dir', join(dir, 'cache'), '-o', join(dir, 'reports'), ...extraArgs];
  const env = { ...process.env };
  delete env.DEEPPERFORM_CACHE_DIR;
  const rssFile = join(dir, 'maxrss.txt');
  const useTime = existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-v', process.execPath, main, ...args] : ['--import', pathToFileURL(join(dir, 'rss-hook.mjs')).href, main, ...args];
  if (!useTime) {
    writeFileSync(
      join(dir, 'rss-hook.mjs'),
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
    );
  }
  const start = performance.now();
  const r = spawnSync(cmd, argv, { cwd: dir, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  const rssMb = useTime ? peakRssFromTimeV(r.stderr ?? '') : existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
  const status = r.error ? `failed to start: ${r.error.message}` : r.status;
  return { seconds, status, rssMb, rssSource: useTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS', tail: (r.stdout ?? '').trim().split('\n').filter((l) => !/Reports|deepperform-bench-/.test(l)).slice(-4) };
}

/** Exit 0 (all hold) and 1 (an assertion failed) are complete runs; 2 and 3 are not. */
function completed(status) {
  return status === 0 || status === 1;
}

export function benchDefaultRun(root, s) {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-bench-'));
  try {
    cpSync(join(root, 'suites'), join(dir, 'suites'), { recursive: true });
    cpSync(join(root, 'fixtures', 'models'), join(dir, 'fixtures', 'models'), { recursive: true });
    const extra = s.defaultRunFilter ? ['-t', s.defaultRunFilter] : [];
    const cold = runOnce(root, dir, extra, s.defaultRunTimeoutMs);
    const warm = runOnce(root, dir, extra, s.defaultRunTimeoutMs);
    const values = {};
    const notes = {};
    const scope = s.defaultRunFilter ? `the default suites matching -t "${s.defaultRunFilter}" (quick mode)` : 'every default suite (suites/)';
    for (const [key, run, what] of [
      ['default_run_cold_s', cold, 'empty user cache (the generators shipped read-only in fixtures/generators still load; nothing is trained)'],
      ['default_run_warm_s', warm, 'second run, same user cache: the baselines\' inputs (ILFO, random) the first run stored there are measured again, not recomputed'],
    ]) {
      values[key] = completed(run.status) ? run.seconds : null;
      notes[key] = completed(run.status)
        ? `wall time of node dist/src/cli/main.js run on ${scope} in a temporary copy, ${what}; exit ${run.status}`
        : `the run did not complete (exit ${run.status}): ${run.tail.join(' / ')}`;
    }
    const rss = [cold.rssMb, warm.rssMb].filter((x) => typeof x === 'number');
    values.peak_rss_mb = rss.length ? Math.max(...rss) : null;
    notes.peak_rss_mb = rss.length ? `max resident set of the two runs' node process (${cold.rssSource})` : 'the child reported no peak RSS';
    return { values, notes, details: { cold, warm } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
