/**
 * The runlens program (the bundle's entry, see build.mjs): how the process behaves around
 * `runCli`. An unexpected error is one line (its stack with --debug) and exit 1, never a key; a
 * signal leaves the terminal as it found it; a closed pipe is a normal end; and the exit waits
 * until stdout is written.
 */
import * as nodeModule from 'node:module';
import type {Writable} from 'node:stream';
import {interruptBelongsToEditor} from '../editor/externalEditor.js';
import {safeInline, safeMultiline} from '../format/sanitize.js';
import {EXIT_FAILURE, EXIT_OK} from './args.js';
import {hideSecrets} from './cliIo.js';
import {enableCompileCache} from './compileCache.js';
import {runCli} from './main.js';

// Before the TUI's chunks (Ink, React, the app: most of the code a first frame compiles) are
// imported, so Node 22's cache serves them; the modules above were compiled before this line runs.
enableCompileCache(nodeModule);

/** Writes to a stream and resolves once it is flushed, so exit codes never cut output short. */
function flush(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.once('drain', () => resolve());
  });
}

async function main(): Promise<void> {
  const debug = process.argv.includes('--debug');
  const fail = (error: unknown) => {
    // Leave the alternate screen and show the cursor whatever happened.
    if (process.stdout.isTTY) process.stdout.write('\u001b[?1049l\u001b[?25h');
    const message = hideSecrets(error instanceof Error ? error.message : String(error), process.env);
    // An error of the system (ENOSPC, EIO) is the reason itself; anything else is a bug of ours.
    const systemError = typeof (error as NodeJS.ErrnoException | null)?.code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
    process.stderr.write(`runlens: ${systemError ? '' : 'internal error: '}${safeInline(message)}${debug ? '' : ' (--debug shows more)'}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${safeMultiline(hideSecrets(error.stack, process.env))}\n`);
    process.exit(EXIT_FAILURE);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const signalNumbers = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;
  const cleanups = new Set<() => void>();
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    // Ctrl-C in the TUI is a key (raw mode); these are signals sent by kill or a closing terminal.
    process.on(signal, () => {
      // Ctrl-C meant for the output form's editor (the terminal was in its normal mode) is not for runlens.
      if (signal === 'SIGINT' && interruptBelongsToEditor()) return;
      // The TUI's own cleanup first (Ink unmounts while the alternate screen is still on), then ours.
      for (const cleanup of [...cleanups]) {
        try {
          cleanup();
        } catch {
          // Leaving the terminal as it was matters more than a cleanup that failed.
        }
      }
      if (process.stdout.isTTY) process.stdout.write('\u001b[?1049l\u001b[?25h');
      if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
      process.stderr.write(`runlens: stopped by ${signal}\n`);
      process.exit(128 + signalNumbers[signal]);
    });
  }
  // A closed pipe (`runlens list | head`) is a normal end, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    fail(error);
  });
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: Date.now,
    beforeSignalExit: (cleanup) => {
      cleanups.add(cleanup);
      return () => void cleanups.delete(cleanup);
    },
  });
  await flush(process.stdout);
  // A failed write (a full disk: `runlens list > /dev/full`) is reported a tick later; wait for it
  // rather than exit 0 with the output lost.
  await new Promise((resolve) => setImmediate(resolve));
  process.exit(code);
}

void main();
