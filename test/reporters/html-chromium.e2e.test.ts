/**
 * Opens the HTML report in Debian's headless Chromium (driven by
 * playwright-core, which downloads no browser) and checks what a reader
 * gets: no console errors, no script from a user string runs, the numbers
 * shown equal the JSON report's, the status filter works, the charts and
 * images are drawn.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../src/reporters/html.js';
import { chartRun, XSS_METHOD, XSS_SUITE } from '../../src/reporters/test-fixtures.js';
import type { RunResult } from '../../src/results/index.js';

/** Debian's chromium; CHROMIUM_PATH points elsewhere (another distribution, or a check of the skip). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SKIP_NOTE = hasChromium ? '' : ` [SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium]`;
if (!hasChromium) console.warn(`html-chromium.e2e.test.ts: ${CHROMIUM} not found, so the browser checks are skipped.`);

/** The JSON reporter's blob for the same run: NaN becomes null, as JSON.stringify writes it. */
const blob = JSON.parse(
  JSON.stringify({ format: 'deepperform-report', version: 1, tool: chartRun.environment.toolVersion, shard: null, result: chartRun }),
) as { result: RunResult };

interface Observed {
  consoleErrors: string[];
  dialogs: string[];
  requests: string[];
}

let dir: string;
let context: BrowserContext;
/** The report of chartRun, written once by the real reporter. */
let report: string;

beforeAll(async () => {
  if (!hasChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'dp-html-chromium-'));
  // A fresh profile per run: nothing cached or remembered between runs.
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
    viewport: { width: 1280, height: 900 },
  });
  [report] = (await new HtmlReporter({ outputDir: dir }).onRunEnd(chartRun)) as [string];
});

afterAll(async () => {
  await context?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens a file and records console errors, dialogs, every request, and alert() calls in window.__pwned. */
async function open(file: string): Promise<{ page: Page; seen: Observed }> {
  const page = await context.newPage();
  const seen: Observed = { consoleErrors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => seen.consoleErrors.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => seen.requests.push(r.url()));
  await page.addInitScript(() => {
    const w = window as unknown as { __pwned?: string[]; alert: (m?: unknown) => void };
    w.alert = (m?: unknown) => {
      (w.__pwned ??= []).push(String(m));
    };
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, seen };
}

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: string[] }).__pwned ?? []);

