/**
 * Untrusted text from a run (examples' run_RAD97k4iu8FzIHd7sqV5paIH carries ESC[2J, an OSC title,
 * BEL, U+202E and a C1 CSI in its instructions) must reach the terminal as visible text, never as
 * control characters. Chalk is held off here, so any ESC in a frame came from run data.
 */
import {stripVTControlCharacters} from 'node:util';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {normalizeRun} from '../../src/model/normalize.js';
import type {Run} from '../../src/model/run.js';
import {appElement, footerLine, KEYS, loadExamples, openRunById, press, RAW_CONTROL, renderSized, waitForText, useChalkLevel, type TestInstance} from './helpers.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';

const HOSTILE_ID = 'run_RAD97k4iu8FzIHd7sqV5paIH';
let runs: Run[];
let instance: TestInstance | undefined;
useChalkLevel(0);

beforeAll(async () => {
  runs = (await loadExamples()).runs;
});

afterEach(() => {
  instance?.unmount();
  instance = undefined;
});

function expectClean(frame: string, what: string): void {
  const match = RAW_CONTROL.exec(frame);
  if (match) {
    const at = match.index;
    throw new Error(`${what}: raw U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(frame.slice(Math.max(0, at - 30), at + 30))}`);
  }
}

const open = async (app: TestInstance, id: string): Promise<void> => void (await openRunById(app, id));

describe('hostile text in the TUI', () => {
  it('the example run: no raw control character in any text pane, escapes shown as text', async () => {
    const app = (instance = renderSized(appElement(runs), {columns: 100, rows: 400}));
    expectClean(await waitForText(app, `${EXAMPLE_COUNT} runs`), 'list');
    await open(app, HOSTILE_ID);
    const panes: Array<[string, string]> = [
      ['1', 'Settings'],
      ['2', 'No action required.'],
      ['5', 'No error.'],
      ['6', 'characters'],
      ['8', '"object": "thread.run"'],
    ];
    const frames: Record<string, string> = {};
    for (const [key, text] of panes) {
      frames[key] = await press(app, key, (frame) => frame.includes(text));
      expectClean(frames[key]!, `pane ${key}`);
    }
    const instructions = frames['6']!;
    expect(instructions).toContain('- Display name: "Mara\\x1b[2J\\x1b]0;pwned\\x07 Quint"');
    expect(instructions).toContain('- Last attachment: "invoice_\\u202efdp.exe"');
    expect(instructions).toContain('\\x1b[31mURGENT\\x1b[0m');
    expect(instructions).toContain('\\x9b6n');
    // In the Raw JSON pane the same text is a JSON string: ESC as \u001b, U+202E made visible.
    expect(frames['8']).toContain('\\u001b[2J');
    expect(frames['8']).toContain('\\u202e');
  });

  it('a run with escapes in its id, model, status, thread, error and metadata', async () => {
    const evil = '\u001b]52;c;aGk=\u0007\u009b2J\u202eX';
    const hostile = normalizeRun(
      {
        id: `run_evil${evil}`,
        object: 'thread.run',
        status: `failed`,
        model: `gpt${evil}`,
        thread_id: `thread_${evil}`,
        assistant_id: `asst_${evil}`,
        created_at: 1_795_600_000,
        started_at: 1_795_600_001,
        failed_at: 1_795_600_002,
        last_error: {code: `code${evil}`, message: `line one\n${evil}`},
        instructions: `hello${evil}\nworld`,
        metadata: {[`key${evil}`]: `value${evil}`},
        [`extra${evil}`]: evil,
      },
      {file: `evil${evil}.json`},
    );
    const app = (instance = renderSized(appElement([hostile, ...runs], {sources: [`examples${evil}`]}), {columns: 120, rows: 200}));
    expectClean(await waitForText(app, `${EXAMPLE_COUNT + 1} runs`), 'list');
    await open(app, 'run_evil');
    for (const [key, text] of [
      ['1', 'Settings'],
      ['5', 'code'],
      ['6', 'characters'],
      ['8', '"object": "thread.run"'],
    ] as const) {
      expectClean(await press(app, key, (frame) => frame.includes(text)), `pane ${key}`);
    }
    const overview = await press(app, '1', (frame) => frame.includes('Settings'));
    expect(overview).toContain('run_evil\\x1b]52;c;aGk=\\x07\\x9b2J\\u202eX');
    expect(overview).toContain('extra\\x1b]52');
  });

  it('control characters typed or pasted into the search prompt stay visible text', async () => {
    const app = (instance = renderSized(appElement(runs), {columns: 120, rows: 40}));
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
    app.stdin.write('x\u009b2J\u202ey');
    const frame = await waitForText(app, `0 of ${EXAMPLE_COUNT} runs`);
    expectClean(frame, 'search');
    expect(footerLine(frame)).toContain('/x\\x9b2J\\u202ey');
    expect(frame).toContain('search: x\\x9b2J\\u202ey');
  });
});
