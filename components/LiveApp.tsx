import {useCallback, useMemo, useState, useSyncExternalStore} from 'react';
import type {Run} from '../src/model/run.js';
import type {RunFeed} from '../src/sources/runFeed.js';
import type {StepsView} from '../src/panes/paneContext.js';
import type {StepLoader} from '../src/store/stepLoader.js';
import type {MessageLoader} from '../src/store/messageLoader.js';
import type {MessagesView} from '../src/panes/paneContext.js';
import {feedData, type DataSource} from '../src/store/feed.js';
import {RunsApp, type AppOptions, type RunActions} from './App.js';

/** Props of the live app: the App's own, with the data coming from a feed. */
export type LiveAppProps = Omit<AppOptions, 'onToggleWatch' | 'steps' | 'messages' | 'onStepsWanted' | 'actions'> & {
  feed: RunFeed;
  /** False when the sources cannot be read again (stdin). */
  canWatch: boolean;
  /** Reads run steps for the Steps pane (absent: the pane says steps need the API). */
  steps?: StepLoader;
  /** Reads a thread's messages for the Conversation pane when the files have none (API sources). */
  messages?: MessageLoader;
  /** Cancel and submit (API sources); after each, the feed and the run's steps are read again. */
  actions?: RunActions;
};

const EMPTY: ReadonlyMap<string, StepsView> = new Map<string, StepsView>();
const NO_STEPS = (): ReadonlyMap<string, StepsView> => EMPTY;
const NO_SUBSCRIPTION = () => () => {};
const NO_MESSAGE_VIEWS: ReadonlyMap<string, MessagesView> = new Map<string, MessagesView>();
const NO_MESSAGES = (): ReadonlyMap<string, MessagesView> => NO_MESSAGE_VIEWS;

/** The App fed by a RunFeed: each refresh reaches the app's store from the feed's listener; the store keeps the selection. */
export function LiveApp({feed, canWatch, steps: loader, messages: messageLoader, actions, ...props}: LiveAppProps) {
  const source = useMemo<DataSource>(() => ({subscribe: feed.subscribe, snapshot: () => feedData(feed.snapshot())}), [feed]);
  const toggle = useCallback(() => feed.setWatching(!feed.watching), [feed]);
  // Which run's steps the App shows; the loader fetches them (components only render).
  const [stepsRun, setStepsRun] = useState<Run | null>(null);
  const views = useSyncExternalStore(loader?.subscribe ?? NO_SUBSCRIPTION, loader?.snapshot ?? NO_STEPS);
  const messageViews = useSyncExternalStore(messageLoader?.subscribe ?? NO_SUBSCRIPTION, messageLoader?.snapshot ?? NO_MESSAGES);
  const onStepsWanted = useCallback(
    (run: Run | null) => {
      setStepsRun(run);
      if (loader && run) loader.request(run);
      if (messageLoader && run) messageLoader.request(run);
    },
    [loader, messageLoader],
  );
  // After an action the run changed on the server: reload it (and, when shown, its steps).
  const onReload = useCallback(
    (runId: string) => {
      void feed.refresh().then(() => {
        const run = feed.snapshot().runs.find((candidate) => candidate.id === runId);
        if (run && loader) loader.refresh(run);
        if (run && messageLoader) messageLoader.refresh(run);
      });
    },
    [feed, loader, messageLoader],
  );
  const steps = loader && stepsRun ? (views.get(stepsRun.id) ?? loader.view(stepsRun)) : undefined;
  const messages = messageLoader && stepsRun?.threadId ? (messageViews.get(stepsRun.threadId) ?? messageLoader.view(stepsRun)) : undefined;
  return (
    <RunsApp
      {...props}
      source={source}
      onToggleWatch={canWatch ? toggle : undefined}
      onStepsWanted={onStepsWanted}
      onReload={onReload}
      {...(actions ? {actions} : {})}
      {...(steps ? {steps} : {})}
      {...(messages ? {messages} : {})}
    />
  );
}

/** The element main.ts renders; built here so the CLI's own chunk need not import React. */
export function liveAppElement(props: LiveAppProps) {
  return <LiveApp {...props} />;
}
