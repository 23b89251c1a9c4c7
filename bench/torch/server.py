"""The PyTorch side of `npm run bench`, run by bench/run.mjs as a child process.

Line protocol on stdin / stdout, one JSON object per line:
  start-up ->  {"ready": true, "torch": "1.13.0", "threads": 2}
               (or {"ready": false, "error": "..."} when torch cannot be imported)
  {"op": "setup", "task": "gen_fwd", "params": {...}, "warmup": 2}
           ->  {"ok": true, "flops": <per input>, "setup_ms": ...}
  {"op": "time", "task": "gen_fwd"}      ->  {"ok": true, "ms": ...}   (one unit of work)
  {"op": "drop", "task": "gen_fwd"}      ->  {"ok": true}
  {"op": "usage"}                        ->  {"ok": true, "cpu_s": <CPU seconds of this process>}
Errors come back as {"ok": false, "error": "..."}. The Node side alternates its
own runs with "time" requests, so both sides are measured side by side.

Standalone (debugging): python3 server.py --standalone [--repeats N] [--threads T]
prints one JSON object of medians.
"""
import argparse
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
                reply({'ok': True, 'flops': task.flops, 'setup_ms': (time.perf_counter() - start) * 1000})
            elif op == 'time':
                reply({'ok': True, 'ms': live[name].once()})
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
    reply({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()})
    serve(torch, tasks)


if __name__ == '__main__':
    main()
