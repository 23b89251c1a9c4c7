import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HtmlReporter, renderHtml } from './html.js';
import { chartRun, chartSuite, QUOTES_SUITE, run, worstCaseSuite, XSS_METHOD } from './test-fixtures.js';

let page: string;
let charts: string;

beforeAll(async () => {
  [page, charts] = await Promise.all([renderHtml(run), renderHtml(chartRun)]);
});

/** The markup of suite number `n` (1-based). */
function section(doc: string, n: number): string {
  const start = doc.indexOf(`<section class="suite`, doc.indexOf(`id="suite-${n}"`) - 60);
  return doc.slice(start, doc.indexOf('</section>', start));
}

/** The markup of the first `<table class="cls">` in doc. */
function tableOf(doc: string, cls: string): string {
  const start = doc.indexOf(`<table class="${cls}">`);
  expect(start, `table.${cls}`).toBeGreaterThanOrEqual(0);
  return doc.slice(start, doc.indexOf('</table>', start));
}

/** [text, data-value] of every `<td>` in a table row whose header cell is `label`. */
function rowCells(doc: string, label: string): [string, string | undefined][] {
  const row = new RegExp(`<tr[^>]*><th scope="row">${label}</th>(.*?)</tr>`).exec(doc)![1]!;
  return [...row.matchAll(/<td class="[^"]*"(?: data-value="([^"]*)")?>(.*?)<\/td>/g)].map((m) => [m[2]!, m[1]]);
}

function pngs(doc: string): { alt: string; png: PNG; width: string; height: string }[] {
  return [...doc.matchAll(/<img src="data:image\/png;base64,([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)">/g)].map((m) => ({
    png: PNG.sync.read(Buffer.from(m[1]!, 'base64')),
    width: m[2]!,
    height: m[3]!,
    alt: m[4]!,
  }));
}

