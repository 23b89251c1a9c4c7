import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The bench is plain ESM JavaScript (run by node directly); these are its pure helpers.
import { peakRssFromTimeV } from '../../bench/lib/default-run.mjs';
import { KEYS, RATIOS, finalize, renderMarkdown, renderTable, shapeProblems, writeAtomic } from '../../bench/lib/results.mjs';
import { mean, median, pairedAgreement, pairedOverheadPct, ratio, sig } from '../../bench/lib/stats.mjs';

describe('bench statistics', () => {
  it('median of odd and even counts, ignoring non-numbers; null when empty', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7, Number.NaN, null as unknown as number, 1])).toBe(4);
    expect(median([])).toBeNull();
  });

  it('ratio is ours / theirs, null when either side is missing or theirs is not positive', () => {
    expect(ratio(30, 40)).toBe(0.75);
    expect(ratio(null as unknown as number, 40)).toBeNull();
    expect(ratio(30, 0)).toBeNull();
    expect(ratio(30, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('paired overhead: median of per-round ratios, as a percentage', () => {
    // Round ratios 1.10, 1.02, 1.04 -> median 1.04 -> 4 %.
    expect(pairedOverheadPct([110, 102, 104], [100, 100, 100])).toBeCloseTo(4, 10);
    expect(pairedOverheadPct([], [])).toBeNull();
  });

  it('mean of the finite numbers; null when empty', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([Number.NaN, 4])).toBe(4);
    expect(mean([])).toBeNull();
  });

  it('paired agreement: the mean difference within 2 standard errors, or exactly 0 without spread', () => {
    // Differences 0.1, -0.1, 0.2, 0: mean 0.05, sample sd sqrt(0.05 / 3) = 0.1291, se 0.06455 -> 0.05 <= 0.1291: agree.
    const a = pairedAgreement([1.1, 0.9, 1.2, 1], [1, 1, 1, 1]);
    expect(a.mean_diff).toBeCloseTo(0.05, 12);
    expect(a.se_diff).toBeCloseTo(Math.sqrt(0.05 / 3) / 2, 12);
    expect(a.differing_seeds).toBe(3);
    expect(a.agree).toBe(true);
    // Differences 1, 1.1, 0.9, 1: mean 1, se 0.0408 -> far beyond: disagree.
    expect(pairedAgreement([2, 2.1, 1.9, 2], [1, 1, 1, 1]).agree).toBe(false);
    // Identical results agree; a constant offset (no spread) does not.
    expect(pairedAgreement([0.5, 2], [0.5, 2])).toMatchObject({ mean_diff: 0, agree: true, differing_seeds: 0 });
    expect(pairedAgreement([0.6, 2.1], [0.5, 2]).agree).toBe(false);
    expect(pairedAgreement([], [])).toBeNull();
  });

  it('sig keeps four significant figures', () => {
    expect(sig(123.456)).toBe(123.5);
    expect(sig(0.000123456)).toBe(0.0001235);
    expect(sig(Number.NaN)).toBeNull();
  });

  it('reads the peak RSS line of GNU time -v, in MB', () => {
    expect(peakRssFromTimeV('\tUser time (seconds): 1.0\n\tMaximum resident set size (kbytes): 262144\n')).toBe(256);
    expect(peakRssFromTimeV('no such line')).toBeNull();
  });
});

