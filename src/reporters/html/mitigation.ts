/** The §6 remedies on the page: the detector's card and retraining's before/after table (Table 10). */
import type { SuiteResult } from '../../results/index.js';
import { formatFlops, formatMs, formatPercent } from '../format.js';
import type { RetrainSummary } from '../mitigation.js';
import { factCard, numCell, table } from './markup.js';

export function mitigationSection(s: SuiteResult): string {
  const d = s.mitigation?.detector;
  const r = s.mitigation?.retrain;
  if (!d && !r) return '';
  const parts = ['<h3>Mitigation</h3>'];
  if (d) {
    parts.push(
      '<div class="facts">',
      factCard('Input-validation detector (§6.2)', [
        ['AUC', d.auc.toFixed(4)],
        ['accuracy', formatPercent(d.accuracy)],
        ['extra FLOPs / input', `${formatFlops(d.overheadFlops)} (${d.overheadFlopsPct.toFixed(2)}%)`],
        ['latency / input', formatMs(d.latencyMs)],
        ['seeds (train / test)', `${d.trainSeeds} / ${d.testSeeds}`],
        ...(d.file ? ([['file', d.file]] as [string, string][]) : []),
      ]),
      '</div>',
    );
  }
  if (r) parts.push(retrainTable(r));
  return parts.join('\n');
}

function retrainTable(r: RetrainSummary): string {
  const row = (label: string, before: number, after: number) =>
    `<tr><th scope="row">${label}</th>${numCell(formatPercent(before), before)}${numCell(formatPercent(after), after)}</tr>`;
  const rows = [
    row('mean I-FLOPs', r.before.meanIFlops, r.after.meanIFlops),
    row('max I-FLOPs', r.before.maxIFlops, r.after.maxIFlops),
    row('test accuracy', r.before.accuracy, r.after.accuracy),
  ];
  const caption =
    `<p class="muted">Adversarial retraining (Eq. 12, §6.1): ${r.epochs} epochs on ${r.trainSeeds} training seeds and their generated inputs. ` +
    `"after" I-FLOPs come from a generator trained anew against the retrained model.</p>`;
  return ['<h4>Adversarial retraining</h4>', table('retrain', ['', 'before', 'after'], rows), caption].join('\n');
}
