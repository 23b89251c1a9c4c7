/**
 * The generators behind the tables: for every trained generator (light per
 * model, norm and training seed; full; the ones trained anew against a
 * retrained model) its validation curve, where it peaked, and why training
 * stopped. Read from the training record each suite result carries (the
 * generator's metadata, so a cached generator shows the run that trained it).
 */
import { duration, fixed, isNum, pct, table } from './format.mjs';
import { ARCHS, NORMS } from './plan.mjs';
import { command } from './render-common.mjs';
import { suiteName } from './suites.mjs';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A text sparkline of `values`, lowest to highest value of the curve itself;
 * a curve longer than `width` is shown as the means of `width` equal runs.
 */
export function sparkline(values, width = 24) {
  const v = values.filter(isNum);
  if (!v.length) return '';
  const shown = v.length <= width ? v : Array.from({ length: width }, (_, i) => meanOfRun(v, Math.floor((i * v.length) / width), Math.floor(((i + 1) * v.length) / width)));
  const lo = Math.min(...shown);
  const hi = Math.max(...shown);
  if (hi - lo < 1e-12) return BARS[3].repeat(shown.length);
  return shown.map((x) => BARS[Math.round(((x - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}

function meanOfRun(v, from, to) {
  const run = v.slice(from, Math.max(to, from + 1));
  return run.reduce((a, b) => a + b, 0) / run.length;
}

const STOPPED = {
  'early-stopped': 'early stopping',
  'budget-minutes': 'time cap',
  'budget-steps': 'step budget',
  'budget-epochs': 'epoch budget',
};

/** Why training ended, and for a budget stop the last validation that still counted as a gain. */
export function stopCell(record) {
  const why = STOPPED[record.stopReason] ?? record.stopReason;
  if (record.converged) return `${why} (converged)`;
  const gains = record.curve.filter((p) => p.gain);
  const lastGain = gains.length ? gains[gains.length - 1].step : undefined;
  // Rising at the end: the last validation was a gain, or the best so far.
  const stillRising = lastGain === record.last.step || record.best.step === record.last.step;
  return `${why}: not converged${stillRising ? ', still improving' : lastGain !== undefined ? `, last gain at step ${lastGain}` : ''}`;
}

/** "1e-3 → 1e-4 at 2,500" for the plateau schedule's reductions; the one rate when it never changed. */
export function learningRates(curve) {
  const out = [];
  let previous;
  for (const p of curve) {
    if (p.learningRate !== previous) out.push(previous === undefined ? rate(p.learningRate) : `${rate(p.learningRate)} at ${p.step}`);
    previous = p.learningRate;
  }
  return out.join(' → ');
}

function rate(v) {
  return isNum(v) ? v.toExponential(0) : '—';
}

/** One table row from a suite's training record, or undefined when the suite has none. */
export function generatorRow(labels, training) {
  const r = training?.record;
  if (!r) return undefined;
  const at = (p) => `${pct(p.iflops)} ± ${isNum(p.standardError) ? (p.standardError * 100).toFixed(1) : '—'} (step ${p.step})`;
  const curve = r.curve.map((p) => p.iflops);
  return [
    ...labels,
    `${r.steps} (${fixed(r.epochs, 2)} ep)`,
    minutes(r.durationMs),
    String(r.validationInputs),
    at(r.best),
    at(r.last),
    learningRates(r.curve),
    stopCell(r),
    `${sparkline(curve)} ${whole(Math.min(...curve))}–${whole(Math.max(...curve))}`,
  ];
}

/** The early-stopping rule a record was trained under, in words. */
export function stoppingRule(record) {
  const gain = record.minDelta === 'standard-error' ? "the last gain's standard error" : `${fixed(record.minDelta * 100, 1)} points`;
  return `${record.patience} validations in a row without a rise of more than ${gain}`;
}

/** A fraction as a whole percentage, without a minus sign on a value that rounds to 0. */
function whole(v) {
  return pct(Math.round(v * 100) / 100 || 0, 0);
}

function minutes(ms) {
  return isNum(ms) ? `${(ms / 60000).toFixed(1)} min` : '—';
}

function suiteOf(results, section, name) {
  return results.sections?.[section]?.data?.suites?.[name];
}

/** Every generator of the run in plan order: light per training seed, full, then the ones against retrained models. */
function generatorEntries(results) {
  const p = results.plan ?? {};
  const seeds = p.trainingSeeds ?? [p.seed];
  const entries = [];
  for (const arch of ARCHS) {
    for (const { label } of NORMS) {
      seeds.forEach((seed, i) => {
        const name = suiteName(arch, label, i === 0 ? 'light' : 'light-seeds', seed);
        entries.push({ labels: [arch, label, `light, seed ${seed}`], training: suiteOf(results, 'light', name)?.training });
      });
    }
  }
  for (const arch of ARCHS) entries.push({ labels: [arch, 'Linf', 'full'], training: suiteOf(results, 'full', suiteName(arch, 'Linf', 'full'))?.training });
  const remedies = results.sections?.mitigation?.data?.remedies;
  for (const pair of remedies?.pairs ?? []) {
    entries.push({ labels: [pair.arch, pair.label, 'light, against the retrained model'], training: remedies.suites?.[pair.after]?.training });
  }
  return entries;
}

export function generatorsSection(results) {
  const head = ['## Generators: validation curves and why training stopped', ''];
  const entries = generatorEntries(results);
  const rows = entries.map((e) => generatorRow(e.labels, e.training)).filter(Boolean);
  if (!rows.length) return [...head, `_Not measured yet: run \`${command(results, 4)}\`._`].join('\n');
  const records = entries.map((e) => e.training?.record).filter(Boolean);
  const converged = records.filter((r) => r.converged).length;
  return [
    ...head,
    table(['model', 'norm', 'generator', 'steps', 'training', 'validation inputs', 'best validation I-FLOPs ± SE', 'last', 'learning rate', 'stopped by', 'validation curve (low–high)'], rows),
    '',
    `${converged} of ${records.length} generators converged (early stopping fired: ${stoppingRule(records[0])}). ` +
      'Validation: mean I-FLOPs (Eq. 9) of the generator\'s inputs on inputs held out of the training split, ± its standard error; the generator kept is the one of the best validation. ' +
      'The curve is every validation from the first to the last (at most 24 characters: longer curves are shown as means of equal runs), scaled from its own lowest to its highest value. ' +
      'Training times are wall time of the run that trained the generator (a cached generator shows that run\'s record).',
    ...fullNote(entries),
  ].join('\n');
}

/** Why the full generator is the exception, from this run's own records: its time per step against the light one's. */
function fullNote(entries) {
  const records = (kind) => entries.filter((e) => e.labels[2].startsWith(kind) && e.training?.record?.steps).map((e) => e.training.record);
  const perStep = (rs) => rs.reduce((a, r) => a + r.durationMs, 0) / rs.reduce((a, r) => a + r.steps, 0) / 1000;
  const [full, light] = [records('full'), records('light')];
  if (!full.length || !light.length) return [];
  const meanLightSteps = light.reduce((a, r) => a + r.steps, 0) / light.length;
  return [
    '',
    `The full generator (width 64) trains a fixed number of steps, not to convergence: its steps took ${fixed(perStep(full), 2)} s each in these records (validation included), ` +
      `the light generator's ${fixed(perStep(light), 3)} s, so the light generators' mean of ${Math.round(meanLightSteps)} steps would take it ${duration((meanLightSteps * perStep(full)))} per model and norm.`,
  ];
}
