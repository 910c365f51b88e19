/**
 * The progress bar of a load under way, as the header shows it:
 * `loading ▕██████▌         ▏ 45%  96 MB of 215 MB  41 MB/s`.
 */
import {barText} from './charts.js';
import type {LoadingState} from '../sources/runFeed.js';

const MB = 1024 * 1024;

/** `512 KB`, `6.1 MB`, `205 MB`. */
function formatBytes(bytes: number): string {
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

/** The bar and figures of a load; `nowMs` for the rate. Unknown totals (stdin) show no bar or share. */
export function formatLoadProgress(loading: LoadingState, nowMs: number, options: {ascii: boolean; barCells?: number}): string {
  const cells = options.barCells ?? 16;
  const parts = ['loading'];
  const seconds = (nowMs - loading.startedAt) / 1000;
  if (loading.totalBytes !== null && loading.totalBytes > 0) {
    const share = Math.min(1, loading.bytesRead / loading.totalBytes);
    const filled = barText(share, 1, cells, options.ascii);
    // Every bar character is one column wide.
    const empty = ' '.repeat(Math.max(0, cells - filled.length));
    parts.push(options.ascii ? `[${filled}${empty}]` : `▕${filled}${empty}▏`, `${Math.floor(share * 100)}%`);
    parts.push(` ${formatBytes(loading.bytesRead)} of ${formatBytes(loading.totalBytes)}`);
  } else {
    parts.push(formatBytes(loading.bytesRead));
  }
  if (seconds >= 0.2 && loading.bytesRead > 0) parts.push(` ${formatBytes(loading.bytesRead / seconds)}/s`);
  return parts.join(' ');
}
