/**
 * The result file of `npm run bench`: every key of issues 6 and 15 is present,
 * a number (or, for backend / cpu, a string) or null, and every null has a
 * `notes` entry saying why. Pure functions plus an atomic writer.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isNum, ratio, sig } from './stats.mjs';

export const KEYS = [
  'backend',
  'cpu',
  'threads',
  'torch_blas',
  'gen_fwd_ms_per_input_32x32x3',
  'gen_fwd_ms_per_input_28x28x1',
  'gen_fwd_gflops_per_s',
  'gen_train_step_ms_b64',
  'adnn_fwd_ms_b64',
  'adnn_inputgrad_ms_b64',
  'torch_gen_fwd_ms_per_input_32x32x3',
  'torch_gen_train_step_ms_b64',
  'torch_adnn_fwd_ms_b64',
  'torch_adnn_inputgrad_ms_b64',
  'gen_fwd_vs_torch',
  'gen_train_vs_torch',
  'adnn_fwd_vs_torch',
  'adnn_inputgrad_vs_torch',
  'gen_train_light_28_ms_b32',
  'torch_gen_train_light_28_ms_b32',
  'gen_train_light_28_vs_torch',
  'ilfo_ms_per_input',
  'torch_ilfo_ms_per_input',
  'ilfo_vs_torch',
  'generator_epoch_minutes_fmnist',
  'ilfo_s_per_input',
  'deepperform_vs_ilfo_speedup',
  'instrumentation_overhead_pct',
  'default_run_cold_s',
  'default_run_warm_s',
  'peak_rss_mb',
];

const STRING_KEYS = new Set(['backend', 'cpu', 'torch_blas']);

/** Each ratio is ours / PyTorch's, from the two medians of one side-by-side run. */
export const RATIOS = {
  gen_fwd_vs_torch: ['gen_fwd_ms_per_input_32x32x3', 'torch_gen_fwd_ms_per_input_32x32x3'],
  gen_train_vs_torch: ['gen_train_step_ms_b64', 'torch_gen_train_step_ms_b64'],
  adnn_fwd_vs_torch: ['adnn_fwd_ms_b64', 'torch_adnn_fwd_ms_b64'],
  adnn_inputgrad_vs_torch: ['adnn_inputgrad_ms_b64', 'torch_adnn_inputgrad_ms_b64'],
  gen_train_light_28_vs_torch: ['gen_train_light_28_ms_b32', 'torch_gen_train_light_28_ms_b32'],
  ilfo_vs_torch: ['ilfo_ms_per_input', 'torch_ilfo_ms_per_input'],
};

/** The targets (2 cores): ratios to PyTorch for the gradient paths, ILFO and the forward paths; the rest absolute. */
export const TARGETS = {
  gen_fwd_vs_torch: ['<=', 0.8],
  adnn_fwd_vs_torch: ['<=', 0.8],
  gen_train_vs_torch: ['<=', 1.0],
  gen_train_light_28_vs_torch: ['<=', 1.0],
  adnn_inputgrad_vs_torch: ['<=', 1.0],
  ilfo_vs_torch: ['<=', 1.0],
  instrumentation_overhead_pct: ['<=', 5],
  deepperform_vs_ilfo_speedup: ['>=', 100],
  default_run_warm_s: ['<=', 30],
};

/**
 * Completes measured values into the result: fills the ratios, turns anything
 * that is not a finite number (or a non-empty string for backend / cpu /
 * torch_blas) into null, and makes sure every null has a note (the reason
 * given, or a generic one naming what it depends on). `meta` and `details`
 * are carried through. `torchNotComparable` (a note): the PyTorch peer was
 * handicapped (reference BLAS), so every ratio is null with that note, while
 * both sides' times stay recorded. A ratio key present in `values` as null
 * stays null (its section refused it, with a note).
 */
