import {useApp, useInput} from 'ink';
import {useEffect, type Dispatch} from 'react';
import type {RunStoreAction, RunStoreState} from '../src/store/runStore.js';

/**
 * Sends key presses to the store, which resolves them through the key table against its current
 * mode (so a burst like Enter-then-2 opens a run and then its second pane), and exits when the
 * store asks to quit.
 */
export function useRunInput(state: RunStoreState, dispatch: Dispatch<RunStoreAction>): void {
  const {exit} = useApp();
  // The store splits bursts into key presses itself, against the state each one leaves: in the
  // output form, pasted text is typed as it is rather than taken as keys.
  useInput((input, key) => dispatch({type: 'input', input, key}));
  useEffect(() => {
    if (state.quitRequested) exit();
  }, [state.quitRequested, exit]);
}
