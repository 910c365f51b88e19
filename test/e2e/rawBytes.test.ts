/**
 * End to end: the raw bytes the built CLI writes to a real terminal (tmux `pipe-pane`) for a run
 * carrying every kind of terminal-control text (test/fixtures/hostile/every-control.json): ESC,
 * CSI, OSC 0/8/52, BEL, CR, BS, other C0, C1, bidi overrides and zero-width characters, in its id's
 * neighbours, model, thread, assistant, tool call, tools, error, instructions, metadata and an
 * unknown field. Screens read back with capture-pane only show what tmux made of the bytes; these
 * tests look at the bytes themselves, in the TUI (list, every pane, help, statistics, threads) and
 * in print mode (list, show, --json).
 */
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ensureBuilt, KEEP_ALIVE, MARKER, PINNED_NOW, REPO_ROOT, runlensCommand, shellQuote, toPane, useSessions, type TmuxSession} from './tmux.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';

const sessions = useSessions();
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'hostile', 'every-control.json');
const HOSTILE_RUN = 'run_hostileEvery';

let captures: string;
beforeAll(async () => {
  await ensureBuilt();
  captures = mkdtempSync(join(tmpdir(), 'runlens-e2e-bytes-'));
}, 120_000);
afterAll(() => rmSync(captures, {recursive: true, force: true}));

/**
 * What runlens itself writes besides text: SGR attributes, cursor moves and erases (Ink's redraw),
 * cursor show/hide, the alternate screen, and synchronized output. Nothing else may start with ESC.
 */
const APP_SEQUENCES = /\u001b\[[0-9;]*m|\u001b\[\d*[ABCDGJK]|\u001b\[(\d+;\d+)?H|\u001b\[\?(25|1049|2026)[hl]/g;

/** Every byte sequence in `output` that did not come from runlens itself, described; empty when none. */
function foreignSequences(output: Buffer): string[] {
  const found: string[] = [];
  const text = output.toString('utf8');
  if (text.includes('\ufffd')) found.push('bytes that are not UTF-8 (a raw C1 byte?)');
  const rest = text.replace(APP_SEQUENCES, '');
  for (const match of rest.matchAll(/\u001b.{0,12}/gs)) found.push(`ESC not from the app: ${JSON.stringify(match[0])}`);
  // The terminal turns each \n into \r\n (onlcr); any other CR, and every other C0 control, is foreign.
  for (const match of rest.replace(/\r\n/g, '\n').matchAll(/[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f]/g)) {
    found.push(`C0 control U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${match.index}`);
  }
  for (const match of text.matchAll(/[\u0080-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g)) {
    found.push(`U+${match[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${match.index}`);
  }
  return found;
}

describe('the checker itself', () => {
  it('passes what runlens writes and names each sequence from the data', () => {
    const app = '\u001b[?1049h\u001b[2J\u001b[H\u001b[?25l\u001b[7m run \u001b[27m\u001b[2K\u001b[1A\u001b[G\u001b[0m\r\n\u001b[?2026h\u001b[?2026l\u001b[?25h\u001b[?1049l';
    expect(foreignSequences(Buffer.from(app))).toEqual([]);
    expect(foreignSequences(Buffer.from('\u001b]52;c;eA==\u0007'))).toEqual(['ESC not from the app: "\\u001b]52;c;eA==\\u0007"', 'C0 control U+0007 at 11']);
    expect(foreignSequences(Buffer.from('a\u001b[6nb\rc\bd\u009be\u202ef\u200bg'))).toEqual([
      'ESC not from the app: "\\u001b[6nb\\rc\\bd\u009be\u202ef"',
      'C0 control U+000d at 6',
      'C0 control U+0008 at 8',
      'U+009b at 10',
      'U+202e at 12',
      'U+200b at 14',
    ]);
    expect(foreignSequences(Buffer.from([0x61, 0x9b, 0x62]))).toEqual(['bytes that are not UTF-8 (a raw C1 byte?)']);
  });
});

/**
 * Starts `shellCommand` in tmux, but only once `pipe-pane` copies everything the pane's program
 * writes into a file: the command waits for a flag file the test creates after `pipe-pane`.
 */
async function startCaptured(context: Parameters<typeof sessions.start>[0], name: string, shellCommand: string, size = {width: 100, height: 30}) {
  const flag = join(captures, `${name}.go`);
  const file = join(captures, `${name}.bytes`);
  const session = await sessions.start(
    context,
    `while [ ! -e ${shellQuote(flag)} ]; do sleep 0.05; done; printf '%s\\n' ${MARKER}; ${shellCommand}; echo EXIT=$?; ${KEEP_ALIVE}`,
    size,
  );
  await session.tmux('pipe-pane', '-o', '-t', 'e2e', `cat >> ${shellQuote(file)}`);
  writeFileSync(flag, '');
  return {session, bytes: () => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0))};
}

describe.concurrent('terminal control text from a run never reaches the terminal', () => {
  it('in the TUI: the list, every pane (scrolled through), help, statistics and threads', async (context) => {
    const {session, bytes} = await startCaptured(context, 'tui', runlensCommand(FIXTURE));
    await session.waitForReady('1/2');
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    for (let pane = 1; pane <= 9; pane += 1) {
      await toPane(session, String(pane), pane);
      // Page through long panes (Raw JSON, Tools): every line of them is drawn once.
      for (let page = 0; page < 6; page += 1) await session.sendKeys('PageDown');
      await session.sendKeys('g');
    }
    await session.sendKeys('?');
    // The help's own first section: "quit" is in the run's footer too, and two Escapes sent before
    // the help shows can reach the app as one key (ESC ESC).
    await session.waitFor((screen) => screen.includes('Keys') && screen.includes('Run list'), {description: 'the help'});
    await session.sendKeys('Escape');
    await session.waitForAbsent('Run list');
    await session.sendKeys('Escape');
    const list = await session.waitFor('run_hostileCalmNeighbour');
    for (const key of ['i', 't']) {
      await session.sendKeys(key);
      await session.waitFor((screen) => screen !== list, {description: `the view of ${key}`});
      await session.sendKeys('Escape');
      await session.waitFor((screen) => screen === list, {description: 'the list again'});
    }
    await session.sendKeys('q');
    await session.waitFor('EXIT=0', {timeout: 15_000});
    const output = bytes();
    // The capture holds the whole session: the app's frames, including the hostile run's text, made visible.
    expect(output.toString('utf8')).toContain(HOSTILE_RUN);
    expect(output.toString('utf8')).toContain('\\x1b]52;c;');
    expect(output.toString('utf8')).toContain('\\u202e');
    expect(foreignSequences(output)).toEqual([]);
    // The terminal was given back: the alternate screen left and the cursor shown, last.
    expect(output.toString('utf8')).toMatch(/\u001b\[\?1049l(\u001b\[\?25h)+EXIT=0/);
  });

  it('in print mode on a terminal: list and show (every pane)', async (context) => {
    const {session, bytes} = await startCaptured(
      context,
      'print',
      `${runlensCommand('list', FIXTURE)}; ${runlensCommand('show', HOSTILE_RUN, FIXTURE)}; ${runlensCommand('stuck', FIXTURE)}`,
      {width: 120, height: 40},
    );
    await session.waitFor('EXIT=0', {timeout: 15_000});
    const output = bytes();
    expect(output.toString('utf8')).toContain('── Raw JSON');
    expect(output.toString('utf8')).toContain('\\x9b6n');
    expect(foreignSequences(output)).toEqual([]);
  });
});

/** The built CLI with stdout a pipe. */
function runPiped(args: string[]): Promise<{code: number; stdout: Buffer; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {env: {...process.env, RUNLENS_NOW: PINNED_NOW}, encoding: 'buffer'}, (error, stdout, stderr) =>
      resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr: stderr.toString('utf8')}),
    );
  });
}

