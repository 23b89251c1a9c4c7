/**
 * Synchronous client of the PyTorch side (bench/torch/server.py). Synchronous
 * on purpose: the bench alternates one of our runs with one of PyTorch's, in
 * places where it cannot await (inside trainGenerator's progress callback),
 * and nothing of ours may run while PyTorch computes. A worker thread owns the
 * child process; the main thread waits on a shared flag and reads the reply
 * with receiveMessageOnPort.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { PYTHON } from '../../test/helpers/python.mjs';

const SCRIPT = fileURLToPath(new URL('../torch/server.py', import.meta.url));
const WORKER = new URL('./torch-worker.mjs', import.meta.url);

export class TorchUnavailable extends Error {
  name = 'TorchUnavailable';
}

export class TorchClient {
  #worker;
  #port;
  #signal;

  /** Starts Python and waits for its ready line; throws TorchUnavailable with the reason. */
  constructor({ python = PYTHON, threads = 2, startTimeoutMs = 120_000 } = {}) {
    if (!existsSync(python)) throw new TorchUnavailable(`${python} is not installed`);
    const flag = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    this.#signal = new Int32Array(flag);
    this.#port = port1;
    this.#worker = new Worker(WORKER, { workerData: { python, script: SCRIPT, threads, port: port2, flag }, transferList: [port2] });
    this.#worker.unref();
    const ready = this.#await(startTimeoutMs);
    if (!ready.ready) {
      this.close();
      throw new TorchUnavailable(ready.error ?? 'the PyTorch side did not start');
    }
    this.version = ready.torch;
    this.threads = ready.threads;
    /** BLAS and thread settings of the Python process (bench/torch/server.py peer_report). */
    this.peer = ready.peer ?? null;
    this.openblasThreadsSetBy = process.env.OPENBLAS_NUM_THREADS === undefined ? 'bench (1)' : `user (${process.env.OPENBLAS_NUM_THREADS})`;
  }

  #await(timeoutMs) {
    if (Atomics.wait(this.#signal, 0, 0, timeoutMs) === 'timed-out') throw new Error(`PyTorch side: no reply in ${timeoutMs} ms`);
    Atomics.store(this.#signal, 0, 0);
    const got = receiveMessageOnPort(this.#port);
    if (!got) throw new Error('PyTorch side: woken without a reply');
    return got.message;
  }

  /** One request, blocking until its reply; a reply with ok: false throws. */
  call(request, timeoutMs = 30 * 60_000) {
    Atomics.store(this.#signal, 0, 0);
    this.#port.postMessage(request);
    const reply = this.#await(timeoutMs);
    if (!reply.ok) throw new Error(`PyTorch ${request.op} ${request.task ?? ''}: ${reply.error}`);
    return reply;
  }

  /** Builds a task's models and inputs and warms it up; returns its FLOPs per input. */
  setup(task, params = {}, warmup = 1) {
    return this.call({ op: 'setup', task, params, warmup });
  }

  /** What the task's last timed unit produced (e.g. ILFO's inputs). */
  result(task) {
    return this.call({ op: 'result', task });
  }

  /** Milliseconds of one unit of the task's work. */
  time(task) {
    return this.call({ op: 'time', task }).ms;
  }

  /** CPU seconds the PyTorch process has used so far. */
  cpuSeconds() {
    return this.call({ op: 'usage' }).cpu_s;
  }

  drop(task) {
    this.call({ op: 'drop', task });
  }

  close() {
    try {
      this.#port.postMessage({ op: 'quit' });
    } catch {
      // already closed
    }
    setTimeout(() => this.#worker.terminate(), 200).unref();
  }
}
