import {useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type RefObject} from 'react';
import type {DataSource, FeedData} from '../src/store/feed.js';
import {updateRunStore, type Effect, type RunStoreState} from '../src/store/runStore.js';
import {type RunStoreAction, type Viewport} from '../src/store/storeActions.js';
import {Store} from '../src/store/runtime.js';

/** Sends an action to the store (with the screen as last drawn). */
export type Dispatch = (action: RunStoreAction) => void;

/** How the app runs each kind of effect; `dispatch` takes the answers (an action's result, the editor's text). */
export type EffectHandlers = {[K in Effect['type']]: (effect: Extract<Effect, {type: K}>, dispatch: Dispatch) => void};

/**
 * The store of one app: its state, rendered through useSyncExternalStore, and the one place its
 * effects run, after the frame they came with is committed (so "(in the editor…)" shows before the
 * editor takes the terminal). The source's data reaches the store from the source's own listener:
 * one action and one render per change, never props → effect → copy. Every action goes with the
 * screen as last drawn (`drawn`, set by the app after each frame), so the store clamps against
 * what is on screen without views sending their sizes back.
 */
export function useRunStore(
  source: DataSource,
  initial: (data: FeedData) => RunStoreState,
  handlers: EffectHandlers,
  drawn: RefObject<Viewport | null>,
): [RunStoreState, Dispatch] {
  const [{store, first}] = useState(() => {
    const data = source.snapshot();
    return {store: new Store(updateRunStore, initial(data)), first: data};
  });
  /** The source's data the store holds. */
  const seen = useRef(first);
  const snapshot = useSyncExternalStore(store.subscribe, store.snapshot);
  const dispatch = useCallback(
    (action: RunStoreAction) => store.dispatch(drawn.current ? {type: 'onScreen', viewport: drawn.current, action} : action),
    [store, drawn],
  );

  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    for (const effect of store.drain()) (latest.current[effect.type] as (effect: Effect, dispatch: Dispatch) => void)(effect, dispatch);
  }, [snapshot, store, dispatch]);

  useEffect(() => {
    const sync = () => {
      const data = source.snapshot();
      if (data === seen.current) return;
      seen.current = data;
      dispatch({type: 'feed', data});
    };
    // What changed before this subscription (or a new source's data) is taken now.
    sync();
    return source.subscribe(sync);
  }, [source, dispatch]);

  return [snapshot.state, dispatch];
}
