/**
 * Number formatting shared by the console and HTML reporters, so both show
 * the same figures. Non-finite values print as a dash rather than "NaN".
 */

export const DASH = '—';

function finite(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** Three significant digits without exponent notation: 9.44M, 38.7M, 506M, 1.20G. */
export function formatFlops(n: number | null | undefined): string {
  if (!finite(n)) return DASH;
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  const abs = Math.abs(n);
  for (const [scale, suffix] of units) {
    if (abs >= scale) return `${threeDigits(n / scale)}${suffix}`;
  }
  return String(Math.round(n));
}

function threeDigits(v: number): string {
  const abs = Math.abs(v);
  // Rounding can carry 9.995 -> "10.00"; that is still three significant digits' worth.
  const decimals = abs < 10 ? 2 : abs < 100 ? 1 : 0;
  return v.toFixed(decimals);
}

/** A fraction shown as a percentage with one decimal: 0.3724 -> "37.2%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (!finite(fraction)) return DASH;
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Perturbation norms: small numbers, three significant digits. */
export function formatNorm(n: number | null | undefined): string {
  if (!finite(n)) return DASH;
  if (n === 0) return '0';
  return n.toPrecision(3);
}

/** Milliseconds per item: 0.42 ms, 12.3 ms, 512 ms. */
export function formatMs(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  const decimals = ms < 1 ? 2 : ms < 100 ? 1 : 0;
  return `${ms.toFixed(decimals)} ms`;
}

/** Wall-clock durations: 850ms, 12.3s, 2m 03s, 1h 02m. */
export function formatDuration(ms: number | null | undefined): string {
  if (!finite(ms) || ms < 0) return DASH;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** Loss values: four decimals, or exponent form when tiny or huge. */
export function formatLoss(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e4)) return n.toExponential(2);
  return n.toFixed(4);
}

/** Time left, in whole seconds below a minute (a countdown does not need tenths): 12s, 2m 05s. */
export function formatEta(ms: number | null | undefined): string {
  if (!finite(ms) || ms < 0) return DASH;
  if (ms < 60_000) return `${Math.ceil(ms / 1000)}s`;
  return formatDuration(ms);
}
