import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The evaluation is plain ESM JavaScript run by node (npm run eval); these are its pure parts.
import { parseArgs, sectionsFor } from '../../eval/lib/args.mjs';
import { missingFiles } from '../../eval/lib/dataset-check.mjs';
import { psnr, psnrPerInput, summarisePsnr } from '../../eval/lib/psnr.mjs';
import { keptDiscussion, renderMarkdown, runScope, successWithinBudget } from '../../eval/lib/render.mjs';
import { mergeResults } from '../../eval/lib/results.mjs';
import { suiteList, suiteText } from '../../eval/lib/suites.mjs';
import { planFor } from '../../eval/lib/plan.mjs';
import { spawnAsync } from '../helpers/spawn.js';

const ROOT = resolve(__dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('PSNR', () => {
  it('one pixel of four off by 0.1 in [0, 1]: MSE 0.0025, PSNR 10 log10(400) = 26.0206 dB', () => {
    expect(psnr([0, 0, 0, 0], [0.1, 0, 0, 0])).toBeCloseTo(26.0206, 4);
  });

  it('peak is the width of the range: [0, 255], one of two pixels off by 10 -> 10 log10(65025 / 50) = 31.1411 dB', () => {
    expect(psnr([0, 0], [10, 0], [0, 255])).toBeCloseTo(31.1411, 4);
  });

  it('identical images are infinite, and the summary leaves them out of the mean and counts them', () => {
    const seeds = new Float32Array([0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]);
    // Image 0: one pixel off by 0.1 (26.0206 dB); image 1 unchanged; image 2: every pixel off by 0.1 (MSE 0.01, 20 dB).
    const gen = new Float32Array([0.1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9]);
    const per = psnrPerInput(seeds, gen, 3);
    expect(per[1]).toBe(Infinity);
    expect(per[2]).toBeCloseTo(20, 4);
    const s = summarisePsnr(per);
    expect(s.unchanged).toBe(1);
    expect(s.inputs).toBe(3);
    expect(s.mean).toBeCloseTo((26.0206 + 20) / 2, 3);
    expect(s.min).toBeCloseTo(20, 4);
  });

  it('refuses images of different sizes', () => {
    expect(() => psnr([0, 0], [0])).toThrow(RangeError);
  });
});

describe('success within a time budget (Table 6)', () => {
  it('counts the slower inputs among those the budget allows, in order', () => {
    // 10 s at 2,000 ms per input -> 5 inputs; of the first five I-FLOPs, 0.3, 0.2 and 1.0 are > 0.
    const r = successWithinBudget(10, 2000, [0.3, 0, 0.2, -0.1, 1.0, 0.5, 0.5], 0.5);
    expect(r).toEqual({ inputs: 5, success: 3, estimated: false });
  });

  it('estimates from the success rate when the budget allows more inputs than were measured', () => {
    // 100 s at 500 ms -> 200 inputs, 3 measured; rate 0.25 -> 50, marked as an estimate.
    expect(successWithinBudget(100, 500, [1, 0, 0], 0.25)).toEqual({ inputs: 200, success: 50, estimated: true });
  });

  it('is empty without a budget', () => {
    expect(successWithinBudget(undefined, 500, [1], 1).success).toBeNull();
  });
});

function fakeResults() {
  const agg = (mean: number, max: number) => ({ mean, max, min: 0, p50: mean, p95: max });
  const method = (name: string, extra: Record<string, unknown>) => ({
    method: name,
    iflopsStats: agg(0.25, 1.5),
    successCount: 400,
    successRate: 0.4,
    coverage: 1,
    perturbationL2: agg(1.234, 2),
    perturbationLinf: agg(0.1, 0.1),
    generationMsPerInput: 0.5,
    ...extra,
  });
  const section = (data: unknown) => ({ startedAt: '2026-11-26T03:00:00.000Z', durationS: 60, machine: { cpu: 'Test CPU', cores: 2 }, backend: 'tfjs-wasm', data });
  return {
    format: 'deepperform-eval',
    version: 1,
    mode: 'full',
    startedAt: '2026-11-26T03:00:00.000Z',
    durationS: 3600,
    toolVersion: '0.1.0',
    machine: { cpu: 'Test CPU', cores: 2, platform: 'linux x64', node: 'v20', loadAvg1m: 0.5 },
    plan: { ...planFor(false), modelEpochs: { 'sdn-tiny': 6 } },
    models: { 'sdn-tiny': { dataset: 'fashion-mnist/train', epochs: 6, trainingSeconds: 600, command: 'deepperform train-model --arch sdn-tiny', standIn: false } },
    sections: {
      table1: section({ inputs: 10000, tau: 0.5, rows: [{ arch: 'sdn-tiny', kind: 'early-exit', blocks: 3, minFlops: 1_020_000, meanFlops: 1_234_567, maxFlops: 4_670_000, allBlocksFlops: 4_670_000, accuracy: 0.875, adaptiveShare: 0.9 }] }),
      light: section({
        suites: {
          'sdn-tiny, Linf, light generator': {
            config: { seeds: 1000 },
            seeds: { coverage: 0.5, latencyStats: agg(0.2, 0.9) },
            correlation: { r: 0.9123, n: 200 },
            methods: [method('deepperform', {}), method('random', { iflopsStats: agg(0.02, 0.5) })],
            sensitivity: [{ method: 'deepperform', points: [0.3, 0.4, 0.5, 0.6, 0.7].map((tau) => ({ tau, iflops: agg(0.1, tau), successRate: 0.1 })) }],
          },
        },
        generators: { 'sdn-tiny, Linf, light generator': { seconds: 59.5, steps: 400 } },
      }),
      mitigation: section({
        detector: [{ arch: 'sdn-tiny', norm: 'linf', auc: 0.9876, accuracy: 0.95, overheadFlops: 12544, overheadFlopsPct: 1.0864, latencyMs: 0.0206, standaloneLatencyMs: 0.133 }],
        retrain: [
          {
            arch: 'sdn-tiny',
            norm: 'linf',
            before: { meanIFlops: 0.5, maxIFlops: 2, accuracy: 0.9 },
            after: { meanIFlops: 0.1, maxIFlops: 1, accuracy: 0.85 },
            sameInputs: { meanIFlops: 0.2, maxIFlops: 1.5 },
            seconds: 300,
            settings: { epochs: 3, trainSeeds: 2000, flopsWeight: 4, learningRate: 0.0005, batchSize: 64, holdSeeds: 16 },
          },
        ],
      }),
      baselines: section({
        suites: {
          'sdn-tiny, Linf, per-input baselines': {
            config: { seeds: 100 },
            seeds: { coverage: 0.5 },
            // ILFO: 2,000 ms per input; budget 59.5 s + 1,000 x 0.5 ms = 60 s -> 30 inputs, of which 10 (i = 0, 3, ..., 27) are slower.
            methods: [method('ilfo', { generationMsPerInput: 2000, iflops: Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 0)) })],
          },
        },
      }),
    },
  };
}

