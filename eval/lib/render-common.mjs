/**
 * What every table of docs/RESULTS.md shares: the command that remakes it, the
 * line saying where and when it was measured, the note on what is missing, and
 * the look-up of a suite's result and of a method in it.
 */
import { fixed } from './format.mjs';
import { suiteName } from './suites.mjs';

const ONLY = { 1: '1', 2: '2', 4: '4', 5: '5', 6: '6', 7: '7', 9: '9', 10: '10', 11: '11', timing: 'timing' };

export function command(results, key) {
  const quick = results.mode === 'quick' ? ' --quick' : '';
  return `npm run eval --${quick} --only=${ONLY[key]}`;
}

/** "Command · date · machine · backend" line under a table, from the sections it reads. */
export function provenance(results, key, sections, extra) {
  const present = sections.map((s) => results.sections?.[s]).filter(Boolean);
  const dates = [...new Set(present.map((s) => s.startedAt?.slice(0, 10)))].join(', ') || '—';
  const m = present[0]?.machine ?? results.machine;
  const backends = [...new Set(present.map((s) => s.backend).filter(Boolean))].join('; ') || '—';
  const others = present.filter((s) => typeof s.othersCpus === 'number').map((s) => fixed(s.othersCpus, 2));
  const loads = present.filter((s) => Array.isArray(s.loadAvg)).map((s) => s.loadAvg.map((v) => fixed(v, 1)).join('→'));
  const load = others.length ? ` · other processes kept ${others.join(', ')} CPUs busy` : loads.length ? ` · load average ${loads.join(', ')}` : '';
  return `Command: \`${command(results, key)}\`${extra ? ` (${extra})` : ''} · measured ${dates} · ${m ? `${m.cpu}, ${m.cores} logical CPUs` : '—'} · backend ${backends}${load}`;
}

export function missing(results, key, sections) {
  const absent = sections.filter((s) => !results.sections?.[s]);
  const failed = sections.filter((s) => results.sections?.[s]?.error).map((s) => `section ${s} failed: ${results.sections[s].error}`);
  const notes = [...failed.map((f) => `_${f}_`)];
  if (absent.length) notes.push(`_Not measured yet (section${absent.length > 1 ? 's' : ''} ${absent.join(', ')}): run \`${command(results, key)}\`._`);
  return notes.length ? notes.join('\n\n') : undefined;
}

/** The compact result of one suite of a section (`kind` is also the section's name). */
export function suite(results, kind, arch, label) {
  return results.sections?.[kind]?.data?.suites?.[suiteName(arch, label, kind)];
}

export function method(s, name) {
  return s?.methods?.find((m) => m.method === name);
}
