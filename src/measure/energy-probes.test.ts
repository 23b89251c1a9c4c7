import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectEnergyProbe } from './energy.js';
import { readTextFile } from './sysfs.js';

let root: string; // fake /sys
let bin: string; // a PATH directory for a fake nvidia-smi
let empty: string; // a PATH without nvidia-smi

beforeEach(() => {
  const base = mkdtempSync(join(tmpdir(), 'dp-energy-'));
  root = join(base, 'sys');
  bin = join(base, 'bin');
  empty = join(base, 'empty');
  [root, bin, empty].forEach((d) => mkdirSync(d));
});
afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

function put(rel: string, content: string | number): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${content}\n`);
}

/** A clock that returns the given ms readings in order. */
function clock(...ms: number[]): () => number {
  let i = 0;
  return () => ms[i++];
}

const noGpu = () => ({ path: empty });

describe('RAPL powercap', () => {
  const rapl = 'class/powercap';
  function twoPackages(): void {
    put(`${rapl}/intel-rapl/enabled`, 1); // the control type directory, not a zone
    put(`${rapl}/intel-rapl:0/name`, 'package-0');
    put(`${rapl}/intel-rapl:0/energy_uj`, 1_000_000);
    put(`${rapl}/intel-rapl:0/max_energy_range_uj`, 10_000_000);
    put(`${rapl}/intel-rapl:0:0/name`, 'core'); // a sub-zone, part of package-0
    put(`${rapl}/intel-rapl:0:0/energy_uj`, 555);
    put(`${rapl}/intel-rapl:0:0/max_energy_range_uj`, 10_000_000);
    put(`${rapl}/intel-rapl:1/name`, 'package-1');
    put(`${rapl}/intel-rapl:1/energy_uj`, 9_000_000);
    put(`${rapl}/intel-rapl:1/max_energy_range_uj`, 10_000_000);
  }

  it('sums the package counters in joules, across a wrap-around, sub-zones not counted', () => {
    twoPackages();
    const { probe } = detectEnergyProbe({ sysRoot: root, ...noGpu() });
    expect(probe?.name).toBe('RAPL package-0 + package-1');
    put(`${rapl}/intel-rapl:0/energy_uj`, 3_500_000); // +2,500,000 uJ
    put(`${rapl}/intel-rapl:1/energy_uj`, 500_000); // wrapped: (10,000,000 - 9,000,000) + 500,000 = 1,500,000 uJ
    put(`${rapl}/intel-rapl:0:0/energy_uj`, 999_999); // ignored
    expect(probe?.read()).toBeCloseTo(4.0, 12); // 2.5 J + 1.5 J
    put(`${rapl}/intel-rapl:0/energy_uj`, 4_000_000); // +0.5 J
    put(`${rapl}/intel-rapl:1/energy_uj`, 700_000); // +0.2 J
    expect(probe?.read()).toBeCloseTo(4.7, 12);
  });

  it('uses psys when there is no package zone', () => {
    put(`${rapl}/intel-rapl:0/name`, 'psys');
    put(`${rapl}/intel-rapl:0/energy_uj`, 0);
    put(`${rapl}/intel-rapl:0/max_energy_range_uj`, 100);
    const { probe } = detectEnergyProbe({ sysRoot: root, ...noGpu() });
    expect(probe?.name).toBe('RAPL psys');
    put(`${rapl}/intel-rapl:0/energy_uj`, 60); // +60 uJ
    expect(probe?.read()).toBeCloseTo(60e-6, 15);
  });

  it('says which file is root-only', () => {
    twoPackages();
    // Tests run as root here, where chmod does not stop reads: simulate the kernel's 0400 file.
    const readText = (path: string) => {
      if (path.endsWith('energy_uj')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readTextFile(path);
    };
    const { probe, reason } = detectEnergyProbe({ sysRoot: root, readText, ...noGpu() });
    expect(probe).toBeUndefined();
    expect(reason).toContain(
      `RAPL: ${join(root, rapl, 'intel-rapl:0', 'energy_uj')}: permission denied (EACCES) (root-only since Linux 5.10; run as root or grant read access)`,
    );
  });

  it('an empty powercap directory', () => {
    mkdirSync(join(root, rapl), { recursive: true });
    expect(detectEnergyProbe({ sysRoot: root, ...noGpu() }).reason).toMatch(/^RAPL: .*class\/powercap has no intel-rapl:N zones; /);
  });
});

describe('nvidia-smi', () => {
  const gpu = () => join(dirname(root), 'gpu');

  /** A fake nvidia-smi answering each --query-gpu field from a file. */
  function fakeSmi(energy: string, power: string): void {
    mkdirSync(gpu());
    writeFileSync(join(gpu(), 'energy'), energy);
    writeFileSync(join(gpu(), 'power'), power);
    const script = `#!/bin/sh
case "$1" in
  --query-gpu=total_energy_consumption) /bin/cat "${gpu()}/energy" ;;
  --query-gpu=power.draw) /bin/cat "${gpu()}/power" ;;
  *) echo "unexpected $*"; exit 2 ;;
