"""The PyTorch side of `npm run bench`, run by bench/run.mjs as a child process.

Line protocol on stdin / stdout, one JSON object per line:
  start-up ->  {"ready": true, "torch": "1.13.0", "threads": 2, "peer": {...}}
               (or {"ready": false, "error": "..."} when torch cannot be imported;
               "peer" says which BLAS and thread settings this process runs with)
  {"op": "setup", "task": "gen_fwd", "params": {...}, "warmup": 2}
           ->  {"ok": true, "flops": <per input>, "flop_parts": {...} or null, "setup_ms": ...}
  {"op": "time", "task": "gen_fwd"}      ->  {"ok": true, "ms": ...}   (one unit of work)
  {"op": "result", "task": "ilfo"}       ->  {"ok": true, ...}   (what the last unit produced)
  {"op": "drop", "task": "gen_fwd"}      ->  {"ok": true}
  {"op": "usage"}                        ->  {"ok": true, "cpu_s": <CPU seconds of this process>}
Errors come back as {"ok": false, "error": "..."}. The Node side alternates its
own runs with "time" requests, so both sides are measured side by side.

Standalone (debugging): python3 server.py --standalone [--repeats N] [--threads T]
prints one JSON object of medians.
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def reply(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def serve(torch, tasks):
    live = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            op, name = req.get('op'), req.get('task')
            if op == 'setup':
                start = time.perf_counter()
                params = req.get('params') or {}
                if 'shape' in params:
                    params['shape'] = tuple(params['shape'])
                task = tasks.TASKS[name](**params)
                for _ in range(int(req.get('warmup', 1))):
                    task.once()
                live[name] = task
                reply({'ok': True, 'flops': task.flops, 'flop_parts': getattr(task, 'flop_parts', None),
                       'setup_ms': (time.perf_counter() - start) * 1000})
            elif op == 'time':
                reply({'ok': True, 'ms': live[name].once()})
            elif op == 'result':
                reply({'ok': True, **live[name].result()})
            elif op == 'usage':
                r = resource.getrusage(resource.RUSAGE_SELF)
                reply({'ok': True, 'cpu_s': r.ru_utime + r.ru_stime})
            elif op == 'drop':
                live.pop(name, None)
                reply({'ok': True})
            else:
                reply({'ok': False, 'error': f'unknown op {op!r}'})
        except Exception as e:  # report, keep serving
            reply({'ok': False, 'error': f'{type(e).__name__}: {e}', 'trace': traceback.format_exc(limit=3)})


THREAD_ENV = ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OMP_WAIT_POLICY', 'GOMP_SPINCOUNT',
              'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE')


def mapped_libraries():
    """Shared objects this process has mapped (/proc/self/maps), each once."""
    try:
        with open('/proc/self/maps', encoding='utf-8') as f:
            paths = {line.split(None, 5)[5].strip() for line in f if len(line.split(None, 5)) == 6}
    except OSError:
        return None
    return sorted(p for p in paths if p.startswith('/') and '.so' in p)


def openblas_info(libraries):
    """OpenBLAS's own report (build, kernel, threads) from the first mapped library that answers."""
    for path in libraries or []:
        if 'blas' not in path and 'lapack' not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {'library': path, 'config': lib.openblas_get_config().decode(),
                    'core': lib.openblas_get_corename().decode(), 'threads': lib.openblas_get_num_threads()}
        except (OSError, AttributeError):
            continue
    return None


def peer_report(torch):
    """What the bench needs to judge this peer: the BLAS it calls and its threads."""
    a = torch.ones(64, 64)
    _ = a @ a  # a first BLAS call, so a lazily loaded library is mapped too
    libraries = mapped_libraries()
    return {
        'config': torch.__config__.show(),
        'parallel': torch.__config__.parallel_info(),
        'libraries': libraries,
        'openblas': openblas_info(libraries),
        'torch_threads': torch.get_num_threads(),
        'interop_threads': torch.get_num_interop_threads(),
        'env': {k: os.environ.get(k) for k in THREAD_ENV},
    }


def standalone(tasks, repeats):
    out = {}
    plan = {
        'gen_fwd_32x32x3': ('gen_fwd', {'shape': (32, 32, 3)}),
        'train_step': ('train_step', {}),
        'adnn_fwd': ('adnn_fwd', {}),
        'adnn_inputgrad': ('adnn_inputgrad', {}),
    }
    for key, (name, params) in plan.items():
        task = tasks.TASKS[name](**params)
        task.once()
        out[key] = {'median_ms': statistics.median(task.once() for _ in range(repeats)), 'flops': task.flops}
    reply(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--standalone', action='store_true')
    ap.add_argument('--repeats', type=int, default=3)
    args = ap.parse_args()
    try:
        import torch
        import tasks
    except Exception as e:  # absent or broken torch: the bench reports null
        reply({'ready': False, 'error': f'{type(e).__name__}: {e}'})
        return
    torch.set_num_threads(args.threads)
    if args.standalone:
        standalone(tasks, args.repeats)
        return
    reply({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'peer': peer_report(torch)})
    serve(torch, tasks)


if __name__ == '__main__':
    main()
