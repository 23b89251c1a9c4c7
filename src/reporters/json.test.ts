import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonReporter, readReportBlob, renderJson, ReportBlobError } from './json.js';
import { failedSuite, run, worstCaseSuite } from './test-fixtures.js';
import type { RunResult } from '../results/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-json-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A run whose numbers include NaN and Infinity, as undefined statistics do. */
const withNonFinite: RunResult = {
  ...run,
  shard: { index: 2, total: 3 },
  suites: [
    {
      ...failedSuite,
      correlation: { r: Number.NaN, n: 1, reason: 'one seed' },
      training: { ...failedSuite.training!, bestValidationIflops: Number.NaN },
      methods: [{ ...failedSuite.methods[0]!, iflops: [0.5, Number.POSITIVE_INFINITY, Number.NaN] }],
    },
  ],
};

describe('renderJson', () => {
  it('wraps the result in the documented envelope, one line', () => {
    const text = renderJson(run);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    const blob = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(blob)).toEqual(['format', 'version', 'tool', 'shard', 'result']);
    expect(blob.format).toBe('deepperform-report');
    expect(blob.version).toBe(1);
    expect(blob.tool).toBe('0.1.0');
    expect(blob.shard).toBeNull();
    expect(blob.result).toEqual(JSON.parse(JSON.stringify(run)));
  });

  it('carries the worst-case row with its sources, the full-depth rate and a subset\'s seed count', () => {
    const blob = JSON.parse(renderJson({ ...run, suites: [worstCaseSuite] })) as { result: RunResult };
    const methods = blob.result.suites[0]!.methods;
    expect(methods.map((m) => [m.method, m.seedCount, m.fullDepthRate])).toEqual([
      ['deepperform', 4, 0.25],
      ['ilfo', 2, 1],
      ['worst-case', 4, 0.75],
    ]);
    expect(methods[2]!.sources).toEqual({ perSeed: ['ilfo', 'ilfo', 'deepperform', 'deepperform'], counts: [{ method: 'deepperform', seeds: 2 }, { method: 'ilfo', seeds: 2 }] });
  });

  it('writes the shard and every non-finite number as null', () => {
    const blob = JSON.parse(renderJson(withNonFinite)) as { shard: unknown; result: RunResult };
    expect(blob.shard).toEqual({ index: 2, total: 3 });
    const suite = blob.result.suites[0]!;
    expect(suite.correlation).toEqual({ r: null, n: 1, reason: 'one seed' });
    expect(suite.training!.bestValidationIflops).toBeNull();
    expect(suite.methods[0]!.iflops).toEqual([0.5, null, null]);
    expect(renderJson(withNonFinite)).not.toMatch(/NaN|Infinity/);
  });
});

describe('renderJson and readReportBlob: the training record', () => {
  it('carries the record and the warnings, and an unknown standard error comes back as NaN', async () => {
    const record = failedSuite.training!.record!;
    const curve = [{ ...record.curve[0]!, standardError: Number.NaN }, ...record.curve.slice(1)];
    const withRecord: RunResult = { ...run, suites: [{ ...failedSuite, training: { ...failedSuite.training!, record: { ...record, curve } } }] };
    const file = join(dir, 'r.json');
    await writeFile(file, renderJson(withRecord));
    const back = (await readReportBlob(file)).result.suites[0]!;
    expect(back.training!.record!.stopReason).toBe('budget-steps');
    expect(back.training!.record!.best).toEqual(record.best);
    expect(back.training!.record!.curve[0]!.standardError).toBeNaN();
    expect(back.training!.record!.curve.map((p) => p.iflops)).toEqual(record.curve.map((p) => p.iflops));
    expect(back.warnings).toEqual(failedSuite.warnings);
  });
});

describe('JsonReporter', () => {
  it('writes <outputDir>/report.json, or the file it is given, leaving no temp file', async () => {
    const out = join(dir, 'nested');
    expect(await new JsonReporter({ outputDir: out }).onRunEnd(run)).toEqual([join(out, 'report.json')]);
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe(renderJson(run));
    const custom = join(dir, 'elsewhere', 'shard-1.json');
    expect(await new JsonReporter({ outputDir: out, outputFile: custom }).onRunEnd(run)).toEqual([custom]);
    expect(await readdir(out)).toEqual(['report.json']);
    expect(await readdir(join(dir, 'elsewhere'))).toEqual(['shard-1.json']);
  });
});

