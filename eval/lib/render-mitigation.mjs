/**
 * Tables 10 and 11 of docs/RESULTS.md (the paper's §6 remedies) from the
 * mitigation section (lib/mitigation.mjs): the retraining per model, every
 * attack before and after it on the same seeds, and the detector with its
 * cross-method AUC. `provenance` and `missing` are render.mjs's lines under
 * each table, passed in so this module needs nothing of it.
 */
import { isEarlyExit, NORMS } from './plan.mjs';
import { duration, fixed, int, mflops, ms, pct, table } from './format.mjs';

/** Attack names as the tables show them, in this order. */
const ATTACKS = [
  ['deepperform', 'DeepPerform'],
  ['deepperform-refine', 'DeepPerform + refine'],
  ['ilfo', 'ILFO'],
  ['ilfo-paper-code', "ILFO as the paper's code ran it"],
  ['deepsloth', 'DeepSloth'],
  ['random', 'random'],
  // Per seed the costliest input of every method above.
  ['worst-case', 'worst case'],
];

function normLabel(norm) {
  return NORMS.find((n) => n.norm === norm)?.label ?? norm;
}

/** The Eq. 12 settings the rows were retrained with (src/mitigation's defaults unless the plan overrides them). */
function retrainSettings(rows) {
  const st = rows?.find((r) => r.settings)?.settings;
  if (!st) return '';
  const hold = st.holdSeeds === undefined ? '' : st.holdSeeds > 0 ? `, seeds held at their original cost with weight ${st.holdSeeds} (holdSeeds, docs/mitigation.md)` : ', no seed-holding term';
  return `Retraining (Eq. 12): ${st.epochs} epochs over ${st.trainSeeds} training-split seeds and their generated inputs, FLOPs weight ${st.flopsWeight}${hold}, Adam lr ${st.learningRate}, batch ${st.batchSize}; "time" is the whole retraining section per model (retraining plus the new generator its own measurement trains).`;
}

/** src/mitigation's IflopsSummary ({ meanIFlops, maxIFlops }) as "mean / max". */
function iflopsCell(x) {
  return x ? `${pct(x.meanIFlops)} / ${pct(x.maxIFlops)}` : '—';
}

/** A suite method's I-FLOPs as "mean / p50". */
function meanP50(m) {
  return m?.iflopsStats ? `${pct(m.iflopsStats.mean)} / ${pct(m.iflopsStats.p50)}` : '—';
}

function retrainTable(rows) {
  const cells = rows.map((r) =>
    r.error
      ? [r.arch, normLabel(r.norm), `error: ${r.error}`, '', '', '', '', '', '']
      : [
          r.arch,
          normLabel(r.norm),
          iflopsCell(r.before),
          iflopsCell(r.after),
          iflopsCell(r.sameInputs),
          `${mflops(r.before?.seedFlops)} → ${mflops(r.after?.seedFlops)}`,
          pct(r.before?.accuracy),
          pct(r.after?.accuracy),
          duration(r.seconds),
        ],
  );
  return table(['model', 'norm', 'I-FLOPs before', 'I-FLOPs after (new generator)', 'after, same inputs', 'seed MFLOPs before → after', 'accuracy before', 'accuracy after', 'time'], cells);
}

/**
 * Every attack's row for one retrained pair: I-FLOPs (mean / p50) and the
 * model's accuracy on the attack's inputs, before and after, on the same seeds.
 */
export function attackRows(pair, suites) {
  const before = suites?.[pair.before];
  const after = suites?.[pair.after];
  const label = normLabel(pair.norm);
  const failed = [before, after].filter((s) => !s || s.status === 'error');
  if (failed.length) {
    const why = failed[0]?.error?.message ?? 'suite not run';
    return [[pair.arch, label, `error: ${why}`, '', '', '', '', '']];
  }
  const seeds = before.config?.seeds ?? '—';
  const rows = [];
  // Methods the tables do not name yet (a baseline added to the plan) follow, under their own names.
  const known = new Set(ATTACKS.map(([name]) => name));
  const extra = [...new Set([...(before.methods ?? []), ...(after.methods ?? [])].map((m) => m.method))].filter((n) => !known.has(n));
  for (const [name, shown] of [...ATTACKS, ...extra.map((n) => [n, n])]) {
    const b = before.methods?.find((m) => m.method === name);
    const a = after.methods?.find((m) => m.method === name);
    if (!b && !a) {
      if (name === 'deepsloth' && !isEarlyExit(pair.arch)) rows.push([pair.arch, label, shown, String(seeds), 'n/a (skipping model)', '', '', '']);
      continue;
    }
    rows.push([pair.arch, label, shown, String(seeds), meanP50(b), meanP50(a), pct(b?.accuracy), pct(a?.accuracy)]);
  }
  rows.push([pair.arch, label, 'none (the seeds)', String(seeds), '—', '—', pct(before.seeds?.accuracy), pct(after.seeds?.accuracy)]);
  return rows;
}