describe('renderHtml: escaping and self-containment', () => {
  it('escapes a suite named like an XSS payload and an assertion holding <script>', () => {
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('p95 I-FLOPs &lt; 80% &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('escapes the hostile suite name, file and messages, dropping control characters', () => {
    expect(page).toContain('SkipNet &lt;smoke&gt; &amp; &quot;double&quot; &#39;single&#39; ]]&gt; bell 🚀 Übergröße');
    expect(page).toContain('suites/skip &quot;net&quot;/a&amp;b &lt;c&gt;.perf.yaml');
    expect(page).toContain('Cannot read weights &lt;w.bin&gt; &amp; retry');
    expect(page).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('escapes a hostile method name in tables, image captions and chart legends', () => {
    const escaped = '&lt;svg onload=alert(2)&gt;&quot;m&amp;m&quot;';
    expect(charts).not.toContain('<svg onload');
    expect(charts).toContain(`<tr data-set="${escaped}"><th scope="row">${escaped}</th>`);
    expect(charts).toContain(`alt="${escaped} perturbation for seed 1"`);
    // Vega writes SVG text content with < and & escaped (quotes need no escaping there).
    expect(charts).toMatch(/<text[^>]*>&lt;svg onload=alert\(2\)&gt;"m&amp;m"<\/text>/);
    expect(charts).toContain(`${QUOTES_SUITE.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/>/g, '&gt;')}</h2>`);
  });

  it('has one script, the filter, allowed by its hash and nothing else', () => {
    const scripts = [...charts.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(charts.match(/<script/g)).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(charts)![1]!;
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    // No inline event handler attribute anywhere (escaped text and attribute values aside).
    const tags = charts.replace(/>[^<]*</g, '><').replace(/="[^"]*"/g, '=""');
    expect(tags).toContain(' data-filter=""');
    expect(tags).not.toMatch(/\son[a-z]+=/i);
  });

  it('loads nothing from elsewhere: no URLs, links, frames; images only as PNG data: URIs', () => {
    for (const doc of [page, charts]) {
      expect(doc).not.toMatch(/https?:\/\//);
      expect(doc).not.toMatch(/<(link|iframe|object|embed|foreignObject)\b/i);
      expect(doc).not.toMatch(/url\(|@import|xlink:href|\shref="(?!#suite-\d+")/);
      for (const [tag] of doc.matchAll(/<img\b[^>]*>/g)) expect(tag).toMatch(/^<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    }
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('is valid HTML5 (html-validate, recommended rules but inline styles)', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off' } });
    for (const doc of [page, charts]) {
      const report = await validator.validateString(doc);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });
});

describe('renderHtml: summary, filter and environment', () => {
  it('shows overall status and the environment', () => {
    expect(page).toContain('<span class="badge failed">failed</span></h1>');
    expect(page).toContain('<p class="summary-line">3 suites, 5 assertions, in 14.1s</p>');
    for (const fact of [
      '<dt>backend</dt><dd>wasm</dd>',
      '<dt>tool version</dt><dd>0.1.0</dd>',
      '<dt>cpu</dt><dd>Test CPU @ 2.0GHz</dd>',
      '<dt>cores</dt><dd>2</dd>',
      '<dt>node</dt><dd>v20.20.2</dd>',
      '<dt>platform</dt><dd>linux-x64</dd>',
      '<dt>started</dt><dd>2025-03-04T05:06:07.890Z</dd>',
    ]) {
      expect(page).toContain(fact);
    }
  });

  it('has summary chips that are the status filter', () => {
    // Suites: 1 passed, 1 failed, 1 errored; assertions: 2 passed, 1 failed, 1 warned, 1 skipped.
    const chips = [...page.matchAll(/<button type="button" class="chip ([a-z ]+)" data-filter="([a-z-]+)" aria-pressed="true"><b>(\d+)<\/b>/g)];
    expect(chips.map((m) => [m[2], Number(m[3])])).toEqual([
      ['suite-passed', 1],
      ['suite-failed', 1],
      ['suite-error', 1],
      ['assert-passed', 2],
      ['assert-failed', 1],
      ['assert-warn', 1],
      ['assert-skipped', 1],
    ]);
    expect(page).toContain('body.hide-assert-failed table.assertions tr.failed');
  });

  it("lists each suite with its status, file and seed", () => {
    expect(page).toContain('<li class="error"><span class="badge error">error</span> <a href="#suite-3">broken suite</a>');
    expect(page).toContain('<span class="muted">seed 42</span></li>');
    expect(section(charts, 2)).toContain('· seed 7</p>');
  });
});

describe('renderHtml: suite content', () => {
  it('has one section per suite with model, config and training facts', () => {
    expect(page.match(/<section class="suite /g)).toHaveLength(3);
    expect(page).toContain('<dt>arch</dt><dd>resnet8-gated</dd>');
    expect(page).toContain('<dt>base FLOPs</dt><dd>10.0M</dd>');
    // 10M + 2 x 9,437,184 + 2 x 4,718,592 = 38,311,552
    expect(page).toContain('<dt>all blocks FLOPs</dt><dd>38.3M</dd>');
    expect(page).toContain('<dt>epsilon</dt><dd>0.03137 (8/255)</dd>');
    expect(page).toContain('<dt>threshold</dt><dd>0.5</dd>');
    expect(page).toContain('<dt>source</dt><dd>trained in this run</dd>');
    expect(page).toContain('<dt>training time</dt><dd>1m 05s</dd>');
    expect(page).toContain('<dt>perf / GAN / pert</dt><dd>0.1250 / 0.2500 / 0.0000</dd>');
    // From the training record: not converged, where and why it stopped, best and last.
    expect(page).toContain('<dt>converged</dt><dd>no</dd>');
    expect(page).toContain('<dt>stop reason</dt><dd>stopped at the step budget (not converged)</dd>');
    expect(page).toContain('<dt>epochs</dt><dd>50 (500 steps)</dd>');
    expect(page).toContain('<dt>best validation I-FLOPs</dt><dd>35.0% ± 2.0% at step 300 (epoch 30)</dd>');
    expect(page).toContain('<dt>last validation I-FLOPs</dt><dd>34.5% ± 2.0% at step 500 (epoch 50)</dd>');
    expect(page).toContain('<dt>learning rate</dt><dd>1e-3 -&gt; 1e-4</dd>');
  });

  it('shows the suite warnings in a box, escaped', () => {
    expect(section(page, 1)).toContain(
      '<div class="warning-box"><strong>Warning</strong><ul><li data-kind="not-converged">the generator did not converge: training stopped at its step budget &lt;500&gt; &amp; more</li></ul></div>',
    );
    expect(section(charts, 2)).not.toContain('warning-box');
  });

  it('a cached generator shows its record: converged, and the training time it took then', () => {
    const s = section(charts, 2);
    expect(s).toContain('<dt>converged</dt><dd>yes (early stopping fired)</dd>');
    expect(s).toContain('<dt>best validation I-FLOPs</dt><dd>25.0% ± 2.0% at step 30 (epoch 3)</dd>');
    expect(s).toContain('<dt>learning rate</dt><dd>1e-3 -&gt; 1e-5</dd>');
    expect(s).toContain('<dt>training time (then)</dt><dd>4.0s</dd>');
  });

  it('shows a cached generator without the NaN losses of a training that did not happen', () => {
    const s = section(charts, 2);
    expect(s).toContain('<dt>source</dt><dd>loaded from the cache</dd>');
    expect(s).not.toContain('<dt>final loss</dt>');
    expect(s).not.toMatch(/NaN|null/);
  });

  it('lists assertions with status, expected, found (with its raw value) and message', () => {
    expect(page).toContain(
      '<tr class="failed"><td class="status">✗ failed</td><td><code>mean I-FLOPs &gt; 50%</code></td><td>&gt; 50%</td>' +
        '<td class="found" data-value="0.372">37.2%</td><td>mean I-FLOPs of &quot;deepperform&quot; was 37.2% &amp; not &gt; 50%</td></tr>',
    );
    expect(page).toContain('<tr class="warn"><td class="status">! warning</td><td><code>block coverage &gt; 0.9</code> <span class="level">warn</span></td>');
    // A skipped assertion has no value: no data-value, a dash.
    expect(page).toContain('<tr class="skipped"><td class="status">↓ skipped</td><td><code>mean I-energy &lt; 5%</code></td><td>&lt; 5%</td><td class="found">—</td>');
  });

  it('has the method table with the numbers the console shows and the raw values', () => {
    expect(rowCells(section(page, 1), 'deepperform')).toEqual([
      ['8', '8'],
      ['48.0M', '48000000'],
      ['37.2%', '0.372'],
      ['30.0%', '0.3'],
      ['95.0%', '0.95'],
      ['25.0%', '0.25'],
      ['87.5%', '0.875'],
      ['100.0%', '1'],
      ['50.0%', '0.5'],
      ['1.25', '1.25'],
      ['0.0314', '0.0314'],
      ['0.42 ms', '0.42'],
    ]);
    expect(rowCells(section(page, 1), 'seeds').slice(0, 3)).toEqual([
      ['2', '2'],
      ['35.0M', '35000000'],
      ['—', undefined],
    ]);
  });

  it('shows the worst case as its own row, with p50 and full-depth, the n of a subset, and where its inputs came from', async () => {
    const doc = await renderHtml({ ...run, suites: [worstCaseSuite] });
    const metrics = tableOf(doc, 'metrics');
    expect(metrics).toContain('<th scope="col">p50 I-FLOPs</th>');
    expect(metrics).toContain('<th scope="col">full-depth</th>');
    expect(rowCells(metrics, 'worst-case').slice(0, 6)).toEqual([
      ['4', '4'],
      ['48.0M', '48000000'],
      ['162.5%', '1.625'],
      ['185.0%', '1.85'],
      ['280.0%', '2.8'],
      ['75.0%', '0.75'],
    ]);
    expect(rowCells(metrics, 'ilfo')[0]).toEqual(['2', '2']);
    expect(doc).toContain('<p class="muted worst-case">worst-case: per seed the costliest input of any method; from deepperform 2, ilfo 2 (of 4 seeds)</p>');
  });

  it('shows latency, the correlation and why energy was not measured', () => {
    const s = section(charts, 2);
    const latency = tableOf(s, 'latency');
    expect(rowCells(latency, 'seeds')).toEqual([
      ['2.5 ms', '2.5'],
      ['4.0 ms', '4'],
      ['4.0 ms', '4'],
      ['—', undefined],
      ['—', undefined],
    ]);
    expect(rowCells(latency, 'deepperform')).toEqual([
      ['3.5 ms', '3.5'],
      ['5.0 ms', '5'],
      ['5.0 ms', '5'],
      ['50.0%', '0.5'],
      ['100.0%', '1'],
    ]);
    expect(s).toContain('<h4>Latency (batch 1, 4 inputs)</h4>');
    expect(s).toContain('r = <b data-value="0.875">0.875</b> over 4 seeds. FLOPs predict latency well on this machine.');
    expect(s).toContain('not measured: no power sensor &lt;rapl&gt; here');
  });

  it('has the threshold sensitivity numbers under the chart', () => {
    const s = section(charts, 2);
    expect(s).toContain('<th scope="col">τ = 0.3</th><th scope="col">τ = 0.5</th><th scope="col">τ = 0.7</th>');
    const max = /<tr><th scope="row">deepperform<\/th><td>max I-FLOPs<\/td>(.*?)<\/tr>/.exec(s)![1]!;
    expect(max).toBe('<td class="num" data-value="0.25">25.0%</td><td class="num" data-value="1">100.0%</td><td class="num" data-value="1.5">150.0%</td>');
  });

  it('shows per-block activation bars', () => {
    expect(page).toContain('<summary>Blocks (4)</summary>');
    expect(page).toContain('<td>block3 &lt;x&gt;</td><td class="num" data-value="4718592">4.72M</td>');
    expect(page).toContain('<span class="bar" style="width:75.0%"></span><span class="v">75.0%</span>');
  });

  it('shows the error of a crashed suite and draws no charts for it', () => {
    const s = section(page, 3);
    expect(s).toContain('<div class="error-box"><strong>Cannot read weights &lt;w.bin&gt; &amp; retry</strong><pre>Error: Cannot read weights');
    expect(s).not.toContain('<svg');
  });
});

describe('renderHtml: charts', () => {
  it('draws the four charts of a suite as inline SVG with marks', () => {
    const s = section(charts, 2);
    for (const kind of ['flops', 'activation', 'sensitivity', 'training']) {
      const chart = new RegExp(`<div class="chart chart-${kind}">\\n<figure><h4>[^<]+</h4>(<svg[\\s\\S]*?</svg>)`).exec(s);
      expect(chart, kind).not.toBeNull();
      expect(chart![1]).toMatch(/^<svg role="img" aria-label="[^"]+" version="1.1" class="marks" width="\d+" height="\d+"/);
      expect(chart![1]).toMatch(/<g class="mark-(rect|line|symbol) role-mark[^"]*"[^>]*><path /);
    }
  });

  it('draws the training curve: its band, line, points and the best-validation rule', () => {
    const svg = /chart-training">[\s\S]*?(<svg[\s\S]*?<\/svg>)/.exec(section(charts, 2))![1]!;
    for (const mark of ['area', 'line', 'symbol', 'rule']) expect(svg, mark).toMatch(new RegExp(`<g class="mark-${mark} role-mark`));
    // One point per validation (8 in the fixture).
    expect(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!.match(/<path /g)).toHaveLength(8);
  });

  it('draws the FLOPs distribution as bars, one per set and FLOPs level', () => {
    const s = section(charts, 2);
    const svg = /chart-flops">[\s\S]*?(<svg[\s\S]*?<\/svg>)/.exec(s)![1]!;
    // seeds: 20M, 30M, 40M; deepperform: 30M, 40M; the hostile method: 20M, 30M, 40M.
    const bars = /<g class="mark-rect role-mark marks"[^>]*>(.*?)<\/g>/.exec(svg)![1]!;
    expect(bars.match(/<path d="M[^"]*" fill="#(2da44e|cf222e|0969da)"\/>/g)).toHaveLength(8);
    for (const label of ['20M', '30M', '40M']) expect(svg).toContain(`>${label}</text>`);
  });

  it('labels block activation by block name and in model order', () => {
    const svg = /chart-activation">[\s\S]*?(<svg[\s\S]*?<\/svg>)/.exec(section(charts, 2))![1]!;
    const labels = [...svg.matchAll(/>(block\d[^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['block1', 'block2', 'block3 &lt;x&gt;', 'block4']);
  });
});

describe('renderHtml: image grid', () => {
  const chartSamples = chartSuite.samples!;

  it('has per sample the seed, then per method the input and its perturbation', () => {
    const images = pngs(section(charts, 2));
    // 2 samples x (1 seed + 2 methods x 2 images)
    expect(images).toHaveLength(chartSamples.seeds.length * (1 + 2 * chartSamples.generated.length));
    expect(images.slice(0, 5).map((i) => i.alt)).toEqual([
      'seed 1',
      'deepperform input for seed 1',
      'deepperform perturbation for seed 1',
      `${XSS_METHOD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')} input for seed 1`,
      `${XSS_METHOD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')} perturbation for seed 1`,
    ]);
    // 2x2 pixels drawn at 84x84 CSS pixels (42x), crisp.
    expect(images.every((i) => i.png.width === 2 && i.png.height === 2 && i.width === '84' && i.height === '84')).toBe(true);
    expect(charts).toContain('image-rendering:pixelated');
  });

  it('encodes the pixels worked out by hand', () => {
    const images = pngs(section(charts, 2));
    const grey = (png: PNG) => [0, 1, 2, 3].map((i) => png.data[i * 4]);
    // seed [0, 0.2, 0.6, 1] in [0, 1]
    expect(grey(images[0]!.png)).toEqual([0, 51, 153, 255]);
    // deepperform [0.4, 0.2, 0.4, 1]
    expect(grey(images[1]!.png)).toEqual([102, 51, 102, 255]);
    // diff [0.4, 0, -0.2, 0], largest 0.4 at 255, 0 at 128, -0.2 at 127.5 - 63.75 = 63.75 -> 64
    expect(grey(images[2]!.png)).toEqual([255, 128, 64, 128]);
    // pixel (x 0, y 1) of the perturbation, as a grey PNG decoded to RGBA
    expect([...images[2]!.png.data.subarray(8, 12)]).toEqual([64, 64, 64, 255]);
    // The hostile method left sample 0 unchanged: all mid-grey.
    expect(grey(images[4]!.png)).toEqual([128, 128, 128, 128]);
  });

  it('captions each image with its cost, gain and largest change', () => {
    const s = section(charts, 2);
    // seed index 1 costs 20M; deepperform's I-FLOPs for it is 1 (100%); largest change 0.4
    expect(s).toContain('<figcaption>#1 · 20.0M</figcaption>');
    expect(s).toContain('<figcaption>I-FLOPs +100.0%</figcaption>');
    expect(s).toContain('<figcaption>max |δ| 0.400</figcaption>');
    expect(s).toContain('<figcaption>unchanged</figcaption>');
  });
});

describe('renderHtml: shards, saved results and comparisons', () => {
  it('names the shard, the saved result file and the bound of a comparison', async () => {
    const suite = {
      ...chartSuite,
      saved: { file: 'suites/__saved__/charts & co.json', action: 'compared' as const },
      assertions: [
        {
          source: 'mean I-FLOPs >= 1.5x ilfo',
          level: 'error' as const,
          status: 'failed' as const,
          metric: 'mean I-FLOPs',
          expected: '>= 1.5x ilfo (45.0%)',
          value: 0.4375,
          actual: '43.8%',
          comparison: { against: 'ilfo', reference: 0.3, factor: 1.5, offset: 0, bound: 0.45 },
        },
      ],
    };
    const doc = await renderHtml({ ...run, suites: [suite], shard: { index: 2, total: 3 } });
    expect(doc).toContain('<p class="summary-line">1 suite, 1 assertion, in 14.1s · shard 2 of 3</p>');
    expect(doc).toContain('· seed 7 · saved result compared with <code>suites/__saved__/charts &amp; co.json</code></p>');
    expect(doc).toContain('<td data-bound="0.45">&gt;= 1.5x ilfo (45.0%)</td><td class="found" data-value="0.4375">43.8%</td>');
  });
});

describe('renderHtml: results read back from JSON (merge-reports)', () => {
  it('shows a dash, never NaN or null, where JSON turned NaN into null', async () => {
    const roundTrip = JSON.parse(JSON.stringify(chartRun)) as typeof chartRun;
    roundTrip.suites[1]!.methods[0]!.iflopsStats.mean = null as unknown as number;
    roundTrip.suites[1]!.correlation = { r: null as unknown as number, n: 1, reason: 'one seed' };
    const doc = await renderHtml(roundTrip);
    const text = doc.replace(/<[^>]*>/g, ' ');
    expect(text).not.toMatch(/\b(NaN|null|undefined|Infinity)\b/);
    expect(rowCells(section(doc, 2), 'deepperform')[2]).toEqual(['—', undefined]);
    expect(section(doc, 2)).toContain('<p class="muted">r cannot be computed over 1 seed: one seed</p>');
  });
});

describe('HtmlReporter', () => {
  it('writes <outputDir>/index.html, or the file it is given, and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-html-'));
    try {
      const paths = await new HtmlReporter({ outputDir: dir }).onRunEnd(run);
      expect(paths).toEqual([join(dir, 'index.html')]);
      expect(await readFile(paths[0]!, 'utf8')).toBe(page);
      const custom = join(dir, 'sub', 'report.html');
      expect(await new HtmlReporter({ outputDir: dir, file: custom }).onRunEnd(run)).toEqual([custom]);
      expect((await readdir(dir)).sort()).toEqual(['index.html', 'sub']);
      expect(await readdir(join(dir, 'sub'))).toEqual(['report.html']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
