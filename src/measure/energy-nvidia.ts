import { execFileSync } from 'node:child_process';
import { EnergyProbeError } from './errors.js';
import { integratedPowerProbe, type EnergyDetection } from './energy-probe.js';

type Query = { values: number[] } | { error: string; notFound?: boolean };

/** One nvidia-smi query, one value per GPU; nvidia-smi is looked up on `path`. */
function querySmi(field: string, path: string): Query {
  let out: string;
  try {
    out = execFileSync('nvidia-smi', [`--query-gpu=${field}`, '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: path },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number | null; stdout?: string; stderr?: string; signal?: string | null };
    if (e.code === 'ENOENT') return { error: 'nvidia-smi not found on PATH', notFound: true };
    // nvidia-smi prints its own errors ("couldn't communicate with the NVIDIA driver") on stdout.
    const said = firstLine(e.stdout) || firstLine(e.stderr) || e.message;
    return { error: `nvidia-smi --query-gpu=${field} failed (exit ${e.status ?? e.signal ?? '?'}): ${said}` };
  }
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { error: `nvidia-smi --query-gpu=${field} listed no GPU` };
  const values = lines.map(Number);
  const bad = lines.find((_, i) => !Number.isFinite(values[i]));
  if (bad !== undefined) return { error: `nvidia-smi --query-gpu=${field} gave "${bad}" (not supported on this GPU)` };
  return { values };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

function mustQuery(field: string, path: string): number[] {
  const q = querySmi(field, path);
  if ('error' in q) throw new EnergyProbeError(q.error);
  return q.values;
}

const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);

/**
 * NVIDIA GPUs through nvidia-smi, summed over every GPU listed. Prefers the
 * driver's energy counter (total_energy_consumption, mJ since the driver was
 * loaded; Volta and newer), a true counter; otherwise samples power.draw (W)
 * at each read and integrates it (see integratedPowerProbe). Each read spawns
 * nvidia-smi (tens of ms), so intervals should be long.
 */
export function detectNvidia(path: string, now: () => number): EnergyDetection {
  const energy = querySmi('total_energy_consumption', path);
  if ('values' in energy) {
    return {
      probe: {
        name: `nvidia-smi total_energy_consumption (${energy.values.length} GPU${energy.values.length > 1 ? 's' : ''})`,
        minIntervalMs: 200,
        read: () => sum(mustQuery('total_energy_consumption', path)) / 1000,
      },
    };
  }
  if (energy.notFound) return { reason: energy.error };
  const power = querySmi('power.draw', path);
  if ('error' in power) return { reason: `${energy.error}; ${power.error}` };
  const gpus = power.values.length;
  const probe = integratedPowerProbe(`nvidia-smi power.draw, integrated (${gpus} GPU${gpus > 1 ? 's' : ''})`, () => sum(mustQuery('power.draw', path)), now, 1000);
  return { probe };
}
