/**
 * Messages kept small like runs (model/detachedRun.ts): the TUI's load holds their ids, role,
 * times and status and where each is in its file; the Conversation pane, `show` and `thread` read
 * their bodies back, and a file changed since says which file and line, the rest still shown.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {NO_MODEL_MAP, runCost} from '../src/model/cost.js';
import {isDetached} from '../src/model/detachedRun.js';
import {joinItems} from '../src/model/itemKinds.js';
import type {Run} from '../src/model/run.js';
import {buildPane} from '../src/panes/paneIds.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import {wholeRun} from '../src/sources/itemBodies.js';
import {loadRunsFromSources, type LoadedRuns} from '../src/sources/loadSources.js';
import {messagesViewOf} from '../src/store/messageLoader.js';
import {stepsViewOf} from '../src/store/stepLoader.js';

const STORY = fileURLToPath(new URL('./fixtures/story', import.meta.url));
const RUN_ID = 'run_storyRounds01';

function storyCopy(): string {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), 'runlens-detached-messages-')), 'story');
  cpSync(STORY, folder, {recursive: true});
  return folder;
}

/** The Conversation pane of the run as the TUI builds it: messages and steps from what was loaded. */
function conversation(loaded: LoadedRuns, runId = RUN_ID): string[] {
  const joined = joinItems(loaded);
  const run = loaded.runs.find((candidate) => candidate.id === runId)!;
  const context: PaneContext = {width: 100, nowSeconds: 1_796_301_000, time: {utc: true}, messages: messagesViewOf(run, joined), steps: stepsViewOf(run, joined)};
  return buildPane('conversation', wholeRun(run), context).flatMap((block) =>
    block.kind === 'lines' ? block.lines.map((line) => line.map((segment) => segment.text).join('')) : block.rows.map((row) => Object.values(row).join(' ')),
  );
}

describe('messages kept small', () => {
  it('holds no message body after the TUI load, and the Conversation pane tells the same story as a whole load', async () => {
    const folder = storyCopy();
    const detached = await loadRunsFromSources([folder], {detachRuns: true});
    const whole = await loadRunsFromSources([folder]);
    expect(detached.messages!.length).toBe(whole.messages!.length);
    expect(detached.messages!.every((message) => isDetached(message) && message.content.length === 0 && Object.keys(message.raw).length === 0)).toBe(true);
    // What the list and the join need stays: ids, run and thread, role, time, status.
    expect(detached.messages!.map(({id, runId, threadId, role, createdAt, status}) => ({id, runId, threadId, role, createdAt, status}))).toEqual(
      whole.messages!.map(({id, runId, threadId, role, createdAt, status}) => ({id, runId, threadId, role, createdAt, status})),
    );
    expect(whole.messages!.some(isDetached)).toBe(false);
    const told = conversation(detached);
    expect(told).toEqual(conversation(whole));
    expect(told.join('\n')).toContain('Order A7 was lost, so I refunded 40 EUR');
  });

  it('reads back the messages of an array file too, item by item', async () => {
    const folder = storyCopy();
    const lines = readFileSync(path.join(folder, 'messages.jsonl'), 'utf8').trim().split('\n');
    rmSync(path.join(folder, 'messages.jsonl'));
    writeFileSync(path.join(folder, 'messages.json'), `{"object": "list", "data": [\n${lines.join(',\n')}\n], "has_more": false}\n`);
    const detached = await loadRunsFromSources([folder], {detachRuns: true});
    expect(detached.messages!.length).toBe(lines.length);
    expect(detached.messages!.every(isDetached)).toBe(true);
    expect(conversation(detached)).toEqual(conversation(await loadRunsFromSources([folder])));
  });

  it('names the file and line of a message whose file changed since the load, and still shows its role and the rest', async () => {
    const folder = storyCopy();
    const file = path.join(folder, 'messages.jsonl');
    const detached = await loadRunsFromSources([folder], {detachRuns: true});
    const before = conversation(detached);
    // The third line (msg_storyAnswer1, the run's answer) is overwritten by other text of the same length.
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = 'x'.repeat(Buffer.byteLength(lines[2]!));
    writeFileSync(file, lines.join('\n'));
    const after = conversation(detached);
    expect(before.join('\n')).toContain('Order A7 was lost');
    expect(after.join('\n')).not.toContain('Order A7 was lost');
    expect(after.some((line) => line.includes(`${file}:3: message msg_storyAnswer1: the file changed since this message was loaded from it; reload (w) to read it again`))).toBe(true);
    // The answer's place in the story stays (its role and id); the steps read as before.
    expect(after.some((line) => /assistant .* msg_storyAnswer1/.test(line))).toBe(true);
    expect(after.join('\n')).toContain('refund-policy.pdf');
  });
});

describe('a run kept small', () => {
  it('is priced in the list without its body: the same estimate as the whole run, the file gone', async () => {
    const folder = storyCopy();
    const detached = await loadRunsFromSources([folder], {detachRuns: true});
    const whole = await loadRunsFromSources([folder]);
    const small = detached.runs.filter((run: Run) => isDetached(run));
    expect(small.length).toBeGreaterThan(0);
    rmSync(folder, {recursive: true});
    for (const run of small) expect(runCost(run, NO_MODEL_MAP)).toEqual(runCost(whole.runs.find((candidate) => candidate.id === run.id)!, NO_MODEL_MAP));
  });
});