describe(`HTML report in headless Chromium${SKIP_NOTE}`, () => {
  it.skipIf(!hasChromium)('the detector itself catches an unescaped payload (so the checks below can fail)', async () => {
    const file = join(dir, 'unsafe.html');
    await writeFile(file, `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><h2>${XSS_SUITE}</h2></body></html>`);
    const { page } = await open(file);
    await page.waitForFunction(() => ((window as unknown as { __pwned?: string[] }).__pwned ?? []).length > 0, null, { timeout: 5000 });
    expect(await pwned(page)).toEqual(['1']);
    await page.close();
  });

  it.skipIf(!hasChromium)('renders with no console errors, no requests and no script from user strings', async () => {
    const { page, seen } = await open(report);
    await page.waitForTimeout(200); // let a late onerror or onload fire, if any were there
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    expect(await pwned(page)).toEqual([]);
    // Only the page itself (images are data: URIs, which Chromium does not request).
    expect(seen.requests).toEqual([pathToFileURL(report).href]);
    // The hostile names arrive as text, exactly as the user wrote them.
    const titles = await page.$$eval('section.suite h2', (hs) => hs.map((h) => h.textContent));
    const names = blob.result.suites.map((s) => s.name.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''));
    expect(titles).toEqual(blob.result.suites.map((s, i) => `${s.status} ${names[i]}`));
    expect(await page.locator('section.suite[data-suite="0"] tr[data-set]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-set')))).toEqual([
      'seeds',
      'deepperform',
      XSS_METHOD,
    ]);
    await page.close();
  });

  it.skipIf(!hasChromium)("shows the JSON report's numbers: mean I-FLOPs per method and every assertion value", async () => {
    const { page } = await open(report);
    let checked = 0;
    for (const [i, suite] of blob.result.suites.entries()) {
      const section = page.locator(`section.suite[data-suite="${i}"]`);
      const headers = await section.locator('table.metrics thead th').allTextContents();
      const column = headers.indexOf('mean I-FLOPs') - 1; // the first column is the row header
      for (const m of suite.methods) {
        const row = section.locator('table.metrics tbody tr').filter({ has: page.locator('th', { hasText: m.method }) });
        const cell = row.locator('td').nth(column);
        expect(Number(await cell.getAttribute('data-value')), `${suite.name} ${m.method}`).toBe(m.iflopsStats.mean);
        expect(await cell.textContent()).toBe(`${(m.iflopsStats.mean * 100).toFixed(1)}%`);
        checked++;
      }
      const rows = await section.locator('table.assertions tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const found = tr.querySelector('td.found')!;
          return { source: tr.querySelector('code')!.textContent, value: found.getAttribute('data-value'), text: found.textContent };
        }),
      );
      expect(rows).toEqual(
        suite.assertions.map((a) => ({ source: a.source, value: a.value === null ? null : String(a.value), text: a.actual ?? '—' })),
      );
      checked += rows.length;
    }
    // 2 + 2 + 2 methods, 2 + 2 + 4 assertions
    expect(checked).toBe(14);
    await page.close();
  });

  it.skipIf(!hasChromium)('hides and shows rows and suites when a status chip is clicked', async () => {
    const { page, seen } = await open(report);
    const visible = (selector: string) =>
      page.locator(selector).evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').length);
    // chartRun: assertions 3 passed, 1 failed, 3 warned, 1 skipped; suites 2 passed, 1 failed
    expect([await visible('table.assertions tr.passed'), await visible('table.assertions tr.failed')]).toEqual([3, 1]);

    await page.click('button[data-filter="assert-failed"]');
    expect([await visible('table.assertions tr.passed'), await visible('table.assertions tr.failed')]).toEqual([3, 0]);
    expect(await page.getAttribute('button[data-filter="assert-failed"]', 'aria-pressed')).toBe('false');

    await page.click('button[data-filter="assert-passed"]');
    expect([await visible('table.assertions tr.passed'), await visible('table.assertions tr.warn')]).toEqual([0, 3]);

    await page.click('button[data-filter="assert-failed"]');
    expect([await visible('table.assertions tr.passed'), await visible('table.assertions tr.failed')]).toEqual([0, 1]);

    await page.click('button[data-filter="suite-passed"]');
    expect([await visible('section.suite.passed'), await visible('section.suite.failed'), await visible('nav li.passed')]).toEqual([0, 1, 0]);
    await page.click('button[data-filter="suite-passed"]');
    expect(await visible('section.suite.passed')).toBe(2);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasChromium)('draws every chart as a non-empty SVG and decodes every image', async () => {
    const { page } = await open(report);
    const charts = await page.locator('.chart svg').evaluateAll((svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const marks = svg.querySelectorAll('g[class*="role-mark"] path, g[class*="role-mark"] line').length;
        return { kind: svg.closest('.chart')!.className, width: box.width, height: box.height, marks };
      }),
    );
    // Two chart suites with FLOPs, activation, sensitivity and the training curve; the failed suite has no sensitivity.
    expect(charts.map((c) => c.kind)).toEqual([
      ...Array(2).fill(['chart chart-flops', 'chart chart-activation', 'chart chart-sensitivity', 'chart chart-training']).flat(),
      'chart chart-flops',
      'chart chart-activation',
      'chart chart-training',
    ]);
    for (const c of charts) {
      expect(c.width, c.kind).toBeGreaterThan(200);
      expect(c.height, c.kind).toBeGreaterThan(150);
      expect(c.marks, c.kind).toBeGreaterThan(0);
    }
    const images = await page.locator('table.samples img').evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((i) => [i.complete, i.naturalWidth, i.getBoundingClientRect().width, getComputedStyle(i).imageRendering]),
    );
    // 2 suites x 2 samples x (1 seed + 2 methods x 2)
    expect(images).toHaveLength(20);
    expect(new Set(images.map((i) => JSON.stringify(i)))).toEqual(new Set([JSON.stringify([true, 2, 84, 'pixelated'])]));
    await page.close();
  });
});
