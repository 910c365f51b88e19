/**
 * The tenth pane (the Conversation pane) is one entry in the pane registry: with a stand-in for that
 * entry, `0` opens it, Tab reaches it, its tab and the help name it, and `runlens show` prints it.
 */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it, vi} from 'vitest';
import type {PaneEntry} from '../../src/panes/registry.js';
import {KEYS, footerLine, press, useSizedApp, waitFor, waitForText, FIXED_NOW_SECONDS, openRunById} from './helpers.js';

vi.mock('../../src/panes/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/panes/registry.js')>();
  const tenth: PaneEntry = {
    id: 'conversation',
    title: 'Conversation',
    short: 'Conv',
    build: (run) => [{kind: 'lines', lines: [[{text: `the tenth pane of ${run.id}`}]]}],
    badge: () => '3',
    showsClock: false,
    copy: () => ({text: 'the conversation', label: 'the conversation'}),
  };
  return {...real, PANE_REGISTRY: [...real.PANE_REGISTRY.filter((pane) => pane.id !== 'conversation'), tenth]};
});

const {PANES} = await import('../../src/panes/paneIds.js');
const {runAsText} = await import('../../src/cli/printRun.js');

const RUN_ID = 'run_fbjG5CJOvUfeNO1F3Ehy9c7t';
const plain = (frame: string) => stripVTControlCharacters(frame);
const tui = useSizedApp();

describe('a tenth pane', () => {
  it('0 opens it, its tab names it with its badge, Tab from the ninth reaches it and wraps round; y copies what it says', async () => {
    expect(PANES).toHaveLength(10);
    const app = tui.start(200, 40);
    await openRunById(app, RUN_ID);

    let frame = plain(await press(app, '0', (current) => plain(current).includes(`the tenth pane of ${RUN_ID}`)));
    // The tenth tab shows no number (see paneTabs.ts); the help names its key.
    expect(frame).toContain('  Conversation (3)');
    app.stdin.write('y');
    const osc = `\u001b]52;c;${Buffer.from('the conversation').toString('base64')}\u0007`;
    await waitFor(() => app.frames.includes(osc) && app.frames.some((current) => footerLine(current).startsWith('Copied the conversation')));

    await press(app, '9', (current) => plain(current).includes('Steps are only available from the API'));
    await press(app, KEYS.tab, (current) => plain(current).includes(`the tenth pane of ${RUN_ID}`));
    frame = plain(await press(app, KEYS.tab, (current) => /^Run {11}run_fbjG/m.test(plain(current))));
    expect(frame).not.toContain('the tenth pane');
  });

  it('the help lists it under its number key', async () => {
    const app = tui.start(120, 200);
    await waitForText(app, 'STATUS');
    const help = plain(await press(app, '?', (current) => plain(current).includes('Panes')));
    expect(help).toMatch(/^ {2}9 {9}Steps$/m);
    expect(help).toMatch(/^ {2}0 {9}Conversation$/m);
  });

  it('runlens show prints it after the nine', () => {
    const run = tui.runs().find((candidate) => candidate.id === RUN_ID)!;
    const text = runAsText(run, {nowSeconds: FIXED_NOW_SECONDS, time: {utc: true}}, {width: 100, color: false});
    expect(text.indexOf('── Conversation ─')).toBeGreaterThan(text.indexOf('── Steps ─'));
    expect(text).toContain(`the tenth pane of ${RUN_ID}`);
  });
});
