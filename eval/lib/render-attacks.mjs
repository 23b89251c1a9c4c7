/**
 * The attack tables of docs/RESULTS.md (the paper's Tables 4 to 7) and the
 * statement on energy. The light generator is trained once per training seed
 * (plan.trainingSeeds), so its numbers are the mean ± sample standard
 * deviation over those generators; the other methods do not depend on it.
 */
import { ARCHS, NORMS, isEarlyExit } from './plan.mjs';
import { method, missing, provenance, suite } from './render-common.mjs';
import { suiteName } from './suites.mjs';
import { duration, isNum, ms, pct, table } from './format.mjs';

/** Methods whose inputs come from the trained generator (one result per training seed). */
const GENERATOR_METHODS = ['deepperform', 'deepperform-refine'];

/** Table 4's methods in order, with their labels. */
const TABLE4_METHODS = [
  ['deepperform', 'DeepPerform (one pass)'],
  ['deepperform-refine', 'deepperform-refine'],
  ['ilfo', 'ILFO (published: Adam)'],
  ['ilfo-paper-code', "ILFO as the paper's code ran it"],
  ['deepsloth', 'DeepSloth'],
  ['random', 'random'],
];

export function meanOf(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n - 1); undefined for fewer than 2 values. */
export function sampleSd(xs) {
  if (xs.length < 2) return undefined;
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** "mean ± sd" of fractions as percentages ("45.0% ± 5.0"), the sd in percentage points; one value alone as itself. */
export function pctMeanSd(xs, digits = 1) {
  const v = xs.filter(isNum);
  if (!v.length) return '—';
  const sd = sampleSd(v);
  return sd === undefined ? pct(v[0], digits) : `${pct(meanOf(v), digits)} ± ${(sd * 100).toFixed(digits)}`;
}

/** "mean ± sd" of counts. */
function countMeanSd(xs) {
  const v = xs.filter(isNum);
  if (!v.length) return '—';
  const sd = sampleSd(v);
  return sd === undefined ? String(v[0]) : `${meanOf(v).toFixed(1)} ± ${sd.toFixed(1)}`;
}

/** The suites of a per-seed kind for one model and norm, one per training seed that has a result. */
export function seedSuites(results, kind, arch, label) {
  const seeds = results.plan?.trainingSeeds ?? [];
  const names = [suiteName(arch, label, kind), ...seeds.slice(1).map((k) => suiteName(arch, label, `${kind}-seeds`, k))];
  const all = results.sections?.[kind]?.data?.suites ?? {};
  return names.map((n) => all[n]).filter(Boolean);
}

/** A method's value in every training seed's suite (generator methods), or in the first suite only (the others). */
function perSeed(suites, name, get) {
  const from = GENERATOR_METHODS.includes(name) ? suites : suites.slice(0, 1);
  return from.map((s) => method(s, name)).filter(Boolean).map(get);
}

export function table4(results) {
  const rows = [];
  for (const { label } of NORMS) {
    for (const a of ARCHS) {
      const suites = seedSuites(results, 'baselines', a, label);
      for (const [name, title] of TABLE4_METHODS) {
        if (name === 'deepsloth' && !isEarlyExit(a)) continue;
        const got = perSeed(suites, name, (m) => m);
        const n = GENERATOR_METHODS.includes(name) && got.length > 1 ? ` (${got.length} training seeds)` : '';
        rows.push([
          label,
          a,
          `${title}${n}`,
          pctMeanSd(got.map((m) => m.iflopsStats?.mean)),
          pctMeanSd(got.map((m) => m.iflopsStats?.p50)),
          pctMeanSd(got.map((m) => m.fullDepthRate)),
          pctMeanSd(got.map((m) => m.iflopsStats?.max)),
        ]);
      }
    }
  }
  const p = results.plan ?? {};
  return [
    '## Table 4: I-FLOPs of every method on the same seeds (mean, median, full-depth rate)',
    '',
    missing(results, 4, ['baselines']) ?? '',
    table(['norm', 'model', 'method', 'mean I-FLOPs', 'p50 I-FLOPs', 'full-depth rate', "max I-FLOPs (the model's ceiling)"], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'r']),
    '',
    `Every method on the same ${p.baselineSeeds ?? '?'} test seeds, by real adaptive execution at tau ${p.threshold ?? 0.5}. I-FLOPs (Eq. 9) = (FLOPs(x + delta) - FLOPs(x)) / FLOPs(x) per seed; the full-depth rate is the share of inputs that took the model's most expensive path.`,
    `DeepPerform and deepperform-refine (k = ${p.refine ?? '?'} gradient steps from the generator's inputs) are given as mean ± sample standard deviation (percentage points) over the light generators of the training seeds ${(p.trainingSeeds ?? []).join(', ')}; the other methods do not depend on the generator.`,
    `ILFO (published) is the original code's Adam setting, here at ${p.ilfo?.iterations ?? 300} iterations. ILFO as the paper's code ran it (${p.ilfoPaperCode?.iterations ?? 300} iterations): plain SGD whose gradient is never reset, lambda 1e6, and under Linf every pixel's perturbation then set to +epsilon by the released code's clamp (both bounds +epsilon), under L2 rescaled to norm exactly epsilon (docs/design.md, Baselines).`,
    "Max: one input's worth. Once any input of a set runs the model's most expensive path from a seed that took the cheapest, the max is the model's ceiling whatever the method, random noise included, so it does not rank methods: compare the mean, the median and the full-depth rate. DeepSloth attacks early exits only.",
    '',
    provenance(results, 4, ['baselines'], 'suites eval/suites/{baselines,baselines-seeds}'),
  ].join('\n');
}

