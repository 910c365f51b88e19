/**
 * End to end: a file still being written (a named pipe) shows its runs as they arrive, with the
 * progress in the header, and q while it loads quits cleanly.
 */
import {execFileSync} from 'node:child_process';
import {open, type FileHandle} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, listPosition, MARKER, PINNED_NOW, rows, tempFolder, useSessions} from './tmux.js';

const sessions = useSessions();

beforeAll(ensureBuilt, 120_000);

const runLine = (index: number) =>
  `${JSON.stringify({object: 'thread.run', id: `run_stream${String(index).padStart(4, '0')}`, status: 'completed', created_at: 1_764_000_000 + index, thread_id: 'thread_s', model: 'gpt-4o'})}\n`;

describe('a file that is still being written', () => {
  let writer: FileHandle | null = null;
  const folders: Array<() => void> = [];
  afterEach(async () => {
    await writer?.close().catch(() => {});
    writer = null;
    for (const cleanup of folders.splice(0)) cleanup();
  });

  /** A named pipe `live.jsonl` and runlens reading it; the pipe's writer opens once runlens does. */
  async function startOnPipe(context: Parameters<typeof sessions.runlens>[0]) {
    const folder = tempFolder({});
    folders.push(folder.cleanup);
    const pipe = join(folder.path, 'live.jsonl');
    execFileSync('mkfifo', [pipe]);
    const session = await sessions.runlens(context, [pipe]);
    writer = await open(pipe, 'w');
    return session;
  }

  it('shows runs as they arrive with "loading" in the header, newest on top, and the full count once the file ends', async (context) => {
    const session = await startOnPipe(context);
    await writer!.write(runLine(1) + runLine(2) + runLine(3));
    let screen = await session.waitForReady((text) => listPosition(text)?.total === 3, {description: 'three runs listed'});
    expect(rows(screen)[0]).toMatch(/live\.jsonl\s+3 runs\s+loading \d+ KB/);
    await writer!.write(runLine(4) + runLine(5));
    screen = await session.waitFor((text) => listPosition(text)?.total === 5, {description: 'five runs listed'});
    // Untouched, the cursor stays on the top row: the newest run.
    expect(listPosition(screen)).toEqual({index: 1, total: 5});
    await writer!.close();
    writer = null;
    screen = await session.waitFor((text) => !text.includes('loading'), {description: 'the load to end'});
    expect(rows(screen)[0]).toMatch(/live\.jsonl\s+5 runs\s*$/);
    expect(screen.indexOf('run_stream0005')).toBeLessThan(screen.indexOf('run_stream0001'));
    await session.sendKeys('q');
    await session.waitFor('EXIT=0');
  });

  it('q while the file is still loading quits at once and leaves the screen as it was', async (context) => {
    const session = await startOnPipe(context);
    await writer!.write(runLine(1));
    await session.waitForReady((text) => listPosition(text)?.total === 1 && text.includes('loading'), {description: 'one run, still loading'});
    await session.sendKeys('q');
    const screen = await session.waitFor('EXIT=');
    expect(rows(screen).filter(Boolean)).toEqual([MARKER, 'EXIT=0']);
  });

  it('a later copy of a run replaces its row while the load goes on; an older one arriving late changes nothing', async (context) => {
    const session = await startOnPipe(context);
    const copy = (status: string, times: Record<string, number>) =>
      `${JSON.stringify({id: 'run_poll0001', object: 'thread.run', status, created_at: 1_764_000_000, thread_id: 'thread_p', model: 'gpt-4o', ...times})}\n`;
    const statusOf = (screen: string) => rows(screen).find((row) => row.includes('run_poll0001'))?.match(/^\S+ (\S+)/)?.[1];
    await writer!.write(copy('in_progress', {started_at: 1_764_000_005}));
    await session.waitForReady((text) => statusOf(text) === 'in_progress', {description: 'the run, in progress'});
    await writer!.write(copy('queued', {}) + copy('completed', {started_at: 1_764_000_005, completed_at: 1_764_000_050}));
    let screen = await session.waitFor((text) => statusOf(text) === 'completed', {description: 'the run, completed'});
    // Still one run, and still loading: the row changed in place.
    expect(screen).toContain('loading');
    expect(listPosition(screen)).toEqual({index: 1, total: 1});
    await writer!.close();
    writer = null;
    screen = await session.waitFor((text) => !text.includes('loading'), {description: 'the load to end'});
    expect(statusOf(screen)).toBe('completed');
    await session.sendKeys('q');
    await session.waitFor('EXIT=0');
  });

  it('the header counts the runs waiting for tool outputs as pieces arrive, and a waiting run finished by a later copy leaves the count', async (context) => {
    const session = await startOnPipe(context);
    const now = Math.floor(Date.parse(PINNED_NOW) / 1000);
    const call = {id: 'call_w1', type: 'function', function: {name: 'lookup_order', arguments: '{"order":1}'}};
    const run = (id: string, status: string, expiresIn: number) =>
      `${JSON.stringify({id, object: 'thread.run', status, created_at: now - 300, started_at: now - 298, expires_at: now + expiresIn, thread_id: `thread_${id}`, model: 'gpt-4o', required_action: status === 'requires_action' ? {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [call]}} : null})}\n`;
    const header = (screen: string) => rows(screen).slice(0, 3).join(' ');
    await writer!.write(run('run_wait0001', 'requires_action', 150) + run('run_wait0002', 'requires_action', 3000) + run('run_done0003', 'completed', 0));
    let screen = await session.waitForReady((text) => header(text).includes('2 waiting for tool outputs'), {description: 'two runs waiting'});
    expect(header(screen)).toContain('1 expires in 2m');
    await writer!.write(run('run_wait0004', 'requires_action', 270));
    screen = await session.waitFor((text) => header(text).includes('3 waiting for tool outputs'), {description: 'three runs waiting'});
    expect(header(screen)).toContain('2 expire soon, next in 2m');
    // The first run's later copy, completed: it no longer waits, nor expires soon.
    await writer!.write(run('run_wait0001', 'completed', 150));
    screen = await session.waitFor((text) => header(text).includes('2 waiting for tool outputs'), {description: 'two runs waiting again'});
    expect(header(screen)).toContain('1 expires in 4m');
    await writer!.close();
    writer = null;
    screen = await session.waitFor((text) => !text.includes('loading'), {description: 'the load to end'});
    expect(header(screen)).toContain('2 waiting for tool outputs');
    expect(listPosition(screen)?.total).toBe(4);
    await session.sendKeys('q');
    await session.waitFor('EXIT=0');
  });
});