esac
`;
    writeFileSync(join(bin, 'nvidia-smi'), script);
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
  }

  it('prefers the driver energy counter (mJ), summed over GPUs', () => {
    fakeSmi('123000\n456000\n', '50.00\n60.00\n');
    const { probe } = detectEnergyProbe({ sysRoot: root, path: bin });
    expect(probe?.name).toBe('nvidia-smi total_energy_consumption (2 GPUs)');
    const before = probe!.read(); // (123000 + 456000) mJ = 579 J
    writeFileSync(join(gpu(), 'energy'), '124000\n458500\n'); // +1000 + 2500 mJ
    expect(before).toBeCloseTo(579, 12);
    expect(probe!.read() - before).toBeCloseTo(3.5, 12);
  });

  it('integrates power.draw when the counter is not supported', () => {
    fakeSmi('[N/A]\n', '50.00\n');
    const { probe } = detectEnergyProbe({ sysRoot: root, path: bin, now: clock(0, 2000) });
    expect(probe?.name).toBe('nvidia-smi power.draw, integrated (1 GPU)');
    writeFileSync(join(gpu(), 'power'), '70.00\n');
    // (50 W + 70 W) / 2 * 2 s = 120 J
    expect(probe!.read()).toBeCloseTo(120, 12);
  });

  it('reports what nvidia-smi said when it fails', () => {
    writeFileSync(join(bin, 'nvidia-smi'), `#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."\nexit 9\n`);
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const said = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.";
    expect(detectEnergyProbe({ sysRoot: root, path: bin }).reason).toContain(
      `NVIDIA: nvidia-smi --query-gpu=total_energy_consumption failed (exit 9): ${said}; nvidia-smi --query-gpu=power.draw failed (exit 9): ${said}; INA3221:`,
    );
  });
});

describe('INA3221 (Jetson)', () => {
  const iio = 'bus/i2c/drivers/ina3221x';

  it('iio driver: uses only the module input rail VDD_IN (mW), integrated', () => {
    put(`${iio}/0-0040/iio:device0/rail_name_0`, 'VDD_SYS_GPU');
    put(`${iio}/0-0040/iio:device0/in_power0_input`, 800);
    put(`${iio}/0-0041/iio:device1/rail_name_0`, 'VDD_IN');
    put(`${iio}/0-0041/iio:device1/in_power0_input`, 5000);
    put(`${iio}/0-0041/iio:device1/rail_name_1`, 'VDD_SYS_CPU');
    put(`${iio}/0-0041/iio:device1/in_power1_input`, 1200);
    const { probe } = detectEnergyProbe({ sysRoot: root, path: empty, now: clock(0, 1000, 3000) });
    expect(probe?.name).toBe('INA3221 VDD_IN, integrated');
    put(`${iio}/0-0041/iio:device1/in_power0_input`, 7000);
    // 0-1 s: (5 W + 7 W) / 2 * 1 s = 6 J; 1-3 s: 7 W * 2 s = 14 J -> 20 J
    expect(probe!.read()).toBeCloseTo(6, 12);
    expect(probe!.read()).toBeCloseTo(20, 12);
  });

  it('iio driver without a total rail: sums the rails', () => {
    put(`${iio}/1-0040/iio:device0/rail_name_0`, 'GPU');
    put(`${iio}/1-0040/iio:device0/in_power0_input`, 800);
    put(`${iio}/1-0040/iio:device0/rail_name_1`, 'CPU');
    put(`${iio}/1-0040/iio:device0/in_power1_input`, 1200);
    const { probe } = detectEnergyProbe({ sysRoot: root, path: empty, now: clock(0, 1000) });
    expect(probe?.name).toBe('INA3221 GPU + CPU, integrated'); // channel order: in_power0, in_power1
    // 0.8 W + 1.2 W = 2 W steady for 1 s = 2 J
    expect(probe!.read()).toBeCloseTo(2, 12);
  });

  it('hwmon driver: mV x mA per channel, other hwmon devices ignored', () => {
    put('class/hwmon/hwmon0/name', 'acpitz');
    put('class/hwmon/hwmon1/name', 'ina3221');
    put('class/hwmon/hwmon1/in1_label', 'VDD_IN');
    put('class/hwmon/hwmon1/in1_input', 5000); // mV
    put('class/hwmon/hwmon1/curr1_input', 1000); // mA -> 5 W
    put('class/hwmon/hwmon1/in2_label', 'VDD_CPU_GPU_CV');
    put('class/hwmon/hwmon1/in2_input', 5000);
    put('class/hwmon/hwmon1/curr2_input', 200);
    const { probe } = detectEnergyProbe({ sysRoot: root, path: empty, now: clock(0, 4000) });
    expect(probe?.name).toBe('INA3221 VDD_IN, integrated');
    put('class/hwmon/hwmon1/curr1_input', 1500); // 7.5 W
    // (5 W + 7.5 W) / 2 * 4 s = 25 J
    expect(probe!.read()).toBeCloseTo(25, 12);
  });
});

describe('no sensor', () => {
  it('says what was tried and why each failed', () => {
    expect(detectEnergyProbe({ sysRoot: root, path: empty }).reason).toBe(
      `RAPL: no ${join(root, 'class/powercap')}; ` +
        'NVIDIA: nvidia-smi not found on PATH; ' +
        `INA3221: no ${join(root, 'bus/i2c/drivers/ina3221x')} and no hwmon named ina3221 under ${join(root, 'class/hwmon')}`,
    );
  });
});
