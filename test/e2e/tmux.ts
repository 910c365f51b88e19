/**
 * Drives the built CLI in a real terminal: a private tmux server per session (its own socket, so
 * tests never touch a user's tmux and can run side by side), keys in with `send-keys`, the screen
 * back out with `capture-pane`.
 */
import {execFile, spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import stringWidth from 'string-width';
import {afterAll, afterEach, type TestContext} from 'vitest';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'dist', 'runlens.js');
/** The clock the examples were written for (examples/README.md). */
export const PINNED_NOW = '2026-11-25T12:00:00Z';
/** Printed before runlens starts: seeing it again after quitting proves the alternate screen was left. */
export const MARKER = 'RUNLENS-E2E-MARKER';

/**
 * Ends a command line so the shell stays after runlens exits. (With `remain-on-exit` alone, tmux
 * scrolls the screen by a line to print "Pane is dead", which can push the marker off the top.)
 */
export const KEEP_ALIVE = 'exec sleep 86400';

let sessionCount = 0;

export interface StartOptions {
  width?: number;
  height?: number;
  /** Extra environment for the command (on top of RUNLENS_NOW, NO_COLOR and TERM). */
  env?: Record<string, string>;
  /** Working directory; the repository root by default. */
  cwd?: string;
}

export interface WaitOptions {
  timeout?: number;
  /** Capture with colours and attributes (`capture-pane -e`). */
  escapes?: boolean;
  /** What is awaited, for the failure message. */
  description?: string;
}

export type ScreenPredicate = string | RegExp | ((screen: string) => boolean);

/** How long one tmux command may take. */
const TMUX_CALL_MS = 15_000;

