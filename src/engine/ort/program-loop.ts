/** A float32 tensor fed to or read from a session (runtime.ts's OrtTensorData; not imported, as runtime.ts loads this file's workers). */
export interface LoopTensor {
  data: Float32Array;
  dims: readonly number[];
}

/**
 * `iterations` runs of one program, each run's new state fed to the next: an
 * attack's optimisation loop (src/baselines/iterate.ts) as one job, which a
 * worker thread can take whole (program-worker.ts).
 */
export interface LoopJob {
  /** Feeds that stay the same every run (e.g. the seeds), by input name. */
  fixed: Record<string, LoopTensor>;
  /** The input fed `values[i]` on run i (e.g. a learning rate and bias corrections); absent when the graph does not read it. */
  varying?: { name: string; dims: readonly number[]; values: readonly Float32Array[] };
  /** Per state value: its input (absent when pruned), the output holding its next value (absent when never assigned), and its start. */
  state: { input?: string; output?: string; dims: readonly number[]; data: Float32Array }[];
  iterations: number;
}

/**
 * Runs `job` with `run` (one session call) and returns the final state
 * values. Self-contained on purpose: program-worker.ts sends its source text
 * to worker threads, so it may not refer to anything outside itself.
 */
export function runLoop(run: (feeds: Record<string, LoopTensor>) => Record<string, LoopTensor>, job: LoopJob, afterRun?: (iteration: number) => void): Float32Array[] {
  const state = job.state.map((s) => s.data);
  for (let i = 0; i < job.iterations; i++) {
    const feeds: Record<string, LoopTensor> = { ...job.fixed };
    if (job.varying) feeds[job.varying.name] = { data: job.varying.values[i], dims: job.varying.dims };
    job.state.forEach((s, k) => {
      if (s.input) feeds[s.input] = { data: state[k], dims: s.dims };
    });
    const out = run(feeds);
    job.state.forEach((s, k) => {
      if (s.output) state[k] = out[s.output].data;
    });
    afterRun?.(i);
  }
  return state;
}
