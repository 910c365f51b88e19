/**
 * The TUI over runs and messages kept small (model/detachedRun.ts), as runTui loads a file: the
 * open run's panes, `y` on Raw JSON and the Conversation pane show the bodies read back from the
 * file; a run whose line changed under the session still opens with its light fields and says why.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {isDetached} from '../../src/model/detachedRun.js';
import {wholeRun} from '../../src/sources/itemBodies.js';
import {loadRunsFromSources, type LoadedRuns} from '../../src/sources/loadSources.js';
import {appElement, footerLine, KEYS, press, pressUntil, renderSized, waitFor, waitForText, type TestInstance} from './helpers.js';

const RUN_ID = 'run_detachedTui0001';
const INSTRUCTIONS = 'Answer about the weather in Oslo, naïve 日本.';

function files(): {file: string} {
  const folder = mkdtempSync(path.join(tmpdir(), 'runlens-detached-tui-'));
  const file = path.join(folder, 'thread.jsonl');
  const run = {
    object: 'thread.run', id: RUN_ID, status: 'completed', thread_id: 'thread_detachedTui01', model: 'gpt-4o', created_at: 1_764_000_000,
    completed_at: 1_764_000_030, instructions: INSTRUCTIONS, metadata: {team: 'weather'},
    tools: [{type: 'function', function: {name: 'get_weather', parameters: {type: 'object', properties: {city: {type: 'string'}}}}}],
  };
  const message = (id: string, role: string, text: string, createdAt: number, runId: string | null) => ({
    id, object: 'thread.message', thread_id: 'thread_detachedTui01', run_id: runId, role, created_at: createdAt, status: 'completed',
    content: [{type: 'text', text: {value: text, annotations: []}}], attachments: [], metadata: {},
  });
  const lines = [run, message('msg_detachedAsk0001', 'user', 'Will it rain in Oslo?', 1_763_999_990, null), message('msg_detachedSay0001', 'assistant', 'Light rain after noon.', 1_764_000_020, RUN_ID)];
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return {file};
}

let instance: TestInstance | undefined;
afterEach(() => {
  instance?.unmount();
  instance = undefined;
});

const plain = (frame: string) => stripVTControlCharacters(frame);

async function openOnly(loaded: LoadedRuns): Promise<TestInstance> {
  const {runs, warnings: _warnings, sources: _sources, files: _files, ...items} = loaded;
  // Bodies are read back as runTui reads them: through the reader it gives the app.
  instance = renderSized(appElement(runs, {items, readBody: wholeRun}), {columns: 110, rows: 40});
  await waitForText(instance, '1 run');
  await pressUntil(instance, KEYS.enter, (frame) => plain(frame).includes('Overview'));
  return instance;
}

describe('the TUI over a file kept small', () => {
  it('shows the open run and its thread from the bodies read back, and y copies the Raw JSON as read', async () => {
    const {file} = files();
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    expect(isDetached(loaded.runs[0]!)).toBe(true);
    expect(loaded.messages!.every(isDetached)).toBe(true);
    const app = await openOnly(loaded);
    expect(plain(await press(app, '6', (frame) => plain(frame).includes('characters')))).toContain(INSTRUCTIONS);
    expect(plain(await press(app, '3', (frame) => plain(frame).includes('get_weather')))).toContain('city');
    await press(app, '8', (frame) => plain(frame).includes('"instructions"'));
    app.stdin.write('y');
    await waitFor(() => app.frames.some((frame) => footerLine(frame).startsWith('Copied')));
    const copied = app.frames.join('').match(/\u001b\]52;c;([A-Za-z0-9+/=]+)\u0007/);
    expect(JSON.parse(Buffer.from(copied![1]!, 'base64').toString('utf8'))).toMatchObject({id: RUN_ID, instructions: INSTRUCTIONS, metadata: {team: 'weather'}});
    const story = plain(await press(app, '0', (frame) => plain(frame).includes('Light rain after noon.')));
    expect(story).toContain('Will it rain in Oslo?');
  });

  it('opens a run whose file changed since the load with what the list knew, and Raw JSON names the file', async () => {
    const {file} = files();
    const loaded = await loadRunsFromSources([file], {detachRuns: true});
    writeFileSync(file, '\n');
    const app = await openOnly(loaded);
    expect(plain(app.lastFrame() ?? '')).toContain('gpt-4o');
    const raw = plain(await press(app, '8', (frame) => plain(frame).includes('changed since')));
    expect(raw.replace(/\s+/g, '')).toContain(`${file}changedsincethisrunwasloadedfromit;reload(w)toreaditagain`.replace(/\s+/g, ''));
  });
});