function tmuxRaw(socket: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // Bounded: a tmux client that hangs (a server busy on a loaded machine) fails its step with
    // the command named, instead of holding the whole test until vitest's limit with no word.
    execFile('tmux', ['-u', '-L', socket, ...args], {env: env ?? process.env, maxBuffer: 16 * 1024 * 1024, timeout: TMUX_CALL_MS, killSignal: 'SIGKILL'}, (error, stdout, stderr) => {
      if (error?.killed) reject(new Error(`tmux ${args.join(' ')} did not answer within ${TMUX_CALL_MS} ms`));
      else if (error) reject(new Error(`tmux ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolvePromise(stdout);
    });
  });
}

/** Quotes a word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `node dist/runlens.js ARGS` as a shell command, with the repository's CLI by absolute path. */
export function runlensCommand(...args: string[]): string {
  return ['node', shellQuote(CLI), ...args.map(shellQuote)].join(' ');
}

function matches(screen: string, predicate: ScreenPredicate): boolean {
  if (typeof predicate === 'string') return screen.includes(predicate);
  if (predicate instanceof RegExp) return predicate.test(screen);
  return predicate(screen);
}

function describePredicate(predicate: ScreenPredicate): string {
  if (typeof predicate === 'string') return JSON.stringify(predicate);
  if (predicate instanceof RegExp) return String(predicate);
  return predicate.name || 'a predicate';
}

const sleep = (milliseconds: number) => new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));

/** Quotes one argument for tmux's command parser (sh-like; `#` starts a comment, `;` ends a command). */
function tmuxQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One long-lived tmux client in control mode (`tmux -C`): commands go in on its stdin, answers come
 * back between `%begin` and `%end` lines. Polling the screen through it costs a pipe write instead
 * of starting a tmux process every 50 ms, which matters with several sessions on two cores.
 */
class ControlClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Array<{command: string; resolve: (text: string) => void; reject: (error: Error) => void}> = [];
  private block: string[] | null = null;
  private buffer = '';
  private exited = false;
  /** Settles when the attach command itself has answered. */
  readonly ready: Promise<string>;

  constructor(socket: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('tmux', ['-u', '-L', socket, '-C', 'attach-session', '-t', 'e2e'], {env, stdio: ['pipe', 'pipe', 'pipe']});
    this.ready = new Promise((resolve, reject) => this.await('attach-session', resolve, reject));
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.resume();
    this.child.stdin.on('error', () => undefined);
    this.child.on('exit', (code) => this.fail(`exited (${code})`));
    this.child.on('error', (error) => this.fail(`failed: ${error.message}`));
  }

  /** Rejects every command still waiting, saying why; no command is sent after. */
  private fail(why: string): void {
    this.exited = true;
    for (const entry of this.pending.splice(0)) entry.reject(new Error(`tmux control client ${why} before '${entry.command}' answered`));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n'); end !== -1; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.block === null) {
      // Outside a block, lines are notifications (%session-changed, %exit, ...): not ours.
      if (line.startsWith('%begin ')) this.block = [];
      return;
    }
    const end = /^%(end|error) \d+ \d+ \d+$/.exec(line);
    if (!end) {
      this.block.push(line);
      return;
    }
    const text = this.block.length > 0 ? `${this.block.join('\n')}\n` : '';
    this.block = null;
    const entry = this.pending.shift();
    if (!entry) return;
    if (end[1] === 'error') entry.reject(new Error(`tmux ${entry.command} failed: ${text.trim()}`));
    else entry.resolve(text);
  }

  /**
   * Bounded as tmuxRaw is: an answer that never comes fails the step with the command named. The
   * client is given up then, since a late answer would be taken for the next command's.
   */
  command(args: readonly string[]): Promise<string> {
    const line = args.map(tmuxQuote).join(' ');
    if (this.exited) return Promise.reject(new Error(`tmux control client is gone; cannot run '${line}'`));
    return new Promise((resolve, reject) => {
      this.await(line, resolve, reject);
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Whether the client has ended (or was given up): its session's commands go by `tmux` processes then. */
  get gone(): boolean {
    return this.exited;
  }

  /** Queues the wait for `command`'s answer, bounded by TMUX_CALL_MS. */
  private await(command: string, resolve: (text: string) => void, reject: (error: Error) => void): void {
    const timer = setTimeout(() => this.close(`did not answer within ${TMUX_CALL_MS} ms`), TMUX_CALL_MS);
    const settle = <T,>(done: (value: T) => void) => (value: T) => {
      clearTimeout(timer);
      done(value);
    };
    this.pending.push({command, resolve: settle(resolve), reject: settle(reject)});
  }

  /** Ends the client; commands still waiting fail with `why`. */
  close(why = 'was closed'): void {
    if (this.exited) return;
    this.fail(why);
    this.child.stdin.end();
    this.child.kill();
  }
}

export class TmuxSession {
  private killed = false;
  /** The server's socket file, removed after kill-server (tmux leaves it behind). */
  private socketPath: string | null = null;
  private constructor(
    readonly socket: string,
    readonly width: number,
    readonly height: number,
    private readonly configDir: string,
    private readonly control: ControlClient,
  ) {}

  /**
   * Starts `shellCommand` (run by `sh -c`) in a detached session of the given size. The pane stays
   * after the command ends (`remain-on-exit`), so its last output can still be read.
   */
  static async start(shellCommand: string, options: StartOptions = {}): Promise<TmuxSession> {
    const width = options.width ?? 100;
    const height = options.height ?? 30;
    const socket = `runlens-e2e-${process.pid}-${++sessionCount}`;
    const configDir = mkdtempSync(join(tmpdir(), 'runlens-e2e-tmux-'));
    const config = join(configDir, 'tmux.conf');
    writeFileSync(
      config,
      ['set -g remain-on-exit on', 'set -g status off', 'set -g history-limit 2000', 'set -sg escape-time 0', ''].join('\n'),
    );
    const env: Record<string, string> = {
      RUNLENS_NOW: PINNED_NOW,
      NO_COLOR: '1',
      TERM: 'xterm-256color',
      ...options.env,
    };
    // The server gets a small, known environment: no FORCE_COLOR or CI variables leak in from the runner.
    const serverEnv: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? tmpdir(),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TERM: 'xterm-256color',
    };
    const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    await tmuxRaw(
      socket,
      ['-f', config, 'new-session', '-d', '-s', 'e2e', '-x', String(width), '-y', String(height), '-c', options.cwd ?? REPO_ROOT, ...envArgs, shellCommand],
      serverEnv,
    );
    const control = new ControlClient(socket, serverEnv);
    const session = new TmuxSession(socket, width, height, configDir, control);
    try {
      // A client that never attaches is given up; the session's commands go by tmux processes then.
      await control.ready.catch(() => undefined);
      // Pane output would otherwise stream to the control client as %output lines.
      // (A client given up meanwhile has no output to stop: its refresh-client is not sent again.)
      await control.command(['refresh-client', '-f', 'no-output']).catch((error: unknown) => {
        if (!control.gone) throw error;
      });
      session.socketPath = (await session.tmux('display-message', '-p', '#{socket_path}')).trim() || null;
    } catch (error) {
      await session.kill();
      throw error;
    }
    return session;
  }

  /**
   * Starts runlens with `args`, after a marker line, and echoes `EXIT=<code>` when it ends:
   * `printf MARKER; node dist/runlens.js ARGS; echo EXIT=$?`.
   */
  static runlens(args: readonly string[], options: StartOptions = {}): Promise<TmuxSession> {
    return TmuxSession.start(`printf '%s\\n' ${MARKER}; ${runlensCommand(...args)}; echo EXIT=$?; ${KEEP_ALIVE}`, options);
  }

  /**
   * Runs a tmux command on this session's server and returns its output. Through the control
   * client; should that stop answering (it did, now and then, on a loaded machine, holding a test
   * until vitest's limit), the command and the rest of the session's go by a `tmux` process each.
   */
  async tmux(...args: string[]): Promise<string> {
    if (this.control.gone) return tmuxRaw(this.socket, args);
    try {
      return await this.control.command(args);
    } catch (error) {
      if (this.killed || !this.control.gone) throw error;
      return tmuxRaw(this.socket, args);
    }
  }

  /** Key names as tmux spells them: `Enter`, `Escape`, `Down`, `PageDown`, `Tab`, `BTab`, `C-c`, `j`. */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'e2e', ...keys);
  }

  /** Literal text, typed as is (`send-keys -l`). */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'e2e', '-l', text);
  }

  /** The visible screen as plain text, one line per row (trailing blanks trimmed by tmux). */
  async screen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-t', 'e2e');
  }

  /** The visible screen with SGR sequences for colours and attributes (`capture-pane -e`). */
  async screenWithEscapes(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'e2e');
  }

  /** The screen with lines the terminal wrapped joined back (`capture-pane -J`): a line longer than the width was wrapped. */
  async joinedScreen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'e2e');
  }

  /**
   * Polls the screen every 50 ms until it matches on two polls in a row with nothing changed in
   * between, so a frame tmux has only half read from the pty is never taken for the result. Fails
   * with the last screen seen.
   */
  async waitFor(predicate: ScreenPredicate, options: WaitOptions = {}): Promise<string> {
    const timeout = options.timeout ?? 8000;
    const deadline = Date.now() + timeout;
    let last = '';
    let matched: string | null = null;
    for (;;) {
      last = options.escapes ? await this.screenWithEscapes() : await this.screen();
      if (matches(last, predicate)) {
        if (matched === last) return last;
        matched = last;
      } else matched = null;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    const what = options.description ?? describePredicate(predicate);
    throw new Error(`timed out after ${timeout} ms waiting for ${what}; last screen:\n${last.replace(/\x1b/g, '\\e')}`);
  }

  /**
   * Waits until the program in the pane has put the terminal in raw mode (`stty` shows `-icanon`),
   * i.e. it reads keys one by one. Ink switches to raw mode only after its first frame; keys sent
   * before that are echoed by the terminal and line-buffered, so tests wait for this first.
   */
  async waitForRawMode(timeout = 8000): Promise<void> {
    const tty = (await this.tmux('display-message', '-p', '-t', 'e2e', '#{pane_tty}')).trim();
    const deadline = Date.now() + timeout;
    let settings = '';
    for (;;) {
      settings = await new Promise<string>((resolvePromise) =>
        execFile('stty', ['-F', tty, '-a'], (error, stdout) => resolvePromise(error ? '' : stdout)),
      );
      if (/(^|\s)-icanon(\s|$)/.test(settings)) return;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeout} ms waiting for raw mode on ${tty}; stty -a said:\n${settings}\nscreen:\n${await this.screen()}`);
  }

  /** Waits for the screen to match and for the program to read keys (raw mode): ready for input. */
  async waitForReady(predicate: ScreenPredicate, options: WaitOptions = {}): Promise<string> {
    await this.waitFor(predicate, {timeout: 15_000, ...options});
    await this.waitForRawMode(options.timeout ?? 8000);
    return this.screen();
  }

  /** Waits until the screen no longer shows `text`. */
  waitForAbsent(text: string, options: WaitOptions = {}): Promise<string> {
    return this.waitFor((screen) => !screen.includes(text), {description: `${JSON.stringify(text)} to disappear`, ...options});
  }

  /**
   * Polls tmux's newest paste buffer (filled from OSC 52 when `set-clipboard` is on) until `accept`
   * takes it. The copy is written apart from the frame, so it can arrive a little before or after.
   */
  async waitForClipboard(accept: (text: string) => boolean, timeout = 8000): Promise<string> {
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      last = await this.tmux('show-buffer').catch(() => '');
      if (accept(last)) return last;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeout} ms waiting for the clipboard; last buffer:\n${last}`);
  }

  async resize(width: number, height: number): Promise<void> {
    await this.tmux('resize-window', '-t', 'e2e', '-x', String(width), '-y', String(height));
  }

  /** The pane's title, as set by OSC 0/2 from the program. */
  async paneTitle(): Promise<string> {
    return (await this.tmux('display-message', '-p', '-t', 'e2e', '#{pane_title}')).replace(/\n$/, '');
  }

  async paneSize(): Promise<{width: number; height: number}> {
    const [width, height] = (await this.tmux('display-message', '-p', '-t', 'e2e', '#{pane_width} #{pane_height}')).trim().split(' ').map(Number);
    return {width: width ?? 0, height: height ?? 0};
  }

  async kill(): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    this.control.close();
    await tmuxRaw(this.socket, ['kill-server']).catch(() => undefined);
    rmSync(this.configDir, {recursive: true, force: true});
    if (this.socketPath?.includes('runlens-e2e-')) rmSync(this.socketPath, {force: true});
  }
}

