import {useApp, useInput} from 'ink';
import {useEffect, type Dispatch} from 'react';
import {keyName, splitKeyPresses} from '../src/keys.js';
import type {RunStoreAction, RunStoreState} from '../src/store/runStore.js';

/**
 * Sends key presses to the store, which resolves them through the key table against its current
 * mode (so a burst like Enter-then-2 opens a run and then its second pane), and exits when the
 * store asks to quit.
 */
export function useRunInput(state: RunStoreState, dispatch: Dispatch<RunStoreAction>): void {
  const {exit} = useApp();
  useInput((input, key) => {
    for (const press of splitKeyPresses(input, key)) {
      dispatch({type: 'key', name: keyName(press.input, press.key), text: press.input});
    }
  });
  useEffect(() => {
    if (state.quitRequested) exit();
  }, [state.quitRequested, exit]);
}
