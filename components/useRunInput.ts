import {useInput, type Key} from 'ink';
import {useCallback, useLayoutEffect, useRef} from 'react';
import type {Viewport} from '../src/store/runStore.js';
import type {Dispatch} from './useRunStore.js';

/**
 * Sends what Ink's useInput delivers to the store, with the screen it was pressed on (the list's
 * rows, the scrolling view's lines and height, as the app last drew them). The store splits bursts
 * into key presses itself and resolves each through the key table against the state the one
 * before leaves (Enter-then-2 opens a run and then its second pane; in the output form, pasted
 * text is typed as it is rather than taken as keys).
 */
export function useRunInput(dispatch: Dispatch, viewport: Viewport): void {
  const drawn = useRef(viewport);
  useLayoutEffect(() => {
    drawn.current = viewport;
  });
  const onInput = useCallback((input: string, key: Key) => dispatch({type: 'input', input, key, viewport: drawn.current}), [dispatch]);
  useInput(onInput);
}
