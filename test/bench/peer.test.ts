import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// The bench is plain ESM JavaScript; these judge the PyTorch peer's report (bench/torch/server.py).
import { blasLibraries, classifyBlas, notComparableNote, torchBlasSummary, torchBuildSettings } from '../../bench/lib/peer.mjs';
import { RATIOS } from '../../bench/lib/results.mjs';
import { spawnAsync } from '../helpers/spawn.js';

// torch.__config__.show() of Debian's python3-torch 1.13 (cut down) and of a pip wheel.
const DEBIAN_CONFIG =
  'PyTorch built with:\n  - GCC 12.2\n  - CPU capability usage: AVX2\n  - Build settings: BLAS_INFO=generic, BUILD_TYPE=RelWithDebInfo, ' +
  'CXX_FLAGS=-Wdate-time -D_FORTIFY_SOURCE=2 -g -O2, LAPACK_INFO=generic, TORCH_VERSION=1.13.0, USE_MKLDNN=ON, USE_OPENMP=ON, \n';
const WHEEL_CONFIG =
  'PyTorch built with:\n  - Intel(R) oneAPI Math Kernel Library Version 2022.2\n  - Build settings: BLAS_INFO=mkl, BUILD_TYPE=Release, LAPACK_INFO=mkl, USE_MKL=ON, \n';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SYSTEM = ['/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30'];
// What /proc/self/maps lists for torch on this machine (libopenblas0-pthread installed) ...
const OPENBLAS_LIBS = [
  ...SYSTEM,
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3',
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
];
const OPENBLAS_ANSWER = {
  library: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
  config: 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64',
  core: 'Haswell',
  threads: 1,
};
// ... and with only libblas3 / liblapack3 (the alternatives point into blas/ and lapack/).
const REFERENCE_LIBS = [...SYSTEM, '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0', '/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3.11.0'];

