#!/usr/bin/env node
/**
 * Renders the study's tables from the committed result files
 * (eval/study/results/*.json) and the per-input baselines on the same seeds
 * (eval/results/latest.json, section baselines) into docs/generator-study.md,
 * between the STUDY:BEGIN and STUDY:END markers (the text around them is
 * written by hand and kept):
 *
 *   node eval/study/render.mjs            # rewrite the tables in docs/generator-study.md
 *   node eval/study/render.mjs --stdout   # print them instead
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { duration, isNum, pct } from '../lib/format.mjs';
import { CONFIGS, MODELS, NORMS } from './plan.mjs';
import { STUDY_FORMAT } from './result.mjs';
import { SEED_DEPENDENT } from '../lib/summary.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BEGIN = '<!-- STUDY:BEGIN (rendered by node eval/study/render.mjs; edits between the markers are lost) -->';
const END = '<!-- STUDY:END -->';

export function readStudy(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((r) => r.format === STUDY_FORMAT);
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation; undefined for one value. */
const sd = (xs) => (xs.length < 2 ? undefined : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** "45.8%" for one training seed, "45.8% ± 3.1" (standard deviation, points) for several. */
export function meanSd(xs) {
  const m = mean(xs);
  const s = sd(xs);
  return s === undefined ? pct(m) : `${pct(m)} ± ${(s * 100).toFixed(1)}`;
}

/**
 * The full-depth rate of a method the study did not run, from its per-seed
 * I-FLOPs and the seeds' own FLOPs (a study run's on the same seeds): the
 * generated input's FLOPs are seed * (1 + I-FLOPs).
 */
export function fullDepthFromIflops(iflops, seedFlops, total) {
  if (!iflops || !seedFlops || iflops.length !== seedFlops.length) return NaN;
  return iflops.filter((v, i) => seedFlops[i] * (1 + v) >= total * (1 - 1e-6)).length / iflops.length;
}

/** The baselines section's methods for (model, norm), with the seeds' mean FLOPs to check they are the study's seeds. */
export function baselineRows(latest, model, normLabel) {
  const suite = latest?.sections?.baselines?.data?.suites?.[`${model}, ${normLabel}, per-input baselines`];
  if (!suite) return undefined;
  return { seedMeanFlops: suite.seeds?.flopsStats?.mean, methods: suite.methods };
}

/** The training protocol of a run (eval/study/plan.mjs PROTOCOL); files without one are protocol 1. */
export const protocolOf = (r) => r.protocol ?? 1;

/** Groups runs by (model, norm, config, budget, protocol): one row per group, its training seeds pooled. */
export function groupRuns(runs) {
  const groups = new Map();
  for (const r of runs) {
    const key = [r.model, r.norm, r.config, JSON.stringify(r.budget), protocolOf(r)].join('|');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return [...groups.values()];
}

function budgetText(b, protocol) {
  return [b.steps && `${b.steps} steps`, b.epochs && `${b.epochs} epochs`, b.minutes && `${b.minutes} min`, `p${protocol}`].filter(Boolean).join(', ');
}

function studyRow(group) {
  const e = (k) => group.map((r) => r.evaluation[k]);
  const t = (k) => group.map((r) => r.training[k]);
  const first = group[0];
  return `| ${first.config} | ${budgetText(first.budget, protocolOf(first))} | ${group.length} | ${meanSd(e('meanIflops'))} | ${meanSd(e('p50Iflops'))} | ${meanSd(e('fullDepthRate'))} | ${meanSd(t('bestValidationIflops'))} | ${Math.round(mean(t('steps')))} | ${duration(mean(t('seconds')))} |`;
}

function referenceRows(base, seedFlops, total) {
  if (!base) return ['| (no baselines for this pair in eval/results/latest.json) | | | | | | | | |'];
  return base.methods
    // The baselines suite has one generator: its methods would compare the study with one training seed.
    .filter((m) => !SEED_DEPENDENT.includes(m.method))
    .map((m) => {
      const fd = fullDepthFromIflops(m.iflops, seedFlops, total);
      return `| **${m.method}** (eval) | | | ${pct(m.iflopsStats.mean)} | ${pct(m.iflopsStats.p50)} | ${isNum(fd) ? pct(fd, 0) : '—'} | | | |`;
    });
}

/** The markdown of every (model, norm) table with runs, configurations in plan order. */
export function renderTables(runs, latest) {
  // Base configurations in plan order, each followed by its variants (by name).
  const order = (c) => {
    const [base] = c.split('+');
    return `${String(Object.keys(CONFIGS).indexOf(base)).padStart(3, '0')}${c}`;
  };
  const out = [];
  for (const model of MODELS) {
    for (const n of NORMS) {
      const here = runs.filter((r) => r.model === model && r.norm === n.norm);
      if (!here.length) continue;
      const groups = groupRuns(here).sort((a, b) => protocolOf(a[0]) - protocolOf(b[0]) || order(a[0].config).localeCompare(order(b[0].config)) || JSON.stringify(a[0].budget).localeCompare(JSON.stringify(b[0].budget)));
      const ref = here[0].evaluation;
      const base = baselineRows(latest, model, n.label);
      out.push(`### ${model}, ${n.label} (eps ${here[0].epsilon}), tau ${here[0].threshold}`, '');
      if (base && base.seedMeanFlops !== ref.seedMeanFlops) {
        out.push(`**Seed mismatch:** the baselines' seeds average ${base.seedMeanFlops} FLOPs, the study's ${ref.seedMeanFlops}; the rows below do not compare seed for seed.`, '');
      }
      out.push(
        '| configuration | budget | training seeds | mean I-FLOPs | p50 | full depth | best validation | steps | training time |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...groups.map(studyRow),
        ...referenceRows(base, ref.seedFlops, ref.totalFlops),
        '',
      );
    }
  }
  return out.join('\n');
}

/** Median of a list. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The gradient diagnostic (eval/study/gradients.mjs): per model and loss, the
 * median per-input gradient norm of the `top` seeds whose first exit is most
 * confident against the others', and their ratio.
 */
export function renderGradients(diagnostics, top = 20) {
  if (!diagnostics.length) return '';
  const out = [
    `| model | L_perf | median ‖∇x L‖, ${top} most confident seeds | median, the other seeds | ratio |`,
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const d of diagnostics) {
    const c = d.firstExitConfidence;
    const order = c.map((_, i) => i).sort((a, b) => c[b] - c[a]);
    const [hi, lo] = [order.slice(0, top), order.slice(top)];
    for (const [loss, { gradientNorm: g }] of Object.entries(d.losses)) {
      const a = median(hi.map((i) => g[i]));
      const b = median(lo.map((i) => g[i]));
      out.push(`| ${d.model} | ${loss} | ${a.toExponential(2)} | ${b.toExponential(2)} | ${(a / b).toPrecision(2)} |`);
    }
  }
  return out.join('\n');
}

/** The document with the tables between the markers replaced (markers appended when absent). */
export function withTables(doc, tables) {
  const block = `${BEGIN}\n\n${tables}\n${END}`;
  const a = doc.indexOf(BEGIN.slice(0, 20));
  const b = doc.indexOf(END);
  if (a < 0 || b < 0) return `${doc.trimEnd()}\n\n${block}\n`;
  return `${doc.slice(0, a)}${block}${doc.slice(b + END.length)}`;
}

function main() {
  const runs = readStudy(join(ROOT, 'eval/study/results'));
  const latestFile = join(ROOT, 'eval/results/latest.json');
  const latest = existsSync(latestFile) ? JSON.parse(readFileSync(latestFile, 'utf8')) : undefined;
  const diagDir = join(ROOT, 'eval/study/diagnostics');
  const diagnostics = existsSync(diagDir)
    ? readdirSync(diagDir).filter((f) => f.startsWith('gradients-') && f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(diagDir, f), 'utf8')))
    : [];
  const gradients = renderGradients(diagnostics);
  const tables = `${renderTables(runs, latest)}${gradients ? `\n### Per-input gradient size at the seeds (node eval/study/gradients.mjs)\n\n${gradients}\n` : ''}`;
  if (process.argv.includes('--stdout')) return console.log(tables);
  const file = join(ROOT, 'docs/generator-study.md');
  writeFileSync(file, withTables(existsSync(file) ? readFileSync(file, 'utf8') : '# Generator study\n', tables));
  console.log(`wrote ${file} (${runs.length} runs)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
