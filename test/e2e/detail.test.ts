/**
 * End to end: one run's detail view (panes 1-9, Tab/S-Tab, scrolling, Esc back) of the built CLI
 * in a real terminal (tmux), and a hostile run whose text carries terminal escapes.
 */
import {beforeAll, describe, expect, it, type TestContext} from 'vitest';
import {activeTab, ensureBuilt, searchAndOpen, listPosition, readScrolledView, reverseVideoRows, rows, scrollPosition, toPane, useSessions, type TmuxSession} from './tmux.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

const WAITING_RUN = 'run_TpMlggIvapmkiXatm85gyg0a'; // requires_action, two get_weather calls, one with broken JSON
const LONG_RUN = 'run_8EWLhu51A9xQXm2uDxuk348k'; // completed, ~3,000 characters of instructions, usage with limits
const FAILED_RUN = 'run_QcO9H0pyUlfnsXPCQt94epuj'; // failed with server_error
const HOSTILE_RUN = 'run_RAD97k4iu8FzIHd7sqV5paIH'; // instructions with ESC[2J, an OSC title, U+202E, U+009B

/** Opens `runId` from the examples list through the search prompt, then its detail view. */
async function openRun(context: TestContext, runId: string): Promise<TmuxSession> {
  return searchAndOpen(await sessions.runlens(context, ['examples']), runId, EXAMPLE_COUNT);
}

/** The pane body: the rows between the tab rule and the position line / footer. */
function paneBody(screen: string): string {
  const lines = rows(screen);
  const rule = lines.findIndex((line) => /^─{10,}/.test(line));
  return lines.slice(rule + 1).join('\n');
}

