/**
 * End to end: in a real terminal (tmux), the built CLI marks a run with `m` and compares it with
 * another with `=`: the examples' pair side by side, Esc back to the list, q quits cleanly.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, narrowTo, rows, useSessions} from './tmux.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

const A = 'run_RAD97k4iu8FzIHd7sqV5paIH'; // completed
const B = 'run_NJurMaysqo1GEvrPbHZ8WbVL'; // the next turn, incomplete at its completion limit

describe('compare', () => {
  it('m marks a run, = on another shows the two side by side, Esc goes back, q quits', async (context) => {
    const session = await sessions.runlens(context, ['examples'], {width: 120, height: 40});
    await session.waitForReady(`1/${EXAMPLE_COUNT}`);
    await narrowTo(session, A, EXAMPLE_COUNT);
    await session.sendKeys('m');
    let screen = await session.waitFor(`Marked ${A}`);
    expect(screen).toMatch(new RegExp(`^◆ ✓ completed\\s+run\\s+${A}`, 'm'));
    await session.sendKeys('c');
    await session.waitFor(`${EXAMPLE_COUNT} runs`);
    await narrowTo(session, B, EXAMPLE_COUNT);
    await session.sendKeys('=');
    screen = await session.waitFor('The runs differ.');
    expect(screen).toContain(`A ${A}   B ${B}`);
    expect(rows(screen)).toContainEqual(expect.stringMatching(/^ {2}max_completion_tokens +— +300$/));
    expect(rows(screen)).toContainEqual(expect.stringMatching(/^ {2}status +completed +incomplete$/));
    await session.sendKeys('Escape');
    screen = await session.waitForAbsent('The runs differ.');
    expect(screen).toMatch(new RegExp(`^ {2}◐ incomplete\\s+run\\s+${B}`, 'm'));
    await session.sendKeys('q');
    await session.waitFor('EXIT=0');
  });
});
