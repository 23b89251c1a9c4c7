/**
 * Bad input, class 10: cache hygiene. An entry whose checksum file was
 * deleted is healed with a message (evicted and rebuilt), and temporary
 * folders killed runs left are removed: only ours, only old ones, never a
 * live one.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tinyProject } from './a-helpers.js';

const HOUR = 3600_000;
/** Above Linux's largest pid (2^22): a process that cannot be alive. */
const DEAD_PID = 2 ** 22 + 77;

/** A folder named as a run writing (tmp) or evicting (evicted) an entry names it, last written `ageMs` ago. */
function plant(cache: string, name: string, ageMs: number): string {
  const path = join(cache, name);
  mkdirSync(join(path, 'half-written'), { recursive: true });
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
  return path;
}

describe('bad input, class 10: cache entries and temporary folders', () => {
  it('an entry whose checksum was deleted is evicted and rebuilt, saying so; stale temporaries of killed runs go, live ones stay', async () => {
    const { dir } = tinyProject();
    const first = await runInProcess(dir, ['.'], {});
    expect(first.code).toBe(0);
    const cache = join(dir, 'cache');
    const entries = readdirSync(cache);
    const generator = entries.find((n) => /^[0-9a-f]{32}$/.test(n))!;
    const baseline = entries.find((n) => /^baseline-[0-9a-f]{32}$/.test(n))!;
    rmSync(join(cache, generator, 'checksum'));
    rmSync(join(cache, baseline, 'checksum'));

    const old = Date.now() - 3 * HOUR;
    const stale = plant(cache, `${generator}.tmp-${DEAD_PID}-${old}`, 3 * HOUR);
    const staleEvicted = plant(cache, `baseline-${generator}.evicted-${DEAD_PID}-${old}`, 3 * HOUR);
    const young = plant(cache, `${generator}.tmp-${DEAD_PID}-${Date.now()}`, 60_000); // a run writing now
    const live = plant(cache, `${generator}.tmp-${process.pid}-${old}`, 3 * HOUR); // its process is alive
    const notOurs = plant(cache, `notes.tmp-${DEAD_PID}-${old}`, 3 * HOUR);

    const second = await runInProcess(dir, ['.'], {});
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`entry ${join(cache, generator)} is corrupt (its checksum file is missing); retraining`);
    expect(second.stdout).toContain(`entry ${join(cache, baseline)} is corrupt (its checksum file is missing); running random again`);
    expect(second.stdout).toMatch(/removed 2 temporary folders left by killed runs/);
    expect([stale, staleEvicted].filter(existsSync)).toEqual([]);
    expect([young, live, notOurs].every(existsSync)).toBe(true);
    expect(existsSync(join(cache, generator, 'checksum'))).toBe(true);
    expect(existsSync(join(cache, baseline, 'checksum'))).toBe(true);

    // Healed: the next run loads both instead of training again.
    const third = await runInProcess(dir, ['.'], {});
    expect(third.stdout).toMatch(/loading generator {2}cache [0-9a-f]{32}/);
    expect(third.stdout).not.toMatch(/training generator/);
    expect(third.stdout).toMatch(/random \(cache baseline-/);
  });
});