describe.concurrent('run detail', () => {
  it('Enter opens the selected run on the Overview pane, with times and durations', async (context) => {
    const session = await sessions.runlens(context, ['examples']);
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await session.sendKeys('Enter');
    const screen = await session.waitFor('1 Overview');
    expect(screen).toMatch(new RegExp(`^! requires_action\\s+${WAITING_RUN}\\s+gpt-4o-mini`, 'm'));
    expect(screen).toMatch(/1 Overview\s+2 (Action|Required action) \(2\)\s+3 Tools \(2\)\s+4 Usage\s+5 (Error|Last error)\s+6 Instr\w*\s+7 Meta\w* \(3\)\s+8 Raw/);
    expect(await activeTab(session)).toBe('1 Overview');
    const body = paneBody(screen);
    expect(body).toMatch(new RegExp(`^Run\\s+${WAITING_RUN}`, 'm'));
    expect(body).toMatch(/^Times$/m);
    expect(body).toMatch(/^\s+created\s+2026-11-25 11:55:06 \(4m 54s ago\)/m);
    expect(body).toMatch(/^\s+expires\s+2026-11-25 12:05:06 \(in 5m 6s\)/m);
    expect(body).toMatch(/^Durations$/m);
    expect(body).toMatch(/^\s+queued\s+2s\s+created → started/m);
  });

  it('2 shows the required action: ✓/✗ checks per call and the submit_tool_outputs body with the call ids', async (context) => {
    const session = await openRun(context, WAITING_RUN);
    const first = await toPane(session, '2', 2);
    expect(first).toMatch(/type\s+submit_tool_outputs/);
    // The pane is longer than the screen: page through all of it.
    const pane = await readScrolledView(session);
    const call1 = pane.indexOf('1. ✓ get_weather  call_0XX3bAPZ1oNHPXsWZNRNh1KC');
    const call2 = pane.indexOf('2. ✗ get_weather  call_aDipJpDhNtqnCLosI1uFzVpB');
    expect(call1).toBeGreaterThan(-1);
    expect(call2).toBeGreaterThan(call1);
    // The first call passes every check; the second has broken JSON arguments.
    expect(pane.slice(call1, call2)).toMatch(/✓ known function[\s\S]*✓ valid JSON[\s\S]*✓ matches schema/);
    expect(pane.slice(call2)).toMatch(/✓ known function[\s\S]*✗ valid JSON/);
    // The request that would unstick the run, with both call ids.
    expect(pane).toContain(`POST /threads/thread_1QWJiNcAAl8DYFyKntkOX39U/runs/${WAITING_RUN}/submit_tool_outputs`);
    expect(pane).toContain('"tool_outputs": [');
    expect(pane).toContain('"tool_call_id": "call_0XX3bAPZ1oNHPXsWZNRNh1KC"');
    expect(pane).toContain('"tool_call_id": "call_aDipJpDhNtqnCLosI1uFzVpB"');
  });

  // Regression: the table panes (Tools, Usage with usage, Metadata) used to crash the app
  // ("internal error: table index is out of bounds") or stay empty.
  it('3 shows the tools table', async (context) => {
    const session = await openRun(context, LONG_RUN);
    await toPane(session, '3', 3, 4000);
    // ink-table's table is drawn just after the frame that switches the pane.
    const screen = await session.waitFor('┌');
    expect(screen).toMatch(/│ # │ type\s+│ name\s+│ strict │ description/);
    expect(screen).toMatch(/│ 2 │ function\s+│ lookup_order\s+│ no/);
    expect(screen).toMatch(/│ 3 │ function\s+│ create_ticket\s+│ yes/);
  });

  it('4 shows the usage table', async (context) => {
    const session = await openRun(context, LONG_RUN);
    await toPane(session, '4', 4, 4000);
    // ink-table's table is drawn just after the frame that switches the pane.
    const screen = await session.waitFor('┌');
    expect(screen).toMatch(/│ tokens\s+│ used\s+│ limit\s+│ share of limit │/);
    expect(screen).toMatch(/│ prompt\s+│ 12,877 │ 16,000 │ 80\.5%/);
    expect(screen).toMatch(/│ total\s+│ 13,811 │/);
  });

  it('4 on an unfinished run says there is no usage yet', async (context) => {
    const session = await openRun(context, WAITING_RUN);
    const screen = await toPane(session, '4', 4);
    expect(paneBody(screen)).toMatch(/^not finished: the API reports usage when the run ends/m);
  });

  it('5 shows the last error code and message', async (context) => {
    const session = await openRun(context, FAILED_RUN);
    const screen = await toPane(session, '5', 5);
    expect(screen).toMatch(/^code\s+server_error/m);
    expect(screen).toContain('Sorry, something went wrong.');
  });

  it('6 shows the instructions, and Down/PgDn/G/g scroll them', async (context) => {
    const session = await openRun(context, LONG_RUN);
    let screen = await toPane(session, '6', 6);
    expect(screen).toContain('3,170 characters');
    expect(screen).toContain('You are the Tier-2 escalation reviewer for Northwind Outfitters');
    const start = scrollPosition(screen)!;
    expect(start.first).toBe(1);
    const visible = start.last - start.first + 1;
    expect(start.total).toBeGreaterThan(visible);

    await session.sendKeys('Down');
    screen = await session.waitFor(`lines 2-${visible + 1} of ${start.total}`);
    expect(screen).toMatch(/▲ 1 above/);

    // A page keeps one line of overlap.
    await session.sendKeys('PageDown');
    await session.waitFor(`lines ${visible + 1}-${2 * visible} of ${start.total}`);

    await session.sendKeys('G');
    screen = await session.waitFor(`lines ${start.total - visible + 1}-${start.total} of ${start.total}`);
    expect(screen).not.toMatch(/▼ \d+ below/);

    await session.sendKeys('g');
    screen = await session.waitFor(`lines 1-${visible} of ${start.total}`);
    expect(screen).toContain('3,170 characters');
  });

  // App bug: a blank line inside untrusted multi-line text is the segment [{text: ''}], which
  // StyledLine renders as an empty <Text> that Ink gives zero height, so paragraph breaks vanish
  // in the TUI (`runlens show` keeps them) and the pane is drawn shorter than its height.
  it('6 keeps the blank lines between paragraphs of the instructions', async (context) => {
    const session = await openRun(context, HOSTILE_RUN);
    const screen = await toPane(session, '6', 6);
    const lines = rows(screen);
    const first = lines.findIndex((line) => line.startsWith('You are the support assistant'));
    expect(first).toBeGreaterThan(0);
    expect(lines[first + 1]).toBe('');
    expect(lines[first + 2]).toMatch(/^Look up every order number/);
  });

  it('7 shows the metadata table', async (context) => {
    const session = await openRun(context, HOSTILE_RUN);
    await toPane(session, '7', 7, 4000);
    // ink-table's table is drawn just after the frame that switches the pane.
    const screen = await session.waitFor('┌');
    expect(screen).toMatch(/│ key\s+│ value\s+│/);
    expect(screen).toMatch(/│ customer_id │ cus_5leJi14jlPdfrk/);
    expect(screen).toMatch(/│ ticket\s+│ SUP-4821/);
  });

  it('8 shows the raw JSON, and Down/PgDn change the "lines X-Y of Z" line', async (context) => {
    const session = await openRun(context, LONG_RUN);
    let screen = await toPane(session, '8', 8);
    expect(screen).toMatch(/^\{$/m);
    expect(screen).toContain(`"id": "${LONG_RUN}"`);
    expect(screen).toContain('"object": "thread.run"');
    const start = scrollPosition(screen)!;
    expect(start.first).toBe(1);
    const visible = start.last;

    await session.sendKeys('Down');
    screen = await session.waitFor(`lines 2-${visible + 1} of ${start.total}`);
    expect(screen).not.toMatch(/^\{$/m);
    await session.sendKeys('PageDown');
    await session.waitFor(`lines ${visible + 1}-${2 * visible} of ${start.total}`);
    await session.sendKeys('End');
    screen = await session.waitFor(`lines ${start.total - visible + 1}-${start.total} of ${start.total}`);
    expect(screen).toMatch(/^\}$/m);
  });

  it('Tab and S-Tab step through the panes, wrapping at both ends', async (context) => {
    const session = await openRun(context, WAITING_RUN);
    // Tab from Overview to Required action.
    let screen = await toPane(session, 'Tab', 2);
    expect(screen).toMatch(/type\s+submit_tool_outputs/);
    // S-Tab back, then once more wraps to the last pane (the Conversation, which has no number key),
    // then Steps (a file source has none).
    screen = await toPane(session, 'BTab', 1);
    expect(screen).toMatch(/^Times$/m);
    await session.sendKeys('BTab');
    await session.waitFor('No steps loaded for this run');
    screen = await toPane(session, 'BTab', 9);
    expect(screen).toContain('Steps are only available from the API');
    screen = await toPane(session, 'BTab', 8);
    expect(screen).toContain('"object": "thread.run"');
    screen = await toPane(session, 'Tab', 9);
    await session.sendKeys('Tab');
    await session.waitFor('No steps loaded for this run');
    // Tab from the last pane wraps to the first.
    screen = await toPane(session, 'Tab', 1);
    expect(screen).toMatch(/^Durations$/m);
  });

  it('Esc returns to the list with the same run selected', async (context) => {
    const session = await sessions.runlens(context, ['examples']);
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    for (let index = 2; index <= 5; index++) {
      await session.sendKeys('j');
      await session.waitFor(`${index}/${EXAMPLE_COUNT}`);
    }
    const selected = reverseVideoRows(await session.screenWithEscapes()).find((row) => row.includes('run_'))!;
    const runId = /run_[A-Za-z0-9]+/.exec(selected)![0];
    await session.sendKeys('Enter');
    await session.waitFor(new RegExp(`\\S+\\s+${runId}.*\\n 1 Overview`));
    // Change pane (and scroll) first: Esc goes back to the list from wherever the detail is.
    await toPane(session, '8', 8);
    await session.sendKeys('PageDown');
    await session.waitFor((screen) => (scrollPosition(screen)?.first ?? 1) > 1, {description: 'the Raw JSON pane to scroll'});
    await session.sendKeys('Escape');
    const list = await session.waitFor('STATUS');
    expect(listPosition(list)).toEqual({index: 5, total: EXAMPLE_COUNT});
    const highlighted = reverseVideoRows(await session.screenWithEscapes()).filter((row) => row.includes('run_'));
    expect(highlighted).toHaveLength(1);
    expect(highlighted[0]).toContain(runId);
  });

  it('y copies with OSC 52: the run id in the list, the submit_tool_outputs body on Required action', async (context) => {
    const session = await sessions.runlens(context, ['examples']);
    // Let tmux take OSC 52 from the pane into its paste buffer, as a terminal would into the clipboard.
    await session.tmux('set-option', '-g', 'set-clipboard', 'on');
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await session.sendKeys('y');
    await session.waitFor(`Copied the run id ${WAITING_RUN}`);
    await session.waitForClipboard((text) => text === `${WAITING_RUN}\n`);

    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    await toPane(session, '2', 2);
    await session.sendKeys('y');
    await session.waitFor('Copied the submit_tool_outputs body');
    const copied = await session.waitForClipboard((text) => text.includes('tool_outputs'));
    const body = JSON.parse(copied) as {tool_outputs: Array<{tool_call_id: string; output: string}>};
    expect(body).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_0XX3bAPZ1oNHPXsWZNRNh1KC', output: ''},
        {tool_call_id: 'call_aDipJpDhNtqnCLosI1uFzVpB', output: ''},
      ],
    });
  });

  it('? in the detail shows the help, Esc goes back to the same pane', async (context) => {
    const session = await openRun(context, WAITING_RUN);
    await toPane(session, '2', 2);
    await session.sendKeys('?');
    await session.waitFor(/^Keys$/m);
    // The detail keys and the panes are further down the help.
    const help = await readScrolledView(session);
    expect(help).toMatch(/Tab\s+next pane/);
    expect(help).toMatch(/1-9\s+go to pane N/);
    expect(help).toMatch(/8\s+Raw JSON/);
    await session.sendKeys('Escape');
    await session.waitFor('1 Overview');
    expect(await activeTab(session)).toMatch(/^2 /);
  });
});

