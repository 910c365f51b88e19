/**
 * Key interpretation: a key press, looked up in the key table (src/keys.ts) for where it is
 * pressed, becomes one of the store's actions. Modal contexts (the search prompt, a y/n question,
 * the output form) take only their own keys; in the prompt and the form every other key is text.
 */
import {commandForKey, keyName, splitKeyPresses, type Command, type KeyContext, type KeyFlags} from '../keys.js';
import {paneForKey} from '../panes/paneIds.js';
import {overlayFor} from '../stats/overlays.js';
import {isOverlay, type Mode} from './overlays.js';
import type {RunStoreAction} from './storeActions.js';

/** What a key's meaning depends on besides the key. */
export interface KeyFacts {
  context: KeyContext;
  mode: Mode;
  /** The search typed so far (Backspace takes one character off it). */
  search: string;
  /** The external editor is open over the output form: keys wait. */
  editing: boolean;
}

/** What a command does where its key was pressed, as an action; null when it does nothing there. */
function commandAction(command: Command, name: string, facts: KeyFacts): RunStoreAction | null {
  // The overlays' keys open them (again: close them), as the overlay registry says.
  const overlay = overlayFor(command);
  if (overlay) return {type: 'toggleOverlay', mode: overlay.id};
  switch (command) {
    case 'quit':
      // In overlays, q goes back rather than quitting, as in less and k9s; Ctrl-C always quits.
      return name === 'q' && isOverlay(facts.mode) ? {type: 'back'} : {type: 'quit'};
    case 'up':
      return {type: 'move', delta: -1};
    case 'down':
      return {type: 'move', delta: 1};
    case 'pageUp':
      return {type: 'page', direction: -1};
    case 'pageDown':
      return {type: 'page', direction: 1};
    case 'top':
    case 'bottom':
    case 'open':
    case 'back':
    case 'copy':
    case 'exportReport':
    case 'clearFilters':
    case 'reverseSort':
      return {type: command};
    case 'nextPane':
      return {type: 'cyclePane', delta: 1};
    case 'previousPane':
      return {type: 'cyclePane', delta: -1};
    case 'choosePane': {
      const pane = paneForKey(name);
      return pane ? {type: 'setPane', pane} : null;
    }
    case 'markRun':
      return {type: 'toggleMark'};
    // Opens the compare overlay through the registry (above); the store picks the pair.
    case 'compare':
      return null;
    case 'search':
      return {type: 'startSearch'};
    case 'sort':
      return {type: 'cycleSort'};
    case 'filterStatus':
      return {type: 'cycleStatusFilter'};
    case 'stuck':
      return {type: 'cycleStuck'};
    case 'warnings':
    case 'stats':
    case 'threads':
    case 'help':
      return null;
    case 'watch':
      return {type: 'toggleWatch'};
    case 'cancelRun':
      return {type: 'requestAction', kind: 'cancel'};
    case 'submitOutputs':
      return {type: 'requestAction', kind: 'submit'};
    case 'keepSearch':
      return {type: 'endSearch', keep: true};
    case 'clearSearch':
      return {type: 'endSearch', keep: false};
    case 'eraseSearch':
      return {type: 'setSearch', text: facts.search.slice(0, -1)};
    case 'confirmAction':
      return {type: 'answer', yes: true};
    case 'declineAction':
      return {type: 'answer', yes: false};
    // The output form's commands are its reducer's actions, by the same names.
    case 'nextCall':
    case 'previousCall':
    case 'nextCallOrReview':
    case 'reviewOutputs':
    case 'eraseOutput':
    case 'editOutputs':
    case 'cancelOutputs':
    case 'sendReviewed':
    case 'backToForm':
      return {type: command};
  }
}

/** Text a key types: pasted text arrives as one input; it is kept on one line and free of controls. */
function typedText(name: string, text: string): string {
  if (name.startsWith('ctrl+') || text === '') return '';
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
}

/** The action a key press (by name, see `keyName`) stands for where it is pressed; null: it does nothing. */
export function keyAction(facts: KeyFacts, name: string, text: string): RunStoreAction | null {
  // The editor has the terminal; what reaches the app meanwhile is not meant for it.
  if (facts.editing) return null;
  const command = commandForKey(name, facts.context);
  if (command) return commandAction(command, name, facts);
  if (facts.context === 'search') {
    const typed = typedText(name, text);
    return typed ? {type: 'setSearch', text: facts.search + typed} : null;
  }
  // The form cleans what is typed itself (tabs and line breaks become spaces there).
  if (facts.context === 'outputs' && !name.startsWith('ctrl+') && text !== '') return {type: 'typeOutput', text};
  return null;
}

/**
 * What Ink's useInput delivered (one key, a burst of keys, or pasted text) as the store's actions,
 * one per key press, each resolved against the state the one before leaves. Pasted text while
 * typing into the output form is text, not a burst of keys: "jq\n" must not move; a burst that
 * ends in Enter (typed quickly) still ends with the Enter key.
 */
export function inputActions(input: string, key: KeyFlags, typingInForm: boolean): RunStoreAction[] {
  const presses = splitKeyPresses(input, key);
  if (typingInForm && presses.length > 1) {
    const enter = /\r$/.test(input) && !/[\r\n]/.test(input.slice(0, -1));
    const pasted: RunStoreAction = {type: 'paste', text: enter ? input.slice(0, -1) : input};
    return enter ? [pasted, {type: 'key', name: 'return', text: ''}] : [pasted];
  }
  return presses.map((press) => ({type: 'key', name: keyName(press.input, press.key), text: press.input}));
}
