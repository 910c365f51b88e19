import {stripVTControlCharacters} from 'node:util';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {footerHints, KEY_BINDINGS} from '../../src/keys.js';
import type {Run} from '../../src/model/run.js';
import {PANES} from '../../src/panes/paneIds.js';
import {
  appElement,
  FIXED_NOW_MS,
  footerLine,
  KEYS,
  loadExamples,
  plainLines,
  positionOf,
  press,
  renderDefault,
  renderSized,
  pressUntil,
  typeText,
  waitFor,
  waitForFrame,
  waitForText,
  type TestInstance,
} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_STALLED, exampleStatusCountTexts, EXAMPLE_WAITING} from '../helpers/examples.js';

let runs: Run[];
let instance: TestInstance | undefined;

beforeAll(async () => {
  runs = (await loadExamples()).runs;
  expect(runs).toHaveLength(EXAMPLE_COUNT);
});

afterEach(() => {
  instance?.unmount();
  instance = undefined;
});

function start(overrides: Parameters<typeof appElement>[1] = {}): TestInstance {
  instance = renderDefault(appElement(runs, overrides));
  return instance;
}

function startSized(columns: number, rows: number, overrides: Parameters<typeof appElement>[1] = {}): TestInstance {
  instance = renderSized(appElement(runs, overrides), {columns, rows});
  return instance;
}

const plain = (frame: string) => stripVTControlCharacters(frame);

/** Searches for the run's id, keeps the filter and opens the run. */
async function openRun(app: TestInstance, id: string): Promise<string> {
  await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
  app.stdin.write(id);
  await waitForText(app, `1 of ${EXAMPLE_COUNT} runs`);
  await press(app, KEYS.enter, (frame) => !footerLine(frame).startsWith('/'));
  return press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
}

/** Jumps to pane N (1-8) and waits until its tab is the highlighted one. */
async function showPane(app: TestInstance, index: number, expected: string | RegExp): Promise<string> {
  app.stdin.write(String(index));
  return waitForFrame(app, (frame) => {
    const text = plain(frame);
    return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  });
}

