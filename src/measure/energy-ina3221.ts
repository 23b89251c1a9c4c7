import { join } from 'node:path';
import { EnergyProbeError } from './errors.js';
import { integratedPowerProbe, type EnergyDetection } from './energy-probe.js';
import { describeError, listDir, readNumber, tryReadText, type ReadText } from './sysfs.js';

/** One power rail of an INA3221 monitor. */
interface Rail {
  label: string;
  /** Where it is read, for messages. */
  path: string;
  watts(read: ReadText): number;
}

/** Rails that measure the whole module's input on Jetson boards (TX2/Orin VDD_IN, Nano POM_5V_IN). */
const TOTAL_RAIL = /^(VDD_IN|POM_5V_IN|VIN_SYS_5V0)$/i;

/**
 * Jetson's INA3221 power monitors: the older iio driver
 * (bus/i2c/drivers/ina3221x/<dev>/iio:device<N>/in_power<i>_input, mW,
 * label rail_name_<i>) or the mainline hwmon driver (class/hwmon/hwmonN with
 * name "ina3221": in<i>_input mV times curr<i>_input mA, label in<i>_label).
 * When a whole-module input rail is present only it is used, since the other
 * rails are parts of it; otherwise the rails are summed.
 */
export function detectIna3221(sysRoot: string, read: ReadText, now: () => number): EnergyDetection {
  const iioDir = join(sysRoot, 'bus', 'i2c', 'drivers', 'ina3221x');
  const hwmonDir = join(sysRoot, 'class', 'hwmon');
  const found = [...iioRails(iioDir, read), ...hwmonRails(hwmonDir, read)];
  if (found.length === 0) return { reason: `no ${iioDir} and no hwmon named ina3221 under ${hwmonDir}` };
  const readable: Rail[] = [];
  const failures: string[] = [];
  for (const rail of found) {
    try {
      rail.watts(read);
      readable.push(rail);
    } catch (error) {
      failures.push(`${rail.path}: ${describeError(error)}`);
    }
  }
  if (readable.length === 0) return { reason: `INA3221 rails unreadable: ${failures.join(', ')}` };
  const total = readable.filter((r) => TOTAL_RAIL.test(r.label));
  const rails = total.length > 0 ? total : readable;
  const sampleWatts = () => rails.reduce((s, r) => s + sampleRail(r, read), 0);
  // The INA3221 averages over a few ms and sysfs reads are cheap, but two samples per interval still need a steady load.
  return { probe: integratedPowerProbe(`INA3221 ${rails.map((r) => r.label).join(' + ')}, integrated`, sampleWatts, now, 200) };
}

function sampleRail(rail: Rail, read: ReadText): number {
  try {
    return rail.watts(read);
  } catch (error) {
    throw new EnergyProbeError(`INA3221 rail ${rail.path} became unreadable: ${describeError(error)}`);
  }
}

function iioRails(dir: string, read: ReadText): Rail[] {
  const rails: Rail[] = [];
  for (const dev of listDir(dir) ?? []) {
    for (const iio of (listDir(join(dir, dev)) ?? []).filter((e) => e.startsWith('iio:device'))) {
      const base = join(dir, dev, iio);
      for (const file of listDir(base) ?? []) {
        const m = /^in_power(\d+)_input$/.exec(file);
        if (!m) continue;
        const path = join(base, file);
        const label = tryReadText(read, join(base, `rail_name_${m[1]}`)) ?? `${dev} channel ${m[1]}`;
        rails.push({ label, path, watts: (r) => readNumber(r, path) / 1000 });
      }
    }
  }
  return rails;
}

function hwmonRails(dir: string, read: ReadText): Rail[] {
  const rails: Rail[] = [];
  for (const hw of listDir(dir) ?? []) {
    const base = join(dir, hw);
    if (tryReadText(read, join(base, 'name')) !== 'ina3221') continue;
    const files = new Set(listDir(base) ?? []);
    for (const file of files) {
      const m = /^curr(\d+)_input$/.exec(file);
      if (!m || !files.has(`in${m[1]}_input`)) continue;
      const volts = join(base, `in${m[1]}_input`);
      const amps = join(base, file);
      const label = tryReadText(read, join(base, `in${m[1]}_label`)) ?? `${hw} channel ${m[1]}`;
      rails.push({ label, path: amps, watts: (r) => (readNumber(r, volts) * readNumber(r, amps)) / 1e6 });
    }
  }
  return rails;
}
