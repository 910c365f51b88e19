/**
 * End to end: Responses API objects in the built CLI in a real terminal (tmux): the example
 * responses beside the example runs, a waiting one found by search and opened on its output items.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, rows, toPane, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

const WAITING = 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8'; // continues resp_6920a1b2…, waits on refund and lookup_order

describe('responses', () => {
  it('a waiting response shows beside the runs as requires_action in the KIND column; 9 shows its output items', async (context) => {
    const session = await sessions.runlens(context, ['examples', 'examples-responses']);
    await session.waitForReady('1/50');
    await session.sendKeys('/');
    await session.waitFor('Enter keeps the filter');
    await session.type(WAITING);
    await session.waitFor('1 of 50 runs');
    await session.sendKeys('Enter');
    await session.waitForAbsent('Enter keeps the filter');
    const list = await session.waitFor(/KIND/);
    expect(rows(list).some((line) => /! requires_action\s+response\s+resp_6920a1f0/.test(line))).toBe(true);
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    const steps = await toPane(session, '9', 9);
    expect(steps).toContain('4 output items, in order');
    expect(steps).toMatch(/3\. function_call\s+refund\s+call_Rf7nB2\s+waits for its output/);
  });
});
