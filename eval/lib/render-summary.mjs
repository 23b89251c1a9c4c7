/**
 * The summary section of docs/RESULTS.md: every row of eval/results/summary.json
 * and, per model and norm, the bar read off the rows (DeepPerform or
 * deepperform-refine at least ILFO's mean I-FLOPs, deepperform-refine at most
 * 10 % of ILFO's time per input, training at most ILFO's time for 1,000 inputs).
 */
import { duration, fixed, isNum, ms, pct, table } from './format.mjs';

const LABEL = { linf: 'Linf', l2: 'L2' };

function yesNo(v) {
  return v === undefined ? '—' : v ? 'yes' : 'no';
}

/** A fraction as a percentage, with its sample standard deviation over the training seeds when the row has one. */
function withSd(r, key) {
  const sd = r[`${key}_sd`];
  return isNum(sd) ? `${pct(r[key])} ± ${(sd * 100).toFixed(1)}` : pct(r[key]);
}

function trainingCell(r) {
  if (r.training_seconds === undefined) return '—';
  const n = r.by_training_seed?.length ?? 1;
  if (n < 2) return `${fixed(r.training_epochs, 2)} ep, ${duration(r.training_seconds)}, ${r.converged ? 'converged' : `not converged (${r.stop_reason ?? 'budget'})`}`;
  const converged = r.by_training_seed.filter((x) => x.converged).length;
  return `means over ${n} training seeds: ${fixed(r.training_epochs, 2)} ep, ${duration(r.training_seconds)}; ${converged} of ${n} converged${converged < n ? ` (${r.stop_reason})` : ''}`;
}

function rowCells(r) {
  return [r.model, LABEL[r.norm] ?? r.norm, r.method, String(r.seeds), withSd(r, 'mean_iflops'), withSd(r, 'p50_iflops'), withSd(r, 'full_depth_rate'), `${ms(r.seconds_per_input * 1000)}${r.time_cached ? ' (cached)' : ''}`, trainingCell(r)];
}

/** The bar's checks for one pair, from its rows; undefined where a row is missing. */
export function pairBar(rows) {
  const get = (m) => rows.find((r) => r.method === m);
  const [g, refine, ilfo, random] = ['deepperform', 'deepperform-refine', 'ilfo', 'random'].map(get);
  if (!ilfo) return {};
  const best = [g, refine].filter(Boolean).reduce((a, b) => (b.mean_iflops > a.mean_iflops ? b : a), { mean_iflops: -Infinity });
  const trainingS = g?.training_seconds;
  return {
    best: best.method,
    beatsIlfo: best.mean_iflops >= ilfo.mean_iflops,
    oneShotBeatsIlfo: g ? g.mean_iflops >= ilfo.mean_iflops : undefined,
    // With random noise at or below 0 % this holds for any non-negative mean; the table shows random's row beside it.
    fiveTimesRandom: random && isNum(random.mean_iflops) ? best.mean_iflops >= 5 * random.mean_iflops : undefined,
    refineShareOfIlfo: refine ? refine.seconds_per_input / ilfo.seconds_per_input : undefined,
    trainingShareOfIlfo1000: isNum(trainingS) ? trainingS / (1000 * ilfo.seconds_per_input) : undefined,
  };
}

export function renderSummary(results) {
  const sec = results.sections?.summary;
  const summary = sec?.data?.summary;
  const cmd = `npm run eval --${results.mode === 'quick' ? ' --quick' : ''} --only=summary`;
  const head = [`## Summary: every method on the same seeds (${sec?.data?.file ?? 'eval/results/summary.json'})`, ''];
  if (!summary?.rows?.length) return [...head, `_Not measured yet: run \`${cmd}\`._`].join('\n');
  const pairs = summary.pairs ?? [];
  const bars = pairs.map((p) => {
    const b = pairBar(summary.rows.filter((r) => r.model === p.model && r.norm === p.norm));
    return [p.model, LABEL[p.norm] ?? p.norm, b.best ?? '—', yesNo(b.beatsIlfo), yesNo(b.oneShotBeatsIlfo), yesNo(b.fiveTimesRandom), pct(b.refineShareOfIlfo), pct(b.trainingShareOfIlfo1000), duration(p.durationS), isNum(p.othersCpus) ? fixed(p.othersCpus, 2) : '—'];
  });
  const absent = (summary.absent ?? []).map((a) => `- ${a.model}, ${LABEL[a.norm] ?? a.norm}: no ${a.method} row. ${a.reason}.`);
  return [
    ...head,
    table(['model', 'norm', 'method', 'seeds', 'mean I-FLOPs', 'p50 I-FLOPs', 'full depth', 'ms / input', 'generator training'], summary.rows.map(rowCells)),
    '',
    'I-FLOPs (Eq. 9) of the real adaptive execution at tau 0.5, over the same test seeds for every method; full depth: the share of inputs that took the model\'s most expensive path. Times per input are wall time of the whole batched generation (for deepperform-refine: G\'s forward pass plus its k steps; for worst-case: every method\'s added up). Generator training: epochs done, wall time, and whether early stopping fired. With several training seeds (generator.train.seed) the generator methods and worst-case are the mean ± sample standard deviation over them (their per-seed values in the file\'s by_training_seed); the other methods ran on the same inputs for every seed.',
    ...(absent.length ? ['', ...absent] : []),
    '',
    table(['model', 'norm', 'best generator method', '>= ILFO', 'one-pass >= ILFO', '>= 5x random', 'refine time / ILFO', 'training / ILFO x 1,000', 'pair run time', 'others\' CPUs busy'], bars),
    '',
    'The bar each pair is read against (the per-input attacks as the standard, and the paper\'s Table 6 trade-off for time): DeepPerform or deepperform-refine at least ILFO\'s mean I-FLOPs and 5x random noise\'s; deepperform-refine at most 10 % of ILFO\'s time per input; the generator\'s training at most ILFO\'s time for 1,000 inputs.',
    '',
    `Command: \`${cmd}\` (resumable: pairs already in the file are kept unless older than the light and baselines results; \`--retrain\` redoes them) · last pair finished ${summary.updatedAt?.slice(0, 10) ?? '—'} · ${sec.machine ? `${sec.machine.cpu}, ${sec.machine.cores} logical CPUs` : '—'} · backend ${sec.backend ?? '—'}`,
  ].join('\n');
}