describe('the PyTorch peer: which BLAS', () => {
  it('reads the build settings of torch.__config__.show()', () => {
    const s = torchBuildSettings(DEBIAN_CONFIG);
    expect(s.BLAS_INFO).toBe('generic');
    expect(s.LAPACK_INFO).toBe('generic');
    expect(s.USE_OPENMP).toBe('ON');
    expect(torchBuildSettings(undefined)).toEqual({});
  });

  it('finds the BLAS libraries among the mapped objects, and which one is libblas.so', () => {
    expect(blasLibraries(OPENBLAS_LIBS)).toEqual([
      { path: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', family: 'openblas', libblas: true },
      { path: '/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3', family: 'openblas', libblas: false },
      { path: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so', family: 'openblas', libblas: false },
    ]);
    expect(blasLibraries(REFERENCE_LIBS)).toEqual([{ path: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0', family: 'reference', libblas: true }]);
    expect(blasLibraries(undefined)).toEqual([]);
  });

  it("Debian's torch with libopenblas0-pthread: OpenBLAS, optimised, named by its own answer", () => {
    const b = classifyBlas({ config: DEBIAN_CONFIG, libraries: OPENBLAS_LIBS, openblas: OPENBLAS_ANSWER });
    expect(b).toMatchObject({ kind: 'openblas', optimised: true, library: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', reason: null });
    expect(b.summary).toBe('OpenBLAS 0.3.21 Haswell (pthread, /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)');
    const peer = { openblas: OPENBLAS_ANSWER, torch_threads: 2, env: { OPENBLAS_NUM_THREADS: '1' } };
    expect(torchBlasSummary(peer, b)).toBe(`${b.summary}, 1 BLAS thread(s); torch 2 intra-op thread(s)`);
  });

  it("Debian's torch with only libblas3: the netlib reference BLAS, not optimised; the note names it and the fix", () => {
    const b = classifyBlas({ config: DEBIAN_CONFIG, libraries: REFERENCE_LIBS, openblas: null });
    expect(b).toMatchObject({ kind: 'reference', optimised: false, library: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0' });
    const note = notComparableNote(b);
    expect(note).toContain('not comparable');
    expect(note).toContain('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    expect(note).toContain('apt-get install libopenblas0-pthread');
  });

  it('the libblas.so torch calls decides, not an OpenBLAS some other module brought along', () => {
    const libs = [...REFERENCE_LIBS, '/usr/lib/python3/dist-packages/numpy.libs/libopenblas64_p-r0.3.21.so'];
    expect(classifyBlas({ config: DEBIAN_CONFIG, libraries: libs }).kind).toBe('reference');
  });

  it('a pip wheel (MKL linked in, BLAS_INFO=mkl) is optimised without any library to see', () => {
    expect(classifyBlas({ config: WHEEL_CONFIG, libraries: SYSTEM })).toMatchObject({ kind: 'mkl', optimised: true });
  });

  it('ATLAS and BLIS behind libblas.so.3 are optimised; an unknown libblas.so.3 or none at all is not', () => {
    expect(classifyBlas({ config: DEBIAN_CONFIG, libraries: ['/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3.10.3'] })).toMatchObject({ kind: 'atlas', optimised: true });
    expect(classifyBlas({ config: DEBIAN_CONFIG, libraries: ['/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3'] })).toMatchObject({ kind: 'blis', optimised: true });
    const odd = classifyBlas({ config: DEBIAN_CONFIG, libraries: ['/opt/site/lib/libblas.so.3'] });
    expect(odd).toMatchObject({ kind: 'unrecognised', optimised: false });
    expect(odd.reason).toContain('/opt/site/lib/libblas.so.3');
    const none = classifyBlas({ config: DEBIAN_CONFIG, libraries: SYSTEM });
    expect(none).toMatchObject({ kind: 'unknown', optimised: false });
    expect(none.reason).toContain('no optimised BLAS mapped');
    // No report at all (an old server): nothing shows an optimised BLAS.
    expect(classifyBlas(null).optimised).toBe(false);
  });
});

/**
 * run.mjs against a stand-in for python3.11: it answers the start-up line with
 * a peer on the reference BLAS, and the few requests a run with every section
 * skipped makes. The refusal happens before the product is loaded.
 */
describe('the bench with a peer on the reference BLAS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = join(dir, 'python');
  const peer = { config: DEBIAN_CONFIG, parallel: '', libraries: REFERENCE_LIBS, openblas: null, torch_threads: 2, interop_threads: 1, env: { OPENBLAS_NUM_THREADS: '1' } };
  writeFileSync(
    fake,
    `#!${process.execPath}\n` +
      `process.stdout.write(JSON.stringify({ ready: true, torch: '1.13.0', threads: 2, peer: ${JSON.stringify(peer)} }) + '\\n');\n` +
      "let buf = '';\n" +
      "process.stdin.on('data', (d) => { buf += d; let i; while ((i = buf.indexOf('\\n')) >= 0) { const req = JSON.parse(buf.slice(0, i)); buf = buf.slice(i + 1);\n" +
      "  process.stdout.write(JSON.stringify(req.op === 'usage' ? { ok: true, cpu_s: 0 } : { ok: false, error: 'not in this stand-in' }) + '\\n'); } });\n",
  );
  chmodSync(fake, 0o755);
  const run = (...extra: string[]) =>
    spawnAsync(process.execPath, ['bench/run.mjs', '--quick', `--python=${fake}`, '--skip=gen,adnn,train,train28,ilfo,instr,epoch,default-run', `--out=${join(dir, 'r.json')}`, ...extra], {
      cwd: ROOT,
      timeoutMs: 120_000,
    });

  it('refuses with exit 2, naming the BLAS and the fix', async () => {
    const r = await run();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    expect(r.stderr).toContain('apt-get install libopenblas0-pthread');
    expect(r.stderr).toContain('--allow-reference-blas');
  });

  it('with --allow-reference-blas records the peer and nulls every torch ratio as not comparable', async () => {
    const r = await run('--allow-reference-blas');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(result.torch_blas).toContain('netlib reference BLAS');
    expect(result.details.peer.torch.blas.kind).toBe('reference');
    for (const key of Object.keys(RATIOS)) {
      expect(result[key]).toBeNull();
      expect(result.notes[key]).toContain('apt-get install libopenblas0-pthread');
    }
  });
});
