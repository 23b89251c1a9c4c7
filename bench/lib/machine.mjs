/**
 * How busy other processes kept the machine while the bench timed things:
 * CPU time spent by everyone (/proc/stat) minus the bench's own (this process
 * with its worker, plus the PyTorch child), over the wall time. On 2 shared
 * cores this is what explains noisy or lopsided figures. Linux only; null elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(r.stdout?.trim()) || 100;
  }
  return ticksPerSecond;
}

/** Parses the aggregate "cpu" line of /proc/stat into busy seconds (everything but idle and iowait). */
export function busySecondsFromProcStat(text, ticks = 100) {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  void idle;
  void iowait;
  return (user + nice + system + irq + softirq + (steal || 0)) / ticks;
}

/** A reading to subtract from a later one. */
export function cpuSnapshot() {
  const own = process.resourceUsage();
  return {
    wallS: performance.now() / 1000,
    busyS: existsSync('/proc/stat') ? busySecondsFromProcStat(readFileSync('/proc/stat', 'utf8'), clockTicks()) : null,
    ownS: (own.userCPUTime + own.systemCPUTime) / 1e6,
  };
}

/** Average number of CPUs other processes kept busy between two snapshots; `extraOwnS` is CPU time of our children. */
export function othersCpus(a, b, extraOwnS = 0) {
  if (a.busyS === null || b.busyS === null || b.wallS <= a.wallS) return null;
  const others = b.busyS - a.busyS - (b.ownS - a.ownS) - extraOwnS;
  return Math.max(0, others / (b.wallS - a.wallS));
}

/** Shared objects this process has mapped (/proc/self/maps), each once; [] where there is no /proc. */
export function ownMappedLibraries() {
  if (!existsSync('/proc/self/maps')) return [];
  const paths = new Set();
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const path = line.trim().split(/\s+/)[5];
    if (path?.startsWith('/') && path.includes('.so')) paths.add(path);
  }
  return [...paths].sort();
}
