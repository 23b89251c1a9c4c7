/**
 * Exit 2 is decided by `instanceof UserError`, so an error class meant for
 * the user that forgets to extend it would turn a clear message into a crash
 * with a stack trace (exit 3). This test finds every error class in the
 * product and checks that it extends UserError, unless it is listed below as
 * internal, with the reason it is not the user's to fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, isUserError, UsageError, UserError } from './errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Error classes that are not user errors: a crash (exit 3, the suite recorded as 'error') or caught and translated. */
const INTERNAL: Record<string, string> = {
  KernelError: 'a tfjs kernel the backend lacks or an attribute deepperform does not use: a defect, not input',
  OnnxExportError: "exporting deepperform's own networks to ONNX for onnxruntime: a defect",
  TraceError: "tracing deepperform's own networks for the ONNX export: a defect",
  OrtUnavailableError: 'onnxruntime-node cannot load: the engine falls back to tfjs',
  OrtFallbackWarning: 'a warning passed to process.emitWarning, never thrown',
  TrainingBudgetError: 'the suite schema always gives a budget: an internal invariant',
  StagePlanError: "deepperform's own execution plans: an internal invariant",
  OnnxNodeError: "translated into OnnxModelError at load; at run time a node failing is the model's crash",
  ProtoDecodeError: 'translated into OnnxModelError ("not a readable ONNX model")',
  UserModuleCallError: 'translated into UserModelError, naming the module and the call',
  MeasurementError: 'paired seed and generated values that do not pair: an internal invariant',
  EnergyProbeError: 'a power sensor failing mid-run: that suite is recorded as crashed, the others run',
  UnsafeChartError: "the HTML reporter's safety net on its own SVG: a defect",
  ProgramWorkerError: 'a worker thread running part of an attack loop failed: a defect, not input',
};

interface ErrorClass {
  name: string;
  file: string;
}

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return productFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `class X extends SomethingError` in src/ (test files aside). */
function errorClasses(): ErrorClass[] {
  const found: ErrorClass[] = [];
  for (const file of productFiles(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^(export )?class (\w+) extends (\w*Error)\b/gm)) {
      expect(m[1], `${m[2]} in ${relative(ROOT, file)} is not exported, so this test cannot check it`).toBe('export ');
      found.push({ name: m[2]!, file });
    }
  }
  return found;
}

describe('UserError', () => {
  it('carries exit code 2; UsageError is one', () => {
    const e = new UsageError('no suites');
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(EXIT.config);
    expect(e.name).toBe('UsageError');
    expect(isUserError(new TypeError('x'))).toBe(false);
    // The name no longer decides: an error that merely calls itself a user error is not one.
    expect(isUserError(Object.assign(new Error('x'), { name: 'SuiteError' }))).toBe(false);
  });

  it('every error class of the product extends UserError, or is listed as internal with a reason', async () => {
    const classes = errorClasses();
    expect(classes.length).toBeGreaterThan(40);
    const notUser: string[] = [];
    for (const { name, file } of classes) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const cls = mod[name] as { prototype: unknown } | undefined;
      expect(typeof cls, `${name} from ${relative(ROOT, file)}`).toBe('function');
      expect(cls!.prototype instanceof Error, name).toBe(true);
      if (cls !== UserError && !(cls!.prototype instanceof UserError)) notUser.push(name);
    }
    expect(notUser.filter((n) => !(n in INTERNAL))).toEqual([]);
    // The list stays true: each internal class exists and does not extend UserError.
    expect(notUser.sort()).toEqual(Object.keys(INTERNAL).sort());
  }, 60_000);
});
