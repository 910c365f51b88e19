/**
 * `x` in the TUI: the app calls the report writer runlens gives it (src/cli writes the file) with
 * the run and the file name, and says where it wrote or why it could not; without one, it says so.
 */
import {describe, expect, it} from 'vitest';
import type {Run} from '../../src/model/run.js';
import {REPORTS_NEED_A_WRITER} from '../../components/App.js';
import {footerLine, press, useSizedApp, waitForText} from './helpers.js';

const tui = useSizedApp();
const FIRST = 'run_TpMlggIvapmkiXatm85gyg0a';

describe('x writes the report through the handler', () => {
  it('calls it with the run under the cursor and its file, and says where it was written', async () => {
    const calls: Array<[string, string]> = [];
    const writeReport = (run: Run, file: string) => {
      calls.push([run.id, file]);
      return Promise.resolve(`/reports/${file}`);
    };
    const app = tui.start(120, 30, {writeReport});
    await waitForText(app, FIRST.slice(0, 12));
    const frame = await press(app, 'x', (current) => footerLine(current).startsWith('Wrote'));
    expect(calls).toEqual([[FIRST, `runlens-${FIRST}.md`]]);
    expect(footerLine(frame)).toBe(`Wrote the report of ${FIRST} to /reports/runlens-${FIRST}.md`);
  });

  it('a write that fails says why in the footer', async () => {
    const app = tui.start(120, 30, {writeReport: () => Promise.reject(new Error('EACCES: permission denied, open …\nmore'))});
    await waitForText(app, FIRST.slice(0, 12));
    const frame = await press(app, 'x', (current) => footerLine(current).startsWith('Could not write'));
    expect(footerLine(frame)).toBe(`Could not write runlens-${FIRST}.md: EACCES: permission denied, open …`);
  });

  it('an app given no writer says so', async () => {
    const app = tui.start(120, 30);
    await waitForText(app, FIRST.slice(0, 12));
    const frame = await press(app, 'x', (current) => footerLine(current).startsWith('Reports'));
    expect(footerLine(frame)).toBe(REPORTS_NEED_A_WRITER);
  });
});
