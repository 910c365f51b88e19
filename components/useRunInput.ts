import {useApp, useInput} from 'ink';
import type {Dispatch} from 'react';
import {commandForKey, keyName, PANE_KEYS, type KeyContext} from '../src/keys.js';
import {PANES} from '../src/panes/paneIds.js';
import type {RunStoreAction, RunStoreState} from '../src/store/runStore.js';

/** The key context of the current mode. */
export function keyContext(state: RunStoreState): KeyContext {
  return state.mode;
}

/**
 * Turns key presses into store actions through the key table. While the search prompt is open
 * only the search handler listens (modal input), so typing `q` searches for "q".
 */
export function useRunInput(state: RunStoreState, dispatch: Dispatch<RunStoreAction>): void {
  const {exit} = useApp();

  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const command = commandForKey(name, keyContext(state));
      switch (command) {
        case undefined:
          return;
        case 'quit':
          // In help and warnings, q goes back rather than quitting, as in less and k9s; Ctrl-C always quits.
          if (name === 'q' && (state.mode === 'help' || state.mode === 'warnings')) dispatch({type: 'back'});
          else exit();
          return;
        case 'up':
          return dispatch({type: 'move', delta: -1});
        case 'down':
          return dispatch({type: 'move', delta: 1});
        case 'pageUp':
          return dispatch({type: 'page', direction: -1});
        case 'pageDown':
          return dispatch({type: 'page', direction: 1});
        case 'top':
          return dispatch({type: 'top'});
        case 'bottom':
          return dispatch({type: 'bottom'});
        case 'open':
          return dispatch({type: 'open'});
        case 'back':
          return dispatch({type: 'back'});
        case 'nextPane':
          return dispatch({type: 'cyclePane', delta: 1});
        case 'previousPane':
          return dispatch({type: 'cyclePane', delta: -1});
        case 'choosePane': {
          const pane = PANES[(PANE_KEYS as readonly string[]).indexOf(name)];
          if (pane) dispatch({type: 'setPane', pane: pane.id});
          return;
        }
        case 'search':
          return dispatch({type: 'startSearch'});
        case 'sort':
          return dispatch({type: 'cycleSort'});
        case 'reverseSort':
          return dispatch({type: 'reverseSort'});
        case 'filterStatus':
          return dispatch({type: 'cycleStatusFilter'});
        case 'clearFilters':
          return dispatch({type: 'clearFilters'});
        case 'stuck':
          return dispatch({type: 'cycleStuck'});
        case 'warnings':
          return dispatch({type: 'toggleWarnings'});
        case 'help':
          return dispatch({type: 'toggleHelp'});
      }
    },
    {isActive: !state.searching},
  );

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return exit();
      if (key.return) return dispatch({type: 'endSearch', keep: true});
      if (key.escape) return dispatch({type: 'endSearch', keep: false});
      if (key.backspace || key.delete) return dispatch({type: 'setSearch', text: state.query.search.slice(0, -1)});
      if (key.upArrow) return dispatch({type: 'move', delta: -1});
      if (key.downArrow) return dispatch({type: 'move', delta: 1});
      if (key.ctrl || key.meta || key.tab) return;
      // Pasted text arrives as one input; keep it on one line.
      const text = input.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
      if (text) dispatch({type: 'setSearch', text: state.query.search + text});
    },
    {isActive: state.searching},
  );
}
