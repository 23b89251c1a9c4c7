#!/usr/bin/env node
/**
 * Regenerates the generated parts of docs/suite-format.md: the key reference
 * (from src/suite/suite.schema.json, the single source of truth of the
 * format), the metric table (from the assertion grammar's registry) and two
 * real messages (a suite error with its code frame, a failed comparison).
 * The prose around them is written by hand; each generated part sits between
 *   <!-- BEGIN generated:<name> ... -->  and  <!-- END generated:<name> -->
 * Run after editing the schema, the metrics or the messages:
 *   npx vite-node scripts/gen-suite-docs.mjs
 * (vite-node, because the registry and the loader are TypeScript sources.)
 * `generateSuiteDocs()` is also imported by a test that fails when the
 * committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAssertion, parseAssertion } from '../src/assert/index.js';
import { AGGREGATES, METRICS } from '../src/results/index.js';
import { SuiteError, parseSuite, suiteSchema } from '../src/suite/index.js';

export const docsPath = fileURLToPath(new URL('../docs/suite-format.md', import.meta.url));

/** @returns {Promise<string>} the text docs/suite-format.md must hold */
export async function generateSuiteDocs() {
  const current = await readFile(docsPath, 'utf8');
  const parts = { keys: keyReference(suiteSchema), metrics: metricTable(), 'error-example': errorExample(), 'comparison-example': comparisonExample() };
  let out = current;
  for (const [name, body] of Object.entries(parts)) out = replaceRegion(out, name, body);
  return out;
}

function replaceRegion(text, name, body) {
  const begin = new RegExp(`<!-- BEGIN generated:${name}\\b[^>]*-->\\n`);
  const end = `<!-- END generated:${name} -->`;
  const b = begin.exec(text);
  const e = text.indexOf(end);
  if (b === null || e < b.index) throw new Error(`docs/suite-format.md has no region "${name}" (<!-- BEGIN generated:${name} --> ... ${end})`);
  return `${text.slice(0, b.index + b[0].length)}${body}\n${text.slice(e)}`;
}

// ---- key reference -------------------------------------------------------

/** One table per map of the format, in the order a suite file reads. */
function keyReference(schema) {
  const sections = [];
  collectTables(schema, '', 'The suite file', sections);
  return sections.join('\n\n');
}

function collectTables(node, path, title, sections) {
  if (!node.properties) return;
  const required = new Set(node.required ?? []);
  const rows = Object.entries(node.properties).map(([key, prop]) => {
    const name = required.has(key) ? `\`${key}\` (required)` : `\`${key}\``;
    return `| ${name} | ${cell(typeOf(prop))} | ${cell(defaultOf(prop))} | ${cell(descriptionOf(prop))} |`;
  });
  const heading = path === '' ? `### ${title}` : `### \`${path}\`${title === '' ? '' : ` — ${title}`}`;
  const intro = node.description && path !== '' ? `${cell(descriptionOf(node))}\n\n` : '';
  sections.push(`${heading}\n\n${intro}| key | type | default | description |\n| --- | --- | --- | --- |\n${rows.join('\n')}`);
  for (const [key, prop] of Object.entries(node.properties)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (prop.properties && Object.keys(prop.properties).length > 0) collectTables(prop, at, '', sections);
    // A key that is a value or a map (generator.refine: k or its settings): a table for the map form.
    for (const branch of prop.anyOf ?? []) {
      if (branch.properties && Object.keys(branch.properties).length > 0) collectTables(branch, at, `map form ${branch.title ?? ''}`.trim(), sections);
    }
    // Lists of maps (model.blocks): a table for the item.
    if (prop.items?.properties) collectTables(prop.items, `${at}[]`, '', sections);
    // Lists whose items may be maps (baselines, assertions): one table per map form.
    for (const branch of prop.items?.anyOf ?? []) {
      if (!branch.properties) continue;
      const forms = Object.entries(branch.properties).filter(([, p]) => p.properties && Object.keys(p.properties).length > 0);
      if (forms.length > 0) forms.forEach(([name, p]) => collectTables(p, `${at}[].${name}`, '', sections));
      else collectTables(branch, `${at}[]`, `map form ${branch.title ?? ''}`.trim(), sections);
    }
  }
}

/** The type of a key in words: "integer >= 1", "linf, inf, l2, 2", "number > 0, or auto". */
function typeOf(p) {
  // "2" and 2 read the same in YAML: list each spelling once.
  if (p.enum) return [...new Set(p.enum.map((v) => `\`${String(v)}\``))].join(', ');
  if (p.const !== undefined) return `\`${p.const}\``;
  if (p.anyOf) return p.anyOf.map(typeOf).join(', or ');
  if (p.type === 'array') return p.items ? `list of ${p.items.anyOf ? p.items.anyOf.map(shortType).join(' or ') : p.items.properties ? shortType(p.items) : typeOf(p.items)}` : 'list';
  const types = Array.isArray(p.type) ? p.type : [p.type];
  return `${types.map((t) => (t === 'object' ? 'map' : t)).join(' or ')}${constraints(p)}`;
}

