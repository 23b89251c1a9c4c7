import type { ZooEntry } from '../entry.js';

/** This family's zoo entries (filled in as the family is built). */
export const entries: ZooEntry[] = [];
