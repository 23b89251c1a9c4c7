import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { runLoop, type LoopJob } from './program-loop.js';

/**
 * Worker threads that run program loops on their own onnxruntime sessions.
 * onnxruntime-node's native `run` is synchronous on the calling thread, so the
 * only way to keep two cores busy on small per-thread work without intra-op
 * synchronisation after every kernel is a second JS thread. The callers stay
 * synchronous: a job is posted, this thread does its own part, then blocks on
 * a shared flag (Atomics.wait) and takes the reply with receiveMessageOnPort,
 * so no event-loop turn is needed.
 */

/** A program loaded on one worker thread: start a loop job there, do other work here, then wait for its final state. */
export interface RemoteProgram {
  start(job: LoopJob): void;
  wait(): Float32Array[];
  dispose(): void;
}

/** A worker thread could not load or run a program (the message says what it reported). */
export class ProgramWorkerError extends Error {
  override readonly name = 'ProgramWorkerError';
}

/** Where the worker finds onnxruntime-node (resolved by the runtime that spawns it). */
export interface WorkerModules {
  ort: string;
  binding: string;
}

type Request =
  | { op: 'load'; id: number; bytes: Uint8Array; options: Record<string, unknown> }
  | { op: 'loop'; id: number; job: LoopJob }
  | { op: 'drop'; id: number };
type Reply = { ok: true; state?: Float32Array[] } | { ok: false; error: string };

interface WorkerData extends WorkerModules {
  port: MessagePort;
  flag: SharedArrayBuffer;
  /** What the worker stores in `flag`: `replied` after posting a reply, `exited` when its thread ends. */
  signals: { replied: number; exited: number };
}

// The flag before a reply, and what the worker sets.
const WAITING = 0;
const SIGNALS = { replied: 1, exited: 2 };

/**
 * The worker thread's code. Its source text is what the worker runs
 * (eval), so it may only use its arguments: `req` is the worker's require,
 * `loop` is runLoop passed in the same way.
 */
