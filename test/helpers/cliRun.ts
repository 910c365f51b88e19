/**
 * `runCli` with fake streams, for the cost, compare and export tests: a terminal of `columns`
 * when `tty`, else a pipe; the clock held at `NOW_ISO`.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {runCli} from '../../src/cli/main.js';
import {OutputCollector} from './outputCollector.js';

export const NOW_ISO = '2026-11-25T12:00:00Z';

/** What one command line did. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const configDir = mkdtempSync(path.join(tmpdir(), 'runlens-cli-run-'));

/** Runs one command line; settings live in a fresh temporary folder unless `env` names another. */
export async function cliRun(argv: string[], options: {tty?: boolean; columns?: number; env?: Record<string, string>} = {}): Promise<CliResult> {
  const stdout = new OutputCollector(options.tty ?? false, options.tty ? (options.columns ?? 100) : undefined);
  const stderr = new OutputCollector(false, undefined);
  const stdin = Object.assign(Readable.from([]), {isTTY: true});
  const code = await runCli({argv, env: {RUNLENS_NOW: NOW_ISO, RUNLENS_CONFIG_DIR: configDir, ...options.env}, stdin, stdout, stderr, now: () => Date.parse(NOW_ISO)});
  return {code, stdout: stdout.text, stderr: stderr.text};
}
