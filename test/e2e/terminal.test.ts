/**
 * End to end: the built CLI against real terminal conditions in tmux: sizes, resizing, data piped
 * on stdin (keys from /dev/tty), and print mode on a terminal and into a pipe.
 */
import {execFile} from 'node:child_process';
import {beforeAll, describe, expect, it} from 'vitest';
import {displayWidth, ensureBuilt, KEEP_ALIVE, listPosition, MARKER, rows, runlensCommand, useSessions, type TmuxSession} from './tmux.js';
import {EXAMPLE_COUNT, exampleStatusCountTexts} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

/**
 * Checks the frame on screen fits the terminal: no row wider than it (a wider row would have
 * wrapped; `capture-pane -J` joins wrapped rows back), one header, and the footer below it, so
 * nothing scrolled off the top.
 */
async function expectFits(session: TmuxSession, width: number, height: number, footer: RegExp): Promise<string> {
  const {width: paneWidth, height: paneHeight} = await session.paneSize();
  expect({paneWidth, paneHeight}).toEqual({paneWidth: width, paneHeight: height});
  const joined = rows(await session.joinedScreen());
  for (const row of joined) expect(displayWidth(row), `row wider than ${width}: ${row}`).toBeLessThanOrEqual(width);
  // A screen read while a frame is being written (the clock's tick redraws it) lacks its last rows: wait for the footer.
  const screen = await session.waitFor((text) => rows(text).some((line) => footer.test(line)), {description: `the footer ${footer}`});
  const lines = rows(screen);
  expect(lines.length).toBeLessThanOrEqual(height);
  const headers = lines.flatMap((line, index) => (line.startsWith('runlens ') ? [index] : []));
  expect(headers, `one header row in:\n${screen}`).toHaveLength(1);
  const footerRow = lines.findIndex((line) => footer.test(line));
  expect(footerRow, `footer ${footer} below the header in:\n${screen}`).toBeGreaterThan(headers[0]!);
  expect(screen).not.toContain('internal error');
  return screen;
}