describe('RESULTS.md rendering', () => {
  const md = renderMarkdown(fakeResults());

  it('renders Table 1 from the numbers, in MFLOPs and percent', () => {
    expect(md).toContain('| sdn-tiny | early-exit | 3 | 1.02 | 1.23 | 4.67 | 4.67 | 87.5% | 90.0% |');
  });

  it('names the command, date, machine and backend under each table', () => {
    expect(md).toContain('Command: `npm run eval -- --only=1` · measured 2026-11-26 · Test CPU, 2 logical CPUs · backend tfjs-wasm');
  });

  it('says how busy other processes kept the CPUs while a section ran, or else its load average', () => {
    const r = fakeResults();
    Object.assign(r.sections.table1, { othersCpus: 0.034, loadAvg: [3.1, 4.25] });
    Object.assign(r.sections.mitigation, { loadAvg: [3.1, 4.25] });
    const text = renderMarkdown(r);
    expect(text).toContain('backend tfjs-wasm · other processes kept 0.03 CPUs busy\n');
    expect(text).toContain('backend tfjs-wasm · load average 3.1→4.3');
  });

  it('says which sections the run computed when it kept others from earlier runs', () => {
    const r = fakeResults();
    expect(runScope(r)).toBe('');
    // A --resume run that started after table1 and light were computed: "took" is mitigation's and baselines' time only.
    const resumed = { ...r, startedAt: '2026-11-26T04:00:00.000Z' };
    Object.assign(resumed.sections.mitigation, { startedAt: '2026-11-26T04:00:01.000Z' });
    Object.assign(resumed.sections.baselines, { startedAt: '2026-11-26T04:30:00.000Z' });
    expect(runScope(resumed)).toBe(' (this run: --resume, ran mitigation, baselines; table1, light kept from earlier runs, each table with its own date)');
    expect(runScope({ ...resumed, only: ['10', '11'] })).toBe(' (this run: --only=10,11, ran mitigation, baselines; table1, light kept from earlier runs, each table with its own date)');
    expect(renderMarkdown(resumed)).toContain('took 60.0 min (this run: --resume, ran mitigation, baselines;');
  });

  it('Table 2 shows r and its seed count', () => {
    expect(md).toMatch(/\| sdn-tiny \| 200 \| 0\.912 \|/);
  });

  it('Table 6 counts ILFO within the same time budget (60 s -> 30 inputs, 10 slower)', () => {
    expect(md).toContain('| Linf | sdn-tiny | 60 s | 400 of 1000 | 10 of 30 |');
  });

  it('Table 7 lists mean / max I-FLOPs at each tau', () => {
    expect(md).toContain('| Linf | sdn-tiny | DeepPerform light | 10.0% / 30.0% | 10.0% / 40.0% | 10.0% / 50.0% | 10.0% / 60.0% | 10.0% / 70.0% |');
  });

  it('Tables 10 and 11 from the mitigation sections (src/mitigation result shapes)', () => {
    expect(md).toContain('| sdn-tiny | Linf | 50.0% / 200.0% | 10.0% / 100.0% | 20.0% / 150.0% | — → — | 90.0% | 85.0% | 5.0 min |');
    expect(md).toContain('Retraining (Eq. 12): 3 epochs over 2000 training-split seeds');
    expect(md).toContain('FLOPs weight 4, seeds held at their original cost with weight 16 (holdSeeds, docs/mitigation.md), Adam lr 0.0005');
    // Without a cross-method test (older results) its columns are dashes; test/eval/mitigation.test.ts has them.
    expect(md).toContain('| sdn-tiny | Linf | 0.988 | 95.0% | — | — | — | — | 12544 | 1.086% | 0.0206 | 0.133 |');
  });

  it('says what was not measured and how to measure it', () => {
    expect(md).toContain('run `npm run eval -- --only=9`');
  });

  it('leaves the discussion marked as not written yet, and keeps a written one on re-render', () => {
    expect(md).toContain('**Not written yet:**');
    const written = md.replace(/\*\*Not written yet:\*\*[\s\S]*?(?=<!-- DISCUSSION:END -->)/, 'DeepPerform wins on SkipNet.\n');
    const again = renderMarkdown(fakeResults(), written);
    expect(again).toContain('DeepPerform wins on SkipNet.');
    expect(again).not.toContain('**Not written yet:**');
    expect(keptDiscussion('no markers here')).toBeUndefined();
  });
});