export function finalize(values, notes = {}, meta = {}, details = {}, { torchNotComparable } = {}) {
  const out = { ...meta };
  const allNotes = { ...notes };
  for (const key of KEYS) {
    let v = values[key];
    if (key in RATIOS) {
      const [a, b] = RATIOS[key];
      // A section refuses a ratio by setting it to null with a note (e.g. twins that disagree).
      const refused = key in values && values[key] === null;
      v = torchNotComparable || refused ? null : ratio(values[a], values[b]);
      if (torchNotComparable) allNotes[key] = torchNotComparable;
      else if (v === null && !allNotes[key]) allNotes[key] = `needs both ${a} and ${b}; see their notes`;
    }
    out[key] = STRING_KEYS.has(key) ? (typeof v === 'string' && v !== '' ? v : null) : isNum(v) ? sig(v) : null;
    if (out[key] === null && !allNotes[key]) allNotes[key] = 'not measured in this run (no reason was recorded)';
  }
  out.targets = targetStatus(out);
  out.notes = Object.fromEntries(Object.entries(allNotes).filter(([, n]) => typeof n === 'string' && n !== ''));
  out.details = details;
  return out;
}

/** For each target: the bound and whether the value meets it (null when unmeasured). */
export function targetStatus(result) {
  return Object.fromEntries(
    Object.entries(TARGETS).map(([key, [op, bound]]) => {
      const v = result[key];
      const met = isNum(v) ? (op === '<=' ? v <= bound : v >= bound) : null;
      return [key, { target: `${op} ${bound}`, met }];
    }),
  );
}

/** Problems with a result's shape: missing keys, wrong types, nulls without notes. */
export function shapeProblems(result) {
  const problems = [];
  for (const key of KEYS) {
    if (!(key in result)) problems.push(`${key}: missing`);
    const v = result[key];
    const okType = v === null || (STRING_KEYS.has(key) ? typeof v === 'string' : isNum(v));
    if (!okType) problems.push(`${key}: ${JSON.stringify(v)} is not ${STRING_KEYS.has(key) ? 'a string' : 'a number'} or null`);
    if (v === null && !result.notes?.[key]) problems.push(`${key}: null without a note`);
  }
  return problems;
}

function show(v) {
  if (v === null || v === undefined) return 'null';
  return typeof v === 'number' ? String(v) : v;
}

function rows(result) {
  return KEYS.map((key) => {
    const t = result.targets?.[key];
    const status = t ? `${t.target} ${t.met === null ? '?' : t.met ? 'met' : 'MISSED'}` : '';
    return [key, show(result[key]), status, result.notes?.[key] ?? ''];
  });
}

/** Notes that belong to no key (machine load, quick mode). */
function otherNotes(result) {
  return Object.entries(result.notes ?? {}).filter(([k]) => !KEYS.includes(k));
}

/** Plain-text table for the console. */
export function renderTable(result) {
  const r = rows(result);
  const w0 = Math.max(...r.map((x) => x[0].length));
  const w1 = Math.min(40, Math.max(...r.map((x) => x[1].length)));
  const w2 = Math.max(...r.map((x) => x[2].length));
  const line = (x) => `${x[0].padEnd(w0)}  ${x[1].padStart(w1)}  ${x[2].padEnd(w2)}  ${x[3]}`.trimEnd();
  const extra = otherNotes(result).map(([k, n]) => `${k}: ${n}`);
  return [line(['key', 'value', 'target', 'note']), ...r.map(line), ...(extra.length ? ['', ...extra] : [])].join('\n');
}

function cell(s) {
  return String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Markdown version (bench/results/latest.md). */
export function renderMarkdown(result) {
  const head = [
    `# deepperform bench (${result.mode ?? 'full'} mode)`,
    '',
    `${result.date ?? ''} · node ${result.node ?? '?'} · torch ${result.torch ?? 'absent'} · ${result.cpu ?? '?'} · threads ${result.threads ?? '?'} · backend ${result.backend ?? '?'}`,
    '',
    '| key | value | target | note |',
    '| --- | ---: | --- | --- |',
  ];
  const extra = otherNotes(result).map(([k, n]) => `- **${k}**: ${n}`);
  return [...head, ...rows(result).map((x) => `| ${x.map(cell).join(' | ')} |`), '', ...(extra.length ? [...extra, ''] : [])].join('\n');
}

/** Writes a file atomically: a temporary sibling, then rename over the target. */
export function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