/** The screen's rows, without the trailing newline tmux adds. */
export function rows(screen: string): string[] {
  const lines = screen.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Terminal columns a line takes (wide CJK characters count two). */
export function displayWidth(line: string): number {
  return stringWidth(line);
}

/** A run of characters drawn with the same reverse-video state. */
export interface StyledSpan {
  text: string;
  reverse: boolean;
}

/**
 * Splits a `capture-pane -e` screen into rows of spans, tracking reverse video (SGR 7 on, 0/27
 * off). tmux emits only attribute changes and carries them over from row to row, so the state is
 * tracked across the whole capture.
 */
export function styledRows(screenWithEscapes: string): StyledSpan[][] {
  const out: StyledSpan[][] = [];
  let reverse = false;
  for (const line of rows(screenWithEscapes)) {
    const spans: StyledSpan[] = [];
    for (const part of line.split(/(\x1b\[[0-9;:]*m)/)) {
      const sgr = /^\x1b\[([0-9;:]*)m$/.exec(part);
      if (sgr) {
        const codes = (sgr[1] ?? '').split(';').map((code) => (code === '' ? 0 : Number(code.split(':')[0])));
        for (const code of codes) {
          if (code === 0 || code === 27) reverse = false;
          else if (code === 7) reverse = true;
        }
        continue;
      }
      // Other escapes (OSC 8 links, charset switches) carry no text.
      const text = part.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]/g, '');
      if (!text) continue;
      const last = spans.at(-1);
      if (last && last.reverse === reverse) last.text += text;
      else spans.push({text, reverse});
    }
    out.push(spans);
  }
  return out;
}

/** The rows of a `capture-pane -e` screen drawn mostly in reverse video (the selected list row), as plain text. */
export function reverseVideoRows(screenWithEscapes: string): string[] {
  return styledRows(screenWithEscapes)
    .filter((spans) => {
      const count = (reverse: boolean) => spans.filter((span) => span.reverse === reverse).reduce((sum, span) => sum + span.text.replace(/\s/g, '').length, 0);
      const reversed = count(true);
      return reversed > 0 && reversed > count(false);
    })
    .map((spans) => spans.map((span) => span.text).join(''));
}

/** Every stretch of reverse-video text on the screen (e.g. the active pane tab), trimmed. */
export function reversedTexts(screenWithEscapes: string): string[] {
  return styledRows(screenWithEscapes)
    .flat()
    .filter((span) => span.reverse && span.text.trim() !== '')
    .map((span) => span.text.trim());
}

/** The highlighted pane tab, e.g. `2 Action (2)`. */
export async function activeTab(session: TmuxSession): Promise<string | undefined> {
  return reversedTexts(await session.screenWithEscapes()).find((text) => /^\d [A-Z]/.test(text));
}

/** Presses `key` and waits until the tab of pane `number` is the highlighted one; returns the screen. */
export async function toPane(session: TmuxSession, key: string, number: number, timeout?: number): Promise<string> {
  await session.sendKeys(key);
  await session.waitFor(
    (screen) => reversedTexts(screen).some((text) => text.startsWith(`${number} `)),
    {escapes: true, description: `pane ${number} to be the active tab after ${key}`, timeout},
  );
  return session.screen();
}

/** The list's position line, `N/TOTAL` at its end (`▼ 19 more   1/41`). */
export function listPosition(screen: string): {index: number; total: number} | null {
  for (const line of rows(screen)) {
    const match = /(?:^|\s)(\d+)\/(\d+)\s*$/.exec(line);
    if (match && /^(?:[▲▼]\s\d+ more\s+)*\d+\/\d+\s*$/.test(line.trim())) return {index: Number(match[1]), total: Number(match[2])};
  }
  return null;
}

/** A scrolled view's position line: `lines X-Y of Z`. */
export function scrollPosition(screen: string): {first: number; last: number; total: number} | null {
  const match = /lines (\d+)-(\d+) of (\d+)/.exec(screen);
  return match ? {first: Number(match[1]), last: Number(match[2]), total: Number(match[3])} : null;
}

/**
 * Reads a whole scrolled view (help, a pane, warnings) by paging down with PgDn until nothing is
 * below, and returns every screen seen, joined.
 */
export async function readScrolledView(session: TmuxSession, maxPages = 30): Promise<string> {
  let screen = await session.screen();
  const screens = [screen];
  for (let page = 0; page < maxPages && /▼ \d+ below/.test(screen); page++) {
    const before = scrollPosition(screen)?.first;
    await session.sendKeys('PageDown');
    screen = await session.waitFor((next) => scrollPosition(next)?.first !== before, {description: `the view to scroll past line ${before}`});
    screens.push(screen);
  }
  return screens.join('\n');
}

/** The run ids on the screen, top to bottom. */
export function runIds(screen: string): string[] {
  return [...screen.matchAll(/\brun_[A-Za-z0-9]+/g)].map((match) => match[0]);
}

/** A temporary folder, removed by the returned cleanup. */
export function tempFolder(files: Record<string, string>): {path: string; cleanup: () => void} {
  const path = mkdtempSync(join(tmpdir(), 'runlens-e2e-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  return {path, cleanup: () => rmSync(path, {recursive: true, force: true})};
}

/**
 * Setup for an e2e file: tmux must be installed (CI installs it), and dist/runlens.js is built
 * once when it is missing (`npm test` builds it first).
 */
export async function ensureBuilt(): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    execFile('tmux', ['-V'], (error) => (error ? reject(new Error(`test/e2e needs tmux on the PATH (e.g. apt-get install tmux): ${error.message}`)) : resolvePromise()));
  });
  if (existsSync(CLI)) return;
  await new Promise<void>((resolvePromise, reject) => {
    execFile(process.execPath, ['build.mjs'], {cwd: REPO_ROOT}, (error, _stdout, stderr) => {
      if (error) reject(new Error(`build failed: ${stderr || error.message}`));
      else resolvePromise();
    });
  });
}

