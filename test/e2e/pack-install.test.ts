import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { writeConsumerProject } from './consumer-project.js';

/**
 * The package as a user gets it: `npm pack`, installed into a fresh project
 * (offline, from npm's cache; see consumer-project.ts), then the README's
 * first two commands there. Slow (an install and a real run): e2e tier only.
 */

// onnxruntime-node's postinstall would fetch CUDA libraries from NuGet on
// Linux x64 (npm 10 runs it; npm 11 skips unapproved scripts): the README's
// install line sets this, and so does the test.
/**
 * A consumer's shell: without the npm_* variables that `npm run test:e2e`
 * exports (they carry this repository's own npm settings into the consumer's
 * npm calls).
 */
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const env = { ...shellEnv, ONNXRUNTIME_NODE_INSTALL: 'skip', CI: '1', NO_COLOR: '1' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

interface Done {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, so vitest's worker stays responsive through minutes of install and run. */
function sh(cmd: string, args: string[], cwd: string): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, timeout: 840_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function ok(r: Promise<Done>, what: string): Promise<string> {
  const done = await r;
  if (done.status !== 0) throw new Error(`${what} exited ${done.status}\n${done.stdout}\n${done.stderr}`);
  return done.stdout;
}

let project = '';
let files: string[] = [];

beforeAll(async () => {
  const out = tempDir();
  // dist/ is built by `npm run test:e2e`; --ignore-scripts skips prepare's second build.
  const packed = JSON.parse(await ok(sh(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', out], ROOT), 'npm pack')) as [
    { filename: string; files: { path: string }[] },
  ];
  files = packed[0].files.map((f) => f.path);
  project = tempDir();
  const tarball = join(project, packed[0].filename);
  copyFileSync(join(out, packed[0].filename), tarball);
  writeConsumerProject(project, ROOT, tarball);
  await ok(sh(npm, ['ci', '--offline', '--no-audit', '--no-fund'], project), 'npm ci --offline in the consumer project');
}, 900_000);

describe('the packed package in another project', () => {
  it('ships the product only: no tests, test fixtures, bench or eval code', () => {
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/src/api/index.d.ts');
    expect(files).toContain('dist/src/suite/suite.schema.json');
    expect(files).toContain('fixtures/models/sdn-tiny/weights.bin');
    const unwanted = files.filter((f) => /(^|\/)(test|bench|eval)\/|\.test\.|test-fixtures|\.fixture\.|random-results|\/ort\/measure|\.map$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('npx deepperform init && npx deepperform run exits 0, on the shipped generator', async () => {
    await ok(sh(npx, ['deepperform', 'init'], project), 'deepperform init');
    const run = await sh(npx, ['deepperform', 'run'], project);
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^deepperform 0\.1\.0 · backend wasm · /);
    expect(run.stdout).toMatch(/loading generator {2}cache [0-9a-f]{32}/);
    expect(run.stdout).toMatch(/Result {5}PASSED/);
    expect(existsSync(join(project, 'reports/index.html'))).toBe(true);
    expect(readFileSync(join(project, 'reports/junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/);
  }, 900_000);
});
