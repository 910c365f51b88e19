/**
 * `runlens thread THREAD_ID`: a thread's runs and messages in order, as text (the story the
 * thread view shows), or `--json` as read: `{"thread_id", "runs", "messages", "steps"}`.
 */
import {safeJson} from '../format/sanitize.js';
import {itemsOfRun, itemsOfThread, joinItems, type SideItemsView} from '../model/itemKinds.js';
import type {Run} from '../model/run.js';
import {lineToText} from '../panes/ansi.js';
import {buildThreadConversation} from '../panes/conversation.js';
import type {MessagesView, PaneContext} from '../panes/paneContext.js';
import {wrapLines} from '../panes/wrap.js';
import {threadMessagesView} from '../store/messageLoader.js';
import {stepsViewOf} from '../store/stepLoader.js';

/** What the thread's story is built from: the runs and side items as loaded, and its messages when an API read them. */
export interface ThreadInput {
  threadId: string;
  runs: readonly Run[];
  items: SideItemsView;
  /** The messages read from the API, when the files had none. */
  fromApi?: MessagesView;
}

/** The runs of the thread, oldest first. */
function runsOf(input: ThreadInput): Run[] {
  return input.runs.filter((run) => run.threadId === input.threadId).sort((a, b) => (a.createdAt ?? Number.POSITIVE_INFINITY) - (b.createdAt ?? Number.POSITIVE_INFINITY));
}

/** Whether anything of the thread was loaded: a run or a message. */
export function threadFound(input: ThreadInput): boolean {
  return runsOf(input).length > 0 || itemsOfThread(joinItems(input.items), 'messages', input.threadId).length > 0 || (input.fromApi?.state === 'loaded' && input.fromApi.messages.length > 0);
}

/** The thread as text, lines wrapped at `width`. */
export function threadAsText(input: ThreadInput, context: PaneContext, options: {width: number; color: boolean}): string {
  const joined = joinItems(input.items);
  const width = Math.max(40, options.width);
  const content = buildThreadConversation(
    {threadId: input.threadId, runs: runsOf(input), messages: threadMessagesView(input.threadId, joined, input.fromApi), stepsOf: (run) => stepsViewOf(run, joined)},
    {...context, width},
  );
  const out: string[] = [];
  for (const block of content) if (block.kind === 'lines') for (const line of wrapLines(block.lines, width)) out.push(lineToText(line, options.color).trimEnd());
  return `${out.join('\n')}\n`;
}

/** The thread as read: its runs, messages and steps (the runs' and the thread's), each the object as read, in order. */
export function threadAsJson(input: ThreadInput): string {
  const joined = joinItems(input.items);
  const runs = runsOf(input);
  const view = threadMessagesView(input.threadId, joined, input.fromApi);
  const messages = view.state === 'loaded' ? view.messages : [];
  const steps = new Map<string, unknown>();
  for (const run of runs) for (const step of itemsOfRun(joined, 'steps', run.id)) steps.set(step.id, step.raw);
  for (const step of itemsOfThread(joined, 'steps', input.threadId)) if (!steps.has(step.id)) steps.set(step.id, step.raw);
  return `${safeJson({thread_id: input.threadId, runs: runs.map((run) => run.raw), messages: messages.map((message) => message.raw), steps: [...steps.values()]}, 2)}\n`;
}
