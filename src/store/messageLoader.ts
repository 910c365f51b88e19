/**
 * The messages of a thread for the Conversation pane and the thread view: those loaded with the
 * runs (files, transcripts) when there are any, their bodies read back from the files, else what
 * a loader read from the API.
 */
import {itemsOfRun, itemsOfThread, type JoinedItems} from '../model/itemKinds.js';
import {isActiveStatus, sourceKindOf, type Run} from '../model/run.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import type {MessagesView} from '../panes/paneContext.js';
import {wholeMessages} from '../sources/itemBodies.js';

/**
 * Views of the threads shown lately, by their list of messages as joined: a thread's message
 * bodies (model/detachedRun.ts) are read back once when it is shown, and only a few are kept.
 */
const FILE_VIEWS = new Map<readonly ThreadMessage[], MessagesView>();
const RECENT_THREADS = 8;

/** The loaded view of messages joined from the files, their bodies read back (a warning for each that is not there any more). */
function fileView(threadId: string, messages: readonly ThreadMessage[]): MessagesView {
  let view = FILE_VIEWS.get(messages);
  if (view) {
    FILE_VIEWS.delete(messages);
  } else {
    const whole = wholeMessages(messages);
    view = {state: 'loaded', threadId, messages: whole.messages, warnings: whole.warnings};
  }
  FILE_VIEWS.set(messages, view);
  if (FILE_VIEWS.size > RECENT_THREADS) FILE_VIEWS.delete(FILE_VIEWS.keys().next().value!);
  return view;
}

/** Why a thread has no messages to show. */
export const MESSAGES_NOT_LOADED = 'save them beside the runs (GET /threads/{id}/messages), or open the thread from the API';

/**
 * The messages of `threadId` loaded with the runs, as a view (one object per list, so panes are
 * not rebuilt while it stays the same); `fromLoader` when none were (an API thread).
 */
export function threadMessagesView(threadId: string, joined: JoinedItems, fromLoader?: MessagesView): MessagesView {
  const messages = itemsOfThread(joined, 'messages', threadId);
  if (messages.length === 0) return fromLoader ?? {state: 'unavailable', threadId, reason: MESSAGES_NOT_LOADED};
  return fileView(threadId, messages);
}

/** The messages the Conversation pane of `run` shows: its thread's (a run without a thread: its own). */
export function messagesViewOf(run: Run, joined: JoinedItems, fromLoader?: MessagesView): MessagesView | undefined {
  if (run.threadId !== null) return threadMessagesView(run.threadId, joined, fromLoader);
  const own = itemsOfRun(joined, 'messages', run.id);
  return own.length > 0 ? fileView('', own) : undefined;
}

/** A thread's messages, or a thrown error with a one-line message (ApiSourceError). */
export type LoadMessages = (threadId: string) => Promise<{messages: ThreadMessage[]; warnings: LoadWarning[]}>;

/**
 * Thread messages for the Conversation pane, read from the API on demand through an injected
 * `loadMessages` and cached per thread, as StepLoader caches steps per run: LiveApp asks for the
 * open run's thread and re-renders when told something changed. A thread is read again when the
 * run it was read for comes in a new unfinished state (a run still going adds messages), or when
 * its status changed; a failure is kept until then.
 */
export class MessageLoader {
  private views = new Map<string, MessagesView>();
  private readFor = new Map<string, Run>();
  private readonly pending = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  /** `loadMessages` null: no API source, a thread without messages in the files is `unavailable`. */
  constructor(private readonly loadMessages: LoadMessages | null) {}

  /** The views by thread id; a new Map after every change (for useSyncExternalStore). */
  readonly snapshot = (): ReadonlyMap<string, MessagesView> => this.views;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The view of a run's thread, without reading; undefined for a run without a thread or source to ask. */
  view(run: Run): MessagesView | undefined {
    if (run.threadId === null) return undefined;
    return this.views.get(run.threadId) ?? (this.canRead(run) ? {state: 'loading', threadId: run.threadId} : undefined);
  }

  /** Makes sure the messages of the run's thread are (being) read. */
  request(run: Run): void {
    if (!this.canRead(run)) return;
    const previous = this.readFor.get(run.threadId!);
    if (previous && (previous === run || (previous.status === run.status && !isActiveStatus(run.status)))) return;
    this.start(run);
  }

  /** Reads the run's thread again (after a submit or cancel), keeping the old messages on screen meanwhile. */
  refresh(run: Run): void {
    if (this.canRead(run)) this.start(run);
  }

  private canRead(run: Run): boolean {
    return this.loadMessages !== null && run.threadId !== null && sourceKindOf(run.source) === 'api';
  }

  private start(run: Run): void {
    const threadId = run.threadId!;
    this.readFor.set(threadId, run);
    const generation = ++this.generation;
    this.pending.set(threadId, generation);
    const shown = this.views.get(threadId);
    if (!shown || shown.state === 'error') this.set(threadId, {state: 'loading', threadId});
    this.loadMessages!(threadId).then(
      (loaded) => {
        if (this.pending.get(threadId) === generation) this.set(threadId, {state: 'loaded', threadId, messages: loaded.messages, warnings: loaded.warnings});
      },
      (error: unknown) => {
        if (this.pending.get(threadId) === generation) this.set(threadId, {state: 'error', threadId, message: error instanceof Error ? error.message.split('\n')[0]! : String(error)});
      },
    );
  }

  private set(threadId: string, view: MessagesView): void {
    this.views = new Map(this.views).set(threadId, view);
    for (const listener of this.listeners) listener();
  }
}