function shortType(p) {
  if (p.type === 'string' && !p.enum) return 'string';
  if (p.enum) return `name (${p.enum.join(', ')})`;
  return p.title ? `map (${p.title})` : 'map';
}

function constraints(p) {
  const c = [];
  if (p.exclusiveMinimum !== undefined && p.exclusiveMaximum !== undefined) return ` in (${p.exclusiveMinimum}, ${p.exclusiveMaximum})`;
  if (p.minimum !== undefined) c.push(`>= ${p.minimum}`);
  if (p.exclusiveMinimum !== undefined) c.push(`> ${p.exclusiveMinimum}`);
  if (p.exclusiveMaximum !== undefined) c.push(`< ${p.exclusiveMaximum}`);
  if (p.minLength === 1) c.push('not empty');
  if (p.pattern !== undefined && p.examples) c.push(`like ${p.examples.map((e) => `\`${e}\``).join(', ')}`);
  return c.length > 0 ? ` ${c.join(', ')}` : '';
}

const DEFAULT_SENTENCE = /\s*Default: (.+?)\.?$/s;

function defaultOf(p) {
  if (p.default !== undefined) {
    if (typeof p.default === 'object' && !Array.isArray(p.default) && Object.keys(p.default).length === 0) return 'all defaults';
    return `\`${JSON.stringify(p.default).replace(/,/g, ', ').replace(/^"|"$/g, '')}\``;
  }
  return DEFAULT_SENTENCE.exec(p.description ?? '')?.[1] ?? '—';
}

function descriptionOf(p) {
  return (p.description ?? '').replace(DEFAULT_SENTENCE, '').trim();
}

/** Text for a table cell: pipes escaped, and outside code spans `<` too, so "<metric>" is not read as HTML. */
function cell(text) {
  return String(text)
    .replace(/\n/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;')))
    .join('`')
    .replace(/\|/g, '\\|');
}

// ---- metrics ---------------------------------------------------------------

function metricTable() {
  const shape = (m) => (m.shape === 'sample' ? `per input: needs ${AGGREGATES.join('/')}` : 'one number: no aggregate');
  const units = (m) => m.units.map((u) => (u === '' ? 'bare number' : `\`${u}\``)).join(', ');
  const of = (m) => (m.of === 'method' ? 'per method: `of <method>`, comparable with another method' : m.of === 'seeds' ? 'the seed inputs' : 'the whole suite');
  const rows = METRICS.map((m) => `| \`${m.name}\` | ${shape(m)} | ${units(m)} | ${of(m)} | ${cell(m.description)} |`);
  return `| metric | values | units | measured on | what it is |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}`;
}

// ---- real messages -----------------------------------------------------------

/** A suite with four mistakes, as a user would write it. */
export const EXAMPLE_BAD_SUITE = `name: sdn-tiny, Linf
model:
  arch: sdn-tiny
  weights: ../fixtures/models/sdn-tiny
data:
  dataset: fashion-mnist-embedded
  seeds: 0
norm: linf
epsilon: 8/255
generator:
  train:
    stepz: 400
baselines: [random]
assertions:
  - "mean I-FLOPs >= 1.5x ilfo"
  - "max I-FLOPz < 50%"
`;

function errorExample() {
  try {
    // Inside the working directory, so the message shows the plain file name wherever this runs.
    parseSuite(EXAMPLE_BAD_SUITE, join(process.cwd(), 'sdn-tiny.perf.yaml'));
  } catch (e) {
    if (e instanceof SuiteError) {
      return `\`\`\`yaml\n# sdn-tiny.perf.yaml\n${EXAMPLE_BAD_SUITE}\`\`\`\n\n\`\`\`text\n${e.message}\n\`\`\``;
    }
    throw e;
  }
  throw new Error('the example suite loaded without an error');
}

function comparisonExample() {
  // Operands as a run would report them: DeepPerform 28.2% mean I-FLOPs, ILFO 83.0%.
  const values = { deepperform: 0.282, ilfo: 0.83 };
  const r = evaluateAssertion(parseAssertion('mean I-FLOPs >= 1.5x ilfo'), { value: (_m, _a, method) => values[method] });
  return `\`\`\`json\n${JSON.stringify(r, null, 2)}\n\`\`\``;
}

// Run as a script (vite-node hides the script path from process.argv); imported by the staleness test under vitest.
if (!process.env.VITEST) {
  await writeFile(docsPath, await generateSuiteDocs());
  console.log(`wrote ${docsPath}`);
}
