/**
 * The messages of a thread for the Conversation pane and the thread view: those loaded with the
 * runs (files, transcripts) when there are any, else what a loader read from the API.
 */
import {itemsOfRun, itemsOfThread, type JoinedItems} from '../model/itemKinds.js';
import type {Run} from '../model/run.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import type {MessagesView} from '../panes/paneContext.js';

const FILE_VIEWS = new WeakMap<readonly ThreadMessage[], MessagesView>();

/** Why a thread has no messages to show. */
export const MESSAGES_NOT_LOADED = 'save them beside the runs (GET /threads/{id}/messages), or open the thread from the API';

/**
 * The messages of `threadId` loaded with the runs, as a view (one object per list, so panes are
 * not rebuilt while it stays the same); `fromLoader` when none were (an API thread).
 */
export function threadMessagesView(threadId: string, joined: JoinedItems, fromLoader?: MessagesView): MessagesView {
  const messages = itemsOfThread(joined, 'messages', threadId);
  if (messages.length === 0) return fromLoader ?? {state: 'unavailable', threadId, reason: MESSAGES_NOT_LOADED};
  let view = FILE_VIEWS.get(messages);
  if (!view) FILE_VIEWS.set(messages, (view = {state: 'loaded', threadId, messages, warnings: []}));
  return view;
}

/** The messages the Conversation pane of `run` shows: its thread's (a run without a thread: its own). */
export function messagesViewOf(run: Run, joined: JoinedItems, fromLoader?: MessagesView): MessagesView | undefined {
  if (run.threadId !== null) return threadMessagesView(run.threadId, joined, fromLoader);
  const own = itemsOfRun(joined, 'messages', run.id);
  return own.length > 0 ? {state: 'loaded', threadId: '', messages: own, warnings: []} : undefined;
}
