/**
 * Fact cards of a suite: model, configuration, generator training, and the
 * measurements beyond FLOPs (latency, energy, the FLOPs-latency correlation).
 */
import type { Aggregates, SuiteResult, TrainingSummary } from '../../results/index.js';
import { html } from '../escape.js';
import { DASH, formatFlops, formatLoss, formatMs, formatPercent, formatDuration } from '../format.js';
import { formatEpochs, positionText, rateText, sourceText, stopReasonText } from '../training.js';
import { factCard, numCell, table, type Fact } from './markup.js';

/** Shows 8/255-style budgets as such, since that is how users write them. */
export function formatEpsilon(eps: number): string {
  if (!Number.isFinite(eps)) return DASH;
  const shown = String(Number(eps.toPrecision(4)));
  const k = Math.round(eps * 255);
  const isFraction = k > 0 && k < 255 && Math.abs(eps * 255 - k) < 1e-6;
  return isFraction ? `${shown} (${k}/255)` : shown;
}

export function modelFacts(s: SuiteResult): string {
  const m = s.model;
  const blockFlops = m.blocks.reduce((sum, b) => sum + b.flops, 0);
  return factCard('Model', [
    ['name', m.name],
    ['arch', m.arch],
    ['kind', m.kind],
    ['blocks', String(m.blocks.length)],
    ['base FLOPs', formatFlops(m.baseFlops)],
    ['all blocks FLOPs', formatFlops(m.baseFlops + blockFlops)],
  ]);
}

export function configFacts(s: SuiteResult): string {
  const c = s.config;
  return factCard('Configuration', [
    ['dataset', c.dataset],
    ['split', c.split],
    ['seeds', String(c.seeds)],
    ['norm', c.norm],
    ['epsilon', formatEpsilon(c.epsilon)],
    ['threshold', String(c.threshold)],
    ['seed', String(c.seed)],
  ]);
}

export function trainingFacts(t: TrainingSummary): string {
  const facts: Fact[] = [['source', sourceText(t)]];
  // This run's training figures only when it trained; a loaded generator's
  // come from its record.
  if (t.source === 'trained') {
    const l = t.finalLosses;
    facts.push(
      ['training time', formatDuration(t.durationMs)],
      ['final loss', loss(l.total)],
      ['perf / GAN / pert', `${loss(l.perf)} / ${loss(l.gan)} / ${loss(l.pert)}`],
      ['discriminator loss', loss(l.discriminator)],
    );
  }
  const r = t.record;
  if (!r) {
    facts.push(['training record', 'not available']);
    return factCard('Generator', facts);
  }
  facts.push(
    ['converged', r.converged ? 'yes (early stopping fired)' : 'no'],
    ['stop reason', stopReasonText(r)],
    ['epochs', `${formatEpochs(r.epochs)} (${r.steps} steps)`],
    ['best validation I-FLOPs', positionText(r.best)],
    ['last validation I-FLOPs', positionText(r.last)],
    ['validation inputs', String(r.validationInputs)],
    ['learning rate', rateText(r)],
  );
  if (t.source !== 'trained') facts.push(['training time (then)', formatDuration(r.durationMs)]);
  return factCard('Generator', facts);
}

/** The suite's warnings (not failures): early stopping out of reach, training that ended at its budget, no record. */
export function warningsBlock(s: SuiteResult): string {
  const ws = s.warnings ?? [];
  if (ws.length === 0) return '';
  return `<div class="warning-box"><strong>Warning${ws.length === 1 ? '' : 's'}</strong><ul>${ws.map((w) => `<li data-kind="${html(w.kind)}">${html(w.message)}</li>`).join('')}</ul></div>`;
}

/** Losses may be NaN in memory or null after a JSON round trip (merge-reports). */
function loss(n: number | null): string {
  return isFiniteNumber(n) ? formatLoss(n) : DASH;
}

function isFiniteNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** Latency, energy and the correlation, or why they were not measured. */
export function extrasSection(s: SuiteResult): string {
  const parts = [latencyPart(s), energyPart(s), correlationPart(s)].filter((p) => p !== '');
  if (parts.length === 0) return '';
  return ['<h3>Latency, energy and the FLOPs proxy</h3>', '<div class="extras">', ...parts, '</div>'].join('\n');
}

function latencyPart(s: SuiteResult): string {
  const seeds = s.seeds?.latencyStats;
  if (!seeds) return s.unmeasured?.latency ? notMeasured('latency', s.unmeasured.latency) : '';
  const n = s.seeds?.latencyMs?.length ?? 0;
  const rows = [statRow('seeds', seeds, formatMs, undefined)];
  for (const m of s.methods) {
    if (m.latencyStats) rows.push(statRow(m.method, m.latencyStats, formatMs, m.ilatencyStats));
  }
  const head = ['set', 'median', 'p95', 'max', 'mean I-latency', 'max I-latency'];
  return `<div class="extra latency"><h4>Latency (batch 1, ${n} inputs)</h4>\n${table('latency', head, rows)}</div>`;
}

function statRow(label: string, a: Aggregates, fmt: (n: number) => string, increase: Aggregates | undefined): string {
  const inc = increase
    ? numCell(formatPercent(increase.mean), increase.mean) + numCell(formatPercent(increase.max), increase.max)
    : `<td class="num">${DASH}</td><td class="num">${DASH}</td>`;
  return `<tr><th scope="row">${html(label)}</th>${numCell(fmt(a.p50), a.p50)}${numCell(fmt(a.p95), a.p95)}${numCell(fmt(a.max), a.max)}${inc}</tr>`;
}

function energyPart(s: SuiteResult): string {
  const seeds = s.seeds?.energyStats;
  if (!seeds) return s.unmeasured?.energy ? notMeasured('energy', s.unmeasured.energy) : '';
  const joules = (n: number) => `${n.toExponential(3)} J`;
  const rows = [statRow('seeds', seeds, joules, undefined)];
  for (const m of s.methods) {
    if (m.energyStats) rows.push(statRow(m.method, m.energyStats, joules, m.ienergyStats));
  }
  const head = ['set', 'median', 'p95', 'max', 'mean I-energy', 'max I-energy'];
  return `<div class="extra energy"><h4>Energy per input</h4>\n${table('energy', head, rows)}</div>`;
}

function notMeasured(what: string, why: string): string {
  return `<div class="extra"><h4>${html(what)}</h4><p class="muted">not measured: ${html(why)}</p></div>`;
}

/** Pearson r of FLOPs with latency (the paper's Table 2): does FLOPs predict time here? */
function correlationPart(s: SuiteResult): string {
  const c = s.correlation;
  if (!c) return '';
  const body = isFiniteNumber(c.r)
    ? `<p class="corr">r = <b data-value="${c.r}">${c.r.toFixed(3)}</b> over ${c.n} seeds. ${html(readCorrelation(c.r))}</p>`
    : `<p class="muted">r cannot be computed over ${c.n} ${c.n === 1 ? 'seed' : 'seeds'}${c.reason ? `: ${html(c.reason)}` : ''}</p>`;
  return `<div class="extra"><h4>FLOPs-latency correlation</h4>${body}</div>`;
}

function readCorrelation(r: number): string {
  if (r >= 0.7) return 'FLOPs predict latency well on this machine.';
  if (r >= 0.3) return 'FLOPs predict latency only roughly on this machine.';
  return 'FLOPs do not predict latency on this machine; read the latency figures.';
}