/**
 * Sessions started through this belong to the test whose context is passed, and are killed
 * (`kill-server`) in `afterEach`, pass or fail. Keyed by test, so tests can run concurrently.
 * Call once at the top of a test file.
 */
/** Narrows the list that `session` shows (`total` runs) to `runId` with the search prompt and keeps the filter. */
export async function narrowTo(session: TmuxSession, runId: string, total: number): Promise<void> {
  await session.sendKeys('/');
  await session.waitFor('Enter keeps the filter');
  await session.type(runId);
  await session.waitFor(`1 of ${total} runs`);
  await session.sendKeys('Enter');
  await session.waitForAbsent('Enter keeps the filter');
}

/**
 * Narrows the list that `session` shows (`total` runs) to `runId` with the search prompt, keeps
 * the filter, and opens the run's detail view on its Overview.
 */
export async function searchAndOpen(session: TmuxSession, runId: string, total: number): Promise<TmuxSession> {
  await session.waitForReady(`1/${total}`);
  await narrowTo(session, runId, total);
  await session.sendKeys('Enter');
  await session.waitFor('1 Overview');
  return session;
}

export function useSessions() {
  const byTest = new Map<string, TmuxSession[]>();
  const killAll = async (sessions: readonly TmuxSession[]) => {
    await Promise.all(sessions.map((session) => session.kill()));
  };
  afterEach(async (context) => {
    const sessions = byTest.get(context.task.id) ?? [];
    byTest.delete(context.task.id);
    await killAll(sessions);
  });
  afterAll(async () => {
    const sessions = [...byTest.values()].flat();
    byTest.clear();
    await killAll(sessions);
  });
  const track = (context: TestContext, session: TmuxSession) => {
    const list = byTest.get(context.task.id) ?? [];
    list.push(session);
    byTest.set(context.task.id, list);
    return session;
  };
  return {
    /** `runlens ARGS` after a marker line, echoing `EXIT=<code>` when it ends. */
    runlens: async (context: TestContext, args: readonly string[], options?: StartOptions) =>
      track(context, await TmuxSession.runlens(args, options)),
    /** Any shell command line. */
    start: async (context: TestContext, shellCommand: string, options?: StartOptions) =>
      track(context, await TmuxSession.start(shellCommand, options)),
  };
}
