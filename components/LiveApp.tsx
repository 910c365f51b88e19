import {useCallback, useSyncExternalStore} from 'react';
import type {RunFeed} from '../src/sources/runFeed.js';
import {App, type AppProps} from './App.js';

/** Props of the live app: the App's own, with the data coming from a feed. */
export type LiveAppProps = Omit<AppProps, 'runs' | 'warnings' | 'sources' | 'live' | 'onToggleWatch'> & {
  feed: RunFeed;
  /** False when the sources cannot be read again (stdin). */
  canWatch: boolean;
};

/** The App fed by a RunFeed: every refresh hands it new runs; the store keeps the selection. */
export function LiveApp({feed, canWatch, ...props}: LiveAppProps) {
  const snapshot = useSyncExternalStore(feed.subscribe, feed.snapshot);
  const toggle = useCallback(() => feed.setWatching(!feed.watching), [feed]);
  return (
    <App
      {...props}
      runs={snapshot.runs}
      warnings={snapshot.warnings}
      sources={snapshot.sources}
      live={{refreshedAt: snapshot.refreshedAt, error: snapshot.error, watchSeconds: snapshot.watchSeconds}}
      onToggleWatch={canWatch ? toggle : undefined}
    />
  );
}
