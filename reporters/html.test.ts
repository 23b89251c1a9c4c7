import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HtmlReporter, renderHtml } from './html.js';
import { run } from './test-fixtures.js';

const page = renderHtml(run);

describe('renderHtml: escaping', () => {
  it('escapes a suite named like an XSS payload and an assertion holding <script>', () => {
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).toContain('p95 I-FLOPs &lt; 80% &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).not.toMatch(/<script/i);
  });

  it('escapes the hostile suite name and file, dropping control characters', () => {
    expect(page).toContain(
      'SkipNet &lt;smoke&gt; &amp; &quot;double&quot; &#39;single&#39; ]]&gt; bell 🚀 Übergröße',
    );
    expect(page).toContain('suites/skip &quot;net&quot;/a&amp;b &lt;c&gt;.perf.yaml');
    expect(page).toContain('Cannot read weights &lt;w.bin&gt; &amp; retry');
    expect(page).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('is self-contained: no external URLs, links or scripts', () => {
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<(link|iframe|img|script|object|embed)\b/i);
    expect(page).not.toMatch(/url\(/);
    expect(page.startsWith('<!doctype html>')).toBe(true);
  });
});

describe('renderHtml: content', () => {
  it('shows overall status, environment and summary chips', () => {
    expect(page).toContain('<span class="badge failed">failed</span></h1>');
    expect(page).toContain('<dt>backend</dt><dd>wasm</dd>');
    expect(page).toContain('<dt>tool version</dt><dd>0.1.0</dd>');
    expect(page).toContain('<dt>cpu</dt><dd>Test CPU @ 2.0GHz (2 cores)</dd>');
    expect(page).toContain('<dt>started</dt><dd>2025-03-04T05:06:07.890Z</dd>');
    expect(page).toContain('<b>1</b> passed</span>');
    expect(page).toContain('<b>1</b> errored</span>');
    expect(page).toContain('<b>2</b> passed</span>');
    expect(page).toContain('<b>1</b> warned</span>');
    expect(page).toContain('<b>1</b> skipped</span>');
  });

  it('has one section per suite with model, config and training facts', () => {
    expect(page.match(/<section class="suite /g)).toHaveLength(3);
    expect(page).toContain('<dt>arch</dt><dd>resnet8-gated</dd>');
    expect(page).toContain('<dt>base FLOPs</dt><dd>10.0M</dd>');
    // 10M + 2 x 9,437,184 + 2 x 4,718,592 = 38,311,552
    expect(page).toContain('<dt>all blocks FLOPs</dt><dd>38.3M</dd>');
    expect(page).toContain('<dt>epsilon</dt><dd>0.03137 (8/255)</dd>');
    expect(page).toContain('<dt>threshold</dt><dd>0.5</dd>');
    expect(page).toContain('<dt>best validation I-FLOPs</dt><dd>35.0%</dd>');
    expect(page).toContain('<dt>duration</dt><dd>1m 05s</dd>');
  });

  it('lists assertions with status, expected, found and message', () => {
    expect(page).toContain(
      '<tr class="failed"><td class="status">✗ failed</td><td><code>mean I-FLOPs &gt; 50%</code></td><td>&gt; 50%</td><td>37.2%</td>' +
        '<td>mean I-FLOPs of &quot;deepperform&quot; was 37.2% &amp; not &gt; 50%</td></tr>',
    );
    expect(page).toContain('<tr class="warn"><td class="status">! warning</td>');
    expect(page).toContain('<tr class="skipped"><td class="status">↓ skipped</td>');
  });

  it('has a metrics table with the measured numbers', () => {
    const row = /<tr><th scope="row">deepperform<\/th>(.*?)<\/tr>/.exec(page)![1]!;
    const cells = [...row.matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(['48.0M', '37.2%', '95.0%', '87.5%', '100.0%', '50.0%', '1.25', '0.0314', '0.42 ms']);
    expect(page).toContain('<tr><th scope="row">seeds</th><td class="num">35.0M</td>');
  });

  it('shows per-block activation bars', () => {
    expect(page).toContain('<summary>Blocks (4)</summary>');
    expect(page).toContain('<td>block3 &lt;x&gt;</td><td class="num">4.72M</td>');
    expect(page).toContain('<span class="bar" style="width:75.0%"></span><span class="v">75.0%</span>');
  });
});

describe('HtmlReporter', () => {
  it('writes <outputDir>/index.html and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-html-'));
    try {
      const paths = await new HtmlReporter({ outputDir: dir }).onRunEnd(run);
      expect(paths).toEqual([join(dir, 'index.html')]);
      expect(await readFile(paths[0]!, 'utf8')).toBe(page);
      expect(await readdir(dir)).toEqual(['index.html']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