describe('the run list', () => {
  it('header: source, run count, per-status counts and the stuck badge', async () => {
    const app = startSized(200, 30);
    const frame = plain(await waitForText(app, `${EXAMPLE_COUNT} runs`));
    const [title, counts, badge, sort] = frame.split('\n');
    expect(title).toBe(`runlens examples  ${EXAMPLE_COUNT} runs`);
    for (const part of exampleStatusCountTexts()) expect(counts).toContain(part);
    expect(badge).toContain(`⚑ ${EXAMPLE_WAITING} waiting for tool outputs`);
    expect(badge).toContain('oldest 6d');
    expect(badge).toContain('1 expired while waiting');
    expect(badge).toContain('press ! to see them');
    expect(sort).toBe('sort: created ↓');
  });

  it('at 100 columns the waiting runs come first in the status counts, so they are never cut off', async () => {
    const app = start();
    const frame = await waitForText(app, `${EXAMPLE_COUNT} runs`);
    expect(plainLines(frame)[1]).toMatch(new RegExp(`^! requires_action ${EXAMPLE_WAITING} {2}`));
  });

  it('rows show the status as glyph and word, the id, model and a note', async () => {
    const app = start();
    const lines = plainLines(await waitForText(app, `${EXAMPLE_COUNT} runs`));
    const header = lines.findIndex((line) => line.startsWith('STATUS'));
    // Runs and responses: KIND stands between STATUS and RUN.
    expect(lines[header]).toMatch(/^STATUS +KIND +RUN +MODEL +CREATED +WAITING \/ NOTE/);
    expect(lines[header + 1]).toMatch(/^! requires_action +run +run_TpMlggIvapmkiXatm85gyg0a +gpt-4o-mini +4m ago +4m · expires i/);
    expect(lines[header + 3]).toMatch(/^○ queued +run +run_6qYgr6nOK0pIJj6MQqBmeNkN +gpt-4o +5m ago +locks thread_/);
    expect(lines[header + 4]).toMatch(/^! requires_action +response +resp_6920f1aa11bb22cc33dd44… +gpt-4o-2024… +5m ago +5m · 3 calls/);
    // The answered start of the waiting chain and an incomplete response, among the first rows.
    expect(lines.some((line) => /^✓ completed +response +resp_6920a1b2c3d4e5f6a7b8c9…/.test(line))).toBe(true);
    expect(lines.some((line) => /^◐ incomplete +response +resp_6920c3aa11bb22cc33dd44… .*incomplete: ma/.test(line))).toBe(true);
    expect(lines.some((line) => /^\? paused_for_rev/.test(line))).toBe(true);
    expect(positionOf(lines.join('\n'))).toBe(`1/${EXAMPLE_COUNT}`);
    expect(lines.at(-2)).toMatch(new RegExp(`▼ \\d+ more {3}1/${EXAMPLE_COUNT}$`));
  });

  it('j/k and the arrows move the selection; G and g jump', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    expect(positionOf(await press(app, 'j', (frame) => positionOf(frame) === `2/${EXAMPLE_COUNT}`))).toBe(`2/${EXAMPLE_COUNT}`);
    await press(app, KEYS.down, (frame) => positionOf(frame) === `3/${EXAMPLE_COUNT}`);
    await press(app, 'k', (frame) => positionOf(frame) === `2/${EXAMPLE_COUNT}`);
    await press(app, KEYS.up, (frame) => positionOf(frame) === `1/${EXAMPLE_COUNT}`);
    const bottom = await press(app, 'G', (frame) => positionOf(frame) === `${EXAMPLE_COUNT}/${EXAMPLE_COUNT}`);
    expect(plainLines(bottom).at(-2)).toMatch(new RegExp(`▲ \\d+ more {3}${EXAMPLE_COUNT}/${EXAMPLE_COUNT}$`));
    expect(plain(bottom)).toContain('run_pSmIwWrRVrzonCkED8ykskD1');
    await press(app, 'g', (frame) => positionOf(frame) === `1/${EXAMPLE_COUNT}`);
    await press(app, ' ', (frame) => /^[2-9]|^\d\d/.test(positionOf(frame) ?? '') && positionOf(frame) !== `1/${EXAMPLE_COUNT}`);
  });

  it('a burst of keys acts as separate presses', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, 'jjj', (frame) => positionOf(frame) === `4/${EXAMPLE_COUNT}`);
  });

  it('s cycles the sort and S reverses it, shown in the header', async () => {
    const app = start();
    await waitForText(app, 'sort: created ↓');
    await press(app, 's', (frame) => plain(frame).includes('sort: status ↑'));
    await press(app, 'S', (frame) => plain(frame).includes('sort: status ↓'));
    await press(app, 's', (frame) => plain(frame).includes('sort: duration ↓'));
  });

  it('f filters by status, in triage order', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = await press(app, 'f', (current) => plain(current).includes(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`));
    expect(plain(frame)).toContain('status: requires_action');
    const rows = plainLines(frame).filter((line) => / (run|resp)_/.test(line));
    expect(rows).toHaveLength(EXAMPLE_WAITING);
    expect(rows.every((line) => line.startsWith('! requires_action'))).toBe(true);
    await press(app, 'f', (current) => plain(current).includes('status: expired'));
    await press(app, 'c', (current) => plain(current).includes(`${EXAMPLE_COUNT} runs`) && !plain(current).includes('status:'));
  });

  it('! shows the stuck runs, longest waiting first; again adds stalled ones', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = await press(app, '!', (current) => plain(current).includes(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`));
    const text = plain(frame);
    expect(text).toContain('stuck: waiting for tool outputs');
    expect(text).toContain('sort: waiting time ↓');
    expect(text).not.toContain('press ! to see them');
    const rows = plainLines(frame).filter((line) => /^\S+ \S+ +(run|response) +(run|resp)_/.test(line));
    // Response ids are cut to the RUN column (28 characters, the last an ellipsis).
    expect(rows.map((line) => line.split(/\s+/)[3])).toEqual([
      'run_b2ElVPBEZMptEZL12yKDDfxY',
      'resp_6920a1f0e9d8c7b6a5f4e3…',
      'run_dLCuRck7KQGC9YOIMsE8jekV',
      'resp_6920d1aa11bb22cc33dd44…',
      'resp_6920e1aa11bb22cc33dd44…',
      'run_43mISLDtQbjVnuzCKoHEcurM',
      'run_wHusDjuFqvKQ3sDZ0rwv2Vhk',
      'resp_6920f1aa11bb22cc33dd44…',
      'run_fbjG5CJOvUfeNO1F3Ehy9c7t',
      'run_TpMlggIvapmkiXatm85gyg0a',
    ]);
    expect(rows).toHaveLength(EXAMPLE_WAITING);
    expect(rows.every((line) => line.startsWith('! requires_action'))).toBe(true);
    const stalled = await press(app, '!', (current) => plain(current).includes('stuck: waiting + stalled'));
    expect(plain(stalled)).toMatch(new RegExp(`\\b(${EXAMPLE_WAITING + EXAMPLE_STALLED - 1}|${EXAMPLE_WAITING + EXAMPLE_STALLED}) of ${EXAMPLE_COUNT} runs`));
    await press(app, '!', (current) => plain(current).includes(`  ${EXAMPLE_COUNT} runs`) && plain(current).includes('sort: created ↓'));
  });

  it('/ opens the search prompt in the footer; typing filters; Enter keeps; Esc clears', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const prompt = await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
    expect(footerLine(prompt)).toContain('Enter keeps the filter · Esc clears it');
    const typed = await typeText(app, 'o3-mini');
    expect(footerLine(typed)).toMatch(/^\/o3-mini /);
    const filtered = await waitForText(app, `4 of ${EXAMPLE_COUNT} runs`);
    expect(plain(filtered)).toContain('search: o3-mini');
    // While typing, letters are text: q does not quit, j does not move, G does not jump.
    await typeText(app, ' qjGx', 'o3-mini');
    await waitForText(app, `0 of ${EXAMPLE_COUNT} runs`);
    expect(plain(app.lastFrame() ?? '')).toContain('No runs match the current filter.');
    await press(app, KEYS.backspace, (frame) => footerLine(frame).startsWith('/o3-mini qjG    Enter'));
    await press(app, KEYS.backspace + KEYS.backspace + KEYS.backspace, (frame) => footerLine(frame).startsWith('/o3-mini     Enter'));
    await waitForText(app, `4 of ${EXAMPLE_COUNT} runs`);
    const kept = await press(app, KEYS.enter, (frame) => !footerLine(frame).startsWith('/'));
    expect(plain(kept)).toContain(`4 of ${EXAMPLE_COUNT} runs`);
    expect(footerLine(kept)).toContain('⏎/→');
    const cleared = await press(app, KEYS.escape, (frame) => plain(frame).includes(`  ${EXAMPLE_COUNT} runs`));
    expect(plain(cleared)).not.toContain('search:');
  });

  it('Esc while typing a search drops it', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
    await typeText(app, 'gpt-4.1');
    await waitForText(app, `of ${EXAMPLE_COUNT} runs`);
    const frame = await press(app, KEYS.escape, (current) => plain(current).includes(`  ${EXAMPLE_COUNT} runs`));
    expect(footerLine(frame)).not.toMatch(/^\//);
  });

  it('searches ids, threads, assistants, errors, tools and metadata', async () => {
    for (const [text, count] of [
      ['thread_41ogePJdFPW5bAUFxxZwRIpt', 11],
      ['asst_RyfJvhDBXkvHcZfYsB289Xod', 3],
      ['rate_limit', 2],
      ['get_air_quality', 1],
      ['trust-and-safety', 1],
      ['SUP-4821 failed', 2],
    ] as const) {
      const app = start();
      await waitForText(app, `${EXAMPLE_COUNT} runs`);
      await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
      app.stdin.write(text);
      await waitForText(app, `${count} of ${EXAMPLE_COUNT} runs`);
      app.unmount();
      instance = undefined;
    }
  });

  it('an empty result says so and how to get back', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
    app.stdin.write('no-such-run-anywhere');
    const frame = await waitForText(app, 'No runs match the current filter.');
    expect(plain(frame)).toContain('Esc clears the search and filters.');
    expect(plain(frame)).toContain(`0 of ${EXAMPLE_COUNT} runs`);
  });

  it('with no runs at all, points at the warnings', async () => {
    instance = renderDefault(appElement([], {warnings: [{location: 'bad.json:1:1', message: 'Unexpected token'}]}));
    const frame = await waitForText(instance, 'No runs loaded.');
    expect(plain(frame)).toContain('Press W to see why.');
    expect(plain(frame)).toContain('⚠ 1 warning (W)');
  });
});

