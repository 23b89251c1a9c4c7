import type { CompiledProgram } from './program.js';
import type { LoopJob } from './program-loop.js';
import type { RemoteProgram } from './program-worker.js';

/**
 * One program traced at a part of a batch and loaded once per thread: part 0
 * runs on this thread, the others on worker threads, all at once. For loops
 * whose inputs are independent (an attack's per-input iterations), where one
 * session with two intra-op threads leaves small kernels too little to split
 * (docs/perf-gradients.md, "ILFO on two threads").
 */
export class SplitProgram {
  constructor(
    readonly local: CompiledProgram,
    private readonly remotes: readonly RemoteProgram[],
  ) {}

  get parts(): number {
    return this.remotes.length + 1;
  }

  /**
   * Runs one job of `local.loopJob()` per part, concurrently (fewer jobs than
   * parts leave the last threads idle); returns each job's final state.
   * `afterRun` follows each run of job 0 (progress).
   */
  loop(jobs: readonly LoopJob[], afterRun?: (iteration: number) => void): Float32Array[][] {
    if (jobs.length < 1 || jobs.length > this.parts) throw new RangeError(`${jobs.length} jobs for a program split in ${this.parts} parts`);
    const remotes = this.remotes.slice(0, jobs.length - 1);
    remotes.forEach((r, k) => r.start(jobs[k + 1]));
    let local: Float32Array[];
    try {
      local = this.local.loop(jobs[0], afterRun);
    } catch (e) {
      // Each worker's reply is still collected, so none is left to answer the next job.
      for (const r of remotes) {
        try {
          r.wait();
        } catch {
          // this thread's error is the one reported
        }
      }
      throw e;
    }
    return [local, ...remotes.map((r) => r.wait())];
  }

  dispose(): void {
    this.local.dispose();
    for (const r of this.remotes) r.dispose();
  }
}
