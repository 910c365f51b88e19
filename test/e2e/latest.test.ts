/**
 * End to end: the TUI shows each run in its latest state, whatever order its copies are read in
 * (a poll log still being written is in streaming.test.ts).
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, rows, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

/** The status word of a run's list row. */
function statusOf(screen: string, id: string): string | undefined {
  return rows(screen).find((row) => row.includes(id))?.match(/^\S+ (\S+)/)?.[1];
}

describe('the latest state of a run in the TUI', () => {
  it('a folder of snapshots: each run as its latest snapshot has it, though the older file is read last', async (context) => {
    const session = await sessions.runlens(context, ['test/fixtures/latest/snapshots']);
    const screen = await session.waitForReady('1/5');
    expect(statusOf(screen, 'run_SnapA1queued00000000001')).toBe('completed');
    expect(statusOf(screen, 'run_SnapB2waiting000000002')).toBe('completed');
    expect(statusOf(screen, 'run_SnapC3running000000003')).toBe('in_progress');
    expect(statusOf(screen, 'run_SnapE5queued00000000005')).toBe('requires_action');
    // Earlier states are not bad input: no warning.
    expect(screen).not.toMatch(/\d+ warnings? \(W\)/);
    await session.sendKeys('q');
    await session.waitFor('EXIT=0');
  });
});
