/**
 * The process as the CLI sees it: argv, the environment, the three streams and the clock, handed
 * in (`CliIo`) so tests drive the CLI without a real terminal; and what the CLI reads from them
 * (colour, Unicode, the pinned clock, the keyboard) and how it writes its messages to stderr.
 */
import {openSync} from 'node:fs';
import {ReadStream} from 'node:tty';
import type {Readable, Writable} from 'node:stream';
import {safeInline} from '../format/sanitize.js';
import type {LoadedRuns} from '../sources/loadSources.js';
import {formatWarning} from '../model/loadWarning.js';
import {EXIT_FAILURE, EXIT_USAGE, UsageError, type CliOptions} from './args.js';

/** The process facts the CLI reads, injected so tests drive it without a real terminal. */
export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdin: Readable & {isTTY?: boolean};
  stdout: Writable & {isTTY?: boolean; columns?: number};
  stderr: Writable;
  now: () => number;
  /**
   * Registers what must run before runlens ends for a signal (bin.ts runs it, then leaves the
   * alternate screen and exits); returns the undo. The TUI unmounts Ink here: unmounted later,
   * by the process's exit, Ink would draw its last frame onto the normal screen. Absent in tests.
   */
  beforeSignalExit?: (cleanup: () => void) => () => void;
}

/** NO_COLOR (any non-empty value), --no-color, TERM=dumb and pipes turn colour off; --color forces it. */
export function colorEnabled(options: CliOptions, io: CliIo): boolean {
  if (options.color !== null) return options.color;
  if (io.env['NO_COLOR']) return false;
  if (io.env['FORCE_COLOR'] !== undefined) return io.env['FORCE_COLOR'] !== '0';
  if (io.env['TERM'] === 'dumb') return false;
  return Boolean(io.stdout.isTTY);
}

/**
 * Whether the locale says the terminal cannot show Unicode (`LANG=C`, `POSIX`, `en_US.ISO-8859-1`):
 * then glyphs, bars and box lines fall back to ASCII as with `--ascii`. No locale at all is taken
 * as Unicode, as nearly every terminal is today.
 */
export function localeLacksUnicode(env: NodeJS.ProcessEnv): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'];
  return Boolean(locale) && !/utf-?8/i.test(locale!);
}

/** The clock the CLI reads, and the instant `--now` set it to (Unix ms), which the header names. */
export interface Clock {
  now: () => number;
  pinnedAt: number | null;
}

/**
 * `--now TIME` starts the clock at TIME and lets it run, so countdowns tick as they did then
 * (`npm start` opens the examples as of their own time). `RUNLENS_NOW` holds it still at TIME,
 * for reproducible screenshots and tests, and unannounced (a test's screen stays as it was). Both
 * take Unix seconds or an ISO date; the flag wins.
 */
export function clockFrom(io: CliIo, flag: string | null = null): Clock {
  const [name, pinned] = flag !== null ? ['--now', flag] : ['RUNLENS_NOW', io.env['RUNLENS_NOW']];
  if (!pinned) return {now: io.now, pinnedAt: null};
  const value = /^\d+(\.\d+)?$/.test(pinned) ? Number(pinned) * 1000 : Date.parse(pinned);
  if (Number.isNaN(value)) throw new UsageError(`${name} must be Unix seconds or an ISO date, not '${pinned}'`);
  if (flag === null) return {now: () => value, pinnedAt: null};
  const start = io.now();
  return {now: () => value + (io.now() - start), pinnedAt: value};
}

/** Opens the controlling terminal for keys when stdin carries data (`cat runs.json | runlens -`). */
export function keyboardInput(io: CliIo): NodeJS.ReadStream | undefined {
  if (io.stdin.isTTY) return io.stdin as NodeJS.ReadStream;
  try {
    return new ReadStream(openSync('/dev/tty', 'r')) as unknown as NodeJS.ReadStream;
  } catch {
    return undefined;
  }
}

/**
 * Text with the value of every variable named like a secret (`*KEY*`, `*TOKEN*`, `*SECRET*`,
 * `*PASSWORD*`) replaced by `***`: an error's message or stack can quote a header or a URL.
 */
export function hideSecrets(text: string, env: NodeJS.ProcessEnv): string {
  let hidden = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && /KEY|TOKEN|SECRET|PASSWORD/i.test(name)) hidden = hidden.split(value).join('***');
  }
  return hidden;
}

/** A usage error as print mode reports it; the exit code. */
export function reportUsageError(error: UsageError, io: Pick<CliIo, 'stderr'>): number {
  io.stderr.write(`runlens: ${error.message}\nRun 'runlens --help' for usage.\n`);
  return EXIT_USAGE;
}

/** Load warnings on stderr, one a line, so stdout stays clean for pipes. */
export function reportWarnings(loaded: LoadedRuns, io: CliIo): void {
  for (const warning of loaded.warnings) io.stderr.write(`runlens: ${safeInline(formatWarning(warning))}\n`);
}

/** A load that found no run at all: its warnings, then why; the exit code. */
export function reportNothingLoaded(loaded: LoadedRuns, io: CliIo): number {
  reportWarnings(loaded, io);
  io.stderr.write(`runlens: no runs could be loaded from ${loaded.sources.map(safeInline).join(', ') || 'the sources given'}\n`);
  return EXIT_FAILURE;
}
