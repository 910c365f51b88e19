import {useInput, type Key} from 'ink';
import {useCallback} from 'react';
import type {Dispatch} from './useRunStore.js';

/**
 * Sends what Ink's useInput delivers to the store. The store splits bursts into key presses
 * itself and resolves each through the key table against the state the one before leaves
 * (Enter-then-2 opens a run and then its second pane; in the output form, pasted text is typed as
 * it is rather than taken as keys).
 */
export function useRunInput(dispatch: Dispatch): void {
  useInput(useCallback((input: string, key: Key) => dispatch({type: 'input', input, key}), [dispatch]));
}
