/**
 * `--commit`: each finished section's results are committed to git at once
 * (eval/results/*.json, docs/RESULTS.md), so a run of CPU hours that spans
 * sessions loses at most the section it was in; `--resume` then skips what
 * is committed. Only the given files are committed (`git commit --only`),
 * whatever else is staged; nothing is committed when they did not change.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

export class CommitError extends Error {
  name = 'CommitError';
}

function git(root, args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The files inside the repository at `root`, relative to it; others (a --results-dir elsewhere) cannot be committed. */
export function committable(root, files) {
  return files.filter((f) => f && existsSync(f)).map((f) => relative(root, f)).filter((f) => f && !f.startsWith('..') && !isAbsolute(f));
}

/**
 * Commits `files` (absolute paths) with `message`. Returns the new commit's
 * hash, or undefined when none of them changed or none is inside the repository.
 */
export function commitFiles(root, files, message) {
  const paths = committable(root, files);
  if (!paths.length) return undefined;
  try {
    git(root, ['add', '--', ...paths]);
    const changed = git(root, ['diff', '--cached', '--name-only', '--', ...paths]).trim();
    if (!changed) return undefined;
    git(root, ['commit', '--quiet', '--only', '-m', message, '--', ...paths]);
    return git(root, ['rev-parse', 'HEAD']).trim();
  } catch (e) {
    throw new CommitError(`git commit of ${paths.join(', ')} failed: ${(e.stderr || e.message).toString().trim()}`);
  }
}