describe('the run detail', () => {
  it('Enter opens the selected run with its pane tabs; Esc returns to the list', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = await press(app, KEYS.enter, (current) => plain(current).includes('1 Overview'));
    const lines = plainLines(frame);
    const title = lines.findIndex((line) => line.startsWith('! requires_action  run_TpMlggIvapmkiXatm85gyg0a'));
    expect(title).toBeGreaterThan(0);
    expect(lines[title]).toContain('gpt-4o-mini');
    expect(lines[title + 1]).toBe(' 1 Overview  2 Action (2)  3 Tools (2)  4 Usage  5 Error  6 Instr  7 Meta (3)  8 Raw  9 Steps  Chat');
    expect(lines[title + 2]).toMatch(/^─{100}$/);
    expect(lines[title + 3]).toBe('Run           run_TpMlggIvapmkiXatm85gyg0a');
    // The footer hints come from the key table.
    for (const binding of footerHints('detail').slice(0, 3)) expect(footerLine(frame)).toContain(binding.label);
    const back = await press(app, KEYS.escape, (current) => plain(current).includes('STATUS'));
    expect(positionOf(back)).toBe(`1/${EXAMPLE_COUNT}`);
  });

  it('the right arrow and l open too; the left arrow and h go back', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, KEYS.right, (frame) => plain(frame).includes('1 Overview'));
    await press(app, KEYS.left, (frame) => plain(frame).includes('STATUS'));
    await press(app, 'l', (frame) => plain(frame).includes('1 Overview'));
    await press(app, 'h', (frame) => plain(frame).includes('STATUS'));
  });

  it('shows full pane titles when they fit', async () => {
    const app = startSized(200, 30);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = await press(app, KEYS.enter, (current) => plain(current).includes('1 Overview'));
    expect(plain(frame)).toContain(' 1 Overview   2 Required action (2)   3 Tools (2)   4 Usage   5 Last error   6 Instructions   7 Metadata (3)   8 Raw JSON');
  });

  // Panes 3 (Tools), 4 (Usage) and 7 (Metadata) hold ink-table tables, which crash the TUI (see
  // tables.test.tsx); they are left out here so this file stays runnable.
  it('each pane without a table, keys 1, 2, 5, 6, 8, shows its content (a waiting run)', async () => {
    const app = startSized(100, 200);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await openRun(app, 'run_fbjG5CJOvUfeNO1F3Ehy9c7t');

    const overview = plain(await showPane(app, 1, 'Settings'));
    for (const text of ['Times', 'Durations', 'Settings', '  created     2026-11-25 11:54:40 UTC (5m 20s ago)', 'Waiting for   4 tool outputs']) {
      expect(overview).toContain(text);
    }

    const action = plain(await showPane(app, 2, 'tool calls    4  4 with problems'));
    expect(action).toContain('1. ✗ lookup_order  call_EruwaWHfnyI45dfNoqV3cjp6');
    expect(action).toContain('   ✓ known function');
    expect(action).toContain('   ✗ matches schema');
    expect(action).toContain('Request that would unstick it (fill in each output):');
    expect(action).toContain('"tool_outputs": [');
    for (const id of ['call_EruwaWHfnyI45dfNoqV3cjp6', 'call_Pan2td8ZGyeeJ5qvmbEmiL8Q', 'call_tKUmYvMatTeXif9N8yAJ5D8J', 'call_u4PenBKEOgYdOohfHenwFxeR']) {
      expect(action).toContain(`"tool_call_id": "${id}"`);
    }

    expect(plain(await showPane(app, 5, 'No error.'))).toContain('No error.');
    expect(plain(await showPane(app, 6, 'characters'))).toMatch(/\d[\d,]* characters/);

    const raw = plain(await showPane(app, 8, '"object": "thread.run"'));
    expect(raw).toContain('"id": "run_fbjG5CJOvUfeNO1F3Ehy9c7t"');
    expect(raw).toContain('"status": "requires_action"');
  });

  it('each pane shows its content (a finished run with usage and an error)', async () => {
    const app = startSized(100, 200);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await openRun(app, 'run_QcO9H0pyUlfnsXPCQt94epuj');
    expect(plain(await showPane(app, 2, 'No action required.'))).toContain('No action required.');
    const error = plain(await showPane(app, 5, 'code'));
    expect(error).toContain('code          server_error');
    expect(error).toContain('Sorry, something went wrong.');
    const instructions = plain(await showPane(app, 6, 'characters'));
    expect(instructions).toContain('Northwind');
  });

  // Regression: scrollable views used to report their line count to the store from an effect
  // after they rendered, so a G in the same burst as the key that opened the view was clamped
  // against the previous view's size and the run opened at its top. A G before the store knows
  // the view's size now waits for it (the view shows its bottom at once; the next key brings the size).
  it('a burst of Enter then G opens the run at its bottom', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    app.stdin.write(`${KEYS.enter}8G`);
    // The Raw JSON pane's last field: the pane opens at its bottom, with no frame of its top first.
    await waitForText(app, '"parallel_tool_calls": true');
    await waitForFrame(app, (frame) => /lines \d+-(\d+) of \1$/.test(plainLines(frame).at(-2) ?? ''), 1000);
  });

  it('Tab and Shift-Tab cycle the panes', async () => {
    const app = startSized(200, 40);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
    await press(app, KEYS.tab, (frame) => plain(frame).includes('type          submit_tool_outputs'));
    await press(app, KEYS.shiftTab, (frame) => plain(frame).includes('Run           run_TpMlggIvapmkiXatm85gyg0a'));
    // Shift-Tab from the first pane goes round to the last: the Conversation, past the number keys.
    await press(app, KEYS.shiftTab, (frame) => plain(frame).includes('run run_TpMlggIvapmkiXatm85gyg0a'));
    await press(app, KEYS.shiftTab, (frame) => plain(frame).includes('Steps are only available from the API'));
    await press(app, KEYS.shiftTab, (frame) => plain(frame).includes('"object": "thread.run"'));
  });

  it('j scrolls a long pane and the position line follows', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
    const top = await showPane(app, 8, '"object": "thread.run"');
    const total = /lines 1-\d+ of (\d+)$/.exec(plainLines(top).at(-2) ?? '')![1];
    const bottom = await pressUntil(app, 'G', (frame) => new RegExp(`lines \\d+-${total} of ${total}$`).test(plainLines(frame).at(-2) ?? ''));
    expect(plainLines(bottom).at(-3)).toBe('}');
    await press(app, 'g', (frame) => /^▼ \d+ below {2}lines 1-\d+ of/.test(plainLines(frame).at(-2) ?? ''));
    await press(app, 'j', (frame) => (plainLines(frame).at(-2) ?? '').startsWith('▲ 1 above'));
    await press(app, ' ', (frame) => /^▲ 1[0-9] above/.test(plainLines(frame).at(-2) ?? ''));
    await press(app, 'k', (frame) => /^▲ 1[0-9] above/.test(plainLines(frame).at(-2) ?? ''));
  });
});