function attacksTable(data) {
  const pairs = data.remedies?.pairs ?? [];
  if (!pairs.length) return '_No per-attack measurement in these results (they predate it): rerun the section._';
  const rows = pairs.flatMap((p) => attackRows(p, data.remedies.suites));
  return table(['model', 'norm', 'attack', 'seeds', 'I-FLOPs before (mean / p50)', 'I-FLOPs after (mean / p50)', 'accuracy on its inputs before', 'after'], rows);
}

/** Cross-method AUC cells: the generator and the per-input attacks on the same first test seeds. */
function crossCells(r) {
  const auc = (name) => (r.attacks?.[name] ? fixed(r.attacks[name].auc, 3) : name === 'deepsloth' && !isEarlyExit(r.arch) ? 'n/a' : '—');
  const seeds = Object.values(r.attacks ?? {})[0]?.seeds;
  return [seeds === undefined ? '—' : String(seeds), auc('deepperform'), auc('ilfo'), auc('deepsloth')];
}

function detectorTable(rows) {
  const cells = rows.map((r) =>
    r.error
      ? [r.arch, normLabel(r.norm), `error: ${r.error}`, '', '', '', '', '', '', '', '', '', '']
      : [r.arch, normLabel(r.norm), fixed(r.auc, 3), pct(r.accuracy), ...crossCells(r), int(r.overheadFlops), `${fixed(r.overheadFlopsPct, 3)}%`, ms(r.latencyMs), ms(r.standaloneLatencyMs)],
  );
  const head = ['model', 'norm', 'AUC', 'accuracy', 'cross-method seeds', 'AUC DeepPerform', 'AUC ILFO', 'AUC DeepSloth', 'overhead FLOPs', 'of mean seed FLOPs', 'detector ms', 'standalone ms'];
  return table(head, cells);
}

export function mitigationTables(results, { provenance, missing }) {
  const sec = results.sections?.mitigation;
  const head10 = '## Table 10: adversarial retraining (Eq. 12)';
  const head11 = '## Table 11: input-validation detector';
  if (!sec || sec.error) return [head10, '', missing(results, 10, ['mitigation']), '', head11, '', missing(results, 11, ['mitigation'])].join('\n');
  if (sec.data?.skipped) {
    const why = `_Not measured: ${sec.data.skipped}._`;
    return [head10, '', why, '', head11, '', why].join('\n');
  }
  const retrain = sec.data.retrain ?? [];
  const seeds = results.plan?.baselineSeeds ?? '?';
  return [
    head10,
    '',
    retrainTable(retrain),
    '',
    'Measured by the suite\'s `mitigation.retrain` section (src/mitigation): I-FLOPs mean / max on the suite\'s test seeds; before, of the generator trained against the original model; after, of a generator trained anew against the retrained one with the same settings; "same inputs": the retrained model on the original generator\'s inputs. I-FLOPs are relative to each model\'s own cost on the seeds (seed MFLOPs). Accuracy on the whole test split.',
    retrainSettings(retrain),
    '',
    `Every attack again on the same ${seeds} test seeds, before retraining (the original model) and after (the retrained one): DeepPerform's light generator trained against each model (after: a new generator, trained against the retrained weights), ILFO and DeepSloth (early-exit models) run against each model, random noise, and every other method the per-input baselines suite runs (its baselines list). Both sides are ordinary suites (eval/remedies/1-before, then 2-after); accuracy is the model's on each attack's inputs.`,
    '',
    attacksTable(sec.data),
    '',
    provenance(results, 10, ['mitigation']),
    '',
    head11,
    '',
    detectorTable(sec.data.detector ?? []),
    '',
    'Linear SVM on the first convolution\'s output, trained on training-split seeds and the light generator\'s inputs, evaluated on test-split ones (src/mitigation): AUC and accuracy on the test seeds. Cross-method: the same detector, never trained on them, scoring the inputs of DeepPerform, ILFO and DeepSloth (early-exit models) for the first test seeds (the per-input baselines\' count), each against those seeds. Overhead: the detector\'s own FLOPs when it reads the convolution the model computes anyway, and its batch-1 time; standalone: with its own copy of the convolution.',
    '',
    provenance(results, 11, ['mitigation']),
  ].join('\n');
}
