/**
 * End to end: the run list of the built CLI in a real terminal (tmux), driven by key presses.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, type TestContext} from 'vitest';
import {
  ensureBuilt,
  listPosition,
  MARKER,
  readScrolledView,
  REPO_ROOT,
  reverseVideoRows,
  rows,
  tempFolder,
  useSessions,
  type TmuxSession,
} from './tmux.js';
import {EXAMPLE_COUNT, EXAMPLE_STALLED, exampleStatusCountTexts, EXAMPLE_WAITING} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

/** Starts `runlens examples` (or `args`) at 100x30 and waits for the list. */
async function openList(context: TestContext, args: readonly string[] = ['examples'], total = EXAMPLE_COUNT): Promise<TmuxSession> {
  const session = await sessions.runlens(context, args);
  await session.waitForReady(`1/${total}`);
  return session;
}

/** The selected (reverse-video) list row. */
async function selectedRow(session: TmuxSession): Promise<string> {
  const selected = reverseVideoRows(await session.screenWithEscapes()).filter((row) => /\b(run|resp)_/.test(row));
  expect(selected, 'exactly one highlighted run row').toHaveLength(1);
  return selected[0]!;
}

/** Presses a key and waits for the list position to read `index/total`. */
async function moveTo(session: TmuxSession, key: string, index: number, total = EXAMPLE_COUNT): Promise<string> {
  await session.sendKeys(key);
  return session.waitFor((screen) => listPosition(screen)?.index === index && listPosition(screen)?.total === total, {
    description: `position ${index}/${total} after ${key}`,
  });
}

/** The run rows of the list on screen (rows with a run or response id, after the KIND column where it shows), top to bottom. */
function runRows(screen: string): string[] {
  return rows(screen).filter((row) => /^\S+ \S+\s+(?:(?:run|response)\s+)?(?:run|resp)_/.test(row));
}

/** The id on a row as drawn (a response id may end in … where the RUN column cuts it). */
function rowId(row: string): string {
  return /\b(?:run|resp)_\S+/.exec(row)![0];
}