describe('bench result file', () => {
  const values = {
    backend: 'tfjs-wasm',
    cpu: 'Test CPU (2 logical CPUs)',
    threads: 2,
    gen_fwd_ms_per_input_32x32x3: 8,
    torch_gen_fwd_ms_per_input_32x32x3: 10,
    adnn_fwd_ms_b64: 300,
    torch_adnn_fwd_ms_b64: 200,
    instrumentation_overhead_pct: Number.NaN,
  };
  const result = finalize(values, { torch_adnn_inputgrad_ms_b64: 'PyTorch unavailable: test' }, { mode: 'quick' }, { x: 1 });

  it('has every key of issues 6 and 15, numbers or null, and a note for every null', () => {
    expect(Object.keys(result)).toEqual(expect.arrayContaining(KEYS));
    expect(KEYS).toHaveLength(31);
    expect(shapeProblems(result)).toEqual([]);
    expect(result.default_run_cold_s).toBeNull();
    expect(result.notes.default_run_cold_s).toMatch(/not measured/);
    // NaN is not a measurement.
    expect(result.instrumentation_overhead_pct).toBeNull();
    expect(result.notes.torch_adnn_inputgrad_ms_b64).toBe('PyTorch unavailable: test');
    expect(result.mode).toBe('quick');
    expect(result.details).toEqual({ x: 1 });
  });

  it('computes each ratio from its two keys, and says which are missing when it cannot', () => {
    expect(result.gen_fwd_vs_torch).toBe(0.8);
    expect(result.adnn_fwd_vs_torch).toBe(1.5);
    expect(result.gen_train_vs_torch).toBeNull();
    expect(result.notes.gen_train_vs_torch).toContain(RATIOS.gen_train_vs_torch[1]);
  });

  it('checks the targets: 0.8 meets <= 0.8, 1.5 misses it, unmeasured is unknown', () => {
    expect(result.targets.gen_fwd_vs_torch).toEqual({ target: '<= 0.8', met: true });
    expect(result.targets.adnn_fwd_vs_torch).toEqual({ target: '<= 0.8', met: false });
    expect(result.targets.default_run_warm_s.met).toBeNull();
  });

  it("has the speed targets: every gradient path and ILFO at most PyTorch's time", () => {
    for (const key of ['gen_train_light_28_vs_torch', 'gen_train_vs_torch', 'adnn_inputgrad_vs_torch', 'ilfo_vs_torch']) {
      expect(result.targets[key].target).toBe('<= 1');
    }
    // 1.0 meets <= 1, 1.001 does not.
    const edge = finalize({ ilfo_ms_per_input: 100, torch_ilfo_ms_per_input: 100, gen_train_light_28_ms_b32: 1001, torch_gen_train_light_28_ms_b32: 1000 });
    expect(edge.targets.ilfo_vs_torch.met).toBe(true);
    expect(edge.targets.gen_train_light_28_vs_torch.met).toBe(false);
  });

  it('torch_blas is a string key; a handicapped peer nulls every ratio with its note but keeps both times', () => {
    const note = 'not comparable: reference BLAS';
    const r = finalize({ ...values, torch_blas: 'netlib' }, {}, {}, {}, { torchNotComparable: note });
    expect(r.torch_blas).toBe('netlib');
    for (const key of Object.keys(RATIOS)) {
      expect(r[key]).toBeNull();
      expect(r.notes[key]).toBe(note);
    }
    expect(r.gen_fwd_ms_per_input_32x32x3).toBe(8);
    expect(r.torch_gen_fwd_ms_per_input_32x32x3).toBe(10);
    expect(r.targets.gen_fwd_vs_torch.met).toBeNull();
    expect(shapeProblems(r)).toEqual([]);
  });

  it('a ratio its section set to null stays null (twins that disagree), the others are computed', () => {
    const r = finalize({ ...values, ilfo_ms_per_input: 50, torch_ilfo_ms_per_input: 100, ilfo_vs_torch: null }, { ilfo_vs_torch: 'the twins disagree' });
    expect(r.ilfo_vs_torch).toBeNull();
    expect(r.notes.ilfo_vs_torch).toBe('the twins disagree');
    expect(r.gen_fwd_vs_torch).toBe(0.8);
  });

  it('flags a null without a note and a value of the wrong type', () => {
    const bad = { ...result, notes: {}, threads: 'two' };
    const problems = shapeProblems(bad);
    expect(problems).toContain('default_run_cold_s: null without a note');
    expect(problems.some((p: string) => p.startsWith('threads:'))).toBe(true);
  });

  it('renders one table row per key, with pipes escaped in markdown', () => {
    const md = renderMarkdown(finalize({ ...values, cpu: 'a|b' }));
    expect(md.split('\n').filter((l: string) => l.startsWith('| ') && !l.startsWith('| key') && !l.startsWith('| ---'))).toHaveLength(KEYS.length);
    expect(md).toContain('a\\|b');
    expect(renderTable(result).split('\n')).toHaveLength(KEYS.length + 1);
    const busy = { ...result, notes: { ...result.notes, load: 'busy machine' } };
    expect(renderTable(busy)).toContain('load: busy machine');
    expect(renderMarkdown(busy)).toContain('- **load**: busy machine');
  });
});

describe('atomic write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves only the target file, with the content', () => {
    const file = join(dir, 'sub', 'latest.json');
    writeAtomic(file, '{"a":1}\n');
    writeAtomic(file, '{"a":2}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['latest.json']);
  });
});

describe('machine load', () => {
  it('busy seconds of /proc/stat: user + nice + system + irq + softirq + steal, not idle or iowait', async () => {
    const { busySecondsFromProcStat, othersCpus } = await import('../../bench/lib/machine.mjs');
    // 100 + 20 + 30 + 5 + 5 + 40 = 200 ticks busy; idle 1000 and iowait 7 left out.
    expect(busySecondsFromProcStat('cpu  100 20 30 1000 7 5 5 40 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n', 100)).toBe(2);
    expect(busySecondsFromProcStat('nothing here')).toBeNull();
    // 10 s of wall time, 25 s of CPU busy, 12 s ours, 3 s our children: others kept 1 CPU busy.
    expect(othersCpus({ wallS: 0, busyS: 100, ownS: 0 }, { wallS: 10, busyS: 125, ownS: 12 }, 3)).toBe(1);
  });
});

describe('side-by-side summary', () => {
  it('gives each side min / median / max and both ratios', async () => {
    const { summarize } = await import('../../bench/lib/side-by-side.mjs');
    const s = summarize([10, 30, 20], [40, 100, 50]);
    expect(s.ours).toEqual({ n: 3, min: 10, median: 20, max: 30 });
    expect(s.torch).toEqual({ n: 3, min: 40, median: 50, max: 100 });
    expect(s.ratio_of_medians).toBe(0.4);
    expect(s.ratio_of_minima).toBe(0.25);
    expect(summarize([1], []).ratio_of_minima).toBeNull();
  });
});

describe('epoch extrapolation', () => {
  it('counts the steps of one pass as the product budgets an epoch: ceil(inputs / batch)', async () => {
    const { stepsPerEpoch } = await import('../../bench/lib/epoch-bench.mjs');
    // 60,000 Fashion-MNIST training inputs less the 10 % held out = 54,000; / 32 = 1687.5 -> 1688.
    expect(stepsPerEpoch(54_000, 32)).toBe(1688);
    expect(stepsPerEpoch(64, 32)).toBe(2);
  });
});
