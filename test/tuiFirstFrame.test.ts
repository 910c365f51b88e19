/**
 * The TUI's first frame on files (issue #16): it is drawn once the first piece of the files is
 * read, so it shows their rows rather than "0 runs", redrawn with rows a moment later; stdin and
 * named pipes are not waited for (their writer may take its time). The real `runCli` on the
 * bench's fake 120x40 terminal, every frame written kept as text.
 */
import {execFileSync} from 'node:child_process';
import {Console} from 'node:console';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import isInCi from 'is-in-ci';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FakeStderr, FakeStdin, FakeStdout} from '../bench/workers/fakeTerminal.js';
import {RUNLENS_ROW} from '../bench/measure.js';
import {runCli} from '../src/cli/main.js';
import {answersAtOnce} from '../src/cli/runTui.js';
import {NOW_ISO} from './helpers/cliRun.js';

const EXAMPLES = join(process.cwd(), 'examples');

/** runlens on a fake terminal, and every frame it has written so far (escapes stripped). */
function startTui(argv: string[]) {
  const stdout = new FakeStdout(120, 40);
  const stdin = new FakeStdin();
  const frames: string[] = [];
  stdout.onFrame = (text) => void frames.push(stripVTControlCharacters(text));
  const exit = runCli({
    argv,
    env: {RUNLENS_NOW: NOW_ISO, RUNLENS_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'runlens-first-frame-'))},
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStderr() as unknown as NodeJS.WriteStream,
    now: () => Date.parse(NOW_ISO),
  });
  /** The index of the first frame that passes `test`, once there is one (10 s at most). */
  const frameWhere = async (test: (frame: string) => boolean, what: string): Promise<number> => {
    for (let waited = 0; waited < 10_000; waited += 10) {
      const index = frames.findIndex(test);
      if (index >= 0) return index;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no frame with ${what}; frames: ${JSON.stringify(frames.slice(-3))}`);
  };
  return {frames, stdin, exit, frameWhere};
}

const hasRows = (frame: string) => RUNLENS_ROW.test(frame);

describe('the first frame on files', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  // runTui has Ink patch the console (patchConsole), which builds a console.Console: vitest's
  // console has none, Node's has.
  const testConsole = console as {Console?: unknown};
  const hadConsole = testConsole.Console;
  beforeAll(() => void (testConsole.Console ??= Console));
  afterAll(() => void (testConsole.Console = hadConsole));
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('waits for the first piece only where it comes at once: files and folders, not stdin or a named pipe', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'runlens-first-frame-kinds-'));
    cleanups.push(() => rmSync(folder, {recursive: true, force: true}));
    const pipe = join(folder, 'live.jsonl');
    execFileSync('mkfifo', [pipe]);
    const file = join(EXAMPLES, 'stuck', readdirSync(join(EXAMPLES, 'stuck'))[0]!);
    expect(await answersAtOnce([EXAMPLES, file])).toBe(true);
    // A missing file fails at once: nothing to wait for either way.
    expect(await answersAtOnce([join(folder, 'missing.jsonl')])).toBe(true);
    expect(await answersAtOnce([file, '-'])).toBe(false);
    expect(await answersAtOnce([file, pipe])).toBe(false);
  });

  // On CI Ink writes only the last frame, when it unmounts: there is no first frame to look at.
  it.skipIf(isInCi)('on a named pipe does not wait for the writer: the header is drawn first, the rows when they come', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'runlens-first-frame-pipe-'));
    cleanups.push(() => rmSync(folder, {recursive: true, force: true}));
    const pipe = join(folder, 'live.jsonl');
    execFileSync('mkfifo', [pipe]);
    const tui = startTui([pipe]);
    const header = await tui.frameWhere((frame) => frame.includes('live.jsonl') && frame.includes('loading'), 'the header while loading');
    expect(tui.frames.slice(0, header + 1).some(hasRows)).toBe(false);
    const writer: FileHandle = await open(pipe, 'w');
    await writer.write(`${JSON.stringify({id: 'run_pipe0001abcd', object: 'thread.run', status: 'queued', created_at: 1_764_000_000, thread_id: 'thread_p', model: 'gpt-4o'})}\n`);
    await writer.close();
    await tui.frameWhere(hasRows, 'the run written to the pipe');
    tui.stdin.write('q');
    expect(await tui.exit).toBe(0);
  });
});