function workerMain(req: (id: string) => unknown, process: NodeJS.Process, data: WorkerData, loop: typeof runLoop): void {
  interface Native {
    loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
    readonly outputMetadata: readonly { name: string }[];
    run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: object): Record<string, { data: unknown; dims: readonly number[] }>;
    dispose(): void;
  }
  const flag = new Int32Array(data.flag);
  const signal = (value: number) => {
    Atomics.store(flag, 0, value);
    Atomics.notify(flag, 0);
  };
  const reply = (msg: unknown) => {
    data.port.postMessage(msg);
    signal(data.signals.replied);
  };
  process.on('exit', () => signal(data.signals.exited));
  let ort: { Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown } | undefined;
  let native: { binding: { InferenceSession: new () => Native } } | undefined;
  let startError = '';
  try {
    ort = req(data.ort) as typeof ort;
    const binding = req(data.binding) as { binding: { InferenceSession: new () => Native }; initOrt: () => void };
    binding.initOrt();
    native = binding;
  } catch (e) {
    startError = `onnxruntime-node does not load on a worker thread: ${e instanceof Error ? e.message : String(e)}`;
  }
  const sessions = new Map<number, { session: Native; fetches: Record<string, null> }>();
  data.port.on('message', (m: Request) => {
    if (m.op === 'drop') {
      sessions.get(m.id)?.session.dispose();
      sessions.delete(m.id);
      return;
    }
    try {
      if (!ort || !native) throw new Error(startError);
      const Tensor = ort.Tensor;
      if (m.op === 'load') {
        const session = new native.binding.InferenceSession();
        session.loadModel(m.bytes.buffer as ArrayBuffer, m.bytes.byteOffset, m.bytes.byteLength, m.options);
        sessions.set(m.id, { session, fetches: Object.fromEntries(session.outputMetadata.map((o) => [o.name, null])) });
        return reply({ ok: true });
      }
      const s = sessions.get(m.id);
      if (!s) throw new Error(`program ${m.id} is not loaded on this worker`);
      const state = loop((feeds) => {
        const tensors: Record<string, unknown> = {};
        for (const [name, t] of Object.entries(feeds)) tensors[name] = new Tensor('float32', t.data, t.dims);
        const out = s.session.run(tensors, s.fetches, {});
        const result: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
        for (const [name, t] of Object.entries(out)) {
          if (!(t.data instanceof Float32Array)) throw new Error(`output ${name} is not float32`);
          result[name] = { data: t.data, dims: t.dims };
        }
        return result;
      }, m.job);
      reply({ ok: true, state });
    } catch (e) {
      reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

const SOURCE = `const { workerData } = require('node:worker_threads');
(${workerMain.toString()})(require, process, workerData, (${runLoop.toString()}));`;

/** One worker thread; one request in flight at a time (the callers are synchronous). */
class ProgramWorker {
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  exited = false;

  constructor(modules: WorkerModules) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: WorkerData = { ...modules, port: port2, flag: this.flag.buffer as SharedArrayBuffer, signals: SIGNALS };
    this.worker = new Worker(SOURCE, { eval: true, workerData, transferList: [port2] });
    // Idle workers must not keep the process alive.
    this.worker.unref();
    this.port.unref();
    this.worker.on('exit', () => (this.exited = true));
  }

  post(request: Request): void {
    if (this.exited) throw new ProgramWorkerError('the worker thread has exited');
    if (request.op !== 'drop') Atomics.store(this.flag, 0, WAITING);
    this.port.postMessage(request);
  }

  /** Blocks until the reply to the last request. */
  reply(): Reply {
    // No time limit: a long attack is a legitimate long wait; a thread that ends sets `exited`.
    while (Atomics.load(this.flag, 0) === WAITING) Atomics.wait(this.flag, 0, WAITING, 60_000);
    const got = receiveMessageOnPort(this.port);
    if (!got) {
      this.exited = true;
      throw new ProgramWorkerError('the worker thread exited without replying');
    }
    return got.message as Reply;
  }

  terminate(): void {
    this.exited = true;
    void this.worker.terminate();
  }
}

const pool: ProgramWorker[] = [];
let nextId = 1;
// A program the engine's cache lets go of without dispose() (its network was
// collected) must not stay loaded on its worker for the life of the process.
const unloaded = new FinalizationRegistry<{ worker: ProgramWorker; id: number }>(({ worker, id }) => {
  if (!worker.exited) worker.post({ op: 'drop', id });
});

/**
 * Loads `model` (ONNX bytes) with onnxruntime session `options` on worker
 * thread `index` of a process-wide pool (spawned on first use). `finish()`
 * must be called before the program runs: loading on several workers and
 * this thread then overlaps.
 */
export function loadRemoteProgram(modules: WorkerModules, index: number, model: Uint8Array, options: Record<string, unknown>): { program: RemoteProgram; finish: () => void } {
  if (!pool[index] || pool[index].exited) pool[index] = new ProgramWorker(modules);
  const worker = pool[index];
  const id = nextId++;
  worker.post({ op: 'load', id, bytes: model, options });
  let running = false;
  const check = (r: Reply): Reply & { ok: true } => {
    if (!r.ok) throw new ProgramWorkerError(r.error);
    return r;
  };
  const program: RemoteProgram = {
    start(job) {
      worker.post({ op: 'loop', id, job });
      running = true;
    },
    wait() {
      if (!running) throw new ProgramWorkerError('wait() without start()');
      running = false;
      const state = check(worker.reply()).state;
      if (!state) throw new ProgramWorkerError('the worker returned no state');
      return state;
    },
    dispose() {
      unloaded.unregister(program);
      if (!worker.exited) worker.post({ op: 'drop', id });
    },
  };
  unloaded.register(program, { worker, id }, program);
  return { program, finish: () => void check(worker.reply()) };
}

/** Ends every worker thread of the pool (tests; the pool otherwise lives as long as the process, unreferenced). */
export function stopProgramWorkers(): void {
  for (const w of pool.splice(0)) w.terminate();
}