describe('a pinned clock', () => {
  it('the header names the instant the clock was pinned to; without a pin it says nothing', async () => {
    const pinned = plainLines(await waitForText(start({clockPinnedAt: FIXED_NOW_MS}), `${EXAMPLE_COUNT} runs`))[0]!;
    expect(pinned).toBe(`runlens examples  ${EXAMPLE_COUNT} runs  clock pinned to 2026-11-25 12:00 UTC`);
    instance?.unmount();
    const odd = plainLines(await waitForText(start({clockPinnedAt: FIXED_NOW_MS + 7_000}), `${EXAMPLE_COUNT} runs`))[0]!;
    expect(odd).toContain('clock pinned to 2026-11-25 12:00:07 UTC');
    instance?.unmount();
    expect(plain(await waitForText(start(), `${EXAMPLE_COUNT} runs`))).not.toContain('clock pinned');
  });
});

describe('help and warnings', () => {
  it('? lists every key binding from the key table and every pane', async () => {
    const app = startSized(120, 200);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = plain(await press(app, '?', (current) => plain(current).includes('Esc, ? or q leaves this help.')));
    for (const binding of KEY_BINDINGS) {
      expect(frame, binding.command).toContain(binding.label);
      expect(frame, binding.command).toContain(binding.description);
    }
    for (const pane of PANES) expect(frame).toContain(pane.title);
    await press(app, '?', (current) => plain(current).includes('STATUS'));
  });

  it('help scrolls on a small terminal, and q or Esc leaves it', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const help = await press(app, '?', (frame) => plain(frame).includes('Keys'));
    expect(plainLines(help).at(-2)).toMatch(/▼ \d+ below {2}lines 1-\d+ of \d+/);
    await pressUntil(app, 'G', (frame) => plain(frame).includes('Esc, ? or q leaves this help.'));
    await press(app, 'q', (frame) => plain(frame).includes('STATUS'));
    await press(app, '?', (frame) => plain(frame).includes('Keys'));
    await press(app, KEYS.escape, (frame) => plain(frame).includes('STATUS'));
  });

  it('help from a run goes back to the run', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
    await press(app, '?', (frame) => plain(frame).includes('Esc/← back') && plain(frame).includes('Keys'));
    await press(app, KEYS.escape, (frame) => plain(frame).includes('1 Overview'));
  });

  it('W lists the load warnings given', async () => {
    const warnings = [
      {location: 'examples/broken.json:3:14', message: "Expected ',' or '}' after property value"},
      {location: 'exports/runs.jsonl:7', message: 'an object of type \'thread.message\' is not a run; skipped'},
    ];
    const app = start({warnings});
    const list = await waitForText(app, `${EXAMPLE_COUNT} runs`);
    expect(plain(list)).toContain('⚠ 2 warnings (W)');
    const frame = plain(await press(app, 'W', (current) => plain(current).includes('2 warnings while loading')));
    expect(frame).toContain("examples/broken.json:3:14: Expected ',' or '}' after property value");
    expect(frame).toContain("exports/runs.jsonl:7: an object of type 'thread.message' is not a run; skipped");
    await press(app, KEYS.escape, (current) => plain(current).includes('STATUS'));
  });

  it('W again closes the warnings, back to the list or the run it was opened from, as i and t do', async () => {
    const app = start({warnings: [{location: 'examples/broken.json:3:14', message: 'Unexpected token'}]});
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, 'W', (current) => plain(current).includes('1 warning while loading'));
    await press(app, 'W', (current) => plain(current).includes('STATUS') && !plain(current).includes('while loading'));
    await press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
    await press(app, 'W', (current) => plain(current).includes('1 warning while loading'));
    await press(app, 'W', (current) => plain(current).includes('1 Overview') && !plain(current).includes('while loading'));
    await press(app, KEYS.escape, (frame) => plain(frame).includes('STATUS'));
    // Over the statistics, W shows the warnings instead; W again goes back to the list.
    await press(app, 'i', (current) => plain(current).includes('Runs by status'));
    await press(app, 'W', (current) => plain(current).includes('1 warning while loading'));
    await press(app, 'W', (current) => plain(current).includes('STATUS') && !plain(current).includes('while loading'));
  });

  it('W with nothing to report', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const frame = plain(await press(app, 'W', (current) => plain(current).includes('0 warnings while loading')));
    expect(frame).toContain('Everything loaded cleanly.');
  });
});

describe('copy with y', () => {
  it('flashes what was copied in the footer and sends OSC 52', async () => {
    const app = start();
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    const osc = `\u001b]52;c;${Buffer.from('run_TpMlggIvapmkiXatm85gyg0a').toString('base64')}\u0007`;
    app.stdin.write('y');
    await waitFor(() => app.frames.some((frame) => footerLine(frame).startsWith('Copied')) && app.frames.includes(osc));
    const flashed = app.frames.find((frame) => footerLine(frame).startsWith('Copied'))!;
    expect(footerLine(flashed)).toContain('run_TpMlggIvapmkiXatm85gyg0a');
    await press(app, 'j', (current) => positionOf(current) === `2/${EXAMPLE_COUNT}` && !footerLine(current).startsWith('Copied'));
  });
});
