import { join } from 'node:path';
import { EnergyProbeError } from './errors.js';
import type { EnergyDetection, EnergyProbe } from './energy-probe.js';
import { describeError, isPermissionError, listDir, readNumber, tryReadText, type ReadText } from './sysfs.js';

/**
 * A RAPL energy counter in µJ that wraps to 0 after max_energy_range_uj.
 * Reads are assumed to come more often than one wrap (minutes at full load on
 * a server package), so a smaller reading means exactly one wrap.
 */
export class WrappingCounter {
  private last: number;
  private total = 0;

  constructor(first: number, private readonly range: number) {
    this.last = first;
  }

  /** µJ accumulated since construction, given the counter's current value. */
  update(raw: number): number {
    this.total += raw >= this.last ? raw - this.last : this.range - this.last + raw;
    this.last = raw;
    return this.total;
  }
}

interface Zone {
  dir: string;
  name: string;
}

/**
 * Linux powercap RAPL (Intel, and AMD Zen via the same intel-rapl driver).
 * Sums the top-level package zones; sub-zones (core, uncore, dram) are parts
 * of a package or separate domains, and psys is used only when there is no
 * package zone, so nothing is counted twice.
 */
export function detectRapl(sysRoot: string, read: ReadText): EnergyDetection {
  const base = join(sysRoot, 'class', 'powercap');
  const entries = listDir(base);
  if (!entries) return { reason: `no ${base}` };
  const zones = selectZones(base, entries, read);
  if (zones.length === 0) return { reason: `${base} has no intel-rapl:N zones` };
  const counters: WrappingCounter[] = [];
  for (const zone of zones) {
    const energy = join(zone.dir, 'energy_uj');
    try {
      const range = readNumber(read, join(zone.dir, 'max_energy_range_uj'));
      counters.push(new WrappingCounter(readNumber(read, energy), range));
    } catch (error) {
      // Since Linux 5.10 (PLATYPUS, CVE-2020-8694) energy_uj is readable by root only.
      const hint = isPermissionError(error) ? ' (root-only since Linux 5.10; run as root or grant read access)' : '';
      return { reason: `${energy}: ${describeError(error)}${hint}` };
    }
  }
  return { probe: raplProbe(zones, counters, read) };
}

function selectZones(base: string, entries: string[], read: ReadText): Zone[] {
  const all = entries
    .filter((e) => /^intel-rapl:\d+$/.test(e))
    .map((e) => ({ dir: join(base, e), name: tryReadText(read, join(base, e, 'name')) ?? e }));
  const packages = all.filter((z) => z.name.startsWith('package'));
  return packages.length > 0 ? packages : all;
}

function raplProbe(zones: Zone[], counters: WrappingCounter[], read: ReadText): EnergyProbe {
  return {
    name: `RAPL ${zones.map((z) => z.name).join(' + ')}`,
    // The counters update about every millisecond; 10 ms keeps quantisation under ~10%.
    minIntervalMs: 10,
    read() {
      let microjoules = 0;
      zones.forEach((zone, i) => {
        const path = join(zone.dir, 'energy_uj');
        try {
          microjoules += counters[i].update(readNumber(read, path));
        } catch (error) {
          throw new EnergyProbeError(`RAPL counter ${path} became unreadable: ${describeError(error)}`);
        }
      });
      return microjoules / 1e6;
    },
  };
}
