/** How the file reporters (junit, html, json) write their file. */
import { fileTargetProblem } from '../util/output-target.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { ReportWriteError } from '../results/index.js';

/**
 * Writes a report atomically, only over a regular file or to a new path (see
 * fileTargetProblem: the path was checked before the run, and is checked
 * again here since the run may have taken hours). Any failure is a
 * ReportWriteError naming the reporter, the file and the reason.
 */
export async function writeReport(reporter: string, file: string, content: string): Promise<void> {
  const problem = await fileTargetProblem(file);
  if (problem !== undefined) throw new ReportWriteError([{ reporter, file, reason: `it ${problem}` }]);
  try {
    await writeFileAtomic(file, content);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ReportWriteError([{ reporter, file, reason: err.code ? `${err.code} (${err.message})` : String(err.message ?? e) }]);
  }
}
