import {useCallback, useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import type {Run} from '../src/model/run.js';
import type {RunFeed} from '../src/sources/runFeed.js';
import type {StepsView} from '../src/panes/paneContext.js';
import type {StepLoader} from '../src/store/stepLoader.js';
import {App, type AppProps, type RunActions} from './App.js';

/** Props of the live app: the App's own, with the data coming from a feed. */
export type LiveAppProps = Omit<AppProps, 'runs' | 'warnings' | 'sources' | 'live' | 'onToggleWatch' | 'steps' | 'onStepsWanted' | 'actions'> & {
  feed: RunFeed;
  /** False when the sources cannot be read again (stdin). */
  canWatch: boolean;
  /** Reads run steps for the Steps pane (absent: the pane says steps need the API). */
  steps?: StepLoader;
  /** Cancel and submit (API sources); after each, the feed and the run's steps are read again. */
  actions?: RunActions;
};

const EMPTY: ReadonlyMap<string, StepsView> = new Map<string, StepsView>();
const NO_STEPS = (): ReadonlyMap<string, StepsView> => EMPTY;
const NO_SUBSCRIPTION = () => () => {};

/** The App fed by a RunFeed: every refresh hands it new runs; the store keeps the selection. */
export function LiveApp({feed, canWatch, steps: loader, actions, ...props}: LiveAppProps) {
  const snapshot = useSyncExternalStore(feed.subscribe, feed.snapshot);
  const toggle = useCallback(() => feed.setWatching(!feed.watching), [feed]);
  // Which run's steps the App shows; the loader fetches them (components only render).
  const [stepsRun, setStepsRun] = useState<Run | null>(null);
  const views = useSyncExternalStore(loader?.subscribe ?? NO_SUBSCRIPTION, loader?.snapshot ?? NO_STEPS);
  useEffect(() => {
    if (loader && stepsRun) loader.request(stepsRun);
  }, [loader, stepsRun]);
  // After an action the run changed on the server: reload it (and, when shown, its steps).
  const refreshingActions = useMemo<RunActions | undefined>(() => {
    if (!actions) return undefined;
    const after = async (runId: string, result: Promise<{status: string}>) => {
      const answer = await result;
      void feed.refresh().then(() => {
        const run = feed.snapshot().runs.find((candidate) => candidate.id === runId);
        if (run && loader) loader.refresh(run);
      });
      return answer;
    };
    return {
      ...actions,
      cancel: (threadId, runId) => after(runId, actions.cancel(threadId, runId)),
      submit: (threadId, runId, outputs) => after(runId, actions.submit(threadId, runId, outputs)),
    };
  }, [actions, feed, loader]);
  const steps = loader && stepsRun ? (views.get(stepsRun.id) ?? loader.view(stepsRun)) : undefined;
  return (
    <App
      {...props}
      runs={snapshot.runs}
      warnings={snapshot.warnings}
      sources={snapshot.sources}
      live={{refreshedAt: snapshot.refreshedAt, error: snapshot.error, watchSeconds: snapshot.watchSeconds, loading: snapshot.loading}}
      onToggleWatch={canWatch ? toggle : undefined}
      onStepsWanted={setStepsRun}
      {...(refreshingActions ? {actions: refreshingActions} : {})}
      {...(steps ? {steps} : {})}
    />
  );
}

/** The element main.ts renders; built here so the CLI's own chunk need not import React. */
export function liveAppElement(props: LiveAppProps) {
  return <LiveApp {...props} />;
}
