/**
 * End to end: narrow terminals and wide characters, read from what tmux itself drew. Emoji with
 * skin tones and ZWJ sequences never make a row wrap (tmux 3.3 draws 👍🏽 as 4 columns where
 * string-width says 2); the tab bar scrolls to the active pane at 80 columns; the footer keeps `?`
 * and `q` at 60; the stuck view keeps the wait/expiry before the whole id.
 */
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {activeTab, ensureBuilt, REPO_ROOT, rows, toPane, useSessions, type TmuxSession} from './tmux.js';
import {EXAMPLE_COUNT, EXAMPLE_WAITING} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

// The fixture under a file name with a skin tone, so the header's source carries one too.
const folder = mkdtempSync(join(tmpdir(), 'runlens-e2e-wide-'));
const EMOJI_FILE = join(folder, 'runs-👍🏽.json');
copyFileSync(join(REPO_ROOT, 'test/fixtures/wide/emoji-runs.json'), EMOJI_FILE);
afterAll(() => rmSync(folder, {recursive: true, force: true}));

/**
 * Fails when tmux wrapped a row: `capture-pane -J` joins a wrapped row back to the one above, so
 * the screen then differs from the plain capture (trailing blanks aside). Also checks that the
 * header is still the top row and the footer is on screen, so nothing scrolled off.
 */
async function expectNoWrappedRow(session: TmuxSession, what: string, footer: RegExp): Promise<string> {
  const trim = (screen: string) => rows(screen).map((row) => row.trimEnd());
  const screen = await session.screen();
  expect(trim(await session.joinedScreen()), `a row wrapped in ${what}:\n${screen}`).toEqual(trim(screen));
  const lines = rows(screen);
  expect(lines[0], `the header on top in ${what}`).toMatch(/^runlens /);
  expect(lines.some((line) => footer.test(line)), `the footer in ${what}:\n${screen}`).toBe(true);
  return screen;
}

const LIST_FOOTER = /^↓\/j move\b.*\? help {2}q quit$/;
const DETAIL_FOOTER = /^Esc\/← back\b.*\? help {2}q quit$/;

describe.concurrent('emoji in a real terminal', () => {
  it('no row wraps in the list, the stuck view, any pane of any run, or the warnings, at 80 columns', async (context) => {
    const session = await sessions.runlens(context, [EMOJI_FILE], {width: 80, height: 24});
    const list = await session.waitForReady('1/3');
    // The emoji reach the screen as emoji (nothing was replaced), in the source, ids and models.
    expect(list).toContain('runs-👍🏽.json');
    expect(list).toContain('run_emoji👍🏽waiting01');
    await expectNoWrappedRow(session, 'the list', LIST_FOOTER);
    const opened: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      await session.sendKeys('Enter');
      // The run is open once the detail footer is drawn and the list's header gone: a list row looks like the title.
      const detail = rows(await session.waitFor((screen) => rows(screen).some((line) => DETAIL_FOOTER.test(line)) && !rows(screen).some((line) => line.startsWith('STATUS')), {description: 'a run open'}));
      const id = /run_\S+/.exec(detail.find((line) => /^\S+ \S+ {2}run_/.test(line))!)![0];
      opened.push(id);
      for (let pane = 1; pane <= 9; pane += 1) {
        await toPane(session, String(pane), pane);
        // The tables (tools, usage, metadata) are drawn a frame later; wait for the body to settle.
        await session.waitFor((screen) => !/^…$/m.test(screen), {description: `pane ${pane} drawn`});
        await expectNoWrappedRow(session, `pane ${pane} of ${id}`, DETAIL_FOOTER);
      }
      await session.sendKeys('Escape');
      await session.waitFor('STATUS');
      if (index < 2) {
        await session.sendKeys('j');
        await session.waitFor(`${index + 2}/3`);
      }
    }
    for (const prefix of ['run_emoji👍🏽waiting01', 'run_emojiFailed🤝🏻0002', 'run_🏃🏽‍♂️🏃🏽‍♂️']) expect(opened.filter((id) => id.startsWith(prefix)), prefix).toHaveLength(1);
    await session.sendKeys('!');
    await session.waitFor('1 of 3 runs');
    await expectNoWrappedRow(session, 'the stuck view', LIST_FOOTER);
    await session.sendKeys('W');
    await session.waitFor('0 warnings while loading');
    await expectNoWrappedRow(session, 'the warnings', /^Esc\/← back/);
  });
});

describe.concurrent('narrow terminals', () => {
  it('at 80 columns the tab bar scrolls to the active pane, 9 Steps included', async (context) => {
    const session = await sessions.runlens(context, ['examples'], {width: 80, height: 24});
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    // The second run has 4 calls, 4 tools and 4 metadata keys: its tabs do not all fit.
    await session.sendKeys('j');
    await session.waitFor(`2/${EXAMPLE_COUNT}`);
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    const bar = (screen: string) => rows(screen)[rows(screen).findIndex((line) => line.includes('run_fbjG5CJOvUfeNO1F3Ehy9c7t')) + 1] ?? '';
    expect(bar(await session.screen())).toMatch(/^ 1 Overview .*›$/);
    const last = await toPane(session, '9', 9);
    expect(await activeTab(session)).toBe('9 Steps');
    expect(bar(last)).toMatch(/^‹ .* 9 Steps {2}Chat$/);
    await expectNoWrappedRow(session, 'the Steps pane', DETAIL_FOOTER);
    // The tenth pane, past the number keys, is a Tab away; one more goes round to the first.
    await session.sendKeys('Tab');
    await session.waitFor('run run_fbjG5CJOvUfeNO1F3Ehy9c7t');
    await toPane(session, 'Tab', 1);
    expect(bar(await session.screen())).toMatch(/^ 1 Overview /);
  });

  it('at 60 columns the footer keeps ? and q, and the stuck view keeps the wait and expiry', async (context) => {
    const session = await sessions.runlens(context, ['examples'], {width: 60, height: 24});
    const list = await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    expect(rows(list).find((line) => line.startsWith('↓/j'))).toBe('↓/j move  ⏎/→ open  / search  s sort  ? help  q quit');
    expect(list).not.toContain('WAITING');
    await session.sendKeys('!');
    const stuck = await session.waitFor(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`);
    const waiting = rows(stuck).filter((line) => line.startsWith('! requires_action'));
    expect(waiting).toHaveLength(EXAMPLE_WAITING);
    // A response has no expiry: its calls follow the wait.
    for (const line of waiting) expect(line).toMatch(/ (run_\w+… {2}\d+[smhd] · (expires in|expired)|resp_\w+… {2}\d+[smhd] · \d+ calls?)/);
    await expectNoWrappedRow(session, 'the stuck view', LIST_FOOTER);
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    await expectNoWrappedRow(session, 'a run', DETAIL_FOOTER);
  });
});