describe.concurrent('a run whose text carries terminal escapes', () => {
  it('shows them as visible escapes: the screen is not cleared and the title is not changed', async (context) => {
    const session = await openRun(context, HOSTILE_RUN);
    const titleBefore = await session.paneTitle();
    const screen = await toPane(session, '6', 6);
    // Escapes and bidi controls are printed as text.
    expect(screen).toContain('- Display name: "Mara\\x1b[2J\\x1b]0;pwned\\x07 Quint"');
    expect(screen).toContain('- Nickname: "\\x1b[2J\\x1b]0;pwned\\x07 and a \\u202e bidi override"');
    expect(screen).toContain('- Last attachment: "invoice_\\u202efdp.exe"');
    expect(screen).toContain('- Note from web form: "\\x1b[31mURGENT\\x1b[0m refund me now \\x9b6n"');
    // No raw U+202E or U+009B reached the terminal.
    expect(screen).not.toMatch(/[\u202e\u009b]/);
    // Nothing was cleared: the header, the run line and the tabs are still above the pane.
    const lines = rows(screen);
    const header = lines.findIndex((line) => line.startsWith('runlens examples'));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines.slice(header, header + 8).join('\n')).toMatch(new RegExp(`${HOSTILE_RUN}[\\s\\S]*1 Overview`));
    // No colour leaked from ESC[31m (colour is off, so no colour at all), and the title is intact.
    expect(await session.screenWithEscapes()).not.toMatch(/\x1b\[[0-9;]*3[1-7]m/);
    const titleAfter = await session.paneTitle();
    expect(titleAfter).toBe(titleBefore);
    expect(titleAfter).not.toContain('pwned');
  });

  it('keeps them escaped in the Raw JSON pane too', async (context) => {
    const session = await openRun(context, HOSTILE_RUN);
    const titleBefore = await session.paneTitle();
    await toPane(session, '8', 8);
    const pane = await readScrolledView(session);
    // Every control is visible text: \u001b and \u0007 are JSON's own escapes, U+202E and U+009B
    // (which JSON leaves raw) are escaped by the viewer. Long lines wrap: compare without whitespace.
    const compact = pane.replace(/\s+/g, '');
    expect(compact).toContain('Mara\\u001b[2J\\u001b]0;pwned\\u0007Quint');
    expect(compact).toContain('invoice_\\u202efdp.exe');
    expect(compact).toMatch(/refundmenow\\(x9b|u009b)6n/);
    expect(pane).not.toMatch(/[\u202e\u009b]/);
    expect(await session.paneTitle()).toBe(titleBefore);
  });
});
