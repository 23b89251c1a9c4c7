/**
 * The summary rows (eval/results/summary.json): per model, norm and method the
 * mean and median I-FLOPs (Eq. 9, as fractions) and the full-depth rate over
 * the suite's seeds, each method's time per input, and for the generator
 * methods how the generator was trained. Pure functions from a suite result
 * (the product's SuiteResult, or the compact one of run-suites.mjs) to rows,
 * and the resumable file they are kept in (eval/results/summary.json).
 */
import { existsSync, readFileSync } from 'node:fs';

export const SUMMARY_FORMAT = 'deepperform-eval-summary';

/** Methods whose inputs come from the trained generator: their rows carry its training facts. */
const GENERATOR_METHODS = ['deepperform', 'deepperform-refine'];

/** Methods of every row set in this order (worst-case last: it is composed from the others). */
export const SUMMARY_METHODS = ['deepperform', 'deepperform-refine', 'ilfo', 'deepsloth', 'random', 'worst-case'];

export class SummaryRowError extends Error {
  name = 'SummaryRowError';
}

export function meanOf(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The median: the middle value, or the mean of the two middle values of an even count. */
export function medianOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function finite(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Training facts of the generator behind a suite, from its training record (never guessed). */
export function generatorFacts(training, trainingSeed) {
  const record = training?.record;
  if (!record) throw new SummaryRowError('the generator has no training record: its epochs, time and convergence are unknown');
  return {
    training_epochs: record.epochs,
    training_seconds: record.durationMs / 1000,
    converged: record.converged === true,
    stop_reason: record.stopReason,
    training_seeds: [trainingSeed],
  };
}

/**
 * One row per method of a finished suite. Every method must have run on all
 * of the suite's seeds (the rows compare methods on the same inputs) and have
 * per-input I-FLOPs and a measured full-depth rate; anything else is an error,
 * never a NaN in the file.
 */
export function summaryRows(result, { model, norm, trainingSeed }) {
  if (result.status === 'error') throw new SummaryRowError(`suite "${result.name}" crashed: ${result.error?.message ?? 'no message'}`);
  const seeds = result.config.seeds;
  // The generator's seed: generator.train.seed where the suite sets it, else the suite's seed.
  const facts = generatorFacts(result.training, trainingSeed ?? result.config.seed);
  return result.methods.map((m) => {
    const where = `suite "${result.name}", method ${m.method}`;
    const iflops = m.iflops;
    if (!Array.isArray(iflops) || iflops.length !== seeds) throw new SummaryRowError(`${where}: ${iflops?.length ?? 'no'} per-input I-FLOPs for ${seeds} seeds`);
    if (!iflops.every(finite)) throw new SummaryRowError(`${where}: a per-input I-FLOPs value is not a number`);
    if (!finite(m.fullDepthRate)) throw new SummaryRowError(`${where}: the full-depth rate was not measured`);
    if (!finite(m.generationMsPerInput)) throw new SummaryRowError(`${where}: no time per input`);
    const row = {
      model,
      norm,
      method: m.method,
      seeds,
      mean_iflops: meanOf(iflops),
      p50_iflops: medianOf(iflops),
      full_depth_rate: m.fullDepthRate,
      seconds_per_input: m.generationMsPerInput / 1000,
      ...(m.generationCached ? { time_cached: true } : {}),
    };
    return GENERATOR_METHODS.includes(m.method) ? { ...row, ...facts } : row;
  });
}

/** Methods whose inputs depend on the generator, so on its training seed (worst-case takes G's inputs too). */
export const SEED_DEPENDENT = [...GENERATOR_METHODS, 'worst-case'];

/** Sample standard deviation (n - 1). */
export function sampleSdOf(xs) {
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * One pair's rows over several training seeds (`rowSets[i]` from the suite of `trainingSeeds[i]`):
 * the methods that depend on the generator get the mean over the seeds of mean_iflops, p50_iflops,
 * full_depth_rate and seconds_per_input, each with its sample standard deviation (`*_sd`), the
 * training facts as means (converged only when every seed's training converged) and the per-seed
 * values in `by_training_seed`; the other methods ran on the same inputs in every suite (cache
 * hits), so the first seed's row stands for them. One seed: its rows unchanged.
 */
export function combineSeeds(rowSets, trainingSeeds) {
  if (rowSets.length === 1) return rowSets[0];
  return rowSets[0].map((first) => {
    if (!SEED_DEPENDENT.includes(first.method)) return first;
    const each = rowSets.map((rows, i) => {
      const r = rows.find((x) => x.method === first.method);
      if (!r) throw new SummaryRowError(`${first.method}: no row for training seed ${trainingSeeds[i]}`);
      return r;
    });
    const row = { ...first };
    for (const key of ['mean_iflops', 'p50_iflops', 'full_depth_rate', 'seconds_per_input']) {
      const v = each.map((r) => r[key]);
      row[key] = meanOf(v);
      if (key !== 'seconds_per_input') row[`${key}_sd`] = sampleSdOf(v);
    }
    if (GENERATOR_METHODS.includes(first.method)) {
      row.training_epochs = meanOf(each.map((r) => r.training_epochs));
      row.training_seconds = meanOf(each.map((r) => r.training_seconds));
      row.converged = each.every((r) => r.converged);
      row.stop_reason = [...new Set(each.map((r) => r.stop_reason))].join(', ');
      row.training_seeds = [...trainingSeeds];
    }
    row.by_training_seed = each.map((r, i) => {
      const { model: _m, norm: _n, method: _me, seeds: _s, training_seeds: _t, ...values } = r;
      return { training_seed: trainingSeeds[i], ...values };
    });
    return row;
  });
}

/** The file's pairs, rows and notes, or an empty set when absent. */
export function readSummary(path) {
  if (!existsSync(path)) return { format: SUMMARY_FORMAT, rows: [], pairs: [], absent: [] };
  const s = JSON.parse(readFileSync(path, 'utf8'));
  if (s.format !== SUMMARY_FORMAT || !Array.isArray(s.rows)) throw new SummaryRowError(`${path} is not a summary file (format ${SUMMARY_FORMAT})`);
  return { pairs: [], absent: [], ...s };
}

/**
 * Whether the file already holds a pair's rows made after `since` (an ISO
 * time: when the sections whose generators and inputs the rows read last
 * ran). Rows older than that may rest on generators trained since, so they
 * are made again: kept rows must describe the generators the tables show.
 */
export function pairDone(summary, model, norm, since) {
  return summary.pairs.some((p) => p.model === model && p.norm === norm && (since === undefined || (p.startedAt ?? '') >= since));
}

/** The summary with one pair's rows, notes and facts replaced, rows in plan order. */
export function withPair(summary, { model, norm, rows, absent, facts }, order) {
  const other = (x) => x.model !== model || x.norm !== norm;
  const key = (x) => [order.models.indexOf(x.model), order.norms.indexOf(x.norm), SUMMARY_METHODS.indexOf(x.method)];
  const byPlan = (a, b) => key(a).reduce((d, v, i) => d || v - key(b)[i], 0);
  return {
    ...summary,
    rows: [...summary.rows.filter(other), ...rows].sort(byPlan),
    absent: [...summary.absent.filter(other), ...absent].sort(byPlan),
    pairs: [...summary.pairs.filter(other), { model, norm, ...facts }].sort(byPlan),
  };
}