/** Sends `signal` to the runlens process in the session (the child of the pane's shell). */
async function signalRunlens(session: TmuxSession, signal: NodeJS.Signals): Promise<void> {
  const shell = (await session.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}')).trim();
  const pid = await new Promise<string>((resolve, reject) =>
    execFile('pgrep', ['-P', shell, 'node'], (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
  );
  expect(pid).toMatch(/^\d+$/);
  process.kill(Number(pid), signal);
}

// The footers' key hints (their wording may change; the keys lead).
const LIST_FOOTER = /^↓\/j\s/;
const DETAIL_FOOTER = /^Esc\/← back\b.*\bTab\b/;

describe.concurrent('terminal sizes', () => {
  for (const [width, height] of [
    [80, 24],
    [200, 50],
    [40, 15],
  ] as const) {
    it(`renders the list, a run and the help at ${width}x${height}`, async (context) => {
      const session = await sessions.runlens(context, ['examples'], {width, height});
      await session.waitForReady(`1/${EXAMPLE_COUNT}`);
      const list = await expectFits(session, width, height, LIST_FOOTER);
      expect(list).toMatch(/runlens examples/);

      await session.sendKeys('Enter');
      await session.waitFor('1 Overview');
      await expectFits(session, width, height, DETAIL_FOOTER);
      for (const pane of ['2', '8']) {
        await session.sendKeys(pane);
        await session.waitFor(pane === '2' ? 'submit_tool_outputs' : '"object": "thread.run"');
        await expectFits(session, width, height, DETAIL_FOOTER);
      }
      await session.sendKeys('?');
      await session.waitFor('Keys');
      await expectFits(session, width, height, /^Esc\/← back/);
      await session.sendKeys('Escape');
      // Back on the Raw JSON pane (the tab bar has scrolled past 1 Overview on narrow terminals).
      await session.waitFor('"object": "thread.run"');
      await session.sendKeys('Escape');
      await session.waitFor(`1/${EXAMPLE_COUNT}`);

      await session.sendKeys('q');
      await session.waitFor('EXIT=0');
    });
  }

  it('shows every status count in the header when it is wide enough', async (context) => {
    // Tall enough for every example row under the header.
    const session = await sessions.runlens(context, ['examples'], {width: 200, height: EXAMPLE_COUNT + 10});
    const screen = await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    const counts = rows(screen).find((line) => line.startsWith('! requires_action '))!;
    for (const count of exampleStatusCountTexts()) expect(counts).toContain(count);
    // With room, the list shows every column and every run.
    expect(screen).toMatch(/STATUS\s+KIND\s+RUN\s+MODEL\s+THREAD\s+CREATED\s+DURATION\s+TOKENS\s+COST\s+WAITING \/ NOTE/);
    expect(screen).not.toMatch(/▼ \d+ more/);
  });

  // App bug: runlens enters the alternate screen (ESC[?1049h) without moving the cursor home
  // (ESC[H), and Ink draws from wherever the cursor is, so the TUI starts on the row where the
  // shell's cursor was (row 2 here, after one line of output) whenever the frame is shorter than
  // the terminal. Row 1 is left blank.
  it('draws the TUI from the top row of the screen', async (context) => {
    const session = await sessions.runlens(context, ['examples'], {width: 200, height: 50});
    const screen = await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    expect(rows(screen)[0]).toMatch(/^runlens examples/);
  });

  it('follows a resize from 100x30 to 60x20 and back', async (context) => {
    const session = await sessions.runlens(context, ['examples'], {width: 100, height: 30});
    let screen = await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    const wideColumns = /STATUS\s+KIND\s+RUN\s+MODEL\s+CREATED\s+WAITING \/ NOTE/;
    expect(screen).toMatch(wideColumns);
    const wideRows = rows(screen).filter((line) => /^\S+ \S+\s+(?:(?:run|response)\s+)?(?:run|resp)_/.test(line)).length;

    await session.resize(60, 20);
    screen = await session.waitFor((next) => /^STATUS\s+RUN\s+CREATED\s*$/m.test(next), {description: 'the narrow column set'});
    screen = await expectFits(session, 60, 20, LIST_FOOTER);
    const narrowRows = rows(screen).filter((line) => /^\S+ \S+\s+(?:run|resp)_/.test(line)).length;
    expect(narrowRows).toBeLessThan(wideRows);
    expect(listPosition(screen)).toEqual({index: 1, total: EXAMPLE_COUNT});

    await session.resize(100, 30);
    screen = await session.waitFor(wideColumns, {description: 'the wide column set again'});
    await expectFits(session, 100, 30, LIST_FOOTER);

    // The detail view follows too.
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    await session.resize(60, 20);
    await session.waitFor((next) => /^─{60}$/m.test(next), {description: 'a 60-column rule'});
    await expectFits(session, 60, 20, DETAIL_FOOTER);
    await session.resize(100, 30);
    await session.waitFor((next) => /^─{100}$/m.test(next), {description: 'a 100-column rule'});
    await expectFits(session, 100, 30, DETAIL_FOOTER);
  });
});

describe.concurrent('signals', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} leaves the alternate screen and exits ${code}`, async (context) => {
      const session = await sessions.runlens(context, ['examples']);
      await session.waitForReady(`1/${EXAMPLE_COUNT}`);
      await signalRunlens(session, signal);
      const screen = await session.waitFor('EXIT=');
      expect(rows(screen).filter(Boolean)).toEqual([MARKER, `runlens: stopped by ${signal}`, `EXIT=${code}`]);
    });
  }

  // App bug: bin.ts restores the terminal on SIGTERM and SIGHUP but has no SIGINT handler, so a
  // SIGINT (kill -INT, or Ctrl-C pressed before Ink has switched the terminal to raw mode) ends
  // runlens with the alternate screen still on: the shell comes back inside the TUI's last frame.
  it('SIGINT leaves the alternate screen too', async (context) => {
    const session = await sessions.runlens(context, ['examples']);
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await signalRunlens(session, 'SIGINT');
    const screen = await session.waitFor('EXIT=', {timeout: 4000});
    expect(await session.tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on}')).toBe('0\n');
    expect(rows(screen).filter(Boolean)[0]).toBe(MARKER);
    expect(screen).not.toContain('runlens examples');
  });

  // A signal that comes while a frame is still to be drawn (keys just pressed): Ink unmounts before
  // the alternate screen is left, so its last frame is drawn there. Unmounted by the process's exit
  // instead, it drew the list onto the normal screen below the marker (about one run in six).
  it('a signal right after keys leaves the normal screen as it was', async (context) => {
    const session = await sessions.runlens(context, ['examples']);
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await session.sendKeys('j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
    await signalRunlens(session, 'SIGINT');
    const screen = await session.waitFor('EXIT=');
    expect(rows(screen).filter(Boolean)).toEqual([MARKER, 'runlens: stopped by SIGINT', 'EXIT=130']);
  });
});

describe.concurrent('data piped on stdin', () => {
  it('reads the runs from the pipe and the keys from the terminal', async (context) => {
    const session = await sessions.start(
      context,
      `printf '%s\\n' ${MARKER}; cat examples/exports/runs-2026-11.jsonl | ${runlensCommand('-')}; echo EXIT=$?; ${KEEP_ALIVE}`,
    );
    let screen = await session.waitForReady('1/12');
    expect(screen).toMatch(/^runlens -\s+12 runs/m);
    await session.sendKeys('j');
    await session.waitFor('2/12');
    await session.sendKeys('Enter');
    screen = await session.waitFor('1 Overview');
    // The second newest run of the export, read from line 11 of the piped JSON Lines.
    expect(screen).toMatch(/^Run\s+run_eGzdMuj5oFzamFXdpYdY4cuM$/m);
    expect(screen).toMatch(/^Source\s+<stdin>:11$/m);
    await session.sendKeys('Escape');
    await session.waitFor('2/12');
    await session.sendKeys('q');
    screen = await session.waitFor('EXIT=');
    expect(rows(screen).filter(Boolean)).toEqual([MARKER, 'EXIT=0']);
  });
});

describe.concurrent('print mode', () => {
  it('prints an aligned table with a header on a terminal', async (context) => {
    // Tall enough for the header, every example and the exit line.
    const session = await sessions.start(context, `${runlensCommand('list', 'examples')}; echo EXIT=$?; ${KEEP_ALIVE}`, {width: 100, height: EXAMPLE_COUNT + 10});
    const screen = await session.waitFor('EXIT=', {timeout: 15_000});
    const lines = rows(screen).filter(Boolean);
    expect(lines.at(-1)).toBe('EXIT=0');
    const [header, ...table] = lines.slice(0, -1);
    expect(header).toMatch(/^STATUS\s+KIND\s+RUN\s+MODEL\s+CREATED/);
    expect(table).toHaveLength(EXAMPLE_COUNT);
    const runColumn = header!.indexOf('RUN');
    const modelColumn = header!.indexOf('MODEL');
    const createdEnd = header!.indexOf('CREATED') + 'CREATED'.length;
    for (const row of table) {
      expect(row.search(/\b(run|resp)_/), row).toBe(runColumn);
      expect(row.slice(modelColumn - 2, modelColumn), row).toBe('  ');
      expect(row[modelColumn], row).toMatch(/\S/);
      // CREATED is right-aligned: the age ends where the header does.
      expect(row.slice(0, createdEnd), row).toMatch(/(ago|—)$/);
      expect(displayWidth(row)).toBeLessThanOrEqual(100);
    }
    expect(table[0]).toMatch(/^! requires_action\s+run\s+run_TpMlggIvapmkiXatm85gyg0a\s+gpt-4o-mini\s+4m ago/);
  });

  it('prints tab-separated values without a header into a pipe', async (context) => {
    // runlens writes into a pipe; awk shows each record's field count and first fields, counts
    // lines with an ESC in them, and passes through the exit status appended after the output.
    const awk = `awk -F'\\t' '/\\033/ {escapes++} /^EXIT=/ {print; next} {print NF "|" $1 "|" $2} END {print "ESCAPES=" escapes+0}'`;
    const session = await sessions.start(context, `(${runlensCommand('list', 'examples', '--sort', 'created')}; echo "EXIT=$?") | ${awk}; ${KEEP_ALIVE}`, {
      width: 100,
      height: EXAMPLE_COUNT + 10,
    });
    const screen = await session.waitFor('ESCAPES=', {timeout: 15_000});
    const lines = rows(screen).filter(Boolean);
    expect(lines.slice(-2)).toEqual(['EXIT=0', 'ESCAPES=0']);
    const records = lines.slice(0, -2).map((line) => line.split('|'));
    expect(records).toHaveLength(EXAMPLE_COUNT);
    const fieldCount = records[0]![0];
    expect(Number(fieldCount)).toBeGreaterThan(5);
    for (const [fields, id, status] of records) {
      expect(fields).toBe(fieldCount);
      expect(id).toMatch(/^(run|resp)_[A-Za-z0-9]+$/);
      expect(status).toMatch(/^[a-z_]+$/);
    }
    // No header: the first record is the newest run (--sort created; piped output is otherwise in the order read).
    expect(records[0]).toEqual([fieldCount, 'run_TpMlggIvapmkiXatm85gyg0a', 'requires_action']);
  });
});