describe('readReportBlob', () => {
  async function write(name: string, content: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  }

  async function problemOf(content: unknown): Promise<ReportBlobError> {
    const file = await write('bad.json', typeof content === 'string' ? content : JSON.stringify(content));
    const err = await readReportBlob(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReportBlobError);
    expect((err as ReportBlobError).file).toBe(file);
    expect((err as ReportBlobError).message).toBe(`${file}: not a usable deepperform report: ${(err as ReportBlobError).problem}`);
    return err as ReportBlobError;
  }

  it('reads back what the reporter wrote, non-finite numbers as NaN and real nulls kept', async () => {
    await new JsonReporter({ outputDir: dir }).onRunEnd(withNonFinite);
    const blob = await readReportBlob(join(dir, 'report.json'));
    expect(blob.shard).toEqual({ index: 2, total: 3 });
    const suite = blob.result.suites[0]!;
    expect(suite.correlation!.r).toBeNaN();
    expect(suite.training!.bestValidationIflops).toBeNaN();
    expect(suite.methods[0]!.iflops).toEqual([0.5, Number.NaN, Number.NaN]);
    // A skipped assertion's value and actual are null in the model itself.
    expect(suite.assertions[2]!.value).toBeNull();
    expect(suite.assertions[2]!.actual).toBeNull();
    expect(suite.name).toBe(failedSuite.name);
  });

  it('reads an unsharded blob with shard null', async () => {
    await new JsonReporter({ outputDir: dir }).onRunEnd(run);
    expect((await readReportBlob(join(dir, 'report.json'))).shard).toBeNull();
  });

  it('names a missing file and a file that is not JSON', async () => {
    const missing = join(dir, 'nope.json');
    await expect(readReportBlob(missing)).rejects.toThrow(`${missing}: not a usable deepperform report: cannot be read (ENOENT)`);
    expect((await problemOf('{"format": ')).problem).toMatch(/^not valid JSON \(/);
  });

  it('says which field is wrong', async () => {
    const good = JSON.parse(renderJson(run)) as Record<string, unknown>;
    const result = good.result as Record<string, unknown>;
    const suites = result.suites as Record<string, unknown>[];
    const cases: [unknown, string][] = [
      [[1, 2], 'the top level must be an object (found [1,2])'],
      [{ ...good, format: 'vitest' }, '"format" must be "deepperform-report" (found "vitest")'],
      [{ ...good, version: '1' }, '"version" must be 1 (found "1")'],
      [{ ...good, version: 2 }, 'it is version 2 of the format, written by a newer deepperform; this one reads version 1'],
      [{ ...good, tool: undefined }, '"tool" must be a string (missing)'],
      [{ ...good, shard: { index: 3, total: 2 } }, '"shard.index" must be a whole number from 1 to 2 (found 3)'],
      [{ ...good, shard: { index: 1, total: 0 } }, '"shard.total" must be a whole number >= 1 (found 0)'],
      [{ ...good, result: null }, '"result" must be an object (found null)'],
      [{ ...good, result: { ...result, status: 'error' } }, '"result.status" must be "passed" or "failed" (found "error")'],
      [{ ...good, result: { ...result, suites: {} } }, '"result.suites" must be an array (found {})'],
      [
        { ...good, result: { ...result, suites: [suites[0], { ...suites[1], status: 'ok' }] } },
        '"result.suites[1].status" must be one of passed, failed, error (found "ok")',
      ],
      [
        { ...good, result: { ...result, suites: [{ ...suites[0], assertions: [{ source: 'x', status: 'maybe' }] }] } },
        '"result.suites[0].assertions[0].status" must be one of passed, failed, skipped (found "maybe")',
      ],
    ];
    for (const [content, problem] of cases) expect((await problemOf(content)).problem).toBe(problem);
  });
});
