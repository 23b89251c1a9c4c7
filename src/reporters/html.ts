/**
 * The HTML reporter: one self-contained page for people (release managers,
 * reviewers). Inline CSS, charts as inline SVG drawn with Vega-Lite at report
 * time, images as PNG data: URIs, one small filter script allowed by hash in
 * the page's Content-Security-Policy; no external resources. Every string
 * that came from a user or the environment passes through html() from
 * escape.ts. The page is built in reporters/html/.
 */
import { join } from 'node:path';
import type { Reporter, RunResult } from '../results/index.js';
import { renderPage } from './html/index.js';
import { writeReport } from './write-report.js';

export { formatEpsilon } from './html/index.js';

export interface HtmlReporterOptions {
  outputDir: string;
  /** The page's path; defaults to `<outputDir>/index.html`. */
  outputFile?: string;
  /** Same as outputFile (the name the CLI's per-reporter options use); outputFile wins when both are set. */
  file?: string;
}

export class HtmlReporter implements Reporter {
  readonly outputFile: string;

  constructor(options: HtmlReporterOptions) {
    this.outputFile = options.outputFile ?? options.file ?? join(options.outputDir, 'index.html');
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    await writeReport('html', this.outputFile, await renderHtml(result));
    return [this.outputFile];
  }
}

/** The report page for a run. Async because the charts are rendered by Vega. */
export function renderHtml(run: RunResult): Promise<string> {
  return renderPage(run);
}
