import { cpus, platform, release } from 'node:os';
import type { EnvironmentInfo } from '../results/index.js';

export function environmentInfo(backend: string, toolVersion: string, notes: readonly string[] = []): EnvironmentInfo {
  const cpu = cpus();
  return {
    toolVersion,
    backend,
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    ...(notes.length > 0 ? { notes: [...notes] } : {}),
  };
}