export function table5(results) {
  const rows = ARCHS.map((a) => {
    const suites = seedSuites(results, 'light', a, 'Linf');
    const first = suites[0];
    const stat = (name, key) => perSeed(suites, name, (m) => m.ilatencyStats?.[key]);
    return [
      a,
      ms(first?.seeds?.latencyStats?.p50),
      pctMeanSd(stat('deepperform', 'mean')),
      pctMeanSd(stat('deepperform', 'p50')),
      pctMeanSd(stat('deepperform', 'max')),
      pctMeanSd(stat('random', 'mean')),
      pctMeanSd(stat('random', 'p50')),
      pctMeanSd(stat('random', 'max')),
    ];
  });
  const p = results.plan ?? {};
  return [
    '## Table 5: I-latency (Linf)',
    '',
    missing(results, 5, ['light']) ?? '',
    table(['model', 'seed median ms', 'DeepPerform mean', 'p50', 'max', 'random mean', 'p50', 'max'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    `I-latency = (latency(x + delta) - latency(x)) / latency(x) per input: batch-1 wall time of the real adaptive execution, the median of ${p.latencyRepeats ?? '?'} timed repeats, on the first ${p.latencyInputs ?? '?'} seeds of each Linf light-generator suite (measure.latency); DeepPerform as mean ± sample standard deviation over the training seeds' generators.`,
    'Under L2 latency was not measured: each model is timed once, in its Linf suite, because timing is the slowest measurement and its ratio to FLOPs (Table 2) does not depend on the norm. Latency on a shared 2-core machine is noisy: the tables say how busy other processes kept the CPUs.',
    '',
    provenance(results, 5, ['light'], 'suites eval/suites/{light,light-seeds}/*-linf.perf.yaml'),
  ].join('\n');
}

/** Inputs a method can produce within `budgetS` and how many of them are slower than their seed. */
export function successWithinBudget(budgetS, msPerInput, iflops, successRate) {
  if (!isNum(budgetS) || !isNum(msPerInput) || msPerInput <= 0) return { inputs: null, success: null, estimated: false };
  const inputs = Math.floor((budgetS * 1000) / msPerInput);
  if (Array.isArray(iflops) && inputs <= iflops.length) {
    return { inputs, success: iflops.slice(0, inputs).filter((v) => v > 0).length, estimated: false };
  }
  return { inputs, success: isNum(successRate) ? Math.round(inputs * successRate) : null, estimated: true };
}

/**
 * DeepPerform's time for the plan's `budgetInputs` inputs (the paper's Table 6 budget): its
 * generator's training time plus that many online generations, averaged over the training seeds.
 */
export function budgetFor(results, arch, label) {
  const p = results.plan ?? {};
  const gens = results.sections?.light?.data?.generators ?? {};
  const seeds = p.trainingSeeds ?? [];
  const names = [suiteName(arch, label, 'light'), ...seeds.slice(1).map((k) => suiteName(arch, label, 'light-seeds', k))];
  const all = results.sections?.light?.data?.suites ?? {};
  const each = names
    .map((n) => ({ g: method(all[n], 'deepperform'), trainS: gens[n]?.seconds }))
    .filter((x) => x.g && isNum(x.trainS))
    .map((x) => ({ trainS: x.trainS, seconds: x.trainS + ((p.budgetInputs ?? 1000) * x.g.generationMsPerInput) / 1000 }));
  if (!each.length) return undefined;
  return { seconds: meanOf(each.map((x) => x.seconds)), trainS: meanOf(each.map((x) => x.trainS)) };
}

function countCell(r) {
  if (!isNum(r.success)) return '—';
  return `${r.estimated ? '≈' : ''}${r.success} of ${r.inputs}`;
}

export function table6(results) {
  const p = results.plan ?? {};
  const rows = [];
  for (const { label } of NORMS) {
    for (const a of ARCHS) {
      const lights = seedSuites(results, 'light', a, label);
      const base = suite(results, 'baselines', a, label);
      const budget = budgetFor(results, a, label);
      const per = (name) => {
        const m = method(base, name);
        return m ? countCell(successWithinBudget(budget?.seconds, m.generationMsPerInput, m.iflops, m.successRate)) : '—';
      };
      const generated = perSeed(lights, 'deepperform', (m) => m.successCount);
      const rand = method(lights[0], 'random');
      const seedCount = lights[0]?.config?.seeds;
      const cov = (name) => pctMeanSd(perSeed(seedSuites(results, 'baselines', a, label), name, (m) => m.coverage), 0);
      rows.push([
        label,
        a,
        duration(budget?.seconds),
        generated.length ? `${countMeanSd(generated)} of ${seedCount}` : '—',
        per('ilfo'),
        per('ilfo-paper-code'),
        isEarlyExit(a) ? per('deepsloth') : 'n/a',
        rand ? `${rand.successCount} of ${seedCount}` : '—',
        pct(base?.seeds?.coverage, 0),
        cov('deepperform'),
        cov('ilfo'),
        cov('ilfo-paper-code'),
        isEarlyExit(a) ? cov('deepsloth') : 'n/a',
        cov('random'),
      ]);
    }
  }
  const n = p.budgetInputs ?? 1000;
  return [
    '## Table 6: degradation success number at the same time budget, and block coverage',
    '',
    missing(results, 6, ['light', 'baselines']) ?? '',
    table(['norm', 'model', 'time budget', 'DeepPerform', 'ILFO', 'ILFO (paper code)', 'DeepSloth', 'random', `coverage: seeds (${p.baselineSeeds ?? '?'})`, 'DeepPerform', 'ILFO', 'ILFO (paper code)', 'DeepSloth', 'random'], rows),
    '',
    `Time budget (as the paper): the time DeepPerform needs for ${n} test inputs, here its generator's training time plus ${n} online generations (light generator), averaged over the training seeds.`,
    "Each method's success number (Eq. 10) is the count of inputs it produced within that budget whose FLOPs exceed their seed's:",
    `for DeepPerform the ${p.generatorSeeds ?? '?'} inputs of the light suite (mean ± sample standard deviation over the training seeds' generators); for random noise, which takes microseconds per input, its inputs on the same ${p.generatorSeeds ?? '?'} seeds; for ILFO / DeepSloth the inputs their measured time per input allows, counted on their own ${p.baselineSeeds ?? '?'} seeds in order, and`,
    'estimated as inputs x success rate (marked ≈) when the budget allows more than those seeds.',
    `Block coverage (Eq. 11): share of blocks run by at least one input of the set, on the same ${p.baselineSeeds ?? '?'} seeds for every method (one draw, not the paper's ten).`,
    '',
    provenance(results, 6, ['light', 'baselines'], 'suites eval/suites/{light,light-seeds,baselines}'),
  ].join('\n');
}

const TAUS = [0.3, 0.4, 0.5, 0.6, 0.7];

export function table7(results) {
  const rows = [];
  for (const { label } of NORMS) {
    for (const a of ARCHS) {
      const lights = seedSuites(results, 'light', a, label);
      for (const [name, title] of [['deepperform', 'DeepPerform light'], ['random', 'random']]) {
        const from = name === 'deepperform' ? lights : lights.slice(0, 1);
        const points = from.map((s) => s.sensitivity?.find((x) => x.method === name)?.points ?? []);
        const at = (t, key) => points.map((pts) => pts.find((pt) => Math.abs(pt.tau - t) < 1e-9)?.iflops?.[key]).filter(isNum);
        const cell = (t) => {
          const [mean, max] = [at(t, 'mean'), at(t, 'max')];
          return mean.length ? `${pct(meanOf(mean))} / ${pct(meanOf(max))}` : '—';
        };
        rows.push([label, a, title, ...TAUS.map(cell)]);
      }
    }
  }
  return [
    '## Table 7: threshold sensitivity (mean / max I-FLOPs)',
    '',
    missing(results, 7, ['light']) ?? '',
    table(['norm', 'model', 'method', ...TAUS.map((t) => `tau ${t}`)], rows),
    '',
    "The generator is trained at tau 0.5; the same seeds and generated inputs are then run at each tau (seeds and inputs both at that tau). Each cell is mean / max I-FLOPs over the light suite's seeds, DeepPerform's averaged over the training seeds' generators; random noise of the same budget for scale. The max is the model's ceiling at that tau (Table 4's note); the mean is what moves.",
    '',
    provenance(results, 7, ['light'], 'suites eval/suites/{light,light-seeds}'),
  ].join('\n');
}

/** What the machine offered for measuring energy, as the run found it (results.energyProbe). */
export function energyStatement(results) {
  const e = results.energyProbe;
  const head = '## Energy (the paper\'s I-energy)';
  if (!e) return [head, '', '_Not recorded: this results file predates the energy probe; rerun `npm run eval`._'].join('\n');
  const found = [
    e.powercap === null ? '/sys/class/powercap does not exist (no RAPL powercap interface)' : `/sys/class/powercap holds ${e.powercap.length ? e.powercap.join(', ') : 'nothing'}`,
    e.powerPmu ? 'a perf "power" event source exists' : `perf has no "power" event source (event sources: ${e.eventSources?.join(', ') ?? 'none'})`,
  ];
  const measurable = (e.powercap?.length ?? 0) > 0 || e.powerPmu;
  return [
    head,
    '',
    `Not measured. The suites run with \`measure.energy: false\`: when the run started, ${found.join('; ')}${measurable ? ', but the evaluation does not read them' : ', so this machine exposes no CPU energy counter to read'}. The paper measured energy on Nvidia Jetson boards, which this evaluation cannot run on. Where a power sensor can be read (RAPL, nvidia-smi, INA3221), \`measure.energy: true\` in a suite records energy and I-energy (docs/suite-format.md).`,
  ].join('\n');
}
