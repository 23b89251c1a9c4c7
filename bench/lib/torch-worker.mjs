/**
 * Worker thread that owns the PyTorch child process (bench/torch/server.py)
 * for bench/lib/torch-client.mjs. The main thread blocks on Atomics.wait
 * while a request runs, so it cannot read a pipe itself; this worker relays
 * each request line to Python and each reply line back, then wakes it.
 */
import { spawn } from 'node:child_process';
import { workerData } from 'node:worker_threads';

const { python, script, threads, port, flag } = workerData;
const signal = new Int32Array(flag);

function deliver(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// torch's own pool does the parallel work; a second (OpenBLAS) pool on the
// same cores measured slower, so OpenBLAS gets one thread unless the user chose.
const child = spawn(python, [script, '--threads', String(threads)], {
  stdio: ['pipe', 'pipe', 'pipe'],
  env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? '1', PYTHONUNBUFFERED: '1' },
});
let stderr = '';
let buffered = '';
let waiting = true; // the ready line is the first reply awaited

child.on('error', (e) => deliver({ ready: false, ok: false, error: `cannot start ${python}: ${e.message}` }));
child.stderr.on('data', (d) => {
  stderr = (stderr + d).slice(-4000);
});
child.stdout.on('data', (d) => {
  buffered += d;
  let nl;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl).trim();
    buffered = buffered.slice(nl + 1);
    if (!line.startsWith('{')) continue; // stray prints are not replies
    waiting = false;
    deliver(JSON.parse(line));
  }
});
child.on('exit', (code, sig) => {
  const error = `${python} exited (${sig ?? code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
  if (waiting) deliver({ ready: false, ok: false, error });
  port.close();
});

port.on('message', (req) => {
  if (req.op === 'quit') {
    child.stdin.end();
    return;
  }
  waiting = true;
  child.stdin.write(`${JSON.stringify(req)}\n`);
});
