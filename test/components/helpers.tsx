/**
 * Shared helpers for the Ink component tests: the example runs, the fixed clock, a polling
 * `waitForFrame` (Ink batches renders, so a key press shows up a little later), and a renderer with
 * a chosen terminal size (ink-testing-library 4 always reports 100 columns and no rows).
 */
import chalk from 'chalk';
import {EventEmitter} from 'node:events';
import {stripVTControlCharacters} from 'node:util';
import {render as inkRender} from 'ink';
import {render as testingRender} from 'ink-testing-library';
import type {ReactElement} from 'react';
import stringWidth from 'string-width';
import {afterAll, afterEach, beforeAll} from 'vitest';
import {App, type AppProps} from '../../components/App.js';
import {RunDetail} from '../../components/RunDetail.js';
import {usePaneLines} from '../../components/usePaneLines.js';
import type {PaneId} from '../../src/panes/paneIds.js';
import type {Run} from '../../src/model/run.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import type {LoadWarning} from '../../src/model/loadWarning.js';

/** The "now" the examples were written for. */
export const FIXED_NOW_MS = Date.parse('2026-11-25T12:00:00Z');
export const FIXED_NOW_SECONDS = Math.floor(FIXED_NOW_MS / 1000);

/**
 * Holds chalk (Ink's colouring) at `level` for a test file: it turns itself off when the runner's
 * stdout is not a terminal, so a file that reads colours or reverse video forces it on (3), and
 * one that proves escapes come only from run data holds it off (0).
 */
export function useChalkLevel(level: 0 | 1 | 2 | 3): void {
  const original = chalk.level;
  beforeAll(() => {
    chalk.level = level;
  });
  afterAll(() => {
    chalk.level = original;
  });
}

let examplesPromise: Promise<{runs: Run[]; warnings: LoadWarning[]}> | undefined;

/** The runs and responses of examples/ (counted in test/helpers/examples.ts), loaded once per test file. */
export function loadExamples(): Promise<{runs: Run[]; warnings: LoadWarning[]}> {
  examplesPromise ??= loadRunsFromSources(['examples']).then((loaded) => ({runs: loaded.runs, warnings: loaded.warnings}));
  return examplesPromise;
}

/** What every component test needs from a rendered tree. */
export interface TestInstance {
  lastFrame: () => string | undefined;
  /** Everything written to stdout, frame by frame. */
  frames: string[];
  stdin: {write: (data: string) => void};
  unmount: () => void;
}

export function appElement(runs: readonly Run[], overrides: Partial<AppProps> = {}): ReactElement {
  return (
    <App
      runs={runs}
      warnings={[]}
      sources={['examples']}
      display={{color: false, ascii: false}}
      time={{utc: true}}
      now={() => FIXED_NOW_MS}
      tickMilliseconds={0}
      {...overrides}
    />
  );
}

/**
 * The examples, loaded before a test file's tests (`runs` is filled in place), and whatever a test
 * mounts with `mount`, unmounted after it.
 */
export function useExamples(): {runs: readonly Run[]; mount: <T extends TestInstance>(instance: T) => T} {
  const runs: Run[] = [];
  let instance: TestInstance | undefined;
  beforeAll(async () => {
    runs.push(...(await loadExamples()).runs);
  });
  afterEach(() => {
    instance?.unmount();
    instance = undefined;
  });
  return {
    runs,
    mount: (next) => {
      instance = next;
      return next;
    },
  };
}

/** The examples (see useExamples) and an App on a terminal of a chosen size. */
export function useSizedApp(): {runs: () => Run[]; start: (columns: number, rows: number, overrides?: Partial<AppProps>) => TestInstance} {
  const {runs, mount} = useExamples();
  return {
    runs: () => [...runs],
    start: (columns, rows, overrides = {}) => mount(renderSized(appElement(runs, overrides), {columns, rows})),
  };
}

/** A run's pane drawn on its own: RunDetail with the pane's lines worked out as the App does, at the fixed clock. */
export function PaneDetail({run, pane, width, height}: {run: Run; pane: PaneId; width: number; height: number}) {
  const lines = usePaneLines(run, pane, {width, nowSeconds: FIXED_NOW_SECONDS, time: {utc: true}, ascii: false});
  return <RunDetail run={run} pane={pane} lines={lines} scroll={0} width={width} height={height} />;
}

