#!/usr/bin/env node
/**
 * Commit subjects of at most 72 characters (the detail goes in the body), for
 * every commit after the one where the rule started; older history is left as
 * it was written. Exit 1 naming each offending commit.
 *
 *   node scripts/check-commit-subjects.mjs [--since=<commit>]
 */
import { execFileSync } from 'node:child_process';

export const MAX_SUBJECT = 72;
/** The last commit before the rule: later ones must follow it. */
const RULE_STARTS_AFTER = 'df9ed8d0b71c34791a75cbcbbb5220cc775e02ad';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });

/** Subjects longer than `max`, as "<short hash> (<length>): <subject>". */
export function longSubjects(log, max = MAX_SUBJECT) {
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ hash: line.slice(0, 40), subject: line.slice(41) }))
    .filter((c) => [...c.subject].length > max)
    .map((c) => `${c.hash.slice(0, 10)} (${[...c.subject].length}): ${c.subject}`);
}

function main() {
  const since = process.argv.find((a) => a.startsWith('--since='))?.slice('--since='.length) ?? RULE_STARTS_AFTER;
  let range = `${since}..HEAD`;
  try {
    git('cat-file', '-e', `${since}^{commit}`);
  } catch {
    // A shallow clone without the starting commit: check what it has.
    range = 'HEAD';
  }
  const bad = longSubjects(git('log', '--format=%H %s', range));
  if (bad.length === 0) return console.log(`commit subjects: every one in ${range} has at most ${MAX_SUBJECT} characters`);
  console.error(`commit subjects longer than ${MAX_SUBJECT} characters (put the detail in the body):\n  ${bad.join('\n  ')}`);
  process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