describe('results and arguments', () => {
  it('--only keeps the sections it does not rerun', () => {
    const prev = { mode: 'full', sections: { table1: { a: 1 }, light: { b: 1 } } };
    const fresh = { mode: 'full', sections: { light: { b: 2 } } };
    expect(mergeResults(prev, fresh).sections).toEqual({ table1: { a: 1 }, light: { b: 2 } });
    // A quick run never mixes with a full one.
    expect(mergeResults(prev, { mode: 'quick', sections: {} }).sections).toEqual({});
  });

  it('maps tables to the sections that compute them', () => {
    expect(sectionsFor('4')).toEqual(['baselines']);
    expect(sectionsFor('5')).toEqual(['light']);
    expect(sectionsFor('table1,psnr')).toEqual(['table1', 'psnr']);
    expect(() => sectionsFor('3')).toThrow(/unknown table/);
    expect(parseArgs(['--data-path', '/x', '--quick']).dataPath).toBe('/x');
    expect(parseArgs(['--write-suites']).writeSuites).toBe(true);
    expect(parseArgs([]).writeSuites).toBe(false);
  });

  it('writes suites the product can read, with DeepSloth only for early-exit models', () => {
    const plan = planFor(false);
    const list = suiteList(plan);
    // light, baselines and summary for 4 models x 2 norms, full for 4 models under Linf: 28;
    // light, baselines and summary again for training seeds 1 and 2: 3 x 2 x 8 = 48.
    expect(list).toHaveLength(76);
    const find = (kind: string, arch: string, seed = 0) => list.find((s) => s.kind === kind && s.arch === arch && s.norm === 'linf' && s.trainingSeed === seed)!;
    const text = (arch: string, kind = 'baselines', seed = 0) => suiteText(plan, find(kind, arch, seed), { modelDir: `../../models/${arch}` });
    expect(text('sdn-tiny')).toContain('- deepsloth');
    expect(text('skipnet-tiny')).not.toContain('deepsloth');
    expect(text('sdn-tiny')).toContain('seeds: 100');
    expect(text('sdn-tiny')).toContain('- ilfo-paper-code');
    expect(text('sdn-tiny')).toContain('  refine: 15');
    // The product's defaults: no pinned L_perf. The light generator trains to convergence under a
    // safety cap, and the summary suites train (load) the very same one.
    for (const s of list) expect(suiteText(plan, s, { modelDir: 'm' })).not.toContain('perfLoss');
    expect(text('sdn-tiny', 'light')).toContain('    epochs: 50\n    minutes: 15\n    validateEvery: 250\n    validationInputs: 2000\n');
    const generator = (t: string) => t.slice(t.indexOf('generator:'), t.indexOf('  refine:'));
    expect(generator(text('sdn-tiny', 'summary'))).toBe(generator(text('sdn-tiny', 'baselines')));
    expect(generator(text('sdn-tiny', 'summary'))).toContain('minutes: 15\n');
    expect(text('sdn-tiny', 'light')).toContain('    seed: 0\n');
    expect(find('light-seeds', 'sdn-tiny', 2).file).toBe('light-seeds/sdn-tiny-linf-seed2.perf.yaml');
    expect(text('sdn-tiny', 'light-seeds', 2)).toContain('    seed: 2\n');
    expect(text('sdn-tiny', 'light-seeds', 2)).toContain('name: "sdn-tiny, Linf, light generator, training seed 2"');
    expect(text('sdn-tiny', 'summary-seeds', 1)).toContain('    seed: 1\n  refine: 15\n');
    expect(text('sdn-tiny', 'summary-seeds', 1)).not.toContain('ilfo-paper-code');
  });
});

describe('missing dataset', () => {
  it('stops with exit code 2 and says how to install it or where to point', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'eval-nodata-'));
    temps.push(empty);
    writeFileSync(join(empty, 'train-images-idx3-ubyte.gz'), '');
    expect(missingFiles(empty)).toEqual(['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    const r = await spawnAsync(process.execPath, [join(ROOT, 'eval', 'run.mjs'), '--quick', '--data-path', empty], { timeoutMs: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Fashion-MNIST not found in ${empty}`);
    expect(r.stderr).toContain('apt-get install dataset-fashion-mnist');
    expect(r.stderr).toContain('--data-path');
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const r = await spawnAsync(process.execPath, [join(ROOT, 'eval', 'run.mjs'), '--nope'], { timeoutMs: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --nope');
  });
});
