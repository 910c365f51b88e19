/**
 * End to end: the built CLI's terminal UI on Python printouts of runs (test/fixtures/python/,
 * printed by pydantic): they list as the JSON they were printed from, and a broken line is a
 * warning that W shows with its line and column.
 */
import {execFile} from 'node:child_process';
import {beforeAll, describe, expect, it} from 'vitest';
import {CLI, ensureBuilt, PINNED_NOW, REPO_ROOT, rows, runIds, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

/** `runlens list` of the same sources, piped: the ids in the order the TUI sorts them (created, newest first). */
function listedIds(source: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [CLI, 'list', '--sort', 'created', source], {cwd: REPO_ROOT, env: {...process.env, RUNLENS_NOW: PINNED_NOW}}, (error, stdout) =>
      error ? reject(error) : resolve(stdout.split('\n').filter(Boolean).map((line) => line.split('\t')[0]!)),
    ),
  );
}

describe.concurrent('Python printouts in the terminal UI', () => {
  it('print(runs) lists the six waiting runs, as the JSON they were printed from', async (context) => {
    const session = await sessions.runlens(context, ['test/fixtures/python/print-runs.txt']);
    const screen = await session.waitForReady((text) => text.includes('1/6') && !text.includes('loading'));
    const header = rows(screen).find((row) => row.startsWith('runlens '));
    expect(header).toMatch(/^runlens \S+print-runs\.txt\s+6 runs$/);
    expect(screen).toMatch(/⚑ 6 waiting for tool outputs/);
    expect(runIds(screen)).toEqual(await listedIds('examples/stuck/requires-action.json'));
  });

  it('a log with one print cut short: the other runs, and W names the line and column', async (context) => {
    const session = await sessions.runlens(context, ['test/fixtures/python/log.txt']);
    const screen = await session.waitForReady((text) => text.includes('1/4') && text.includes('warning (W)'));
    expect(screen).toMatch(/^runlens \S+\s+4 runs\s+⚠ 1 warning \(W\)/m);
    expect(runIds(screen)).toEqual(await listedIds('test/fixtures/python/log.txt'));

    await session.sendKeys('W');
    const warnings = await session.waitFor('1 warning while loading');
    // The line wraps at the width of the terminal.
    expect(warnings.replace(/\s+/g, ' ')).toContain('log.txt:3:224: Python printout breaks here: a string begun here is not closed on its line; this value is skipped');
  });
});
