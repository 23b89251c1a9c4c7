/**
 * Checks made for every selected suite before any of them runs, so that a
 * wrong weights folder or dataset in the tenth suite is exit 2 now, with the
 * suite's file and line, rather than after nine suites of training:
 * - a zoo model's weights (model.json, checksum, finite values) and the
 *   architecture they were saved from against the suite's `model.arch`;
 * - the seed split: a known dataset, its folder, enough inputs for
 *   `data.seeds`, and images of the model's input size;
 * - `epsilon` within what inputs in [0, 1] allow (src/runner/epsilon-bound.ts).
 * A user module is not loaded here (that runs its code); its data is checked.
 */
import { readFile } from 'node:fs/promises';
import { readAdnnHeader, zooArchs, type AdnnHeader } from '../adnn/index.js';
import { DataError, KNOWN_DATASETS, loadDataset, type Dataset } from '../data/index.js';
import { epsilonProblem } from './epsilon-bound.js';
import { suggestion } from '../util/did-you-mean.js';
import { positionIn, SuiteError, type Segment, type Suite, type SuiteProblem } from '../suite/index.js';

type Problem = { path: Segment[]; part: 'key' | 'value'; message: string };

/** Throws a SuiteError (exit 2) for the first suite with problems, listing each with its line. */
export async function preflightSuites(suites: readonly Suite[]): Promise<void> {
  // Suites often share a model or a dataset: each is read once.
  const headers = new Map<string, Promise<AdnnHeader | Error>>();
  const splits = new Map<string, Promise<Dataset | DataError>>();
  for (const suite of suites) {
    const problems = [...(await modelProblems(suite, headers)), ...(await dataProblems(suite, headers, splits))];
    if (problems.length > 0) throw await suiteError(suite.file, problems);
  }
}

async function modelProblems(suite: Suite, headers: Map<string, Promise<AdnnHeader | Error>>): Promise<Problem[]> {
  const m = suite.model;
  if (m.source !== 'zoo') return [];
  const known = zooArchs().map((e) => e.arch);
  if (!known.includes(m.arch)) {
    return [{ path: ['model', 'arch'], part: 'value', message: `unknown architecture "${m.arch}"${suggestion(m.arch, known)}; known: ${known.join(', ')}` }];
  }
  const header = await headerOf(m.weights, headers);
  if (header instanceof Error) return [{ path: ['model', 'weights'], part: 'value', message: header.message }];
  if (header.arch === m.arch) return [];
  const message = `the weights in ${m.weights} were saved from "${header.arch}" (metadata.arch in its model.json), not "${m.arch}"; set arch: ${header.arch}, or point weights at a ${m.arch} folder`;
  return [{ path: ['model', 'arch'], part: 'value', message }];
}

async function dataProblems(suite: Suite, headers: Map<string, Promise<AdnnHeader | Error>>, splits: Map<string, Promise<Dataset | DataError>>): Promise<Problem[]> {
  const d = suite.data;
  if (!KNOWN_DATASETS.includes(d.dataset)) {
    return [{ path: ['data', 'dataset'], part: 'value', message: `unknown dataset "${d.dataset}"${suggestion(d.dataset, KNOWN_DATASETS)}; known: ${KNOWN_DATASETS.join(', ')}` }];
  }
  const spec = { name: d.dataset, split: d.split, path: d.path, labels: d.labels };
  const key = JSON.stringify(spec);
  if (!splits.has(key)) splits.set(key, loadDataset(spec).catch((e: unknown) => asError(e, DataError)));
  const seeds = await splits.get(key)!;
  if (seeds instanceof Error) return [{ path: ['data', seeds.file !== undefined && d.path !== undefined ? 'path' : 'dataset'], part: 'value', message: seeds.message }];
  const problems: Problem[] = [];
  if (d.seeds > seeds.count) {
    problems.push({ path: ['data', 'seeds'], part: 'value', message: `${d.seeds} seeds asked for, but the ${d.split} split of ${d.dataset} has only ${seeds.count} inputs` });
  }
  const tooLarge = epsilonProblem(suite.norm, suite.epsilon, seeds.height * seeds.width * seeds.channels);
  if (tooLarge) problems.push({ path: ['epsilon'], part: 'value', message: tooLarge });
  const input = suite.model.source === 'zoo' ? await headerOf(suite.model.weights, headers) : undefined;
  const want = input instanceof Error ? undefined : input?.input;
  if (want && (want.height !== seeds.height || want.width !== seeds.width || want.channels !== seeds.channels)) {
    const message = `model ${suite.model.source === 'zoo' ? suite.model.arch : ''} takes ${want.height}x${want.width}x${want.channels} inputs, dataset ${d.dataset} has ${seeds.height}x${seeds.width}x${seeds.channels}`;
    problems.push({ path: ['data', 'dataset'], part: 'value', message });
  }
  return problems;
}

function headerOf(dir: string, headers: Map<string, Promise<AdnnHeader | Error>>): Promise<AdnnHeader | Error> {
  if (!headers.has(dir)) headers.set(dir, readAdnnHeader(dir).catch((e: unknown) => asError(e)));
  return headers.get(dir)!;
}

/** A user-facing error becomes a problem; anything else is a crash and is thrown. */
function asError<E extends Error>(e: unknown, type?: new (...args: never[]) => E): E {
  const expected = type ? e instanceof type : e instanceof Error && e.name === 'WeightsFileError';
  if (!expected) throw e;
  return e as E;
}

/** The problems placed in the suite's text (1:1 when the file cannot be read again). */
async function suiteError(file: string, problems: readonly Problem[]): Promise<SuiteError> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const placed: SuiteProblem[] = problems.map((p) => ({
    ...(text === undefined ? { line: 1, column: 1 } : positionIn(text, p.path, p.part)),
    path: p.path.join('.'),
    message: p.message,
  }));
  return new SuiteError(file, placed, text);
}
