/**
 * End to end: Responses API objects in the built CLI in a real terminal (tmux): the example
 * responses among the example runs (npm start), a waiting one found by search and opened on its output items.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {EXAMPLE_COUNT} from '../helpers/examples.js';
import {ensureBuilt, searchAndOpen, toPane, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

const WAITING = 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8'; // continues resp_6920a1b2…, waits on refund and lookup_order

describe('responses', () => {
  it('a waiting example response opens beside the example runs as requires_action; 9 shows its output items', async (context) => {
    const session = await searchAndOpen(await sessions.runlens(context, ['examples']), WAITING, EXAMPLE_COUNT);
    const overview = await session.screen();
    expect(overview).toMatch(/^! requires_action\s+resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8/m);
    expect(overview).toMatch(/^Kind\s+response \(Responses API\)/m);
    const steps = await toPane(session, '9', 9);
    expect(steps).toContain('4 output items, in order');
    expect(steps).toMatch(/3\. function_call\s+refund\s+call_Rf7nB2\s+waits for its output/);
  });
});
