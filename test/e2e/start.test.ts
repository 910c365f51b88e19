/**
 * End to end: `npm start` opens the examples as the README shows them, whatever today's date: its
 * command pins the clock to the examples' own time (and the header says so), and the clock runs on
 * from there, so countdowns tick.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, REPO_ROOT, rows, runlensCommand, useSessions} from './tmux.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

/** The runlens part of package.json's `start` script (after `node build.mjs &&`), as arguments. */
function startArgs(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {scripts: Record<string, string>};
  const last = manifest.scripts['start']!.split('&&').at(-1)!.trim().split(/\s+/);
  expect(last.slice(0, 2)).toEqual(['node', 'dist/runlens.js']);
  return last.slice(2);
}

/** The README's captures of the screen (the list, then a run's Required action pane), line by line. */
function readmeCaptures(): string[][] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```\n(runlens examples[\s\S]*?)\n```/g)].map((match) => match[1]!.split('\n'));
  expect(blocks, 'two captures of the screen in README.md').toHaveLength(2);
  return blocks;
}

/** The screen's rows without the spare blank row under the footer (a frame as tall as the screen flickers). */
function screenRows(screen: string): string[] {
  const lines = rows(screen);
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Seconds in countdowns (`next in 44s`, `expires in 44s`) move while the screen is read. */
const withoutSeconds = (line: string) => line.replace(/\b\d+s\b/g, 'Ns');

describe('npm start', () => {
  it('shows the examples as the README does, the pinned clock named in the header and ticking', async (context) => {
    // As on any day: no RUNLENS_NOW from the test harness, the real clock underneath.
    const session = await sessions.start(context, `${runlensCommand(...startArgs())}; exec sleep 86400`, {width: 100, height: 24, env: {RUNLENS_NOW: ''}});
    const header = `runlens examples  ${EXAMPLE_COUNT} runs  clock pinned to 2026-11-25 12:00 UTC`;
    // Loaded: the list is drawn and the header's load progress has gone (on a busy machine it can outlast the first rows).
    const screen = await session.waitForReady((text) => text.includes(`1/${EXAMPLE_COUNT}`) && rows(text)[0] === header, {description: 'the examples loaded'});
    const lines = screenRows(screen);
    expect(lines[0]).toBe(header);
    expect(screen).not.toMatch(/expired 7d ago|stalled/);
    const [list, action] = readmeCaptures();
    expect(lines.map(withoutSeconds)).toEqual(list!.map(withoutSeconds));

    // The clock runs on from the pinned instant: the next expiry counts down.
    const next = (text: string) => Number(/next in (\d+)s/.exec(text)?.[1]);
    const first = next(screen);
    expect(first).toBeGreaterThan(30);
    const later = await session.waitFor((text) => next(text) < first, {description: `the countdown to pass ${first}s`});
    expect(next(later)).toBeLessThan(first);

    // The second run's Required action pane, as the README shows it (`j`, `⏎`, `2`).
    await session.sendKeys('j');
    await session.waitFor(`2/${EXAMPLE_COUNT}`);
    await session.sendKeys('Enter');
    await session.waitFor('1 Overview');
    await session.sendKeys('2');
    const pane = await session.waitFor('submit_tool_outputs');
    expect(screenRows(pane).map(withoutSeconds)).toEqual(action!.map(withoutSeconds));
  });
});