describe.concurrent('run list', () => {
  it('shows the header: run count, per-status counts and the waiting badge', async (context) => {
    const session = await openList(context);
    const screen = await session.screen();
    const lines = rows(screen);
    const [title, counts, moreCounts, badge, sort] = lines.slice(lines.findIndex((line) => line.startsWith('runlens ')));
    expect(title).toMatch(new RegExp(`^runlens examples\\s+${EXAMPLE_COUNT} runs`));
    // At 100 columns the counts take two lines, so that every one shows with its word.
    for (const count of exampleStatusCountTexts()) {
      expect(`${counts}  ${moreCounts}`).toContain(count);
    }
    expect(badge).toContain(`${EXAMPLE_WAITING} waiting for tool outputs`);
    expect(sort).toMatch(/^sort: created ↓/);
  });

  it('shows one row per run: status symbol and word, id, model, created', async (context) => {
    const session = await openList(context);
    const screen = await session.screen();
    expect(screen).toMatch(/STATUS\s+KIND\s+RUN\s+MODEL\s+CREATED/);
    const listed = runRows(screen);
    expect(listed.length).toBeGreaterThan(10);
    // Newest first: the first row is the newest run, 4 minutes before the pinned clock.
    expect(listed[0]).toMatch(/^! requires_action\s+run\s+run_TpMlggIvapmkiXatm85gyg0a\s+gpt-4o-mini\s+4m ago/);
    // Responses among the runs, by the time they were created.
    expect(screen).toMatch(/! requires_action\s+response\s+resp_6920f1aa11bb22cc33dd44…\s+gpt-4o-2024…\s+5m ago/);
    expect(screen).toMatch(/✓ completed\s+response\s+resp_6920a1b2c3d4e5f6a7b8c9…\s+gpt-4\.1-202…\s+10m ago/);
    expect(screen).toMatch(/○ queued\s+run\s+run_6qYgr6nOK0pIJj6MQqBmeNkN\s+gpt-4o\s+5m ago/);
    expect(screen).toMatch(/● in_progress\s+run\s+run_wBURZH3uOfNjF7zjWZpJ4Xi3/);
    // The position line counts the runs; the rows that do not fit are announced.
    expect(screen).toMatch(new RegExp(`▼ \\d+ more\\s+1/${EXAMPLE_COUNT}`));
    expect(await selectedRow(session)).toContain('run_TpMlggIvapmkiXatm85gyg0a');
  });

  it('moves the selection with ↓, j, k, PgDn, G and g', async (context) => {
    const session = await openList(context);
    const order = runRows(await session.screen()).map(rowId);
    const pageSize = order.length;

    await moveTo(session, 'Down', 2);
    expect(await selectedRow(session)).toContain(order[1]);
    await moveTo(session, 'j', 3);
    expect(await selectedRow(session)).toContain(order[2]);
    await moveTo(session, 'k', 2);
    expect(await selectedRow(session)).toContain(order[1]);

    // A page down moves by the rows that fit and scrolls the window along.
    const screen = await moveTo(session, 'PageDown', 2 + pageSize);
    expect(screen).toMatch(/▲ \d+ more/);
    expect(runRows(screen)).toHaveLength(pageSize);

    const bottom = await moveTo(session, 'G', EXAMPLE_COUNT);
    expect(bottom).not.toMatch(/▼ \d+ more/);
    expect(await selectedRow(session)).toBe(runRows(bottom).at(-1));

    const top = await moveTo(session, 'g', 1);
    expect(runRows(top)[0]).toContain(order[0]);
    expect(await selectedRow(session)).toContain(order[0]);
  });

  it('takes a burst of keys as separate presses', async (context) => {
    const session = await openList(context);
    // One send-keys call: the three presses can reach runlens in a single read.
    await session.sendKeys('j', 'j', 'j');
    await session.waitFor((screen) => listPosition(screen)?.index === 4, {description: `position 4/${EXAMPLE_COUNT}`});
    await session.sendKeys('Enter', '2');
    // The fourth row is the response that replaced a waiting run: its calls wait for function_call_output items.
    await session.waitFor('function_call_output');
  });

  it('/ filters live while typing, Enter keeps the filter, Esc clears it', async (context) => {
    const session = await openList(context);
    await session.sendKeys('/');
    await session.waitFor('Enter keeps the filter');
    await session.type('get_weather');
    let screen = await session.waitFor(new RegExp(`\\d+ of ${EXAMPLE_COUNT} runs`));
    expect(screen).toContain('search: get_weather');
    // The prompt shows what was typed.
    expect(rows(screen).filter(Boolean).at(-1)).toMatch(/^\/get_weather/);
    // Weather-bot runs stay, support-desk runs (no get_weather tool) go.
    expect(screen).toContain('run_TpMlggIvapmkiXatm85gyg0a');
    expect(screen).not.toContain('run_RAD97k4iu8FzIHd7sqV5paIH');
    const shown = Number(new RegExp(`(\\d+) of ${EXAMPLE_COUNT} runs`).exec(screen)![1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(EXAMPLE_COUNT);

    await session.sendKeys('Enter');
    screen = await session.waitForAbsent('Enter keeps the filter');
    expect(screen).toContain(`${shown} of ${EXAMPLE_COUNT} runs`);
    expect(listPosition(screen)).toEqual({index: 1, total: shown});

    // Esc in the list clears the kept search.
    await session.sendKeys('Escape');
    screen = await session.waitFor(new RegExp(`runlens examples\\s+${EXAMPLE_COUNT} runs`));
    expect(screen).not.toContain('search:');
  });

  it('/ with a model name narrows to that model; Esc in the prompt drops the search', async (context) => {
    const session = await openList(context);
    await session.sendKeys('/');
    await session.waitFor('Enter keeps the filter');
    await session.type('gpt-4-turbo');
    const screen = await session.waitFor(`3 of ${EXAMPLE_COUNT} runs`);
    const listed = runRows(screen);
    expect(listed).toHaveLength(3);
    for (const row of listed) expect(row).toMatch(/\sgpt-4-turbo\s/);

    await session.sendKeys('Escape');
    const cleared = await session.waitFor(new RegExp(`runlens examples\\s+${EXAMPLE_COUNT} runs`));
    expect(cleared).not.toContain('Enter keeps the filter');
    expect(cleared).not.toContain('search:');
  });

  it('s cycles the sort and S reverses it', async (context) => {
    const session = await openList(context);
    await session.sendKeys('s');
    await session.waitFor('sort: status ↑');
    // Runs that need a person first.
    let screen = await moveTo(session, 'g', 1);
    expect(runRows(screen)[0]).toMatch(/^! requires_action/);

    await session.sendKeys('s');
    await session.waitFor('sort: duration ↓');
    await session.sendKeys('S');
    await session.waitFor('sort: duration ↑');
    await session.sendKeys('s');
    screen = await session.waitFor('sort: tokens ↓');
    expect(screen).toMatch(new RegExp(`runlens examples\\s+${EXAMPLE_COUNT} runs`));
  });

  it('f cycles the status filter and returns to all runs', async (context) => {
    const session = await openList(context);
    await session.sendKeys('f');
    let screen = await session.waitFor('status: requires_action');
    expect(screen).toContain(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`);
    let listed = runRows(screen);
    expect(listed).toHaveLength(EXAMPLE_WAITING);
    for (const row of listed) expect(row).toMatch(/^! requires_action/);

    await session.sendKeys('f');
    screen = await session.waitFor('status: expired');
    listed = runRows(screen);
    expect(listed).toHaveLength(4);
    for (const row of listed) expect(row).toMatch(/^⊗ expired/);

    // One press per status present, then back to every run.
    for (let press = 0; press < 20 && screen.includes('status:'); press++) {
      const before = /status: (\S+)/.exec(screen)?.[1];
      await session.sendKeys('f');
      screen = await session.waitFor((next) => /status: (\S+)/.exec(next)?.[1] !== before, {description: `the filter to move on from ${before}`});
    }
    expect(screen).toMatch(new RegExp(`runlens examples\\s+${EXAMPLE_COUNT} runs`));
  });

  it('! shows only the runs waiting for tool outputs, again adds stalled ones, a third time turns it off', async (context) => {
    // Wide enough for the whole stuck badge in the header.
    const session = await sessions.runlens(context, ['examples'], {width: 160, height: 30});
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await session.sendKeys('!');
    let screen = await session.waitFor('stuck: waiting for tool outputs');
    expect(screen).toContain(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`);
    expect(screen).toContain('sort: waiting time ↓');
    const listed = runRows(screen);
    expect(listed).toHaveLength(EXAMPLE_WAITING);
    for (const row of listed) expect(row).toMatch(/^! requires_action/);

    // The header badge counts the stalled runs (unfinished, older than 10 minutes) that a second ! adds.
    const stalledCount = Number(/(\d+) stalled/.exec(screen)?.[1]);
    expect(stalledCount).toBeGreaterThan(0);
    await session.sendKeys('!');
    screen = await session.waitFor('stuck: waiting + stalled');
    expect(stalledCount).toBe(EXAMPLE_STALLED);
    expect(screen).toContain(`${EXAMPLE_WAITING + stalledCount} of ${EXAMPLE_COUNT} runs`);
    const stalled = runRows(screen);
    expect(stalled).toHaveLength(EXAMPLE_WAITING + stalledCount);
    for (const row of stalled) expect(row).toMatch(/^(! requires_action|○ queued|● in_progress|⊘ cancelling)\s/);

    await session.sendKeys('!');
    screen = await session.waitFor(new RegExp(`runlens examples\\s+${EXAMPLE_COUNT} runs`));
    expect(screen).toContain('sort: created ↓');
    expect(screen).not.toContain('stuck:');
  });

  it('? lists the keys and Esc closes the help', async (context) => {
    const session = await openList(context);
    await moveTo(session, 'j', 2);
    await session.sendKeys('?');
    const first = await session.waitFor('Run list');
    expect(first).toMatch(/^Keys$/m);
    // The help scrolls: read it all.
    expect(first).toMatch(/lines 1-\d+ of \d+/);
    const help = await readScrolledView(session);
    for (const pattern of [
      /↑\/k\s+previous run/,
      /↓\/j\s+next run/,
      /PgDn\s+page down/,
      /g\/Home\s+first run/,
      /G\/End\s+last run/,
      /⏎\/→\s+open the run/,
      /\/\s+search/,
      /s\s+cycle the sort column/,
      /S\s+reverse the sort order/,
      /f\s+cycle the status filter/,
      /!\s+stuck runs only/,
      /W\s+show load warnings/,
      /\?\s+show all keys/,
      /q\s+quit/,
      /Run detail/,
      /Tab\s+next pane/,
      /S-Tab\s+previous pane/,
      /1-9\s+go to pane N/,
      /Esc\/←\s+back/,
      /1\s+Overview/,
      /8\s+Raw JSON/,
    ]) {
      expect(help).toMatch(pattern);
    }

    await session.sendKeys('Escape');
    const back = await session.waitFor(/^STATUS\s+KIND\s+RUN/m);
    expect(listPosition(back)).toEqual({index: 2, total: EXAMPLE_COUNT});
  });

  it('W shows the load warnings; the header counts them', async (context) => {
    const folder = tempFolder({
      'good.json': readFileSync(join(REPO_ROOT, 'examples/weather-bot/run_single.json'), 'utf8'),
      'bad.json': '{"id": "run_broken", "object": "thread.run",\n  oops\n',
    });
    try {
      const session = await openList(context, [folder.path], 1);
      // The first run can show while the load finishes (its progress bar then sits in the header).
      const screen = await session.waitForAbsent('loading ▕');
      expect(screen).toMatch(/^runlens \S+\s+1 runs?\s+⚠ 1 warning \(W\)/m);
      expect(screen).toContain('run_aIckImeWjKNt0XJJembuqWiv');

      await session.sendKeys('W');
      const warnings = await session.waitFor('1 warning while loading');
      expect(warnings).toMatch(/bad\.json:2:\d+: invalid JSON/);

      await session.sendKeys('Escape');
      await session.waitFor('1/1');
    } finally {
      folder.cleanup();
    }
  });

  it('q quits with exit status 0 and leaves the alternate screen', async (context) => {
    const session = await openList(context);
    expect(await session.screen()).not.toContain(MARKER);
    await session.sendKeys('q');
    const screen = await session.waitFor('EXIT=0');
    // Back on the normal screen: the marker printed before runlens is there, the TUI is gone.
    expect(rows(screen).filter(Boolean)).toEqual([MARKER, 'EXIT=0']);
  });

  it('Ctrl-C quits with exit status 0 and leaves the alternate screen', async (context) => {
    const session = await openList(context);
    await session.sendKeys('C-c');
    const screen = await session.waitFor('EXIT=');
    expect(rows(screen).filter(Boolean)).toEqual([MARKER, 'EXIT=0']);
  });
});