describe('terminal control text from a run never reaches a pipe', () => {
  it.each([['list'], ['show', HOSTILE_RUN], ['stuck'], ['stats']])('%s', async (...args) => {
    const result = await runPiped([...args, FIXTURE]);
    expect(result.code).toBe(0);
    const text = result.stdout.toString('utf8');
    expect(text).not.toBe('');
    // Piped list and stuck write tab-separated values: their tabs are the separators, the same
    // number on every line (a tab from the data is written \t).
    const tabsPerLine = new Set(text.replace(/\n$/, '').split('\n').map((line) => line.split('\t').length));
    expect(tabsPerLine.size).toBe(1);
    expect(foreignSequences(Buffer.from(text.replace(/\t/g, ' ')))).toEqual([]);
    expect(foreignSequences(Buffer.from(result.stderr))).toEqual([]);
  });

  it('--json stays valid JSON that gives back every string exactly, with no raw control character', async () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<Record<string, unknown>>;
    const list = await runPiped(['list', FIXTURE, '--json']);
    const show = await runPiped(['show', HOSTILE_RUN, FIXTURE, '--json']);
    for (const result of [list, show]) {
      expect(result.code).toBe(0);
      expect(foreignSequences(result.stdout)).toEqual([]);
    }
    expect(JSON.parse(show.stdout.toString('utf8'))).toEqual(fixture[0]);
    expect((JSON.parse(list.stdout.toString('utf8')) as unknown[]).find((run) => (run as {id: string}).id === HOSTILE_RUN)).toEqual(fixture[0]);
  });
});

/** The pane's terminal settings (`stty -a`). */
async function ttySettings(session: TmuxSession): Promise<string> {
  const tty = (await session.tmux('display-message', '-p', '-t', 'e2e', '#{pane_tty}')).trim();
  return new Promise((resolve) => execFile('stty', ['-F', tty, '-a'], (error, stdout) => resolve(error ? '' : stdout)));
}

describe.concurrent('stdin piped and closed, then the terminal goes away', () => {
  for (const [signal, code] of [
    ['SIGHUP', 129],
    ['SIGTERM', 143],
  ] as const) {
    it(`echo '' | runlens examples reads keys from the tty; ${signal} restores the terminal and says why`, async (context) => {
      const {session, bytes} = await startCaptured(context, `closed-stdin-${signal}`, `echo '' | ${runlensCommand('examples')}`);
      await session.waitForReady(`1/${EXAMPLE_COUNT}`);
      // stdin has ended, yet the keys still come from the terminal.
      await session.sendKeys('j');
      await session.waitFor(`2/${EXAMPLE_COUNT}`);
      // The node process of this pane's shell only: other test files run runlens too.
      const shell = (await session.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}')).trim();
      const pid = (await new Promise<string>((resolve) => execFile('pgrep', ['-P', shell, 'node'], (_error, stdout) => resolve(stdout)))).trim();
      expect(pid).toMatch(/^\d+$/);
      process.kill(Number(pid), signal);
      const screen = await session.waitFor('EXIT=');
      expect(screen).toContain(`runlens: stopped by ${signal}\nEXIT=${code}`);
      expect(await session.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}')).toBe('0\n');
      // Raw mode off: line editing and echo are back for the shell.
      expect(await ttySettings(session)).toMatch(/(^|\s)icanon(\s|$)[\s\S]*(^|\s)echo(\s|$)/m);
      expect(bytes().toString('utf8')).toMatch(/\u001b\[\?1049l\u001b\[\?25hrunlens: stopped by/);
    });
  }
});
