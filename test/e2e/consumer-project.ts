import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

/**
 * Writes a consumer project that depends on the packed tarball, with a
 * package-lock.json holding the tarball and every package the repository's
 * lock resolves for production (its non-dev entries, at the same paths). With
 * a lock npm needs no registry metadata, only the tarballs, and the
 * repository's own `npm ci` left those in npm's cache: so `npm ci --offline`
 * installs exactly what a user's `npm install deepperform` would, without
 * internet.
 */
export function writeConsumerProject(dir: string, repoRoot: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${basename(tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const fields = ['license', 'dependencies', 'bin', 'engines', 'peerDependencies', 'peerDependenciesMeta'];
  const self = Object.fromEntries(fields.filter((f) => pkg[f] !== undefined).map((f) => [f, pkg[f]]));
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { deepperform: spec } },
    'node_modules/deepperform': { version: pkg.version, resolved: spec, integrity, ...self },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  }
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { deepperform: spec } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const consumerLock = { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(consumerLock, null, 2)}\n`);
}
