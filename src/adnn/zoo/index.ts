import type { ZooEntry } from './entry.js';
import { entries as blockdrop } from './blockdrop/index.js';
import { entries as ranet } from './ranet/index.js';
import { entries as sdn } from './sdn/index.js';
import { entries as skipnet } from './skipnet/index.js';
import { UserError } from '../../util/errors.js';

export type { ZooEntry, ZooFamily } from './entry.js';

const ZOO = new Map<string, ZooEntry>([...skipnet, ...blockdrop, ...sdn, ...ranet].map((e) => [e.arch, e]));

export class UnknownArchError extends UserError {
  constructor(readonly arch: string) {
    super(`unknown architecture "${arch}"; known: ${[...ZOO.keys()].join(', ')}`);
    this.name = 'UnknownArchError';
  }
}

export function zooEntry(arch: string): ZooEntry {
  const entry = ZOO.get(arch);
  if (!entry) throw new UnknownArchError(arch);
  return entry;
}

export function zooArchs(): ZooEntry[] {
  return [...ZOO.values()];
}
