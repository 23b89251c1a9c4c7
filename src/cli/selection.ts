/** Discovery, -t and --shard as `run` and `list` share them, with a reason when nothing is left. */
import { selectSuites, shardSlice, type Shard } from '../runner/index.js';
import type { Suite } from '../suite/index.js';
import { suiteFiles, type Settings } from '../settings/index.js';

export interface SelectionFlags {
  testNamePattern?: RegExp;
  shard?: Shard;
}

export interface Selection {
  suites: Suite[];
  /** Why no suite was selected, in the user's terms; set only when suites is empty. */
  emptyReason?: string;
}

export async function selectForCommand(paths: readonly string[], settings: Settings, flags: SelectionFlags, cwd: string): Promise<Selection> {
  const { files, searched } = await suiteFiles(paths, settings, cwd);
  if (files.length === 0) return { suites: [], emptyReason: `no *.perf.yaml suites found in ${searched}` };
  const pattern = flags.testNamePattern;
  const matching = await selectSuites(files, { cwd, namePattern: pattern, seed: settings.seed });
  if (matching.length === 0) {
    return { suites: [], emptyReason: `no suite name matches -t ${String(pattern)} (${count(files.length)} found)` };
  }
  const suites = flags.shard ? shardSlice(matching, flags.shard) : matching;
  if (suites.length === 0) {
    const { index, total } = flags.shard!;
    return { suites, emptyReason: `shard ${index}/${total} has no suites (${count(matching.length)} selected in total)` };
  }
  return { suites };
}

export function count(n: number): string {
  return `${n} suite${n === 1 ? '' : 's'}`;
}
