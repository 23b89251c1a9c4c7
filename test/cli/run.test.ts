import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { tempDir, writeTinySuite } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';

describe('deepperform run, end to end', async () => {
  it('passing suite: exit 0, console lines, valid JUnit and HTML written', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'ok.perf.yaml', 'assertions:\n  - "seed accuracy > 0.1"\n  - "max I-FLOPs < 400%"\n');
    const r = await runCli(['run', '.', '-o', 'out'], dir);
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ seed accuracy > 0.1/);
    expect(r.stdout).toMatch(/backend wasm/);
    const xml = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites['@_tests']).toBe('2');
    expect(doc.testsuites['@_failures']).toBe('0');
    expect(existsSync(join(dir, 'out/index.html'))).toBe(true);
  });

  it('failing assertion: exit 1 and a failure in JUnit', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'bad.perf.yaml', 'assertions:\n  - "seed accuracy > 1"\n');
    const r = await runCli(['run', '.', '-o', 'out', '--reporter', 'console,junit'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ seed accuracy > 1/);
    const xml = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
    expect(xml).toMatch(/<failure/);
  });

  it('malformed suite: exit 2 with file:line:column and the key, before any work', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'typo.perf.yaml', 'assertions:\n  - "max I-FLOPz < 50%"\nthreshhold: 0.5\n');
    const r = await runCli(['run', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo\.perf\.yaml:15:\d+/);
    expect(r.stderr).toMatch(/threshhold/);
    expect(r.stderr).toMatch(/I-FLOPz/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('missing model weights: exit 2 naming the path', async () => {
    const dir = tempDir();
    const file = writeTinySuite(dir, 'nomodel.perf.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/weights: .*/, 'weights: ./nowhere'));
    const r = await runCli(['run', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nowhere\/model\.json: does not exist/);
  });

  it('usage errors: unknown reporter and no suites found exit 2', async () => {
    const dir = tempDir();
    expect((await runCli(['run', '.'], dir)).code).toBe(2);
    writeTinySuite(dir, 'a.perf.yaml');
    const r = await runCli(['run', '.', '--reporter', 'tap'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown reporter "tap"/);
  });
});

describe('deepperform run, measurements beyond FLOPs', async () => {
  it('latency, correlation and sensitivity are reported; energy without a sensor is skipped with the reason, not passed', async () => {
    const dir = tempDir();
    writeTinySuite(
      dir,
      'm.perf.yaml',
      'measure: { latencyInputs: 4, repeats: 1, sensitivity: [0.4, 0.6] }\nassertions:\n  - "mean I-energy < 50%"\n  - "p50 seed latency < 10s"\n',
    );
    const r = await runCli(['run', '.', '--reporter', 'console,junit', '-o', 'out'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latency \(batch 1, 4 inputs\): seeds median/);
    expect(r.stdout).toMatch(/FLOPs-latency correlation over 4 seeds: r = /);
    expect(r.stdout).toMatch(/threshold sensitivity, deepperform max I-FLOPs: tau 0\.4 [\d.]+%, tau 0\.6 [\d.]+%/);
    const hasSensor = /energy: seeds mean/.test(r.stdout);
    if (!hasSensor) {
      expect(r.stdout).toMatch(/- mean I-energy < 50%\s+skipped: no power sensor can be read here \(RAPL: /);
      expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toMatch(/<skipped message="no power sensor/);
    }
    expect(r.stdout).toMatch(/✓ p50 seed latency < 10s/);
  });
});
