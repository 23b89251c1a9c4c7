#!/usr/bin/env node
/**
 * The import check of docs/design.md §7 (Layers): no import cycle among the
 * TypeScript files, type-only imports included, and no folder importing a
 * folder its layer may not. Written with the TypeScript compiler API (the
 * project's own compiler), so every form of import counts: `import`,
 * `import type`, `export ... from`, `import()` and `import('...').T` types.
 *
 *   node scripts/check-imports.mjs            # checks the repository, exit 1 on a finding
 *   node scripts/check-imports.mjs --graph    # prints the folder-level imports
 *
 * test/layers.test.ts runs it in the default `npm test` gate.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { layers } from './layers.mjs';

/**
 * Every relative module specifier a TypeScript file names, type-only ones included.
 * @param {string} fileName
 * @param {string} text
 * @returns {string[]}
 */
export function importSpecifiers(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  /** @type {string[]} */
  const found = [];
  /** @param {ts.Node | undefined} node */
  const literal = (node) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal(node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/**
 * The file a relative specifier names (NodeNext style: `./a.js` is `./a.ts`),
 * or undefined when it names none (a JSON file, an asset: not part of the graph).
 * @param {string} fromFile absolute
 * @param {string} specifier
 */
function resolveSpecifier(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => c.endsWith('.ts') || c.endsWith('.mts') ? isFile(c) : false);
}

/** @param {string} path */
function isFile(path) {
  return existsSync(path) && statSync(path).isFile();
}

/** @param {string} dir @returns {string[]} absolute paths of the .ts files under dir */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.m?ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** @param {string} root @param {string} file */
const posix = (root, file) => relative(root, file).split(sep).join('/');

/**
 * The import graph of the .ts files under `dirs`, paths relative to root.
 * @param {string} root
 * @param {string[]} dirs relative to root
 * @returns {Map<string, string[]>}
 */
export function importGraph(root, dirs) {
  /** @type {Map<string, string[]>} */
  const graph = new Map();
  for (const file of dirs.flatMap((d) => tsFiles(join(root, d))).sort()) {
    const targets = importSpecifiers(file, readFileSync(file, 'utf8'))
      .map((s) => resolveSpecifier(file, s))
      .filter((t) => t !== undefined)
      .map((t) => posix(root, t));
    graph.set(posix(root, file), [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Import cycles: one cycle (a list of files, the first repeated at the end) per
 * strongly connected component of more than one file, or a file importing itself.
 * Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
 * @param {Map<string, string[]>} graph
 * @returns {string[][]}
 */
export function findCycles(graph) {
  /** @type {Map<string, number>} */ const index = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {string[]} */ const stack = [];
  const onStack = new Set();
  /** @type {string[][]} */ const components = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    /** @type {{ node: string, edge: number }[]} */
    const work = [{ node: start, edge: 0 }];
    index.set(start, next); low.set(start, next++); stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next++); stack.push(to); onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent) ?? 0, low.get(frame.node) ?? 0));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        /** @type {string[]} */ const component = [];
        let member;
        do {
          member = /** @type {string} */ (stack.pop());
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((c) => cycleWithin(graph, new Set(c)));
}

/**
 * One concrete cycle inside a strongly connected component, found by a
 * breadth-first search back to its smallest file: what a reader can follow.
 * @param {Map<string, string[]>} graph
 * @param {Set<string>} members
 */
function cycleWithin(graph, members) {
  const start = [...members].sort()[0];
  /** @type {Map<string, string>} */ const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = /** @type {string} */ (queue.shift());
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(/** @type {string} */ (cameFrom.get(path[0])));
        return [...path, start];
      }
      if (!cameFrom.has(to)) { cameFrom.set(to, node); queue.push(to); }
    }
  }
  return [start, start];
}

/**
 * The layer a file belongs to: the longest folder of the table that holds it.
 * @param {string} file relative, forward slashes
 * @param {Record<string, { mayImport: string[] }>} table
 */
export function layerOf(file, table) {
  return Object.keys(table)
    .filter((folder) => file.startsWith(`${folder}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * Imports that cross into a folder the importing file's layer may not import.
 * Tests (`*.test.ts`) may import anything but are still part of the cycle check.
 * A file outside every layer of the table is itself a finding: the table must
 * say where each folder stands.
 * @param {Map<string, string[]>} graph
 * @param {Record<string, { mayImport: string[] }>} table
 * @returns {string[]}
 */
export function layerViolations(graph, table) {
  /** @type {string[]} */ const found = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file, table);
    if (from === undefined) {
      found.push(`${file} is in no layer of scripts/layers.mjs`);
      continue;
    }
    if (file.endsWith('.test.ts')) continue;
    for (const target of targets) {
      const to = layerOf(target, table);
      if (to === from) continue;
      if (to === undefined || !table[from].mayImport.includes(to)) {
        found.push(`${file} imports ${target}: ${from} may import ${listOf(table[from].mayImport)}`);
      }
    }
  }
  return found;
}

/** @param {string[]} folders */
const listOf = (folders) => (folders.length === 0 ? 'nothing of the product' : `only ${folders.join(', ')}`);

/**
 * Folder-level imports (layer -> layers it imports), for reading the structure.
 * @param {Map<string, string[]>} graph
 * @param {Record<string, { mayImport: string[] }>} table
 */
export function layerGraph(graph, table) {
  /** @type {Map<string, Set<string>>} */ const edges = new Map();
  for (const [file, targets] of graph) {
    if (file.endsWith('.test.ts')) continue;
    const from = layerOf(file, table) ?? file;
    for (const target of targets) {
      const to = layerOf(target, table) ?? target;
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

/**
 * A layer may only name layers listed before it: then the table is an order,
 * and obeying it leaves no cycle between folders.
 * @param {Record<string, { mayImport: string[] }>} table
 * @returns {string[]}
 */
export function tableProblems(table) {
  const order = Object.keys(table);
  return order.flatMap((folder, i) =>
    table[folder].mayImport
      .filter((other) => !order.slice(0, i).includes(other))
      .map((other) => `${folder} may import ${other}, which is ${order.includes(other) ? 'listed after it' : 'no layer'}`),
  );
}

/**
 * Checks the .ts files under `dirs` of `root`: cycles and layer violations
 * (the table's own order included).
 * @param {string} root
 * @param {string[]} dirs
 * @param {Record<string, { mayImport: string[] }>} table
 */
export function checkImports(root, dirs, table) {
  const graph = importGraph(root, dirs);
  return { files: graph.size, cycles: findCycles(graph), violations: [...tableProblems(table), ...layerViolations(graph, table)] };
}

/** The folders of the repository that hold the product's TypeScript and its tests. */
export const checkedDirs = ['src', 'test', 'examples', 'bench'];

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.argv.includes('--graph')) {
    for (const [from, to] of layerGraph(importGraph(root, checkedDirs), layers)) {
      console.log(`${from} -> ${[...to].sort().join(', ')}`);
    }
  } else {
    const { files, cycles, violations } = checkImports(root, checkedDirs, layers);
    for (const cycle of cycles) console.log(`import cycle: ${cycle.join(' -> ')}`);
    for (const v of violations) console.log(`layer: ${v}`);
    console.log(`${files} files: ${cycles.length} import cycles, ${violations.length} layer violations`);
    process.exitCode = cycles.length + violations.length > 0 ? 1 : 0;
  }
}