/** ink-testing-library's render (100 columns, rows unknown so the app assumes 24). */
export function renderDefault(tree: ReactElement): TestInstance {
  return testingRender(tree);
}

class SizedStdout extends EventEmitter {
  frames: string[] = [];
  private last: string | undefined;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    this.last = frame;
    return true;
  };
  lastFrame = () => this.last;
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const {data} = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/**
 * Renders like ink-testing-library (debug mode: every render writes the whole frame) but on a
 * terminal of `columns` x `rows`, which ink-testing-library 4 cannot set.
 */
export function renderSized(tree: ReactElement, size: {columns: number; rows: number}): TestInstance {
  const stdout = new SizedStdout(size.columns, size.rows);
  const stderr = new SizedStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: stdout.lastFrame,
    frames: stdout.frames,
    stdin,
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}

/** Polls until the last frame satisfies `predicate`; fails with the frame it last saw. */
export async function waitForFrame(instance: TestInstance, predicate: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = instance.lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for the frame; last frame:\n${frame}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Polls until `predicate` holds. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the frame contains `text` (plain, ANSI stripped). */
export function waitForText(instance: TestInstance, text: string | RegExp): Promise<string> {
  return waitForFrame(instance, (frame) => {
    const plain = stripVTControlCharacters(frame);
    return typeof text === 'string' ? plain.includes(text) : text.test(plain);
  });
}

/** Writes keys and waits for the frame to satisfy `predicate`. */
export async function press(instance: TestInstance, keys: string, predicate: (frame: string) => boolean): Promise<string> {
  instance.stdin.write(keys);
  return waitForFrame(instance, predicate);
}

/** Types text one key at a time after what the prompt already holds, waiting for each key to reach it. */
export async function typeText(instance: TestInstance, text: string, already = ''): Promise<string> {
  let typed = already;
  let frame = instance.lastFrame() ?? '';
  for (const char of text) {
    typed += char;
    instance.stdin.write(char);
    const expected = typed;
    // The prompt is `/text`, then the cursor and the hint after three spaces.
    frame = await waitForFrame(instance, (current) => footerLine(current).startsWith(`/${expected}    Enter keeps`));
  }
  return frame;
}

/** Searches for a run's id, keeps the filter and opens the run on its Overview. */
export async function openRunById(app: TestInstance, id: string): Promise<string> {
  await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
  app.stdin.write(id);
  await waitForText(app, '1 of ');
  await press(app, KEYS.enter, (frame) => !footerLine(frame).includes('Enter keeps the filter'));
  return press(app, KEYS.enter, (frame) => stripVTControlCharacters(frame).includes(' 1 Overview'));
}

/**
 * Presses an idempotent key (G, g, Esc) until the frame satisfies `predicate`. A key carries the
 * size of the view last drawn; a key pressed before the view it acts on has been drawn is clamped
 * against the previous view's size. Retrying a key that means the same thing each time waits for
 * that without a fixed sleep.
 */
export async function pressUntil(instance: TestInstance, key: string, predicate: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    instance.stdin.write(key);
    try {
      return await waitForFrame(instance, predicate, 100);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
} as const;

export function plainLines(frame: string): string[] {
  return stripVTControlCharacters(frame).split('\n');
}

/** The last line of the frame: the footer (hints or the search prompt). */
export function footerLine(frame: string): string {
  const lines = plainLines(frame);
  return lines[lines.length - 1] ?? '';
}

/** The widest line of the frame, in terminal columns. */
export function maxLineWidth(frame: string): number {
  return Math.max(0, ...plainLines(frame).map((line) => stringWidth(line)));
}

/** The `N/M` position line under the run list. */
export function positionOf(frame: string): string | undefined {
  return /(\d+\/\d+)\s*$/m.exec(plainLines(frame).slice(-2)[0] ?? '')?.[1];
}

/** Any foreground or background colour SGR code (30-37, 38;…, 39, 40-49, 90-97, 100-107). */
export const COLOR_CODE = /\u001b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

/**
 * Raw control characters that must never reach the terminal from run data: C0 except newline,
 * DEL, C1, and bidi embeddings, overrides and isolates.
 */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
