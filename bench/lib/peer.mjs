/**
 * Is the PyTorch peer a fair one? Debian's python3-torch is built with
 * BLAS_INFO=generic and calls whatever libblas.so.3 the system's alternative
 * points at: on a machine with only libblas3 that is the netlib reference BLAS,
 * many times slower at sgemm than OpenBLAS, and every torch ratio
 * would flatter us. These pure functions judge the report bench/torch/server.py sends at
 * start-up (torch.__config__.show(), the shared objects it mapped from
 * /proc/self/maps, OpenBLAS's own answer, thread settings); run.mjs acts on it.
 */

export const REFERENCE_BLAS_FIX = 'apt-get install libopenblas0-pthread (switches the libblas.so.3 alternative to OpenBLAS)';

/** Build settings of torch.__config__.show(): BLAS_INFO, LAPACK_INFO, USE_MKL ... (upper-case keys). */
export function torchBuildSettings(configText) {
  const settings = {};
  for (const m of String(configText ?? '').matchAll(/\b([A-Z][A-Z0-9_]*)=([^,\s]*)/g)) settings[m[1]] = m[2];
  return settings;
}

/** The BLAS libraries among a process's mapped shared objects: family by path, and whether it is a libblas.so. */
export function blasLibraries(libraries) {
  const found = [];
  for (const path of libraries ?? []) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    const libblas = /^lib(c)?blas\.so/.test(file);
    let family;
    if (/libmkl_/.test(file)) family = 'mkl';
    else if (/openblas/.test(path)) family = 'openblas';
    else if (/blis/.test(path)) family = 'blis';
    else if (/\/atlas\//.test(path) || /^lib(s|t)?atlas/.test(file)) family = 'atlas';
    else if (libblas) family = /\/blas\/lib(c)?blas\.so/.test(path) ? 'reference' : 'unrecognised';
    if (family) found.push({ path, family, libblas });
  }
  return found;
}

const NAMES = { openblas: 'OpenBLAS', blis: 'BLIS', atlas: 'ATLAS' };

/**
 * Which BLAS a torch process computes with, and whether it is an optimised one.
 * `peer`: { config, libraries, openblas } as server.py reports them. A torch
 * built with BLAS_INFO=generic calls libblas.so.3, so the library mapped under
 * that name decides; MKL (pip wheels) is linked in and named by BLAS_INFO.
 * Returns { kind, optimised, library, summary, reason }; kind is one of mkl,
 * openblas, blis, atlas, reference, unrecognised, unknown. Only the first
 * four are optimised: "unknown" means no optimised BLAS was mapped.
 */
export function classifyBlas(peer) {
  const settings = torchBuildSettings(peer?.config);
  const blasInfo = settings.BLAS_INFO ?? '?';
  const libs = blasLibraries(peer?.libraries);
  const ob = peer?.openblas;
  const mkl = libs.find((l) => l.family === 'mkl');
  if (blasInfo.toLowerCase() === 'mkl' || mkl) return verdict('mkl', true, mkl?.path ?? null, `MKL (${mkl ? mkl.path : 'linked into torch, BLAS_INFO=mkl'})`);
  const libblas = libs.find((l) => l.libblas);
  const chosen = libblas ?? libs.find((l) => NAMES[l.family]);
  if (chosen && NAMES[chosen.family]) {
    const variant = /openblas-(pthread|openmp|serial)/.exec(chosen.path)?.[1];
    const name = chosen.family === 'openblas' && ob?.config ? `${ob.config.split(' ').slice(0, 2).join(' ')}${ob.core ? ` ${ob.core}` : ''}` : NAMES[chosen.family];
    return verdict(chosen.family, true, chosen.path, `${name} (${variant ? `${variant}, ` : ''}${chosen.path})`);
  }
  if (chosen?.family === 'reference') {
    return verdict('reference', false, chosen.path, `netlib reference BLAS (${chosen.path})`, `torch (BLAS_INFO=${blasInfo}) calls the netlib reference BLAS ${chosen.path}`);
  }
  if (chosen) {
    return verdict('unrecognised', false, chosen.path, `unrecognised BLAS (${chosen.path})`, `torch (BLAS_INFO=${blasInfo}) calls ${chosen.path}, not a BLAS the bench knows as optimised`);
  }
  if (['open', 'openblas', 'blis', 'accelerate', 'veclib'].includes(blasInfo.toLowerCase())) {
    // Linked statically into torch: nothing separate to see mapped.
    return verdict(blasInfo === 'open' ? 'openblas' : blasInfo.toLowerCase(), true, null, `${blasInfo} (linked into torch, BLAS_INFO=${blasInfo})`);
  }
  return verdict('unknown', false, null, 'no optimised BLAS mapped', `torch (BLAS_INFO=${blasInfo}) has no optimised BLAS mapped`);
}

function verdict(kind, optimised, library, summary, reason) {
  return { kind, optimised, library, summary, reason: reason ?? null };
}

/**
 * The note every torch ratio carries when the peer runs on a reference BLAS
 * (the bench refuses unless --allow-reference-blas; then the ratios are null).
 */
export function notComparableNote(blas) {
  return `not comparable: ${blas.reason}, a handicapped peer; fix: ${REFERENCE_BLAS_FIX}`;
}

/** Short `torch_blas` key: the BLAS and the threads both pools use. */
export function torchBlasSummary(peer, blas) {
  const obThreads = peer?.openblas?.threads;
  const env = peer?.env ?? {};
  const blasThreads = obThreads ?? env.OPENBLAS_NUM_THREADS ?? env.MKL_NUM_THREADS ?? '?';
  return `${blas.summary}, ${blasThreads} BLAS thread(s); torch ${peer?.torch_threads ?? '?'} intra-op thread(s)`;
}

/** The BLAS-related part of the peer report for details.peer (not its 300 mapped modules). */
export function peerDetails(peer, blas, openblasThreadsSetBy) {
  return {
    blas,
    blas_info: torchBuildSettings(peer?.config).BLAS_INFO ?? null,
    lapack_info: torchBuildSettings(peer?.config).LAPACK_INFO ?? null,
    cpu_capability: /CPU capability usage: (\S+)/.exec(peer?.config ?? '')?.[1] ?? null,
    blas_libraries_mapped: blasLibraries(peer?.libraries).map((l) => l.path),
    openblas: peer?.openblas ?? null,
    torch_threads: peer?.torch_threads ?? null,
    interop_threads: peer?.interop_threads ?? null,
    env: peer?.env ?? {},
    openblas_num_threads_set_by: openblasThreadsSetBy,
    parallel_info: peer?.parallel ?? null,
  };
}
